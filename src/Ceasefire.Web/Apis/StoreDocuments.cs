using Ceasefire.Agreements;
using Ceasefire.Import.Agreements;
using Ceasefire.Import.Errors;
using Ceasefire.Import.GeoJson;
using Ceasefire.Storage;

namespace Ceasefire.Web.Apis;

/// <summary>The zone files and agreement files recorded in the store, parsed (as the CLI's adjudication parses them).</summary>
internal static class StoreDocuments
{
    /// <summary>Every zone file recorded, parsed (invalid geometry repaired); the problems of files that cannot be read.</summary>
    public static async Task<(List<(string Name, ZoneFile File)> Files, List<ImportError> Problems)> ZoneFilesAsync(IStore store, CancellationToken ct)
    {
        var files = new List<(string, ZoneFile)>();
        var problems = new List<ImportError>();
        foreach (var doc in await store.ZoneFilesAsync(ct).ConfigureAwait(false))
        {
            using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(doc.Text));
            var result = GeoJsonReader.ReadZones(stream, doc.Name, new ZoneReadOptions { InvalidGeometry = InvalidGeometryPolicy.Repair, Source = doc.Name });
            if (result.Value is null || result.Errors.Any())
            {
                problems.AddRange(result.Errors);
                continue;
            }
            files.Add((doc.Name, result.Value));
        }
        return (files, problems);
    }

    /// <summary>Every agreement version recorded, parsed against the store's zones; the problems of files that cannot be read.</summary>
    public static async Task<(List<Agreement> Versions, List<ImportError> Problems)> AgreementsAsync(IStore store, CancellationToken ct)
    {
        var (zoneFiles, problems) = await ZoneFilesAsync(store, ct).ConfigureAwait(false);
        var known = zoneFiles.SelectMany(f => f.File.Zones.Select(z => z.Id.Value).Concat(f.File.Lines.Keys.Select(k => k.Value))).ToHashSet(StringComparer.Ordinal);
        var versions = new List<Agreement>();
        foreach (var doc in await store.AgreementFilesAsync(ct).ConfigureAwait(false))
        {
            var result = AgreementFileReader.Parse(doc.Text, doc.Name, known, checkZoneFiles: false);
            if (result.Value is null)
            {
                problems.AddRange(result.Errors);
                continue;
            }
            versions.AddRange(result.Value.Versions);
        }
        // The same version recorded twice (the file re-recorded with other versions beside it): the later one counts.
        return (versions.GroupBy(v => (v.Id, v.Version)).Select(g => g.Last()).ToList(), problems);
    }
}

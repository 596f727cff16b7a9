using Ceasefire.Adjudication;
using Ceasefire.Agreements;
using Ceasefire.Cli.Output;
using Ceasefire.Findings;
using Ceasefire.Import.Agreements;
using Ceasefire.Import.GeoJson;
using Ceasefire.Incidents;
using Ceasefire.Storage;
using Ceasefire.Zones;

namespace Ceasefire.Cli.Commands;

/// <summary>Ruling the store's reports: agreements and zones recorded in the store, findings recorded back.</summary>
internal static class StoreAdjudication
{
    /// <summary>
    /// Validates agreement files (and the zone files given or named) and records them in the store; prints problems
    /// and returns null on errors, else what was loaded.
    /// </summary>
    public static async Task<Inputs.Loaded?> RecordAgreementsAsync(IStore store, IReadOnlyList<FileInfo> agreementFiles, IReadOnlyList<FileInfo>? zoneFiles, string author, TextWriter err, CancellationToken ct)
    {
        var loaded = Inputs.Load(agreementFiles, zoneFiles, repairZones: true, err);
        if (loaded is null)
        {
            return null;
        }
        foreach (var path in loaded.ZoneFiles)
        {
            await store.AddZoneFileAsync(Path.GetFileName(path), await File.ReadAllTextAsync(path, ct), author, ct);
        }
        foreach (var (path, versions) in loaded.AgreementFiles)
        {
            var text = await File.ReadAllTextAsync(path, ct);
            foreach (var version in versions)
            {
                await store.AddAgreementAsync(version.Id, version.Version, Path.GetFileName(path), text, author, ct);
            }
        }
        return loaded;
    }

    /// <summary>
    /// The adjudicator of the agreement recorded in the store (zone files resolved by name from the store, not from
    /// disk), with the versions applied; null after printing why there is none.
    /// </summary>
    public static async Task<(Adjudicator Adjudicator, string Id, IReadOnlyList<int> Versions)?> LoadAdjudicatorAsync(IStore store, string? agreementId, TextWriter err, CancellationToken ct, bool quietWhenNone = false)
    {
        var zones = new List<Zone>();
        var lines = new Dictionary<ZoneId, NetTopologySuite.Geometries.Geometry>();
        foreach (var doc in await store.ZoneFilesAsync(ct))
        {
            using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(doc.Text));
            var result = GeoJsonReader.ReadZones(stream, doc.Name, new ZoneReadOptions { InvalidGeometry = InvalidGeometryPolicy.Repair, Source = doc.Name });
            if (result.Value is null || result.Errors.Any())
            {
                Inputs.Print(result.Errors, err);
                return null;
            }
            zones.AddRange(result.Value.Zones);
            foreach (var (lineId, g) in result.Value.Lines)
            {
                lines[lineId] = g;
            }
        }
        var known = zones.Select(z => z.Id.Value).Concat(lines.Keys.Select(k => k.Value)).ToHashSet(StringComparer.Ordinal);
        var versions = new List<Agreement>();
        foreach (var doc in await store.AgreementFilesAsync(ct))
        {
            var result = AgreementFileReader.Parse(doc.Text, doc.Name, known, checkZoneFiles: false);
            if (result.Value is null)
            {
                Inputs.Print(result.Problems, err);
                return null;
            }
            versions.AddRange(result.Value.Versions);
        }
        var ids = versions.Select(v => v.Id).Distinct().ToList();
        if (ids.Count == 0)
        {
            if (!quietWhenNone)
            {
                err.WriteLine("error: the store holds no agreement: give one with --agreement FILE.");
            }
            return null;
        }
        var id = agreementId ?? (ids.Count == 1 ? ids[0] : null);
        if (id is null || !ids.Contains(id))
        {
            err.WriteLine($"error: {(id is null ? "the store holds several agreements" : $"the store holds no agreement '{id}'")} ({string.Join(", ", ids)}): choose one with --agreement-id.");
            return null;
        }
        var chosen = versions.Where(v => v.Id == id).GroupBy(v => v.Version).Select(g => g.Last()).ToList();
        return (new Adjudicator(chosen, new ZoneLibrary(zones), lines), id, chosen.Select(v => v.Version).ToList());
    }

    /// <summary>
    /// Rules every current report against the agreement recorded in the store and records the findings. Returns the
    /// findings document, or null after printing why it could not.
    /// </summary>
    public static async Task<FindingsDocument?> RuleStoreAsync(IStore store, string? agreementId, bool includeNeverBinding, string author, TextWriter err, CancellationToken ct)
    {
        if (await LoadAdjudicatorAsync(store, agreementId, err, ct) is not { } loaded)
        {
            return null;
        }
        var (adjudicator, id, versions) = loaded;
        var stored = await store.QueryReportsAsync(new ReportQuery(Limit: int.MaxValue), ct);
        var incidents = stored.Select(r => r.Report.WithId(new IncidentId(r.Key))).ToList();
        var document = AdjudicateCommand.Rule(adjudicator, incidents, includeNeverBinding);
        var versionOf = stored.ToDictionary(r => r.Key, r => r.Version);
        var findings = document.Incidents.SelectMany(i => i.Findings.Select(f => Stored(i.Id, versionOf[i.Id], document.Agreement, f))).ToList();
        await store.RecordFindingsAsync(id, versions, findings, author, ct);
        return document;
    }

    /// <summary>A finding of the findings document as the store keeps it.</summary>
    public static StoredFinding Stored(string subject, int subjectVersion, string agreement, FindingEntry f, string? verdict = null, string? explanation = null, double? confidence = null) =>
        new(subject, subjectVersion, agreement, f.Version, f.Obligation, f.Phase, f.Reading, verdict ?? FindingsDocument.VerdictCode(f.Verdict), confidence ?? f.Confidence,
            string.Join('|', f.Checks.Where(c => c.Outcome == "fails").Select(c => c.Aspect)),
            string.Join('|', f.Checks.Where(c => c.Outcome == "uncertain").Select(c => c.Aspect)), explanation ?? f.Explanation);
}

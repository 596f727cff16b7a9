using Ceasefire.Agreements;
using Ceasefire.Import.Agreements;
using Ceasefire.Import.Errors;
using Ceasefire.Import.GeoJson;
using Ceasefire.Zones;
using NetTopologySuite.Geometries;

namespace Ceasefire.Cli.Commands;

/// <summary>Loads the inputs several commands share (agreement versions and zone libraries) and prints problems.</summary>
internal static class Inputs
{
    /// <summary>
    /// Agreement versions, zones and lines loaded and validated together, with the files they came from. The zone
    /// index (<see cref="Zones"/>) is built on first use: recording files in the store needs validation, not an index.
    /// </summary>
    public sealed class Loaded(
        IReadOnlyList<(string Path, IReadOnlyList<Agreement> Versions)> agreementFiles, IReadOnlyList<Zone> zones,
        IReadOnlyDictionary<ZoneId, Geometry> lines, IReadOnlyList<string> zoneFiles)
    {
        private ZoneLibrary? _library;

        /// <summary>Every agreement file read, with the versions it holds.</summary>
        public IReadOnlyList<(string Path, IReadOnlyList<Agreement> Versions)> AgreementFiles => agreementFiles;

        /// <summary>The versions of the agreement, in file order.</summary>
        public IReadOnlyList<Agreement> Versions { get; } = agreementFiles.SelectMany(f => f.Versions).ToList();

        /// <summary>The zone library (built once, on first use).</summary>
        public ZoneLibrary Zones => _library ??= new ZoneLibrary(zones);

        /// <summary>Line features of the zone files (operands of buffers).</summary>
        public IReadOnlyDictionary<ZoneId, Geometry> Lines => lines;

        /// <summary>The zone files read (full paths).</summary>
        public IReadOnlyList<string> ZoneFiles => zoneFiles;
    }

    /// <summary>
    /// Reads the zone files (given, else those the agreement files name), then the agreement files validated against
    /// the zones. Prints every problem to stderr; returns null when any is an error.
    /// </summary>
    public static Loaded? Load(IReadOnlyList<FileInfo> agreementFiles, IReadOnlyList<FileInfo>? zoneFiles, bool repairZones, TextWriter err)
    {
        var zonePaths = zoneFiles?.Select(f => f.FullName).ToList() ?? [];
        zonePaths = zonePaths.Distinct().ToList();
        if (zonePaths.Count == 0)
        {
            // A first pass without zone checks finds the zone files the agreements name.
            foreach (var f in agreementFiles)
            {
                var pre = AgreementFileReader.Read(f.FullName);
                if (pre.Value is null)
                {
                    Print(pre.Problems, err);
                    return null;
                }
                zonePaths.AddRange(pre.Value.ZoneFiles.Except(zonePaths));
            }
        }
        var zones = new List<Zone>();
        var lines = new Dictionary<ZoneId, Geometry>();
        var failed = false;
        foreach (var path in zonePaths)
        {
            var result = GeoJsonReader.ReadZones(path, new ZoneReadOptions
            {
                InvalidGeometry = repairZones ? InvalidGeometryPolicy.Repair : InvalidGeometryPolicy.Reject,
                Source = Path.GetFileName(path),
            });
            Print(result.Problems, err);
            if (result.Value is null || result.Errors.Any())
            {
                failed = true;
                continue;
            }
            zones.AddRange(result.Value.Zones);
            foreach (var (id, g) in result.Value.Lines)
            {
                lines[id] = g;
            }
        }
        if (failed)
        {
            return null;
        }
        var known = zones.Select(z => z.Id.Value).Concat(lines.Keys.Select(k => k.Value)).ToHashSet(StringComparer.Ordinal);
        var files = new List<(string, IReadOnlyList<Agreement>)>();
        foreach (var f in agreementFiles)
        {
            var result = AgreementFileReader.Read(f.FullName, known);
            Print(result.Problems, err);
            if (result.Value is null)
            {
                failed = true;
                continue;
            }
            files.Add((f.FullName, result.Value.Versions));
        }
        var versions = files.SelectMany(f => f.Item2).ToList();
        if (failed)
        {
            return null;
        }
        if (versions.Select(v => v.Id).Distinct().Count() > 1)
        {
            err.WriteLine($"error: the agreement files hold different agreements ({string.Join(", ", versions.Select(v => v.Id).Distinct())}); give the versions of one agreement.");
            return null;
        }
        if (zones.GroupBy(z => z.Id).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            err.WriteLine($"error: zone id '{twice.Key}' is defined in more than one zone file ({string.Join(", ", twice.Select(z => z.Source))}).");
            return null;
        }
        return new Loaded(files, zones, lines, zonePaths);
    }

    /// <summary>Prints problems, one per line, in the file:line:column form.</summary>
    public static void Print(IEnumerable<ImportError> problems, TextWriter err, int max = 50)
    {
        var list = problems.ToList();
        foreach (var p in list.Take(max))
        {
            err.WriteLine(p.ToString());
        }
        if (list.Count > max)
        {
            err.WriteLine($"... and {list.Count - max} more problems.");
        }
    }
}

using Ceasefire.Adjudication;
using Ceasefire.Import.Acled;
using Ceasefire.Import.Agreements;
using Ceasefire.Import.GeoJson;
using Ceasefire.Incidents;
using Ceasefire.Zones;

namespace Ceasefire.Benchmarks;

/// <summary>
/// The reference workload, found through environment variables: CEASEFIRE_BENCH_DIR holding zones.geojson,
/// bench-agreement.yaml (bench/obligations-to-agreement.py) and events_100k.csv (bench gen_data.py). See docs/benchmarks.md.
/// </summary>
internal static class Workload
{
    public static string Dir => Environment.GetEnvironmentVariable("CEASEFIRE_BENCH_DIR") ?? "/tmp/cfbench";

    public static string EventsPath => Path.Combine(Dir, Environment.GetEnvironmentVariable("CEASEFIRE_BENCH_EVENTS") ?? "events_100k.csv");

    public static ZoneFile Zones()
    {
        var result = GeoJsonReader.ReadZones(Path.Combine(Dir, "zones.geojson"), new ZoneReadOptions { InvalidGeometry = InvalidGeometryPolicy.Repair });
        return result.Value ?? throw new InvalidOperationException(string.Join("\n", result.Problems));
    }

    public static Adjudicator Adjudicator(ZoneLibrary library)
    {
        var result = AgreementFileReader.Read(Path.Combine(Dir, "bench-agreement.yaml"), library.Zones.Select(z => z.Id.Value).ToHashSet());
        return new Adjudicator(result.Value?.Versions ?? throw new InvalidOperationException(string.Join("\n", result.Problems)), library);
    }

    public static IncidentBatch Events() => AcledReader.ReadBatch(EventsPath).Value;
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ceasefire.Cli.Bench;
using Ceasefire.Corroboration;
using Ceasefire.Import.Acled;
using Ceasefire.Tests.Support;

namespace Ceasefire.Tests.Bench;

/// <summary>
/// <c>ceasefire bench corroborate</c> as a user runs it (the real program in a child process), and the duplicate-candidate
/// search cross-checked against the workload's PostGIS queries on the same data, for real. The events are generated
/// here: clustered around hotspots, a quarter of them re-reports of earlier events up to 6 km and 26 h away, and some
/// placed on purpose within 25 cm of the 5 km edge and on, or a second off, the 24 h edge.
/// </summary>
public sealed class CorroborateBenchTests : IDisposable
{
    private const int Events = 20_000;

    private static readonly string[] FigureKeys =
    [
        "events", "pairs", "seconds", "first_run_seconds", "read_seconds", "incidents", "largest_incident", "review",
        "cluster_seconds", "postgis_seconds", "postgis_pairs", "postgis_index_seconds", "processors",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("ceasefire-bench-corroborate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void BenchCorroborate_Json_HasExactlyTheFiguresAndTheBruteForcePairCount()
    {
        var events = Path.Combine(_dir, "events.csv");
        var written = DedupEvents.Write(events, Events, seed: 20251123);
        var expected = BruteForcePairs(written);
        Assert.True(expected > 10_000, $"the generated events should give many candidate pairs, got {expected}");

        var result = Run("bench", "corroborate", "--events", events, "--json", "--runs", "2", "--expect-pairs", expected.ToString(CultureInfo.InvariantCulture));

        Assert.True(result.Code == 0, result.Output);
        var json = result.Stdout.Trim();
        Assert.DoesNotContain('\n', json); // one object on stdout; the progress lines went to stderr
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(FigureKeys.Order(), root.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(Events, root.GetProperty("events").GetInt32());
        Assert.Equal(expected, root.GetProperty("pairs").GetInt64());
        Assert.True(root.GetProperty("seconds").GetDouble() <= root.GetProperty("first_run_seconds").GetDouble());
        var incidents = root.GetProperty("incidents").GetInt32();
        Assert.InRange(incidents, Events - expected, Events - 1); // each merge takes one report out of the count, and some pair merges
        Assert.True(root.GetProperty("largest_incident").GetInt32() >= 2);
        foreach (var key in new[] { "postgis_seconds", "postgis_pairs", "postgis_index_seconds" })
        {
            Assert.Equal(JsonValueKind.Null, root.GetProperty(key).ValueKind);
        }
        Assert.Equal(Environment.ProcessorCount, root.GetProperty("processors").GetInt32());
    }

    [Fact]
    public void BenchCorroborate_ExpectPairsThatDiffer_ExitsWithBenchmarkMismatch()
    {
        var events = Path.Combine(_dir, "events.csv");
        var expected = BruteForcePairs(DedupEvents.Write(events, 2_000, seed: 7));

        var result = Run("bench", "corroborate", "--events", events, "--runs", "1", "--expect-pairs", (expected + 1).ToString(CultureInfo.InvariantCulture));

        Assert.Equal(5, result.Code);
        Assert.Contains($"expected {expected + 1:N0} candidate pairs, found {expected:N0}", result.Output);
    }

    [Fact]
    public async Task CandidateSearch_AndPostgisDedupSql_CountTheSamePairs()
    {
        var events = Path.Combine(_dir, "events.csv");
        DedupEvents.Write(events, Events, seed: 4242);
        var read = AcledReader.ReadIncidents(events);
        Assert.Empty(read.Errors);
        var reports = read.Value;
        Assert.Equal(Events, reports.Count);
        var intervals = reports.Select(CandidateScoring.Interval).ToArray();
        var points = new CandidatePoints(
            intervals.Select(i => i.Start).ToArray(), intervals.Select(i => i.End).ToArray(),
            reports.Select(r => r.Location.Latitude).ToArray(), reports.Select(r => r.Location.Longitude).ToArray(),
            reports.Select(r => r.Location.RadiusMetres).ToArray());
        var ours = CandidateSearch.Find(points, CandidateWindow.Default).Count;

        var pg = await PostgisDedupBench.RunAsync(TestPostgres.ConnectionString, events, null, CancellationToken.None);

        Assert.Equal(Events, pg.Events);
        Assert.True(ours > 10_000, $"the generated events should give many candidate pairs, got {ours}");
        Assert.Equal(pg.Pairs, ours);
    }

    /// <summary>Every pair at most 24 h and 5 km apart, by the rule itself (the distance taken from the lower index, as PostGIS does for a.id &lt; b.id).</summary>
    private static long BruteForcePairs(IReadOnlyList<DedupEvents.Point> p)
    {
        var byTime = Enumerable.Range(0, p.Count).OrderBy(i => p[i].Seconds).ToArray();
        long pairs = 0;
        for (var x = 0; x < byTime.Length; x++)
        {
            for (var y = x + 1; y < byTime.Length && p[byTime[y]].Seconds - p[byTime[x]].Seconds <= 86_400; y++)
            {
                var (a, b) = byTime[x] < byTime[y] ? (p[byTime[x]], p[byTime[y]]) : (p[byTime[y]], p[byTime[x]]);
                if (CandidateSearch.DistanceMetres(a.Latitude, a.Longitude, b.Latitude, b.Longitude) <= 5_000)
                {
                    pairs++;
                }
            }
        }
        return pairs;
    }

    private static (int Code, string Stdout, string Output) Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ceasefire.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stdout.Result + stderr.Result);
    }

    /// <summary>Writes events in the workload's CSV columns (<c>gen_data.py</c>'s), deterministically for a seed.</summary>
    private static class DedupEvents
    {
        /// <summary>An event as the reader will see it: time in Unix seconds, point parsed back from the text written.</summary>
        public readonly record struct Point(long Seconds, double Latitude, double Longitude);

        private static readonly string[] Types =
        [
            "Explosions/Remote violence|Air/drone strike", "Explosions/Remote violence|Shelling/artillery/missile attack",
            "Battles|Armed clash", "Violence against civilians|Attack", "Protests|Peaceful protest", "Strategic developments|Disrupted weapons use",
        ];

        private static readonly string[] Places = ["Kharkiv", "Kupiansk", "Pokrovsk", "Zaporizhzhia", "Kherson area", "Sumy"];

        public static IReadOnlyList<Point> Write(string path, int count, int seed)
        {
            var random = new Random(seed);
            // Hotspots near the workload's front (UTM zone 36N, where the PostGIS prefilter's 5100-unit margin holds).
            var hotspots = Enumerable.Range(0, 40).Select(_ => (Lat: 46 + (random.NextDouble() * 5), Lon: 30 + (random.NextDouble() * 10))).ToArray();
            var t0 = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
            var points = new List<Point>(count);
            var sb = new StringBuilder("id,event_date,event_type,sub_event_type,actor1,actor2,admin1,location,latitude,longitude,source,notes,fatalities\n");
            for (var i = 1; i <= count; i++)
            {
                long seconds;
                double lat, lon;
                var u = random.NextDouble();
                if (points.Count > 0 && u < 0.25)
                {
                    // Another source's report of an earlier event: up to 6 km and 26 h away, across both edges.
                    var b = points[random.Next(points.Count)];
                    (lat, lon) = Destination(b.Latitude, b.Longitude, random.NextDouble() * 360, random.NextDouble() * 6_000);
                    seconds = b.Seconds + random.Next(-26 * 3600, (26 * 3600) + 1);
                }
                else if (points.Count > 0 && u < 0.30)
                {
                    // On the edges: within 25 cm of 5 km (written to 7 decimals, about 1 cm, so a sphere a few parts
                    // per million off would show), and 24 h apart to the second, or a second either side.
                    var b = points[random.Next(points.Count)];
                    (lat, lon) = Destination(b.Latitude, b.Longitude, random.NextDouble() * 360, 5_000 + ((random.NextDouble() - 0.5) / 2));
                    seconds = b.Seconds + (random.Next(4) switch { 0 => 86_400, 1 => -86_401, 2 => 86_399, _ => random.Next(-3600, 3601) });
                }
                else
                {
                    var h = hotspots[random.Next(hotspots.Length)];
                    lat = h.Lat + (Gaussian(random) * 8 / 111.2);
                    lon = h.Lon + (Gaussian(random) * 8 / (111.2 * Math.Cos(h.Lat * Math.PI / 180)));
                    seconds = t0 + random.Next(20 * 86_400);
                }
                var latText = lat.ToString("0.0000000", CultureInfo.InvariantCulture);
                var lonText = lon.ToString("0.0000000", CultureInfo.InvariantCulture);
                points.Add(new Point(seconds, double.Parse(latText, CultureInfo.InvariantCulture), double.Parse(lonText, CultureInfo.InvariantCulture)));
                var (eventType, subType) = Types[random.Next(Types.Length)].Split('|') switch { var t => (t[0], t[1]) };
                var place = Places[random.Next(Places.Length)];
                sb.Append(CultureInfo.InvariantCulture,
                    $"{i},{DateTimeOffset.FromUnixTimeSeconds(seconds):yyyy-MM-dd'T'HH:mm:ss'Z'},{eventType},{subType},Military Forces of Russia (2000-),,Kharkiv,{place},{latText},{lonText},Test source,\"Report {i}, \"\"generated\"\"\",0\n");
            }
            File.WriteAllText(path, sb.ToString());
            return points;
        }

        private static double Gaussian(Random random) =>
            Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

        /// <summary>The point <paramref name="metres"/> from a start along a bearing, on PostGIS's sphere.</summary>
        private static (double Lat, double Lon) Destination(double lat, double lon, double bearingDegrees, double metres)
        {
            var d = metres / CandidateSearch.EarthRadiusMetres;
            var phi = lat * Math.PI / 180;
            var theta = bearingDegrees * Math.PI / 180;
            var phi2 = Math.Asin((Math.Sin(phi) * Math.Cos(d)) + (Math.Cos(phi) * Math.Sin(d) * Math.Cos(theta)));
            var dLon = Math.Atan2(Math.Sin(theta) * Math.Sin(d) * Math.Cos(phi), Math.Cos(d) - (Math.Sin(phi) * Math.Sin(phi2)));
            return (phi2 * 180 / Math.PI, lon + (dLon * 180 / Math.PI));
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ceasefire.Adjudication;
using Ceasefire.Cli.Bench;
using Ceasefire.Cli.Commands;
using Ceasefire.Tests.Support;

namespace Ceasefire.Tests.Bench;

/// <summary>
/// Cross-checks the engine against PostGIS on the same data, for real: the workload's 30 zones and 127 obligations
/// (converted by bench/obligations-to-agreement.py, as the benchmark does), and 20,000 generated events placed near
/// zone edges and window edges. Both must find the same (event, obligation) matches.
/// </summary>
public sealed class PostgisCrossCheckTests
{
    private static readonly string Data = Path.Combine(AppContext.BaseDirectory, "TestData");

    [Fact]
    public async Task Engine_AndPostgis_FindTheSameMatches()
    {
        var dir = Directory.CreateTempSubdirectory("ceasefire-crosscheck-").FullName;
        try
        {
            var zones = Path.Combine(Data, "zones.geojson");
            var agreementFile = Path.Combine(dir, "agreement.yaml");
            ConvertObligations(Path.Combine(Data, "bench-obligations.csv"), zones, agreementFile);
            var err = new StringWriter();
            var loaded = Inputs.Load([new FileInfo(agreementFile)], [new FileInfo(zones)], repairZones: true, err);
            Assert.True(loaded is not null, err.ToString());
            var vertices = loaded.Zones.Zones.SelectMany(z => z.Geometry.Coordinates).Where(c => c.X is > 20 and < 45 && c.Y is > 43 and < 56).ToArray();
            var events = Path.Combine(dir, "events.csv");
            WriteEvents(events, 20_000, seed: 20251123, vertices);
            var adjudicator = new Adjudicator(loaded.Versions, loaded.Zones, loaded.Lines);
            Assert.Equal(127, adjudicator.RuleCount);
            var read = IncidentFiles.ReadBatch(events, loaded.Versions[0].TimeZone);
            Assert.Empty(read.Problems);
            var engineMatches = adjudicator.AdjudicateBulk(read.Batch).Findings.Count;

            var obligationsCsv = Path.Combine(dir, "obligations-from-agreement.csv");
            BenchCommand.WriteObligationsCsv(loaded.Versions[0], obligationsCsv);
            var pg = await PostgisBench.RunAsync(TestPostgres.ConnectionString, events, zones, obligationsCsv, null, CancellationToken.None);

            Assert.True(engineMatches > 1000, $"the workload should produce many matches, got {engineMatches}");
            Assert.Equal(pg.SubdividedMatches, engineMatches);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    internal static void ConvertObligations(string csv, string zones, string output)
    {
        var script = Path.Combine(Repo.Root, "bench", "obligations-to-agreement.py");
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(csv);
        start.ArgumentList.Add(zones);
        using var process = Process.Start(start)!;
        var yaml = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr);
        File.WriteAllText(output, yaml);
    }

    /// <summary>Events in the workload's CSV form; a third sit within about 500 m of a zone vertex, near the edges.</summary>
    internal static void WriteEvents(string path, int count, int seed, NetTopologySuite.Geometries.Coordinate[] vertices)
    {
        string[] types =
        [
            "Explosions/Remote violence|Air/drone strike", "Explosions/Remote violence|Shelling/artillery/missile attack",
            "Battles|Armed clash", "Explosions/Remote violence|Remote explosive/landmine/IED", "Violence against civilians|Attack",
            "Explosions/Remote violence|Grenade", "Battles|Government regains territory",
        ];
        string[] actors = ["Military Forces of Russia (2000-)", "Military Forces of Ukraine (2019-)", "Unidentified Armed Group (Ukraine)"];
        var random = new Random(seed);
        var sb = new StringBuilder("id,event_date,event_type,sub_event_type,actor1,actor2,admin1,location,latitude,longitude,source,notes,fatalities\n");
        var t0 = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 1; i <= count; i++)
        {
            // Times to the minute over the first half of 2025; some exactly on window edges (midnights, 23:59).
            var day = random.Next(181);
            var minute = random.Next(5) == 0 ? (random.Next(2) == 0 ? 0 : 1439) : random.Next(1440);
            var time = t0.AddDays(day).AddMinutes(minute);
            double lon, lat;
            if (random.Next(3) == 0)
            {
                var v = vertices[random.Next(vertices.Length)];
                (lon, lat) = (v.X + (random.NextDouble() - 0.5) * 0.01, v.Y + (random.NextDouble() - 0.5) * 0.01);
            }
            else
            {
                (lon, lat) = (22 + random.NextDouble() * 20, 44 + random.NextDouble() * 9);
            }
            var (eventType, subType) = types[random.Next(types.Length)].Split('|') switch { var p => (p[0], p[1]) };
            sb.Append(CultureInfo.InvariantCulture,
                $"{i},{time:yyyy-MM-dd'T'HH:mm:ss'Z'},{eventType},{subType},{actors[random.Next(actors.Length)]},,,\"Place, {i}\",{lat:0.00000},{lon:0.00000},Test,\"Notes with \"\"quotes\"\", {i}\",0\n");
        }
        File.WriteAllText(path, sb.ToString());
    }
}

using System.Text.Json;
using Ceasefire.Adjudication;
using Ceasefire.Cli.Commands;
using Ceasefire.Storage;
using Ceasefire.Stores;
using Ceasefire.Tests.Support;

namespace Ceasefire.Tests.Bench;

/// <summary>
/// <c>ceasefire bench adjudicate --store postgres://...</c> as a user runs it (the program in a child process): the
/// events go into the store, are read back, ruled and their findings written back; the count matches the engine's
/// on the file, and the store holds exactly those findings.
/// </summary>
public sealed class StoreAdjudicateBenchTests : IAsyncLifetime
{
    private static readonly string Data = Path.Combine(AppContext.BaseDirectory, "TestData");
    private readonly string _dir = Directory.CreateTempSubdirectory("ceasefire-bench-store-").FullName;
    private TestDatabase? _db;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await _db!.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task BenchAdjudicate_ThroughPostgres_ReadsRulesAndWritesBackTheEnginesFindings()
    {
        var zones = Path.Combine(Data, "zones.geojson");
        var agreement = Path.Combine(_dir, "agreement.yaml");
        PostgisCrossCheckTests.ConvertObligations(Path.Combine(Data, "bench-obligations.csv"), zones, agreement);
        var err = new StringWriter();
        var loaded = Inputs.Load([new FileInfo(agreement)], [new FileInfo(zones)], repairZones: true, err);
        Assert.True(loaded is not null, err.ToString());
        var vertices = loaded.Zones.Zones.SelectMany(z => z.Geometry.Coordinates).Where(c => c.X is > 20 and < 45 && c.Y is > 43 and < 56).ToArray();
        var events = Path.Combine(_dir, "events.csv");
        PostgisCrossCheckTests.WriteEvents(events, 4_000, seed: 20251123, vertices);
        var expected = new Adjudicator(loaded.Versions, loaded.Zones, loaded.Lines).AdjudicateBulk(IncidentFiles.ReadBatch(events, loaded.Versions[0].TimeZone).Batch).Findings.Count;
        Assert.True(expected > 100, $"the workload should produce matches, got {expected}");

        var (code, stdout, output) = Run("bench", "adjudicate", "--events", events, "--zones", zones, "--obligations", agreement, "--store", _db!.Uri, "--json");
        Assert.True(code == 0, output);
        using (var figures = JsonDocument.Parse(stdout))
        {
            var root = figures.RootElement;
            Assert.Equal("postgres", root.GetProperty("store").GetString());
            Assert.Equal(4_000, root.GetProperty("reports").GetInt64());
            Assert.Equal(expected, root.GetProperty("findings").GetInt64());
            foreach (var stage in new[] { "import_seconds", "read_seconds", "engine_seconds", "explain_seconds", "write_seconds", "total_seconds" })
            {
                Assert.True(root.GetProperty(stage).GetDouble() > 0, stage);
            }
        }
        await using (var store = await StoreLocation.Parse(_db.Uri).OpenAsync())
        {
            var stored = await store.QueryFindingsAsync(new FindingQuery(Limit: 100_000));
            Assert.Equal(expected, stored.Count);
            Assert.All(stored, f => Assert.False(string.IsNullOrEmpty(f.Explanation)));
            Assert.True((await store.VerifyAsync()).Intact);
        }

        // Again: the store holds the events already; they are read, ruled and written again, not imported twice.
        (code, stdout, output) = Run("bench", "adjudicate", "--events", events, "--zones", zones, "--obligations", agreement, "--store", _db.Uri, "--json");
        Assert.True(code == 0, output);
        Assert.Contains("not imported again", output);
        using (var again = JsonDocument.Parse(stdout))
        {
            Assert.Equal(JsonValueKind.Null, again.RootElement.GetProperty("import_seconds").ValueKind);
            Assert.Equal(expected, again.RootElement.GetProperty("findings").GetInt64());
        }
    }

    private static (int Code, string Stdout, string Output) Run(params string[] args)
    {
        var (code, stdout, stderr) = CeasefireCli.RunSplitAsync(args).GetAwaiter().GetResult();
        return (code, stdout, stdout + stderr);
    }
}

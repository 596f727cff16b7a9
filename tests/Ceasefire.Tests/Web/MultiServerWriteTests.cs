using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Ceasefire.Storage;
using Ceasefire.Storage.Postgres;
using Ceasefire.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace Ceasefire.Tests.Web;

/// <summary>
/// Two <c>ceasefire serve</c> processes over one PostgreSQL database, written to at once: every report lands once,
/// the log stays gapless and its chain intact (issue 6, item 4).
/// </summary>
public sealed class MultiServerWriteTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Writers = 8;
    private const int ReportsPerWriter = 1_000;

    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task TwoServers_EightWritersOfAThousandReports_EveryReportOnceAndTheLogGaplessAndIntact()
    {
        var key = await CeasefireCli.AddApiKeyAsync(_db.Uri, "load writer", "monitor");
        await using var first = await ServerProcess.StartAsync(_db.Uri);
        await using var second = await ServerProcess.StartAsync(_db.Uri);
        await Task.WhenAll(first.WaitHealthyAsync(), second.WaitHealthyAsync());
        ServerProcess[] servers = [first, second];

        var failures = new ConcurrentQueue<string>();
        var accepted = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            // Four writers per server, each posting its reports one after another.
            using var http = servers[w % servers.Length].Client(key);
            for (var i = 0; i < ReportsPerWriter; i++)
            {
                using var response = await http.PostAsync("/api/reports", new StringContent(ReportJson(w, i), Encoding.UTF8, "application/json"));
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    Interlocked.Increment(ref accepted);
                }
                else
                {
                    failures.Enqueue($"writer {w} report {i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        })));
        clock.Stop();
        output.WriteLine($"{Writers * ReportsPerWriter} posts over two servers in {clock.Elapsed.TotalSeconds:0.0} s ({Writers * ReportsPerWriter / clock.Elapsed.TotalSeconds:0} posts/s)");

        Assert.True(failures.IsEmpty, $"{failures.Count} post(s) failed, the first: {string.Join("\n", failures.Take(5))}");
        Assert.Equal(Writers * ReportsPerWriter, accepted);
        Assert.Equal(0, await first.StopAsync());
        Assert.Equal(0, await second.StopAsync());

        await using var store = await PostgresStore.OpenAsync(_db.ConnectionString);
        var stored = await store.QueryReportsAsync(new ReportQuery(Dataset: "form", Limit: 100_000));
        var expected = Enumerable.Range(0, Writers).SelectMany(w => Enumerable.Range(0, ReportsPerWriter).Select(i => $"form:{Id(w, i)}")).Order(StringComparer.Ordinal);
        Assert.Equal(expected, stored.Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.All(stored, r => Assert.Equal(1, r.Version));
        Assert.Equal((long)(Writers * ReportsPerWriter), await ScalarAsync("SELECT count(*) FROM reports"));

        // The sequence has neither gaps nor duplicates, and each accepted post wrote one reports.received entry.
        var entries = await ScalarAsync("SELECT count(*) FROM log");
        Assert.Equal(entries, await ScalarAsync("SELECT count(DISTINCT seq) FROM log"));
        Assert.Equal(entries, await ScalarAsync("SELECT max(seq) FROM log"));
        Assert.Equal(entries, await store.LastSequenceAsync());
        Assert.Equal((long)accepted, await ScalarAsync($"SELECT count(*) FROM log WHERE type = '{LogEntryTypes.ReportsReceived}'"));
        Assert.Equal((long)accepted, await ScalarAsync($"SELECT count(*) FROM log WHERE type = '{LogEntryTypes.ImportCompleted}'"));
        var verified = await store.VerifyAsync();
        Assert.True(verified.Intact, verified.Reason);
        Assert.Equal(entries, verified.EntriesChecked);
    }

    private static string Id(int writer, int i) => $"LOAD-{writer}-{i:0000}";

    private static string ReportJson(int writer, int i) => $$"""
        {
          "id": "{{Id(writer, i)}}",
          "time": { "at": "2025-03-{{10 + i % 18:00}}T10:20:00+03:00" },
          "location": { "lon": {{(30 + writer + i % 100 * 0.01).ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "lat": 49.9935, "precision": "settlement", "radius_km": 5, "place": "Kharkiv" },
          "act": "shelling_artillery_missile",
          "target": "energy.transmission",
          "perpetrator": "RU",
          "claimant": "Ministry of Energy of Ukraine",
          "source": "Suspilne",
          "grade": "B2",
          "notes": "Load test report {{i}} of writer {{writer}}.",
          "casualties": { "low": 0, "best": 1, "high": 2 }
        }
        """;

    private async Task<long> ScalarAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(_db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

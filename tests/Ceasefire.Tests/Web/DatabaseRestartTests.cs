using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Ceasefire.Tests.Support;
using Xunit.Abstractions;

namespace Ceasefire.Tests.Web;

/// <summary>
/// PostgreSQL stopped and started again under a running <c>ceasefire serve</c> (issue 6, item 5): while the database
/// is down every request is answered at once, 2xx or 503 with a problem document and Retry-After, never 500 and never a
/// hang; once it is back, the same server process serves reads and writes again. The cluster is the test's own.
/// </summary>
public sealed class DatabaseRestartTests(ITestOutputHelper output)
{
    /// <summary>A correctness bound, not a benchmark: an answer slower than this is a hang.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    private sealed record Outcome(string Request, DateTime Started, DateTime Ended, int Status, string? MediaType, bool RetryAfter, string Body)
    {
        public TimeSpan Elapsed => Ended - Started;

        public bool Ok => Status is >= 200 and < 300;

        public bool Unavailable => Status == 503 && MediaType == "application/problem+json" && RetryAfter;

        public override string ToString() => $"{Request}: {Status} after {Elapsed.TotalMilliseconds:0} ms {Body[..Math.Min(Body.Length, 300)]}";
    }

    [Fact]
    public async Task DatabaseHaltedAndResumedUnderLoad_RequestsFailFastWith503_AndTheSameServerRecovers()
    {
        await using var cluster = await PrivateCluster.StartAsync();
        var key = await CeasefireCli.AddApiKeyAsync(cluster.Uri, "restart monitor", "monitor");
        await using var server = await ServerProcess.StartAsync(cluster.Uri);
        await server.WaitHealthyAsync();
        using var anonymous = server.Client(timeout: TimeSpan.FromSeconds(60));
        using var monitor = server.Client(key, TimeSpan.FromSeconds(60));

        var outcomes = new ConcurrentQueue<Outcome>();
        var posted = 0;
        async Task<Outcome> SendAsync(string name, Func<Task<HttpResponseMessage>> send)
        {
            var started = DateTime.UtcNow;
            try
            {
                using var response = await send();
                var outcome = new Outcome(name, started, DateTime.UtcNow, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType,
                    response.Headers.RetryAfter is not null, await response.Content.ReadAsStringAsync());
                outcomes.Enqueue(outcome);
                return outcome;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                var outcome = new Outcome(name, started, DateTime.UtcNow, 0, null, false, e.Message);
                outcomes.Enqueue(outcome);
                return outcome;
            }
        }
        Task<Outcome> PostAsync() => SendAsync("POST /api/reports", () =>
            monitor.PostAsync("/api/reports", new StringContent(ReportJson($"RESTART-{Interlocked.Increment(ref posted):00000}"), Encoding.UTF8, "application/json")));

        using var stop = new CancellationTokenSource();
        var load = new[]
        {
            Loop(() => SendAsync("GET /api/reports", () => anonymous.GetAsync("/api/reports?limit=50"))),
            Loop(() => SendAsync("GET /api/incidents", () => anonymous.GetAsync("/api/incidents"))),
            Loop(() => SendAsync("GET /api/reports (monitor)", () => monitor.GetAsync("/api/reports?limit=10"))),
            Loop(PostAsync),
        };
        async Task Loop(Func<Task<Outcome>> request)
        {
            while (!stop.IsCancellationRequested)
            {
                await request();
                await Task.Delay(25);
            }
        }

        await Task.Delay(1500);
        var haltStarted = DateTime.UtcNow;
        await cluster.HaltAsync();
        var haltEnded = DateTime.UtcNow;
        await Task.Delay(3000);
        var health = await SendAsync("GET /api/health", () => anonymous.GetAsync("/api/health"));
        var resumeStarted = DateTime.UtcNow;
        await cluster.ResumeAsync();
        var resumeEnded = DateTime.UtcNow;

        // Recovery: the load goes on until reads of both kinds have succeeded again, and then a post must succeed.
        var recovered = Stopwatch.StartNew();
        bool Recovered() => outcomes.Any(o => o.Started >= resumeEnded && o.Ok && o.Request == "GET /api/reports")
            && outcomes.Any(o => o.Started >= resumeEnded && o.Ok && o.Request == "GET /api/incidents");
        while (!Recovered() && recovered.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(50);
        }
        var recovery = DateTime.UtcNow - resumeEnded;
        await stop.CancelAsync();
        await Task.WhenAll(load);
        var postAfter = await PostAsync();
        var healthAfter = await SendAsync("GET /api/health", () => anonymous.GetAsync("/api/health"));
        Assert.Equal(0, await server.StopAsync());

        var all = outcomes.ToList();
        var before = all.Where(o => o.Ended < haltStarted).ToList();
        var down = all.Where(o => o.Started >= haltEnded && o.Ended <= resumeStarted).ToList();
        var outage = all.Where(o => o.Ended >= haltStarted && o.Started <= resumeEnded).ToList();
        var after = all.Where(o => o.Started > resumeEnded).ToList();
        var downTimes = down.Select(o => o.Elapsed.TotalMilliseconds).Order().ToList();
        output.WriteLine($"before: {before.Count} requests, {before.Count(o => o.Ok)} ok");
        output.WriteLine($"halt took {(haltEnded - haltStarted).TotalMilliseconds:0} ms, resume {(resumeEnded - resumeStarted).TotalMilliseconds:0} ms");
        output.WriteLine($"down: {down.Count} requests, {down.Count(o => o.Unavailable)} 503; answered in {downTimes.FirstOrDefault():0}-{downTimes.LastOrDefault():0} ms (median {(downTimes.Count > 0 ? downTimes[downTimes.Count / 2] : 0):0})");
        output.WriteLine($"around the outage: {outage.Count} requests, {outage.Count(o => o.Ok)} ok, {outage.Count(o => o.Unavailable)} 503");
        output.WriteLine($"after resume: {after.Count} requests, {after.Count(o => o.Ok)} ok, {after.Count(o => o.Unavailable)} 503; reads recovered {recovery.TotalMilliseconds:0} ms after the cluster was back");

        Assert.True(before.Count > 10 && before.All(o => o.Ok), string.Join("\n", before.Where(o => !o.Ok).Take(5)));
        Assert.True(down.Count >= 20, $"only {down.Count} requests while the database was down");
        Assert.True(down.All(o => o.Unavailable), string.Join("\n", down.Where(o => !o.Unavailable).Take(5)));
        Assert.Contains(down, o => o.Request == "POST /api/reports");
        Assert.True(outage.All(o => o.Ok || o.Unavailable), string.Join("\n", outage.Where(o => !(o.Ok || o.Unavailable)).Take(5)));
        Assert.True(outage.All(o => o.Elapsed < Prompt), string.Join("\n", outage.Where(o => o.Elapsed >= Prompt).Take(5)));
        Assert.True(health.Unavailable, health.ToString());
        Assert.True(after.All(o => o.Ok || o.Unavailable), string.Join("\n", after.Where(o => !(o.Ok || o.Unavailable)).Take(5)));
        Assert.True(recovery < TimeSpan.FromSeconds(10), $"reads recovered only after {recovery}");
        Assert.Equal(201, postAfter.Status);
        Assert.True(healthAfter.Ok, healthAfter.ToString());
    }

    private static string ReportJson(string id) => $$"""
        {
          "id": "{{id}}",
          "time": { "at": "2025-03-28T10:20:00+03:00" },
          "location": { "lon": 36.2304, "lat": 49.9935, "precision": "settlement", "radius_km": 5, "place": "Kharkiv" },
          "act": "shelling_artillery_missile",
          "target": "energy.transmission",
          "perpetrator": "RU",
          "claimant": "Ministry of Energy of Ukraine",
          "source": "Suspilne",
          "grade": "B2",
          "notes": "A missile hit the 110 kV substation.",
          "casualties": { "low": 0, "best": 1, "high": 2 }
        }
        """;
}

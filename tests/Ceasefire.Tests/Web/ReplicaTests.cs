using System.Net;
using System.Text;
using Ceasefire.Cli.Commands;
using Ceasefire.Storage;
using Ceasefire.Storage.Postgres;
using Ceasefire.Stores;
using Ceasefire.Tests.Support;
using Ceasefire.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ceasefire.Tests.Web;

/// <summary>
/// A primary and a hot standby of it (streaming replication through a slot), each a private cluster on its own
/// loopback port, made by <c>scripts/postgres.sh start</c> and <c>standby</c>; the primary holds the March 2025 demo
/// scenario and an API key per role. Shared by the tests of <see cref="ReplicaTests"/>, which run one at a time.
/// </summary>
public sealed class ReplicationFixture : IAsyncLifetime
{
    // Not Directory.CreateTempSubdirectory: that makes a directory only its owner may enter, and as root the clusters
    // run as the postgres OS user, which must reach them; the script creates the directories itself.
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"ceasefire-replica-{Guid.NewGuid():N}");
    private TestCluster? _primary;
    private TestCluster? _standby;

    internal TestCluster Primary => _primary!;

    internal TestCluster Standby => _standby!;

    /// <summary>The root of the clusters' directories.</summary>
    public string Root => _root;

    /// <summary>The monitor's API key (may post reports).</summary>
    public string MonitorKey { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _primary = await TestCluster.StartAsync(Path.Combine(_root, "primary"));
        // The standby first: making it switches the primary to wal_level=replica, which restarts the primary.
        _standby = await TestCluster.StandbyOfAsync(_primary, Path.Combine(_root, "standby"));
        await using (var store = await PostgresStore.OpenAsync(_primary.ConnectionString))
        {
            Assert.Equal(0, await FindingsCommands.LoadDemoAsync(store, TextWriter.Null, CancellationToken.None));
            var (key, record) = Credentials.NewApiKey("replica test monitor", Role.Monitor, null, DateTimeOffset.UtcNow);
            await store.AddApiKeyAsync(record);
            MonitorKey = key;
        }
        await ReplicaTests.CaughtUpAsync(_primary.ConnectionString, _standby.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_standby is not null)
        {
            await _standby.StopAsync();
        }
        if (_primary is not null)
        {
            await _primary.StopAsync();
        }
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}

/// <summary>
/// Read scaling with a hot standby (issue 6): reads go to the standby when it has caught up, writes to the primary;
/// a server reads its own writes, and a client reads its writes from any server by sending the sequence a write
/// answered (<see cref="StoreAccess.MinSequenceHeader"/>); with the standby gone, the primary serves.
/// </summary>
public sealed class ReplicaTests(ReplicationFixture fixture) : IClassFixture<ReplicationFixture>
{
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task StoreOnStandby_Opens_WithoutMigrating_AndRefusesWrites()
    {
        await using var store = await PostgresStore.OpenAsync(fixture.Standby.ConnectionString);
        Assert.True(store.IsStandby);
        Assert.Equal(1, await store.MigrateAsync());
        Assert.True(await store.LastSequenceAsync() > 0);

        var (_, key) = Credentials.NewApiKey("written to a standby", Role.Monitor, null, DateTimeOffset.UtcNow);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => store.AddApiKeyAsync(key));
        Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, refused.SqlState);

        await using var primary = await PostgresStore.OpenAsync(fixture.Primary.ConnectionString);
        Assert.False(primary.IsStandby);
    }

    [Fact]
    public async Task StoreOnStandby_OfUnmigratedDatabase_SaysToMigrateThePrimaryFirst()
    {
        var name = $"cf_empty_{Guid.NewGuid():N}";
        await ExecuteAsync(fixture.Primary.ConnectionString, $"CREATE DATABASE {name}");
        try
        {
            var onStandby = new NpgsqlConnectionStringBuilder(fixture.Standby.ConnectionString) { Database = name }.ConnectionString;
            await WaitUntilAsync(async () =>
            {
                try
                {
                    await ExecuteAsync(onStandby, "SELECT 1");
                    return true;
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
                {
                    return false; // the standby has not replayed CREATE DATABASE yet
                }
            }, "the standby to replay CREATE DATABASE");

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresStore.OpenAsync(onStandby));
            Assert.Equal("The standby's schema is version 0, this build needs 1: migrate the primary first (ceasefire init --store postgres://PRIMARY) and let the standby replay it.",
                error.Message);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(fixture.Primary.ConnectionString, $"DROP DATABASE {name} WITH (FORCE)");
        }
    }

    [Fact]
    public async Task Reads_StandbyCaughtUp_AreServedByStandby()
    {
        await CaughtUpAsync(fixture.Primary.ConnectionString, fixture.Standby.ConnectionString);
        await using var server = await StartAsync(fixture.Standby);
        var before = server.Access.ReplicaReads;

        var list = await server.Client.GetAsync("/api/reports?limit=50");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains("\"items\"", await list.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var one = await server.Client.GetAsync("/api/reports/form:DOES-NOT-EXIST");
        Assert.Equal(HttpStatusCode.NotFound, one.StatusCode);

        Assert.True(server.Access.ReplicaReads >= before + 2, $"replica reads {before} -> {server.Access.ReplicaReads}");
    }

    [Fact]
    public async Task ReadYourWrites_StandbyPaused_PrimaryServesBothServers_ThenStandbyAfterResume()
    {
        await CaughtUpAsync(fixture.Primary.ConnectionString, fixture.Standby.ConnectionString);
        await using var writer = await StartAsync(fixture.Standby);
        await using var other = await StartAsync(fixture.Standby); // a second web server behind the same proxy
        var id = $"RYW-{Guid.NewGuid():N}"[..16];
        var key = $"form:{id}";

        await ExecuteAsync(fixture.Standby.ConnectionString, "SELECT pg_wal_replay_pause()");
        long sequence;
        try
        {
            await WaitUntilAsync(async () => await ScalarAsync<string>(fixture.Standby.ConnectionString, "SELECT pg_get_wal_replay_pause_state()") == "paused",
                "replay to pause");

            var posted = await writer.Client.PostAsync("/api/reports", new StringContent(ReportJson(id), Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
            sequence = long.Parse(Assert.Single(posted.Headers.GetValues(StoreAccess.SequenceHeader)), System.Globalization.CultureInfo.InvariantCulture);
            await using (var primary = await PostgresStore.OpenAsync(fixture.Primary.ConnectionString))
            {
                Assert.Equal(sequence, await primary.LastSequenceAsync());
            }
            await using (var standby = await PostgresStore.OpenAsync(fixture.Standby.ConnectionString))
            {
                Assert.True(await standby.LastSequenceAsync() < sequence, "the standby should be behind while replay is paused");
            }

            // The server that wrote reads its own write: from the primary, the standby being behind.
            var writerReplicaReads = writer.Access.ReplicaReads;
            Assert.Equal(HttpStatusCode.OK, (await writer.Client.GetAsync($"/api/reports/{key}")).StatusCode);
            Assert.Equal(writerReplicaReads, writer.Access.ReplicaReads);

            // Another server knows nothing of the write: without the header it reads the (stale) standby...
            var otherReplicaReads = other.Access.ReplicaReads;
            Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync($"/api/reports/{key}")).StatusCode);
            Assert.Equal(otherReplicaReads + 1, other.Access.ReplicaReads);

            // ...and with the sequence the write answered, from the primary.
            Assert.Equal(HttpStatusCode.OK, (await other.Client.SendAsync(Get($"/api/reports/{key}", sequence))).StatusCode);
            Assert.Equal(otherReplicaReads + 1, other.Access.ReplicaReads);
        }
        finally
        {
            await ExecuteAsync(fixture.Standby.ConnectionString, "SELECT pg_wal_replay_resume()");
        }

        await CaughtUpAsync(fixture.Primary.ConnectionString, fixture.Standby.ConnectionString);
        var writerBefore = writer.Access.ReplicaReads;
        var otherBefore = other.Access.ReplicaReads;
        Assert.Equal(HttpStatusCode.OK, (await writer.Client.GetAsync($"/api/reports/{key}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await other.Client.SendAsync(Get($"/api/reports/{key}", sequence))).StatusCode);
        Assert.Equal(writerBefore + 1, writer.Access.ReplicaReads);
        Assert.Equal(otherBefore + 1, other.Access.ReplicaReads);
    }

    [Fact]
    public async Task Reads_StandbyStopped_AreServedByPrimary()
    {
        // A standby of this test's own, so that the shared one stays up for the other tests.
        await using var standby = await TestCluster.StandbyOfAsync(fixture.Primary, Path.Combine(fixture.Root, $"standby-{Guid.NewGuid():N}"));
        await CaughtUpAsync(fixture.Primary.ConnectionString, standby.ConnectionString);
        await using var server = await StartAsync(standby);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/api/reports?limit=50")).StatusCode);
        var before = server.Access.ReplicaReads;
        Assert.True(before > 0);
        var slotsBefore = await ScalarAsync<long>(fixture.Primary.ConnectionString, "SELECT count(*) FROM pg_replication_slots");

        await standby.StopAsync();

        var list = await server.Client.GetAsync("/api/reports?limit=50");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/api/reports?limit=5")).StatusCode);
        Assert.Equal(before, server.Access.ReplicaReads);
        // `stop` dropped the standby's slot, so the primary no longer keeps WAL for it.
        Assert.Equal(slotsBefore - 1, await ScalarAsync<long>(fixture.Primary.ConnectionString, "SELECT count(*) FROM pg_replication_slots"));
    }

    /// <summary>Waits until the standby has replayed the primary's log as far as it then reached.</summary>
    internal static async Task CaughtUpAsync(string primary, string standby)
    {
        await using var p = await PostgresStore.OpenAsync(primary);
        await using var s = await PostgresStore.OpenAsync(standby);
        var target = await p.LastSequenceAsync();
        var targetLsn = await ScalarAsync<string>(primary, "SELECT pg_current_wal_lsn()::text");
        await WaitUntilAsync(async () => await s.LastSequenceAsync() >= target
            && await ScalarAsync<bool>(standby, $"SELECT pg_last_wal_replay_lsn() >= '{targetLsn}'::pg_lsn"), "the standby to catch up");
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + CatchUpTimeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {CatchUpTimeout.TotalSeconds} s for {what}.");
            }
            await Task.Delay(20);
        }
    }

    private async Task<Server> StartAsync(TestCluster standby)
    {
        var app = WebApp.Build(new WebAppOptions(StoreLocation.Parse(fixture.Primary.ConnectionString), IPAddress.Loopback, 0,
            StoreLocation.Parse(standby.ConnectionString)));
        await app.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        client.DefaultRequestHeaders.Add("X-Api-Key", fixture.MonitorKey);
        return new Server(app, client, app.Services.GetRequiredService<StoreAccess>());
    }

    private static HttpRequestMessage Get(string url, long minSequence)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add(StoreAccess.MinSequenceHeader, minSequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return request;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    private static string ReportJson(string id) => $$"""
        {
          "id": "{{id}}",
          "time": { "at": "2025-03-28T10:20:00+03:00" },
          "location": { "lon": 36.2304, "lat": 49.9935, "precision": "settlement", "radius_km": 5, "place": "Kharkiv" },
          "act": "shelling_artillery_missile",
          "target": "energy.transmission",
          "perpetrator": "RU",
          "source": "Suspilne",
          "grade": "B2",
          "notes": "Posted while the standby's replay is paused."
        }
        """;

    private sealed record Server(WebApplication App, HttpClient Client, StoreAccess Access) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}

using Ceasefire.Incidents;
using Ceasefire.Storage;
using Ceasefire.Storage.Core;
using Ceasefire.Storage.Postgres;
using Ceasefire.Storage.Sqlite;
using Ceasefire.Tests.Support;
using Npgsql;

namespace Ceasefire.Tests.Storage;

/// <summary>
/// The contract on PostgreSQL with PostGIS, for real (<see cref="TestPostgres"/>): each test gets a database of its
/// own, created for it and dropped after it, so tests are isolated and may run in parallel. Plus what only
/// PostgreSQL shows: several processes writing at once, a backend killed mid-import, the PostGIS columns.
/// </summary>
public sealed class PostgresStoreContractTests : StoreContractTests
{
    private readonly string _database = $"cf_test_{Guid.NewGuid():N}";
    private string _connectionString = "";

    public override async Task InitializeAsync()
    {
        await using var admin = new NpgsqlConnection(TestPostgres.ConnectionString);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {_database}", admin);
        await create.ExecuteNonQueryAsync();
        _connectionString = new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { Database = _database }.ConnectionString;
    }

    public override async Task DisposeAsync()
    {
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { Pooling = false }.ConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    protected override async Task<IStore> OpenStoreAsync() => await PostgresStore.OpenAsync(_connectionString);

    protected override void Sql(string sql)
    {
        using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ConnectionString);
        conn.Open();
        using var cmd = new NpgsqlCommand(sql, conn);
        cmd.ExecuteNonQuery();
    }

    protected override string DropLogUpdateGuard => "DROP TRIGGER log_no_update ON log";

    private T Scalar<T>(string sql)
    {
        using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ConnectionString);
        conn.Open();
        using var cmd = new NpgsqlCommand(sql, conn);
        return (T)cmd.ExecuteScalar()!;
    }

    [Fact]
    public async Task Log_RefusesTruncate()
    {
        await using var store = await OpenStoreAsync();
        await store.ImportReportsAsync(Import(), Reports(3));
        var e = Assert.ThrowsAny<Exception>(() => Sql("TRUNCATE log CASCADE"));
        Assert.Contains("append-only", e.Message);
        Assert.Equal(2L, Scalar<long>("SELECT count(*) FROM log"));
    }

    [Fact]
    public async Task Verify_CompressedPayloadWithAByteFlipped_SaysWhichEntryBreaksTheChain()
    {
        await using var store = await OpenStoreAsync();
        await store.ImportReportsAsync(Import("a.csv"), Reports(10));
        await store.ImportReportsAsync(Import("b.csv"), Reports(20));
        Assert.Equal("deflate", Scalar<string>("SELECT encoding FROM log WHERE seq = 3"));
        Sql(DropLogUpdateGuard);
        Sql("UPDATE log SET data = set_byte(data, length(data) / 2, get_byte(data, length(data) / 2) # 90) WHERE seq = 3");
        var result = await store.VerifyAsync();
        Assert.False(result.Intact);
        Assert.Equal(3, result.BrokenAt);
        Assert.Contains("entry 3", result.Reason);
    }

    [Fact]
    public async Task Log_IsByteForByteWhatSqliteWrites()
    {
        // The same reports, documents and findings into both stores: every entry's stored payload, encoding and hash
        // form are the same bytes (ids and times differ, so hashes do), and the read models hold the same report rows.
        var dir = Directory.CreateTempSubdirectory("ceasefire-pg-vs-sqlite-").FullName;
        try
        {
            await using var pg = await OpenStoreAsync();
            await using var sqlite = await SqliteStore.OpenAsync(Path.Combine(dir, "s.db"));
            foreach (var store in new IStore[] { pg, sqlite })
            {
                await store.ImportReportsAsync(Import("a.csv"), Reports(2_500));
                var edited = Reports(2_500);
                edited[1_234] = Reports(2_500, notes: "edited")[1_234];
                await store.ImportReportsAsync(Import("b.csv"), edited);
                await store.AddAgreementAsync("a", 1, "a.yaml", "agreement: a", "test");
                await store.RecordFindingsAsync("a", [1], Enumerable.Range(0, 1_500).Select(i => new StoredFinding($"acled:E{i}", 1, "a", 1, "o1", "p1", "RU", "violation", 0.5, "", "", new string('x', 80))).ToList(), "test");
            }
            var pgLog = await pg.ReadLogAsync().ToListAsync();
            var sqliteLog = await sqlite.ReadLogAsync().ToListAsync();
            Assert.Equal(sqliteLog.Select(e => (e.Sequence, e.Stream, e.Version, e.Type, e.Data, e.Form)), pgLog.Select(e => (e.Sequence, e.Stream, e.Version, e.Type, e.Data, e.Form)));
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            using var s = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dir, "s.db")};Pooling=False");
            s.Open();
            using var sc = s.CreateCommand();
            sc.CommandText = "SELECT seq, data, encoding, hash_form FROM log ORDER BY seq";
            using var sr = sc.ExecuteReader();
            await using var p = new NpgsqlConnection(_connectionString);
            await p.OpenAsync();
            await using var pc = new NpgsqlCommand("SELECT seq, data, encoding, hash_form FROM log ORDER BY seq", p);
            await using var pr = await pc.ExecuteReaderAsync();
            var compared = 0;
            while (sr.Read())
            {
                Assert.True(await pr.ReadAsync());
                Assert.Equal(sr.GetInt64(0), pr.GetInt64(0));
                Assert.Equal(sr.GetFieldValue<byte[]>(1), pr.GetFieldValue<byte[]>(1));
                Assert.Equal(sr.GetString(2), pr.GetString(2));
                Assert.Equal(sr.GetInt32(3), pr.GetInt32(3));
                compared++;
            }
            Assert.False(await pr.ReadAsync());
            Assert.Equal(pgLog.Count, compared);
            var pgReports = await pg.QueryReportsAsync(new ReportQuery(Limit: 10_000));
            var sqliteReports = await sqlite.QueryReportsAsync(new ReportQuery(Limit: 10_000));
            Assert.Equal(sqliteReports.Select(r => (r.Key, r.Version, r.ContentHash, r.LogSequence)), pgReports.Select(r => (r.Key, r.Version, r.ContentHash, r.LogSequence)));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Reports_CarryTheirPointAndThePlaceAndTimeIndexesAnswer()
    {
        await using var store = await OpenStoreAsync();
        await store.ImportReportsAsync(Import(), Reports(3_000)); // a bulk load: indexes dropped and built again
        await store.RecordIncidentsAsync(new IncidentSnapshot([new("inc:1", "acled:E1", ["acled:E1"], false, ["RU"], 1, 2, 30.5, 48.25, 0, "air_drone_strike", "unknown", "C3", 0.5, null, "{}")], [], []), "test");
        Assert.Equal(3_000L, Scalar<long>("SELECT count(*) FROM reports WHERE ST_SRID(geom) = 4326 AND ST_X(geom) = lon AND ST_Y(geom) = lat"));
        Assert.Equal(1L, Scalar<long>("SELECT count(*) FROM incidents WHERE ST_Equals(geom, ST_SetSRID(ST_MakePoint(30.5, 48.25), 4326))"));
        foreach (var index in new[] { "reports_key", "reports_time", "reports_geom", "incidents_geom_time" })
        {
            Assert.Equal(1L, Scalar<long>($"SELECT count(*) FROM pg_indexes WHERE indexname = '{index}'"));
        }
        // Reports E1..E100 lie between lon 30.001 and 30.1, a minute apart from 20 March 00:01.
        var from = Build.Utc(3, 20).AddMinutes(1).UtcTicks;
        var to = Build.Utc(3, 20).AddMinutes(50).UtcTicks;
        Assert.Equal(50L, Scalar<long>($"SELECT count(*) FROM reports WHERE geom && ST_MakeEnvelope(30, 47, 30.1, 49, 4326) AND earliest BETWEEN {from} AND {to}"));
        using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false }.ConnectionString);
        conn.Open();
        using (var off = new NpgsqlCommand("SET enable_seqscan = off", conn))
        {
            off.ExecuteNonQuery();
        }
        Assert.Contains(Plan($"SELECT count(*) FROM reports WHERE geom && ST_MakeEnvelope(30, 47, 30.1, 49, 4326) AND earliest BETWEEN {from} AND {to}"),
            l => l.Contains("reports_geom", StringComparison.Ordinal));
        // The map's query, on incidents: place and time in one index scan (btree_gist).
        Assert.Contains(Plan("SELECT count(*) FROM incidents WHERE geom && ST_MakeEnvelope(30, 48, 31, 49, 4326) AND earliest BETWEEN 0 AND 5"),
            l => l.Contains("incidents_geom_time", StringComparison.Ordinal));

        List<string> Plan(string sql)
        {
            using var explain = new NpgsqlCommand("EXPLAIN " + sql, conn);
            using var plan = explain.ExecuteReader();
            var lines = new List<string>();
            while (plan.Read())
            {
                lines.Add(plan.GetString(0));
            }
            return lines;
        }
    }

    [Fact]
    public async Task Writers_InSeveralProcessesAtOnce_KeepTheLogGaplessAndTheChainLinear()
    {
        // Four stores (as four processes would: each its own pool) append, record documents and import at once.
        var stores = new List<PostgresStore>();
        for (var i = 0; i < 4; i++)
        {
            stores.Add(await PostgresStore.OpenAsync(_connectionString));
        }
        try
        {
            var work = new List<Task>();
            for (var w = 0; w < 3; w++)
            {
                var store = stores[w];
                var writer = w;
                work.Add(Task.Run(async () =>
                {
                    for (var n = 0; n < 30; n++)
                    {
                        await store.AppendAsync($"complaint:W{writer}", LogEntryTypes.ComplaintEvent, $"{{\"n\":{n}}}", $"writer-{writer}");
                        await store.AppendAsync("decisions", LogEntryTypes.IncidentDecided, $"{{\"w\":{writer},\"n\":{n}}}", $"writer-{writer}");
                        if (n % 10 == 0)
                        {
                            await store.AddDocumentAsync("sources", $"s{writer}-{n}.yaml", "sources: []", $"writer-{writer}");
                        }
                    }
                }));
            }
            work.Add(Task.Run(async () =>
            {
                await stores[3].ImportReportsAsync(Import("a.csv"), Reports(5_000));
                await stores[3].ImportReportsAsync(new ReportImport("ucdp", "u.csv", "test"), Reports(2_000));
            }));
            await Task.WhenAll(work);
            var log = await stores[0].ReadLogAsync().ToListAsync();
            var expected = (3 * (60 + 3)) + (5 + 1) + (2 + 1);
            Assert.Equal(expected, log.Count);
            Assert.Equal(Enumerable.Range(1, expected).Select(i => (long)i), log.Select(e => e.Sequence));
            Assert.Equal(Enumerable.Range(1, 90).Select(i => (long)i), log.Where(e => e.Stream == "decisions").Select(e => e.Version));
            Assert.Equal(new ChainVerification(expected, null, null), await stores[1].VerifyAsync());
            Assert.Equal(3 * 30, (await stores[2].ReadStreamsAsync("complaint:").ToListAsync()).Count);
            Assert.Equal(7_000, (await stores[2].QueryReportsAsync(new ReportQuery(Limit: 10_000))).Count);
            Assert.True((await stores[0].RebuildAsync()).Identical);
        }
        finally
        {
            foreach (var s in stores)
            {
                await s.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Import_TwoBulkLoadsAtOnceWithARebuild_TakeTurns()
    {
        // Each would drop and rebuild the report indexes: without taking turns, one would deadlock the other.
        await using var a = await PostgresStore.OpenAsync(_connectionString);
        await using var b = await PostgresStore.OpenAsync(_connectionString);
        await using var c = await PostgresStore.OpenAsync(_connectionString);
        var results = await Task.WhenAll(
            Task.Run(() => a.ImportReportsAsync(new ReportImport("acled", "a.csv", "test"), Reports(4_000))),
            Task.Run(() => b.ImportReportsAsync(new ReportImport("ucdp", "u.csv", "test"), Reports(3_000))),
            Task.Run(async () => { await c.RebuildAsync(); return new ImportSummary(0, 0, 0, 0, 0, 0); }));
        Assert.Equal((4_000L, 3_000L), (results[0].Added, results[1].Added));
        Assert.Equal(7_000, (await c.QueryReportsAsync(new ReportQuery(Limit: 10_000))).Count);
        Assert.True((await c.VerifyAsync()).Intact);
        Assert.True((await c.RebuildAsync()).Identical);
    }

    [Fact]
    public async Task Append_TwoWritersExpectingTheSameVersion_OneWinsTheOtherIsTold()
    {
        await using var a = await PostgresStore.OpenAsync(_connectionString);
        await using var b = await PostgresStore.OpenAsync(_connectionString);
        for (var round = 0; round < 10; round++)
        {
            var stream = $"complaint:R{round}";
            var results = await Task.WhenAll(new[] { a, b }.Select(s => Task.Run(async () =>
            {
                try
                {
                    await s.AppendAsync(stream, LogEntryTypes.ComplaintEvent, "{}", "x", expectedVersion: 0);
                    return true;
                }
                catch (StreamConcurrencyException e)
                {
                    Assert.Equal((0, 1), (e.Expected, e.Actual));
                    return false;
                }
            })));
            Assert.Equal(1, results.Count(ok => ok));
            Assert.Single(await a.ReadStreamsAsync(stream).ToListAsync());
        }
        Assert.True((await a.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Open_SeveralProcessesAtOnceOnANewDatabase_MigrateOnce()
    {
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => PostgresStore.OpenAsync(_connectionString))));
        foreach (var s in stores)
        {
            await s.DisposeAsync();
        }
        Assert.Equal(1L, Scalar<long>("SELECT count(*) FROM schema_version"));
    }

    [Fact]
    public async Task Import_WhoseServerProcessIsKilledMidway_LeavesNothingBehind()
    {
        await using (var store = await OpenStoreAsync())
        {
            await store.ImportReportsAsync(Import("first.csv"), Reports(5));
            IEnumerable<Incident> KilledAt(int row)
            {
                foreach (var r in Reports(30_000))
                {
                    if (r.Id.Value == $"E{row}")
                    {
                        // As kill -9 of the importing process would: its server connection goes away mid-transaction.
                        Sql($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{_database}' AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL");
                    }
                    yield return r;
                }
            }
            await Assert.ThrowsAnyAsync<Exception>(() => store.ImportReportsAsync(Import("second.csv"), KilledAt(20_000)));
        }
        NpgsqlConnection.ClearAllPools();
        await using (var store = await OpenStoreAsync())
        {
            Assert.Equal(5, (await store.QueryReportsAsync(new ReportQuery(Limit: 100_000))).Count);
            Assert.Equal(2, await store.LastSequenceAsync());
            Assert.True((await store.VerifyAsync()).Intact);
            Assert.Equal(29_995, (await store.ImportReportsAsync(Import("second.csv"), Reports(30_000))).Added);
            Assert.True((await store.VerifyAsync()).Intact);
        }
    }
}

using System.Diagnostics;
using Ceasefire.Incidents;
using Ceasefire.Storage;
using Ceasefire.Storage.Sqlite;
using Ceasefire.Time;
using static Ceasefire.Tests.Support.Build;

namespace Ceasefire.Tests.Storage;

/// <summary>The contract on the embedded SQLite store, plus what only SQLite's own tool can show.</summary>
public sealed class SqliteStoreTests : StoreContractTests
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ceasefire-store-").FullName;

    private string DbPath => Path.Combine(_dir, "test.db");

    protected override async Task<IStore> OpenStoreAsync() => await SqliteStore.OpenAsync(DbPath);

    protected override void Sql(string sql) => Sqlite(DbPath, sql);

    protected override string DropLogUpdateGuard => "DROP TRIGGER log_no_update";

    public override Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Verify_EntryEditedWithTheSqlite3Tool_SaysWhichEntryBreaksTheChain()
    {
        await using (var store = await OpenStoreAsync())
        {
            await store.ImportReportsAsync(Import("a.csv"), Reports(10));
            await store.ImportReportsAsync(Import("b.csv"), Reports(20));
            Assert.True((await store.VerifyAsync()).Intact);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        // Behind the system's back: take an entry's payload out (it is stored compressed), edit it, put it back with
        // the sqlite3 tool after dropping the guard.
        var (stored, encoding) = ReadPayload(DbPath, 3);
        Assert.Equal("deflate", encoding);
        var json = System.Text.Encoding.UTF8.GetString(Inflate(stored));
        Assert.Contains("substation", json);
        var edited = Path.Combine(_dir, "edited.bin");
        File.WriteAllBytes(edited, Deflate(System.Text.Encoding.UTF8.GetBytes(json.Replace("substation", "power line", StringComparison.Ordinal))));
        Sqlite3(DbPath, $"DROP TRIGGER log_no_update; UPDATE log SET data = readfile('{edited}') WHERE seq = 3;");
        await using (var store = await OpenStoreAsync())
        {
            var result = await store.VerifyAsync();
            Assert.False(result.Intact);
            Assert.Equal(3, result.BrokenAt);
            Assert.Contains("entry 3", result.Reason);
            Assert.Contains("was changed", result.Reason);
        }
    }

    [Fact]
    public async Task Verify_CompressedPayloadWithAByteFlipped_SaysWhichEntryBreaksTheChain()
    {
        await using (var store = await OpenStoreAsync())
        {
            await store.ImportReportsAsync(Import("a.csv"), Reports(10));
            await store.ImportReportsAsync(Import("b.csv"), Reports(20));
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var (stored, _) = ReadPayload(DbPath, 3);
        stored[stored.Length / 2] ^= 0x5A;
        var edited = Path.Combine(_dir, "flipped.bin");
        File.WriteAllBytes(edited, stored);
        Sqlite3(DbPath, $"DROP TRIGGER log_no_update; UPDATE log SET data = readfile('{edited}') WHERE seq = 3;");
        await using (var store = await OpenStoreAsync())
        {
            var result = await store.VerifyAsync();
            Assert.False(result.Intact);
            Assert.Equal(3, result.BrokenAt);
            Assert.Contains("entry 3", result.Reason);
        }
    }

    [Fact]
    public async Task LargePayloads_AreStoredCompressed_SmallOnesAsTheirJson()
    {
        await using (var store = await OpenStoreAsync())
        {
            await store.ImportReportsAsync(Import("a.csv"), Reports(10));
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var (reports, reportsEncoding) = ReadPayload(DbPath, 1);
        var (completed, completedEncoding) = ReadPayload(DbPath, 2);
        Assert.Equal("deflate", reportsEncoding);
        Assert.StartsWith("{\"dataset\":", System.Text.Encoding.UTF8.GetString(Inflate(reports)));
        Assert.Equal("identity", completedEncoding);
        Assert.StartsWith("{", System.Text.Encoding.UTF8.GetString(completed));
    }

    [Fact]
    public async Task StoreWrittenByTheFirstSchema_IsMigratedAndItsFormOneChainStillVerifies()
    {
        // A store as the first release wrote it: schema 1, payloads as plain JSON, hashes of form 1, the content
        // hash beside each report in the payload.
        var report = Reports(1)[0];
        var reportJson = System.Text.Encoding.UTF8.GetString(IncidentJson.ToUtf8(report));
        var contentHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(IncidentJson.ToUtf8(report)));
        var prefix = "{\"dataset\":\"acled\",\"file\":\"a.csv\",\"reports\":[{\"key\":\"acled:E1\",\"version\":1,\"content_hash\":\"" + contentHash + "\",\"report\":";
        var payload = prefix + reportJson + "}]}";
        var at = new DateTimeOffset(2025, 3, 20, 8, 0, 0, TimeSpan.Zero);
        var entry = new LogEntry(1, Guid.NewGuid(), "dataset:acled", 1, LogEntryTypes.ReportsReceived, payload, at, "import", LogHash.Genesis, "", Form: 1);
        var hash = LogHash.Compute(entry);
        using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1);" + Migrations.All[0] + """
                ;INSERT INTO log (seq, id, stream, version, type, data, recorded_at, author, prev_hash, hash)
                 VALUES (1, $id, 'dataset:acled', 1, 'reports.received', $data, $at, 'import', $prev, $hash);
                INSERT INTO reports VALUES ('acled:E1', 1, $ch, 'acled', 1, $t, $t, $lon, $lat, $act, $perp, $place, $off, $len, 1);
                """;
            cmd.Parameters.AddWithValue("$id", entry.Id.ToString("D"));
            cmd.Parameters.AddWithValue("$data", System.Text.Encoding.UTF8.GetBytes(payload));
            cmd.Parameters.AddWithValue("$at", LogHash.FormatTime(at));
            cmd.Parameters.AddWithValue("$prev", LogHash.Genesis);
            cmd.Parameters.AddWithValue("$hash", hash);
            cmd.Parameters.AddWithValue("$ch", contentHash);
            cmd.Parameters.AddWithValue("$t", report.Time.Earliest.UtcTicks);
            cmd.Parameters.AddWithValue("$lon", report.Location.Longitude);
            cmd.Parameters.AddWithValue("$lat", report.Location.Latitude);
            cmd.Parameters.AddWithValue("$act", report.Act.Code);
            cmd.Parameters.AddWithValue("$perp", (object?)report.Perpetrator?.Value ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$place", (object?)report.Location.PlaceName ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$off", System.Text.Encoding.UTF8.GetByteCount(prefix));
            cmd.Parameters.AddWithValue("$len", System.Text.Encoding.UTF8.GetByteCount(reportJson));
            cmd.ExecuteNonQuery();
        }
        await using var store = await OpenStoreAsync();
        Assert.True((await store.VerifyAsync()).Intact);
        Assert.Equal("substation", Assert.Single(await store.QueryReportsAsync(new ReportQuery())).Report.Notes);
        // New entries continue the chain in form 2, and an edited row still becomes version 2.
        var edited = Reports(1, notes: "power line");
        Assert.Equal(1, (await store.ImportReportsAsync(Import("b.csv"), edited)).Changed);
        var log = await store.ReadLogAsync().ToListAsync();
        Assert.Equal([1, 2, 2], log.Select(e => e.Form));
        Assert.True((await store.VerifyAsync()).Intact);
        Assert.True((await store.RebuildAsync()).Identical);
    }

    private static (byte[] Stored, string Encoding) ReadPayload(string db, long seq)
    {
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT data, encoding FROM log WHERE seq = {seq}";
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        return (r.GetFieldValue<byte[]>(0), r.GetString(1));
    }

    private static byte[] Inflate(byte[] stored)
    {
        using var z = new System.IO.Compression.DeflateStream(new MemoryStream(stored), System.IO.Compression.CompressionMode.Decompress);
        using var o = new MemoryStream();
        z.CopyTo(o);
        return o.ToArray();
    }

    private static byte[] Deflate(byte[] json)
    {
        using var o = new MemoryStream();
        using (var z = new System.IO.Compression.DeflateStream(o, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(json);
        }
        return o.ToArray();
    }

    private static void Sqlite(string db, string sql)
    {
        using var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={db};Pooling=False");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static void Sqlite3(string db, string sql)
    {
        var start = new ProcessStartInfo("sqlite3") { RedirectStandardError = true };
        start.ArgumentList.Add(db);
        start.ArgumentList.Add(sql);
        using var p = Process.Start(start) ?? throw new InvalidOperationException("sqlite3 did not start");
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, "sqlite3: " + err);
    }
}

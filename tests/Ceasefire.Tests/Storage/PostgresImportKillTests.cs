using System.Diagnostics;
using System.Text;
using Ceasefire.Storage.Postgres;
using Ceasefire.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace Ceasefire.Tests.Storage;

/// <summary>
/// <c>ceasefire import</c> into PostgreSQL killed (SIGKILL) while it copies rows in (issue 6, item 5): the server rolls
/// the transaction back, the store is exactly as before, no session lingers holding locks, and the same import run
/// again completes.
/// </summary>
public sealed class PostgresImportKillTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Rows = 200_000;

    private readonly string _dir = Directory.CreateTempSubdirectory("ceasefire-pg-kill-").FullName;
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Import_ClientKilledMidCopy_LeavesTheStoreAsItWasAndNoLocks_AndRunningItAgainCompletes()
    {
        var seed = Path.Combine(_dir, "seed.csv");
        await File.WriteAllTextAsync(seed, Csv("S", 10));
        var seeded = await CeasefireCli.RunAsync("import", seed, "--format", "acled", "--store", _db.Uri);
        Assert.True(seeded.Code == 0, seeded.Output);
        var big = Path.Combine(_dir, "big.csv");
        await File.WriteAllTextAsync(big, Csv("K", Rows));

        string digestBefore;
        await using (var store = await PostgresStore.OpenAsync(_db.ConnectionString))
        {
            digestBefore = await store.ReadModelDigestAsync();
        }
        NpgsqlConnection.ClearAllPools();
        var before = await StateAsync();

        // Start the import and kill the client once its session is copying rows in.
        var clock = Stopwatch.StartNew();
        using (var import = Process.Start(CeasefireCli.StartInfo("import", big, "--format", "acled", "--store", _db.Uri))!)
        {
            var drain = Task.WhenAll(import.StandardOutput.ReadToEndAsync(), import.StandardError.ReadToEndAsync());
            var copying = false;
            while (!copying && !import.HasExited && clock.Elapsed < TimeSpan.FromSeconds(120))
            {
                copying = await ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND ltrim(query) ILIKE 'COPY%'") > 0;
                await Task.Delay(copying ? 0 : 20);
            }
            Assert.True(copying, "the import was never seen copying: " + string.Concat(import.HasExited ? await drain : []));
            await Task.Delay(300); // well into the copy
            Assert.False(import.HasExited, "the import finished before it could be killed: make the file larger");
            output.WriteLine($"killed {clock.ElapsedMilliseconds} ms after the import started");
            import.Kill();
            await import.WaitForExitAsync();
            await drain;
        }

        // The server notices the dropped connection and rolls back; nothing of the import's session stays (its locks,
        // the import's advisory lock among them, are all in this database).
        clock.Restart();
        long sessions, locks;
        do
        {
            await Task.Delay(50);
            sessions = await ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
            locks = await ScalarAsync("SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE d.datname = current_database() AND l.pid <> pg_backend_pid()");
        }
        while ((sessions > 0 || locks > 0) && clock.Elapsed < TimeSpan.FromSeconds(10));
        output.WriteLine($"session gone after {clock.ElapsedMilliseconds} ms");
        Assert.Equal((0L, 0L), (sessions, locks));

        Assert.Equal(before, await StateAsync());
        await using (var store = await PostgresStore.OpenAsync(_db.ConnectionString))
        {
            Assert.Equal(digestBefore, await store.ReadModelDigestAsync());
            var verified = await store.VerifyAsync();
            Assert.True(verified.Intact, verified.Reason);
        }
        NpgsqlConnection.ClearAllPools();

        clock.Restart();
        var redo = await CeasefireCli.RunAsync("import", big, "--format", "acled", "--store", _db.Uri);
        output.WriteLine($"the import run again took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.True(redo.Code == 0, redo.Output);
        Assert.Contains($"{Rows} read, {Rows} new", redo.Output);
        var after = await StateAsync();
        Assert.Equal(before.Reports + Rows, after.Reports);
        Assert.Equal(before.Entries + Rows / 1_000 + 1, after.Entries); // an entry per 1,000 reports, then import.completed
        Assert.Equal(after.Entries, after.LastSequence);
        Assert.Equal(before.Indexes, after.Indexes);
        await using (var store = await PostgresStore.OpenAsync(_db.ConnectionString))
        {
            var verified = await store.VerifyAsync();
            Assert.True(verified.Intact, verified.Reason);
        }
    }

    private static string Csv(string prefix, int rows)
    {
        var sb = new StringBuilder("event_id_cnty,event_date,sub_event_type,actor1,latitude,longitude,notes\n");
        for (var i = 0; i < rows; i++)
        {
            sb.Append($"{prefix}{i},2025-03-{1 + i % 28:00},Air/drone strike,Military Forces of Russia (2000-),{45 + i % 700 * 0.01:0.00},{30 + i % 900 * 0.01:0.00},\"transformer substation, row {i}\"\n");
        }
        return sb.ToString();
    }

    private sealed record State(long Entries, long LastSequence, string LastHash, long Reports, string Indexes);

    private async Task<State> StateAsync() => new(
        await ScalarAsync("SELECT count(*) FROM log"),
        await ScalarAsync("SELECT coalesce(max(seq), 0) FROM log"),
        await TextAsync("SELECT hash FROM log ORDER BY seq DESC LIMIT 1"),
        await ScalarAsync("SELECT count(*) FROM reports"),
        await TextAsync("SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'reports'"));

    private async Task<long> ScalarAsync(string sql) => Convert.ToInt64(await QueryAsync(sql), System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string> TextAsync(string sql) => (string)(await QueryAsync(sql))!;

    private async Task<object?> QueryAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }
}

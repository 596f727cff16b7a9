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
        // Behind the system's back: drop the guard and rewrite an entry's payload.
        Sqlite3(DbPath, "DROP TRIGGER log_no_update; UPDATE log SET data = replace(data, 'substation', 'power line') WHERE seq = 3;");
        await using (var store = await OpenStoreAsync())
        {
            var result = await store.VerifyAsync();
            Assert.False(result.Intact);
            Assert.Equal(3, result.BrokenAt);
            Assert.Contains("entry 3", result.Reason);
            Assert.Contains("was changed", result.Reason);
        }
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

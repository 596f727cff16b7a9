using System.Diagnostics;
using Ceasefire.Storage;
using Ceasefire.Storage.Sqlite;
using Ceasefire.Web;

namespace Ceasefire.Tests.Web;

/// <summary><c>ceasefire user add</c> and <c>ceasefire apikey add</c>, run as an administrator runs them.</summary>
public sealed class AccountCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ceasefire-accounts-").FullName;

    private string Db => Path.Combine(_dir, "store.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task UserAndKey_AreCreatedWithHashesOnly_AndBadInputIsRefused()
    {
        var add = Run("correct horse battery\n", "user", "add", "alice", "--role", "analyst", "--password-stdin", "--store", Db);
        Assert.True(add.Code == 0, add.Output);
        Assert.Equal(2, Run("correct horse battery\n", "user", "add", "alice", "--role", "analyst", "--password-stdin", "--store", Db).Code);
        Assert.Contains("at least 12", Run("short\n", "user", "add", "bob", "--role", "monitor", "--password-stdin", "--store", Db).Output);
        Assert.Contains("--party", Run("a long enough password\n", "user", "add", "olena", "--role", "liaison", "--password-stdin", "--store", Db).Output);
        var key = Run("", "apikey", "add", "field team 3", "--role", "monitor", "--store", Db);
        Assert.True(key.Code == 0, key.Output);
        var printed = key.Output.Split('\n').Single(l => l.StartsWith("cfm_", StringComparison.Ordinal)).Trim();

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var store = await SqliteStore.OpenAsync(Db);
        var alice = await store.AccountAsync("alice");
        Assert.NotNull(alice);
        Assert.Equal(Role.Analyst, alice.Role);
        Assert.DoesNotContain("correct horse", alice.PasswordHash, StringComparison.Ordinal);
        Assert.True(Credentials.Verify(alice, "correct horse battery"));
        Assert.False(Credentials.Verify(alice, "correct horse batterY"));
        var record = await store.ApiKeyAsync(Credentials.HashKey(printed));
        Assert.Equal(("field team 3", Role.Monitor), (record!.Name, record.Role));
        // The log knows nothing of accounts.
        Assert.Empty(await store.ReadLogAsync().ToListAsync());
    }

    private static (int Code, string Output) Run(string stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ceasefire.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}

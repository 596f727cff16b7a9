using System.Diagnostics;
using Npgsql;

namespace Ceasefire.Tests.Support;

/// <summary>
/// A PostgreSQL cluster of a test's own (<c>scripts/postgres.sh</c> with a directory of its own), for tests that stop
/// and start the server: the shared test cluster (<see cref="TestPostgres"/>) is never disturbed. Deleted on disposal.
/// </summary>
internal sealed class PrivateCluster : IAsyncDisposable
{
    // Directly under /tmp: run as root, the script hands the directory to the postgres user, who must reach it.
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"ceasefire-pg-{Guid.NewGuid():N}");

    private PrivateCluster()
    {
    }

    /// <summary>An Npgsql connection string to the cluster's <c>ceasefire</c> database (PostGIS created).</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The same as a <c>postgres://</c> URI, as a user gives it to <c>--store</c>.</summary>
    public string Uri
    {
        get
        {
            var b = new NpgsqlConnectionStringBuilder(ConnectionString);
            return $"postgres://{b.Username}@{b.Host}:{b.Port}/{b.Database}";
        }
    }

    public static async Task<PrivateCluster> StartAsync()
    {
        var cluster = new PrivateCluster();
        try
        {
            cluster.ConnectionString = await cluster.ScriptAsync("start");
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
        return cluster;
    }

    /// <summary>Stops the server (fast shutdown: sessions are ended) and keeps its data and port.</summary>
    public Task HaltAsync() => ScriptAsync("halt");

    /// <summary>Starts the halted server again on the same port.</summary>
    public async Task ResumeAsync() => Assert.Equal(ConnectionString, await ScriptAsync("resume"));

    public async ValueTask DisposeAsync() => await ScriptAsync("stop");

    private async Task<string> ScriptAsync(string command)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(Repo.Root, "scripts", "postgres.sh"));
        start.ArgumentList.Add(command);
        start.Environment["CEASEFIRE_PG_DIR"] = _dir;
        start.Environment["CEASEFIRE_PG_SHARED_BUFFERS"] = "128MB";
        start.Environment.Remove("CEASEFIRE_PG_PORT");
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"postgres.sh {command} failed: {await stderr}");
        return (await stdout).Trim();
    }
}

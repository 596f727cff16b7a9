using System.Diagnostics;

namespace Ceasefire.Tests.Support;

/// <summary>
/// A private PostgreSQL cluster of the test's own, made and removed with <c>scripts/postgres.sh</c>: a primary
/// (<see cref="StartAsync"/>) or a hot standby of one (<see cref="StandbyOfAsync"/>). For tests that stop, pause or
/// restart a server, which they must not do to the shared cluster of <see cref="TestPostgres"/>.
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private TestCluster(string directory, string connectionString)
    {
        Directory = directory;
        ConnectionString = connectionString;
    }

    /// <summary>The cluster's directory (<c>CEASEFIRE_PG_DIR</c>).</summary>
    public string Directory { get; }

    /// <summary>An Npgsql connection string to its <c>ceasefire</c> database.</summary>
    public string ConnectionString { get; }

    /// <summary>Whether <see cref="StopAsync"/> has run.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Creates and starts a cluster in <paramref name="directory"/> (which must not exist yet, or be the script's).</summary>
    public static async Task<TestCluster> StartAsync(string directory) =>
        new(directory, await RunAsync("start", directory, null));

    /// <summary>Makes <paramref name="directory"/> a hot standby of <paramref name="primary"/> and starts it.</summary>
    public static async Task<TestCluster> StandbyOfAsync(TestCluster primary, string directory) =>
        new(directory, await RunAsync("standby", directory, primary.Directory));

    /// <summary>Stops the server and deletes its directory (a standby's slot on the primary is dropped).</summary>
    public async Task StopAsync()
    {
        if (!Stopped)
        {
            Stopped = true;
            await RunAsync("stop", Directory, null);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static async Task<string> RunAsync(string command, string directory, string? primaryDirectory)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(Repo.Root, "scripts", "postgres.sh"));
        start.ArgumentList.Add(command);
        start.Environment["CEASEFIRE_PG_DIR"] = directory;
        start.Environment.Remove("CEASEFIRE_PG_PORT"); // a port pinned for the shared cluster must not be taken twice
        // Small: a primary and its standbys share the machine with the tests (the script's default is 2GB each).
        start.Environment["CEASEFIRE_PG_SHARED_BUFFERS"] = "128MB";
        if (primaryDirectory is null)
        {
            start.Environment.Remove("CEASEFIRE_PG_PRIMARY_DIR");
        }
        else
        {
            start.Environment["CEASEFIRE_PG_PRIMARY_DIR"] = primaryDirectory;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/postgres.sh {command} ({directory}) exited with {process.ExitCode}:\n{await stderr}");
        }
        return (await stdout).Trim();
    }
}

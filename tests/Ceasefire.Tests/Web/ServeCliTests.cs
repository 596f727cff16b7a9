using System.Diagnostics;

namespace Ceasefire.Tests.Web;

/// <summary><c>ceasefire serve</c> as a user runs it: it listens on 127.0.0.1 and stops on SIGTERM or Ctrl+C.</summary>
public sealed class ServeCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ceasefire-serve-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Serve_ListensOnLoopback_AndStopsOnTheSignal(string signal)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "ceasefire.dll"), "serve", "--port", "0", "--store", Path.Combine(_dir, "store.db") })
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        try
        {
            string? url = null;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (url is null && DateTime.UtcNow < deadline)
            {
                var line = await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
                Assert.NotNull(line);
                var at = line.IndexOf("http://", StringComparison.Ordinal);
                if (at >= 0)
                {
                    url = line[at..].Split(' ')[0];
                }
            }
            Assert.NotNull(url);
            Assert.StartsWith("http://127.0.0.1:", url);
            using var http = new HttpClient();
            Assert.Contains("\"status\":\"ok\"", await http.GetStringAsync(url + "/api/health"));

            using (var kill = Process.Start("kill", ["-" + signal, p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            var rest = p.StandardOutput.ReadToEndAsync();
            Assert.True(p.WaitForExit(TimeSpan.FromSeconds(30)), $"serve did not stop on SIG{signal}");
            Assert.Equal(0, p.ExitCode);
            Assert.Contains("Stopped.", await rest);
        }
        finally
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
            }
        }
    }
}

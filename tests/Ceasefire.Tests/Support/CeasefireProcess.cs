using System.Diagnostics;
using System.Text;

namespace Ceasefire.Tests.Support;

/// <summary>The real <c>ceasefire</c> program (the build's <c>ceasefire.dll</c>) in a child process, as a user runs it.</summary>
internal static class CeasefireCli
{
    public static ProcessStartInfo StartInfo(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ceasefire.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        return start;
    }

    public static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        var (code, stdout, stderr) = await RunSplitAsync(args);
        return (code, stdout + stderr);
    }

    /// <summary>Runs the program; its exit code, standard output and standard error apart (figures printed as JSON on standard output).</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunSplitAsync(params string[] args)
    {
        using var p = Process.Start(StartInfo(args))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>Creates an API key with <c>ceasefire apikey add</c> and returns it (the printed <c>cfm_</c> line).</summary>
    public static async Task<string> AddApiKeyAsync(string store, string name, string role)
    {
        var (code, output) = await RunAsync("apikey", "add", name, "--role", role, "--store", store);
        Assert.True(code == 0, output);
        return output.Split('\n').Single(l => l.StartsWith("cfm_", StringComparison.Ordinal)).Trim();
    }

    /// <summary>Sends <paramref name="signal"/> (TERM, KILL, ...) to a process.</summary>
    public static async Task SignalAsync(Process process, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }
}

/// <summary>
/// <c>ceasefire serve --store STORE --port 0</c> in a child process: started, its address read from what it prints,
/// stopped with SIGTERM (killed on disposal if it is still running).
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly Task _drain;

    private ServerProcess(Process process, Uri address, Task drain, StringBuilder output)
    {
        _process = process;
        Address = address;
        _drain = drain;
        _output = output;
    }

    public Uri Address { get; }

    /// <summary>Everything the server printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<ServerProcess> StartAsync(string store)
    {
        var process = Process.Start(CeasefireCli.StartInfo("serve", "--store", store, "--port", "0"))!;
        var output = new StringBuilder();
        var stderr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        });
        try
        {
            Uri? address = null;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            while (address is null)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is null)
                {
                    await stderr;
                    throw new InvalidOperationException($"ceasefire serve exited ({(process.HasExited ? process.ExitCode : -1)}): {output}");
                }
                lock (output)
                {
                    output.AppendLine(line);
                }
                var at = line.IndexOf("http://", StringComparison.Ordinal);
                if (at >= 0)
                {
                    address = new Uri(line[at..].Split(' ')[0]);
                }
            }
            var stdout = Task.Run(async () =>
            {
                while (await process.StandardOutput.ReadLineAsync() is { } line)
                {
                    lock (output)
                    {
                        output.AppendLine(line);
                    }
                }
            });
            return new ServerProcess(process, address, Task.WhenAll(stdout, stderr), output);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>A client of this server, with <paramref name="apiKey"/> when given.</summary>
    public HttpClient Client(string? apiKey = null, TimeSpan? timeout = null)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = timeout ?? TimeSpan.FromSeconds(100) };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }
        return client;
    }

    /// <summary>Waits until <c>/api/health</c> answers 200.</summary>
    public async Task WaitHealthyAsync()
    {
        using var client = Client(timeout: TimeSpan.FromSeconds(10));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var response = await client.GetAsync("/api/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            Assert.True(DateTime.UtcNow < deadline, "the server never became healthy: " + Output);
            await Task.Delay(100);
        }
    }

    /// <summary>Stops the server with SIGTERM and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await CeasefireCli.SignalAsync(_process, "TERM");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        await _drain;
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

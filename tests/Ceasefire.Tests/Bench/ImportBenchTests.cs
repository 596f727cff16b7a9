using System.Globalization;
using System.Text;
using System.Text.Json;
using Ceasefire.Tests.Support;
using Npgsql;

namespace Ceasefire.Tests.Bench;

/// <summary><c>ceasefire bench import --postgres</c> as a user runs it (the real program in a child process), for real.</summary>
public sealed class ImportBenchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ceasefire-bench-import-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task BenchImport_Postgres_ImportsIntoAFreshDatabaseAndDropsIt()
    {
        var events = Path.Combine(_dir, "events.csv");
        WriteEvents(events, 3_000);
        var before = await BenchDatabasesAsync();
        var (code, stdout, output) = Run("bench", "import", "--events", events, "--postgres", TestPostgres.ConnectionString, "--json");
        Assert.True(code == 0, output);
        using var figures = JsonDocument.Parse(stdout);
        var root = figures.RootElement;
        Assert.Equal(["store", "rows", "seconds", "rows_per_second", "copy_bare_seconds", "copy_bare_rows_per_second", "processors"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("postgresql", root.GetProperty("store").GetString());
        Assert.Equal(3_000, root.GetProperty("rows").GetInt64());
        Assert.True(root.GetProperty("rows_per_second").GetDouble() > 0);
        Assert.True(root.GetProperty("copy_bare_rows_per_second").GetDouble() > 0);
        Assert.Contains("imported 3,000 reports", output);
        Assert.Equal(before, await BenchDatabasesAsync());
    }

    [Fact]
    public void BenchImport_PostgresThatIsNoConnectionString_FailsWithoutShowingThePassword()
    {
        var events = Path.Combine(_dir, "events.csv");
        WriteEvents(events, 10);
        var (code, _, output) = Run("bench", "import", "--events", events, "--postgres", "postgres://u:hunter2secret@/nohost");
        Assert.Equal(2, code);
        Assert.Contains("--postgres", output);
        Assert.DoesNotContain("hunter2secret", output);
    }

    private static async Task<long> BenchDatabasesAsync()
    {
        await using var conn = new NpgsqlConnection(TestPostgres.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname LIKE 'cf_bench_%'", conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Events in the ACLED layout of the reference workload, one a minute, along a line.</summary>
    private static void WriteEvents(string path, int n)
    {
        var sb = new StringBuilder("id,event_date,event_type,sub_event_type,actor1,actor2,admin1,location,latitude,longitude,source,notes,fatalities\n");
        var start = new DateTimeOffset(2025, 3, 20, 0, 0, 0, TimeSpan.Zero);
        for (var i = 1; i <= n; i++)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"{i},{start.AddMinutes(i):yyyy-MM-dd'T'HH:mm:ss'Z'},Explosions/Remote violence,Air/drone strike,Military Forces of Russia (2000-),,Kharkiv,Kharkiv area,{49 + i * 1e-5:0.00000},{36 + i * 1e-5:0.00000},Ukrainska Pravda,\"A drone hit a substation.\",0\n");
        }
        File.WriteAllText(path, sb.ToString());
    }

    private static (int Code, string Stdout, string Output) Run(params string[] args)
    {
        var (code, stdout, stderr) = CeasefireCli.RunSplitAsync(args).GetAwaiter().GetResult();
        return (code, stdout, stdout + stderr);
    }
}

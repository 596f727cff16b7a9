using System.Diagnostics;
using System.Text;
using Ceasefire.Storage;
using Ceasefire.Storage.Sqlite;
using Ceasefire.Tests.Support;

namespace Ceasefire.Tests.Storage;

/// <summary>The store commands run as a user runs them: the real `ceasefire` program in a child process.</summary>
public sealed class CliStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ceasefire-cli-").FullName;
    private string Db => Path.Combine(_dir, "store.db");
    private static readonly string Sample = Path.Combine(AppContext.BaseDirectory, "samples", "march-2025", "incidents.csv");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void ImportTwiceVerifyAndCatchAnEdit()
    {
        var first = Run("import", Sample, "--store", Db, "--time-zone", "Europe/Moscow");
        Assert.True(first.Code == 0, first.Output);
        Assert.Contains("8 read, 8 new", first.Output);
        var second = Run("import", Sample, "--store", Db, "--time-zone", "Europe/Moscow");
        Assert.Contains("0 new, 0 changed (new versions), 8 unchanged", second.Output);
        Assert.Equal(0, Run("verify", "--store", Db).Code);
        Assert.Equal(0, Run("rebuild", "--store", Db).Code);

        using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Db};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "DROP TRIGGER log_no_update; UPDATE log SET author = 'mallory' WHERE seq = 2";
            cmd.ExecuteNonQuery();
        }
        var verify = Run("verify", "--store", Db);
        Assert.Equal(2, verify.Code);
        Assert.Contains("BROKEN at entry 2", verify.Output);
    }

    [Fact]
    public void Import_BadRows_AreRejectedCountedAndKeptWhileGoodRowsAreImported()
    {
        var csv = Path.Combine(_dir, "mixed.csv");
        File.WriteAllText(csv, """
            event_id_cnty,event_date,sub_event_type,actor1,latitude,longitude,notes
            A1,2025-03-20,Air/drone strike,Military Forces of Russia (2000-),48.5,35.0,substation
            A2,2025-13-45,Air/drone strike,Military Forces of Russia (2000-),48.5,35.0,substation
            A3,2025-03-21,Shelling/artillery/missile attack,Military Forces of Ukraine (2019-),51.2,35.3,gas metering station

            """);
        var result = Run("import", csv, "--store", Db);
        Assert.Equal(6, result.Code); // partial success
        Assert.Contains("mixed.csv:3: error acled.date event_date", result.Output);
        Assert.Contains("3 read, 2 new, 0 changed (new versions), 0 unchanged, 1 rejected", result.Output);
        var rejects = File.ReadAllLines(Path.Combine(_dir, "mixed.csv.rejected"));
        Assert.Equal(["event_id_cnty,event_date,sub_event_type,actor1,latitude,longitude,notes", "A2,2025-13-45,Air/drone strike,Military Forces of Russia (2000-),48.5,35.0,substation"], rejects);
        Assert.Contains("mixed.csv:3: error acled.date event_date", File.ReadAllText(Path.Combine(_dir, "mixed.csv.rejected.log")));
        var strictDb = Path.Combine(_dir, "strict.db");
        var strict = Run("import", csv, "--store", strictDb, "--strict");
        Assert.Equal(2, strict.Code);
        Assert.Contains("Nothing imported", strict.Output);
        Assert.Contains("0 report(s).", Run("reports", "--store", strictDb).Output);
    }

    [Theory]
    [InlineData("empty.csv", "", "acled.empty")]
    [InlineData("picture.csv", "\u0089PNG\r\n\u001a\n binary", "acled.not_csv")]
    public void Import_FileThatIsNotUsable_GetsOneClearErrorAndImportsNothing(string name, string content, string code)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        var result = Run("import", path, "--store", Db);
        Assert.Equal(2, result.Code);
        Assert.Contains(code, result.Output);
        Assert.DoesNotContain("   at ", result.Output); // no stack trace
    }

    [Fact]
    public void Import_UcdpJsonAndWindows1251_AllReachTheStore()
    {
        var ucdp = Path.Combine(AppContext.BaseDirectory, "TestData", "import");
        var files = Directory.GetFiles(ucdp);
        var ged = files.First(f => Path.GetFileName(f).Contains("ucdp", StringComparison.OrdinalIgnoreCase) && f.EndsWith(".csv", StringComparison.Ordinal));
        var imported = Run("import", ged, "--format", "ucdp", "--store", Db);
        Assert.True(imported.Code is 0 or 6, imported.Output);
        Assert.Contains("new", imported.Output);

        var cp1251 = Path.Combine(_dir, "cyrillic.csv");
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        File.WriteAllText(cp1251, "event_id_cnty,event_date,sub_event_type,actor1,latitude,longitude,notes\nC1,2025-03-20,Air/drone strike,Вооруженные силы Российской Федерации,48.5,35.0,удар по подстанции\n",
            System.Text.Encoding.GetEncoding(1251));
        var wrong = Run("import", cp1251, "--store", Path.Combine(_dir, "wrong.db"));
        Assert.Equal(2, wrong.Code);
        Assert.Contains("windows-1251", wrong.Output);
        var right = Run("import", cp1251, "--encoding", "windows-1251", "--store", Db);
        Assert.True(right.Code == 0, right.Output);
        var reports = Run("reports", "--store", Db, "--dataset", "acled");
        Assert.Contains("energy.transmission", reports.Output);
        Assert.Contains("RU", reports.Output);
    }

    [Fact]
    public async Task Import_KilledMidway_LeavesTheStoreConsistentAndTheNextImportRedoesIt()
    {
        var csv = Path.Combine(_dir, "big.csv");
        var sb = new StringBuilder("event_id_cnty,event_date,sub_event_type,actor1,latitude,longitude,notes\n");
        for (var i = 0; i < 200_000; i++)
        {
            sb.Append($"K{i},2025-03-{1 + i % 28:00},Air/drone strike,Military Forces of Russia (2000-),{45 + i % 700 * 0.01:0.00},{30 + i % 900 * 0.01:0.00},\"transformer substation, row {i}\"\n");
        }
        File.WriteAllText(csv, sb.ToString());

        // Start the import and kill -9 it once it has written part of the batch.
        var start = Start("import", csv, "--store", Db);
        using (var process = Process.Start(start)!)
        {
            string? line;
            while ((line = await process.StandardOutput.ReadLineAsync()) is not null && !line.StartsWith("import: ", StringComparison.Ordinal))
            {
            }
            Assert.NotNull(line); // it printed progress, so it was mid-import
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        await using (var store = await SqliteStore.OpenAsync(Db))
        {
            Assert.True((await store.VerifyAsync()).Intact);
            Assert.Empty(await store.QueryReportsAsync(new ReportQuery(Limit: 10)));
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var redo = Run("import", csv, "--store", Db);
        Assert.True(redo.Code == 0, redo.Output);
        Assert.Contains("200000 read, 200000 new", redo.Output);
        Assert.Equal(0, Run("verify", "--store", Db).Code);
    }

    [Fact]
    public void Demo_CreatesTheScenarioStore_FindingsExportAndRebuildFollow()
    {
        var demo = Run("demo", "--store", Db);
        Assert.True(demo.Code == 0, demo.Output);
        Assert.Contains("8 reports (8 new), 16 findings", demo.Output);

        var violations = Run("findings", "--store", Db, "--verdict", "violation", "--of", "reports");
        Assert.Contains("7 finding(s).", violations.Output);
        // The two Sudzha reports of 21 March are one incident whose attribution is disputed: no side's finding is
        // more than possible, so the two violations the Sudzha reports give one by one are not violations of the incident.
        Assert.Contains("7 incidents (1 with disputed attribution)", demo.Output);
        Assert.Contains("5 finding(s).", Run("findings", "--store", Db, "--verdict", "violation", "--of", "incidents").Output);
        var bryansk = Run("findings", "--store", Db, "--report", "acled:CFM-2025-0007", "--explain");
        Assert.Contains("possible_violation", bryansk.Output);
        Assert.Contains("straddles", bryansk.Output);

        var csv = Path.Combine(_dir, "findings.csv");
        Assert.Equal(0, Run("export", "--store", Db, "--format", "csv", "--output", csv).Code);
        Assert.Equal(17, File.ReadAllLines(csv).Length);

        // A GIS client reads the GeoJSON export: GDAL's ogrinfo.
        var geojson = Path.Combine(_dir, "reports.geojson");
        Assert.Equal(0, Run("export", "--store", Db, "--format", "geojson", "--output", geojson).Code);
        var ogr = Tool("ogrinfo", "-so", "-al", geojson);
        Assert.Contains("Geometry: Point", ogr);
        Assert.Contains("Feature Count: 8", ogr);
        Assert.Contains("worst_verdict", ogr);

        var rebuild = Run("rebuild", "--store", Db);
        Assert.True(rebuild.Code == 0, rebuild.Output);
        Assert.Contains("identical", rebuild.Output);

        // Running the demo again adds no reports and rules them again.
        Assert.Contains("8 reports (0 new)", Run("demo", "--store", Db).Output);
    }

    [Fact]
    public void BenchAdjudicate_Json_HasTheFiguresAutomationReads()
    {
        var zones = Path.Combine(AppContext.BaseDirectory, "TestData", "zones.geojson");
        var agreement = Path.Combine(_dir, "bench.yaml");
        var convert = new ProcessStartInfo("python3") { RedirectStandardOutput = true };
        convert.ArgumentList.Add(Path.Combine(Repo.Root, "bench", "obligations-to-agreement.py"));
        convert.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "TestData", "bench-obligations.csv"));
        convert.ArgumentList.Add(zones);
        using (var p = Process.Start(convert)!)
        {
            File.WriteAllText(agreement, p.StandardOutput.ReadToEnd());
            p.WaitForExit();
        }
        var events = Path.Combine(_dir, "events.csv");
        File.WriteAllText(events, "id,event_date,event_type,sub_event_type,actor1,actor2,admin1,location,latitude,longitude,source,notes,fatalities\n" +
            "1,2025-03-20T10:00:00Z,Explosions/Remote violence,Air/drone strike,Military Forces of Russia (2000-),,,Kyiv,50.45,30.52,Test,strike,0\n" +
            "2,2025-03-20T10:00:00Z,Protests,Peaceful protest,Protesters (Ukraine),,,Kyiv,50.45,30.52,Test,protest,0\n");
        var result = Run("bench", "adjudicate", "--events", events, "--zones", zones, "--obligations", agreement, "--json", "--runs", "1");
        Assert.True(result.Code == 0, result.Output);
        var json = result.Output.Split('\n').Single(l => l.StartsWith('{'));
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        foreach (var key in new[] { "engine_seconds", "parse_seconds", "matches", "postgis_seconds", "postgis_matches" })
        {
            Assert.True(doc.RootElement.TryGetProperty(key, out _), $"missing {key} in {json}");
        }
        Assert.True(doc.RootElement.GetProperty("matches").GetInt32() >= 1);
    }

    private static string Tool(string name, params string[] args)
    {
        var start = new ProcessStartInfo(name) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start) ?? throw new InvalidOperationException(name + " did not start");
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{name}: {output}");
        return output;
    }

    private static ProcessStartInfo Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ceasefire.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        return start;
    }

    [Fact]
    public void Store_PostgresThatCannotBeReachedOrIsNoUri_ClearErrorWithoutThePassword()
    {
        var (code, output) = Run("reports", "--store", "postgres://cfm:hunter2secret@127.0.0.1:1/ceasefire");
        Assert.Equal(3, code);
        Assert.Contains("cannot open the store postgres://cfm:***@127.0.0.1:1/ceasefire", output);
        Assert.DoesNotContain("hunter2secret", output);
        Assert.DoesNotContain("   at ", output); // no stack trace

        (code, output) = Run("reports", "--store", "postgres:ceasefire");
        Assert.Equal(3, code); // no store to open: "store unavailable", as for one that cannot be reached
        Assert.Contains("error: --store: 'postgres:ceasefire' is not a PostgreSQL URI", output);
        Assert.DoesNotContain("(Parameter", output);
    }

    private static (int Code, string Output) Run(params string[] args)
    {
        using var p = Process.Start(Start(args))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}

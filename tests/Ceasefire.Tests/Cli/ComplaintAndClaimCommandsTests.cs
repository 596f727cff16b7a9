using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Ceasefire.Cli.Commands;
using Ceasefire.Complaints;
using Ceasefire.Storage.Sqlite;

namespace Ceasefire.Tests.Cli;

/// <summary>
/// <c>complaint ...</c>, <c>complaints</c> and <c>claims ...</c> run as a user runs them: the real <c>ceasefire</c>
/// program in a child process, against a store in a temporary directory.
/// </summary>
public sealed class ComplaintAndClaimCommandsTests : IDisposable
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples", "march-2025");
    private readonly string _dir = Directory.CreateTempSubdirectory("ceasefire-complaints-").FullName;

    private string Db => Path.Combine(_dir, "store.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Complaint_NoAnswerWithinTheDefaultPeriod_IsNoAnswerByDeadlineFourDaysLater()
    {
        ImportSampleReports();
        var filed = Ok("complaint", "file", "--by", "UA", "--against", "RU", "--reports", "acled:CFM-2025-0002", "--text", "Strike on a substation in Kherson region.", "--user", "ua.liaison");
        Assert.Contains("Filed complaint C-0001: UA against RU", filed);
        Assert.Contains("RU must answer before", filed);
        Assert.Contains("72h (the default: the store holds no agreement)", filed);

        var c = Single(Ok("complaints", "--json"));
        var at = Instant(c, "filed_at");
        Assert.Equal(at.AddHours(72), Instant(c, "deadline"));
        Assert.True(c.GetProperty("response_period_is_default").GetBoolean());
        Assert.Equal("filed", c.GetProperty("status").GetString());

        Assert.Equal("filed", Single(Ok("complaints", "--json", "--at", Iso(at.AddHours(1)))).GetProperty("status").GetString());
        Assert.Equal("no_answer_by_deadline", Single(Ok("complaints", "--json", "--at", Iso(at.AddDays(4)))).GetProperty("status").GetString());
        Assert.Contains("no_answer_by_deadline", Ok("complaints", "--at", Iso(at.AddDays(4)), "--status", "no_answer_by_deadline"));
        Assert.Contains("0 complaint(s)", Ok("complaints", "--at", Iso(at.AddDays(4)), "--status", "filed"));
        Assert.Contains("0 complaint(s), status at 2020-01-01 00:00:00Z; 1 filed after that not shown", Ok("complaints", "--at", "2020-01-01T00:00:00Z"));
        var later = Ok("complaint", "show", "C-0001", "--at", Iso(at.AddDays(4)));
        Assert.Contains("deadline passed", later);
        Assert.Contains("no answer from RU within 72h (default)", later);

        // Today the deadline is days away: the domain refuses a ruling, and nothing is written.
        var early = Run("complaint", "rule", "C-0001", "--outcome", "upheld", "--reasons", "No answer.");
        Assert.Equal(2, early.Code);
        Assert.Contains("Complaint C-0001 cannot be ruled at", early.Output);
        Assert.Contains("neither has happened. Nothing was recorded.", early.Output);
        Assert.Equal(1, Single(Ok("complaints", "--json")).GetProperty("steps").GetInt32());
    }

    [Fact]
    public async Task Complaint_MissedDeadline_WholeLifecycleFromFilingToUpheldRuling()
    {
        ImportSampleReports();
        // Version 1 of the sample agreement sets no response period; version 2 sets five seconds, so the deadline passes
        // while the test runs. The latest version gives the period.
        var text = await File.ReadAllTextAsync(Path.Combine(Samples, "agreement.yaml"));
        var v2 = text.Replace("\nversion: 1\n", "\nversion: 2\n", StringComparison.Ordinal) + "\ncomplaints:\n  response_period: PT5S\n";
        await using (var store = await SqliteStore.OpenAsync(Db))
        {
            await store.AddAgreementAsync("ru-ua-2025-us-brokered", 1, "agreement.yaml", text, "test");
            await store.AddAgreementAsync("ru-ua-2025-us-brokered", 2, "agreement-v2.yaml", v2, "test");
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var filed = Ok("complaint", "file", "--by", "UA", "--against", "RU", "--reports", "acled:CFM-2025-0002,acled:CFM-2025-0004",
            "--text", "Strikes on energy facilities during the moratorium.", "--user", "ua.liaison");
        Assert.Contains("PT5S (complaints.response_period of agreement ru-ua-2025-us-brokered version 2)", filed);
        var c = Single(Ok("complaints", "--json"));
        Assert.Equal("agreement", c.GetProperty("response_period_source").GetString());
        Assert.Equal("ru-ua-2025-us-brokered", c.GetProperty("agreement_id").GetString());
        var deadline = Instant(c, "deadline");
        Assert.Equal(Instant(c, "filed_at").AddSeconds(5), deadline);
        Assert.Equal("no_answer_by_deadline", Single(Ok("complaints", "--json", "--at", Iso(Instant(c, "filed_at").AddDays(4)))).GetProperty("status").GetString());

        Ok("complaint", "ack", "C-0001", "--note", "Mission reference M-17.", "--user", "mission.duty-officer");
        while (DateTimeOffset.UtcNow < deadline.AddMilliseconds(200))
        {
            await Task.Delay(200);
        }
        Assert.Equal("no_answer_by_deadline", Single(Ok("complaints", "--json")).GetProperty("status").GetString());
        var ruled = Ok("complaint", "rule", "C-0001", "--outcome", "upheld", "--reasons", "RU did not answer; two reports corroborate.", "--user", "analyst.k");
        Assert.Contains("Complaint C-0001: ruled", ruled);
        Assert.Contains("Status now: ruled (upheld)", ruled);

        var show = Ok("complaint", "show", "C-0001");
        Assert.Contains("status at", show);
        Assert.Contains(": ruled", show);
        string[] steps = ["filed", "acknowledged", "deadline passed", "ruled"];
        foreach (var step in steps)
        {
            Assert.Contains("│ " + step, show);
        }
        Assert.True(show.IndexOf("│ filed", StringComparison.Ordinal) < show.IndexOf("│ acknowledged", StringComparison.Ordinal));
        Assert.True(show.IndexOf("│ deadline passed", StringComparison.Ordinal) < show.IndexOf("│ ruled", StringComparison.Ordinal));
        foreach (var who in new[] { "ua.liaison", "mission.duty-officer", "analyst.k" })
        {
            Assert.Contains(who, show);
        }
        Assert.Contains("3 step(s) recorded", show); // the passing of the deadline is shown, not recorded
        Assert.Contains("The log is intact", Ok("verify"));
    }

    [Fact]
    public async Task Complaint_AnswerByTheWrongParty_IsRefusedWithTheDomainsMessageAndNothingIsWritten()
    {
        ImportSampleReports();
        Ok("complaint", "file", "--by", "UA", "--against", "RU", "--reports", "acled:CFM-2025-0002", "--text", "Strike on a substation.");
        var before = Ok("verify");

        var wrong = Run("complaint", "answer", "C-0001", "--party", "UA", "--kind", "denial", "--text", "We deny it.");
        Assert.Equal(2, wrong.Code);
        Assert.Contains("Complaint C-0001: only the accused party (RU) may answer; UA is the complainant. Nothing was recorded.", wrong.Output);
        Assert.DoesNotContain("   at ", wrong.Output);

        Assert.Equal(before, Ok("verify"));
        Assert.Contains("The log is intact", before);
        await using var store = await SqliteStore.OpenAsync(Db);
        var stream = await store.ReadStreamsAsync("complaint:").ToListAsync();
        var only = Assert.Single(stream);
        Assert.Equal(("complaint:C-0001", 1L, ComplaintEvents.FiledKind), (only.Stream, only.Version, ComplaintEvents.FromJson(only.Data).Kind));
    }

    [Fact]
    public void Complaint_CounterAccusation_IsRecordedWithTheReportsItNames()
    {
        ImportSampleReports();
        Ok("complaint", "file", "--by", "UA", "--against", "RU", "--reports", "acled:CFM-2025-0002", "--text", "Strike on a substation.");
        var answered = Ok("complaint", "answer", "C-0001", "--party", "RU", "--kind", "counter_accusation", "--text", "Ukraine struck first.",
            "--reports", "acled:CFM-2025-0001,acled:CFM-2025-0003", "--user", "ru.liaison");
        Assert.Contains("RU: counter_accusation: Ukraine struck first. (reports named: acled:CFM-2025-0001, acled:CFM-2025-0003)", answered);
        Assert.Contains("Status now: answered (counter_accusation)", answered);

        var c = Single(Ok("complaints", "--json"));
        Assert.Equal("answered", c.GetProperty("status").GetString());
        var answer = c.GetProperty("answer");
        Assert.Equal("counter_accusation", answer.GetProperty("kind").GetString());
        Assert.Equal("RU", answer.GetProperty("party").GetString());
        Assert.False(answer.GetProperty("late").GetBoolean());
        Assert.Equal(new[] { "acled:CFM-2025-0001", "acled:CFM-2025-0003" }, answer.GetProperty("counter_report_keys").EnumerateArray().Select(e => e.GetString()));

        var second = Run("complaint", "answer", "C-0001", "--party", "RU", "--kind", "denial", "--text", "And we deny it.");
        Assert.Equal(2, second.Code);
        Assert.Contains("a second answer is not accepted", second.Output);

        Ok("complaint", "file", "--by", "UA", "--against", "RU", "--reports", "acled:CFM-2025-0002", "--text", "Another strike.");
        var denialWithReports = Run("complaint", "answer", "C-0002", "--party", "RU", "--kind", "denial", "--text", "No.", "--reports", "acled:CFM-2025-0001");
        Assert.Equal(2, denialWithReports.Code);
        Assert.Contains("only a counter_accusation names reports of its own", denialWithReports.Output);
        var unknown = Run("complaint", "answer", "C-0002", "--party", "RU", "--kind", "counter_accusation", "--text", "No.", "--reports", "acled:NOT-THERE");
        Assert.Equal(2, unknown.Code);
        Assert.Contains("report 'acled:NOT-THERE' is not in the store", unknown.Output);
        Assert.Equal("filed", JsonDocument.Parse(Ok("complaints", "--json")).RootElement.GetProperty("complaints")[1].GetProperty("status").GetString());
    }

    [Fact]
    public void Complaints_Json_HasTheShapeAutomationReads()
    {
        ImportSampleReports();
        Ok("complaint", "file", "--by", "UA", "--against", "RU", "--reports", "acled:CFM-2025-0002", "--text", "First.", "--id", "UA-2025-0042", "--user", "ua.liaison");
        Assert.Contains("Filed complaint C-0001", Ok("complaint", "file", "--by", "RU", "--against", "UA", "--reports", "acled:CFM-2025-0001", "--text", "Second."));
        var twice = Run("complaint", "file", "--by", "UA", "--against", "RU", "--reports", "acled:CFM-2025-0002", "--text", "Again.", "--id", "UA-2025-0042");
        Assert.Equal(2, twice.Code);
        Assert.Contains("complaint UA-2025-0042 already exists", twice.Output);
        var missing = Run("complaint", "show", "C-0099");
        Assert.Equal(4, missing.Code);
        Assert.Contains("the store holds no complaint 'C-0099'", missing.Output);

        using var doc = JsonDocument.Parse(Ok("complaints", "--json"));
        var root = doc.RootElement;
        Assert.Equal(JsonValueKind.String, root.GetProperty("at").ValueKind);
        var list = root.GetProperty("complaints").EnumerateArray().ToList();
        Assert.Equal(new[] { "UA-2025-0042", "C-0001" }, list.Select(c => c.GetProperty("id").GetString()));
        var c = list[0];
        string[] keys =
        [
            "id", "complainant", "accused", "report_keys", "incident_id", "text", "agreement_id", "filed_at", "filed_by", "deadline",
            "response_period", "response_period_source", "response_period_is_default", "status", "answer", "ruling", "steps",
        ];
        Assert.Equal(keys, c.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("UA", "RU", "ua.liaison", "P3D", "default"), (c.GetProperty("complainant").GetString(), c.GetProperty("accused").GetString(),
            c.GetProperty("filed_by").GetString(), c.GetProperty("response_period").GetString(), c.GetProperty("response_period_source").GetString()));
        Assert.Equal(new[] { "acled:CFM-2025-0002" }, c.GetProperty("report_keys").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Null, c.GetProperty("incident_id").ValueKind);
        Assert.Equal(JsonValueKind.Null, c.GetProperty("answer").ValueKind);
        Assert.Equal(JsonValueKind.Null, c.GetProperty("ruling").ValueKind);
        Assert.Equal(1, c.GetProperty("steps").GetInt32());
        Assert.EndsWith("Z", c.GetProperty("filed_at").GetString());
    }

    [Fact]
    public async Task Complaint_ChangedByAnotherWriterMeanwhile_AsksToRunAgainAndWritesNothing()
    {
        ImportSampleReports();
        Ok("complaint", "file", "--by", "UA", "--against", "RU", "--reports", "acled:CFM-2025-0002", "--text", "Strike on a substation.");
        await using var store = await SqliteStore.OpenAsync(Db);
        var (read, code) = await ComplaintCommands.ReadOneAsync(store, "C-0001", TextWriter.Null, default);
        Assert.Equal(0, code);
        Assert.Equal(1, read!.Version);

        // Another analyst records the answer after this one read the complaint and before it writes.
        Ok("complaint", "answer", "C-0001", "--party", "RU", "--kind", "denial", "--text", "We deny it.");
        var mine = new ComplaintDesk(TimeProvider.System).Acknowledge(read.Complaint, "mission.duty-officer");
        var err = new StringWriter();
        Assert.Equal(2, await ComplaintCommands.RecordAsync(store, mine, read.Version, err, numberedHere: false, default));
        Assert.Contains("someone else changed complaint C-0001 while this command ran; nothing was recorded. Run it again", err.ToString());

        var stream = await store.ReadStreamsAsync("complaint:C-0001").ToListAsync();
        Assert.Equal(new[] { ComplaintEvents.FiledKind, ComplaintEvents.AnsweredKind }, stream.Select(e => ComplaintEvents.FromJson(e.Data).Kind));
        Assert.True((await store.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Claims_LoadTheEasterTruceSample_ShowsTotalsWithoutSummingRunningTotalsBesideTheStoresCounts()
    {
        ImportSampleReports();
        // One report of a Russian strike on Easter Sunday (Kyiv time): it is counted beside Ukraine's claims about Russia.
        var easter = Path.Combine(_dir, "easter.csv");
        await File.WriteAllTextAsync(easter, "event_id_cnty,event_date,sub_event_type,actor1,latitude,longitude,notes\n" +
            "E1,2025-04-20,Shelling/artillery/missile attack,Military Forces of Russia (2000-),48.5,37.9,shelling of positions\n");
        Ok("import", easter, "--time-zone", "Europe/Kyiv");

        var loaded = Ok("claims", "load", Path.Combine(Samples, "claims.yaml"), "--user", "analyst.k");
        Assert.Contains("claims.yaml: 5 series, 15 claims recorded in the store.", loaded);
        Assert.Contains("already recorded with the same text", Ok("claims", "load", Path.Combine(Samples, "claims.yaml")));

        using var doc = JsonDocument.Parse(Ok("claims", "--json"));
        var series = doc.RootElement.GetProperty("series").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);
        Assert.Equal(5, series.Count);

        var mod = series["ru-mod-easter-truce-2025"];
        Assert.Equal(("RU", "UA", false), (mod.GetProperty("claimant").GetString(), mod.GetProperty("accused").GetString(), mod.GetProperty("cumulative").GetBoolean()));
        var modClaim = Assert.Single(mod.GetProperty("claims").EnumerateArray());
        Assert.Equal((4900, "4,900"), (modClaim.GetProperty("count").GetInt32(), modClaim.GetProperty("count_text").GetString()));
        Assert.Equal(4900, mod.GetProperty("total").GetProperty("count").GetInt64());
        Assert.Equal("sum_of_periods", mod.GetProperty("total").GetProperty("basis").GetString());
        Assert.Equal(7, mod.GetProperty("latest").GetProperty("breakdown").GetArrayLength());
        Assert.Equal(("UA", 0, 0), (mod.GetProperty("beside").GetProperty("accused").GetString(), mod.GetProperty("beside").GetProperty("incidents").GetInt32(),
            mod.GetProperty("beside").GetProperty("reports").GetInt32()));

        var zelensky = series["ua-easter-violations-2025-04-20"];
        Assert.True(zelensky.GetProperty("cumulative").GetBoolean());
        var runningTotals = zelensky.GetProperty("claims").EnumerateArray().ToList();
        Assert.Equal(new[] { 2000, 2935 }, runningTotals.Select(c => c.GetProperty("count").GetInt32()));
        Assert.Equal(("at_least", "more than 2,000"), (runningTotals[0].GetProperty("qualifier").GetString(), runningTotals[0].GetProperty("count_text").GetString()));
        Assert.Equal(new[] { 2000L, 935L }, runningTotals.Select(c => c.GetProperty("increment").GetProperty("count").GetInt64()));
        var total = zelensky.GetProperty("total");
        Assert.Equal(2935, total.GetProperty("count").GetInt64()); // the latest running total, not 2,000 + 2,935
        Assert.Equal(("latest_running_total", false), (total.GetProperty("basis").GetString(), total.GetProperty("summed").GetBoolean()));
        Assert.Equal(new[] { "ua-2025-04-21T00-violations" }, total.GetProperty("claims").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(96, zelensky.GetProperty("latest").GetProperty("breakdown")[0].GetProperty("count").GetInt32());
        Assert.Equal(("RU", 0, 1), (zelensky.GetProperty("beside").GetProperty("accused").GetString(), zelensky.GetProperty("beside").GetProperty("incidents").GetInt32(),
            zelensky.GetProperty("beside").GetProperty("reports").GetInt32()));

        var table = Ok("claims");
        Assert.Contains("running total, latest as of 2025-04-20 21:00Z: 2,935 (not summed)", table);
        Assert.Contains("more than 2,000", table);
        Assert.Contains("sum of 1 period(s): 4,900", table);
        Assert.Contains("beside it, in the store for the same period and accused party (RU): 0 incident(s), 1 report(s).", table);

        // Claims never become reports: the store holds the 8 sample reports and the one Easter report, nothing more.
        Assert.Contains("9 report(s).", Ok("reports"));
    }

    [Fact]
    public void ClaimsLoad_BadFile_ReportsLineColumnAndKeyPathAndRecordsNothing()
    {
        var bad = Path.Combine(_dir, "bad-claims.yaml");
        File.WriteAllText(bad, """
            title: Bad
            series:
              - id: s1
                claimant: UA
                accused: RU
                subject: Violations
                from: 2025-04-20T00:00:00+03:00
                to: 2025-04-21T00:00:00+03:00
                claims:
                  - id: c1
                    as_of: 2025-04-20T20:00:00+03:00
                    count: nearly 3000
                    qualifer: about
                    source: Somebody, somewhere
            """);
        var result = Run("claims", "load", bad);
        Assert.Equal(2, result.Code);
        Assert.Contains("bad-claims.yaml:13:9: error claims.unknown_key series[0].claims[0].qualifer: Unknown key 'qualifer' (did you mean 'qualifier'?)", result.Output);
        Assert.Contains("bad-claims.yaml:12:16: error claims.number series[0].claims[0].count", result.Output);
        Assert.Contains("bad-claims.yaml: not valid; nothing was recorded.", result.Output);
        Assert.DoesNotContain("   at ", result.Output);
        Assert.Contains("The store holds no claims", Ok("claims"));
        Assert.Equal(4, Run("claims", "load", Path.Combine(_dir, "missing.yaml")).Code);
    }

    private void ImportSampleReports() => Ok("import", Path.Combine(Samples, "incidents.csv"), "--time-zone", "Europe/Moscow");

    private static JsonElement Single(string json) =>
        Assert.Single(JsonDocument.Parse(json).RootElement.GetProperty("complaints").EnumerateArray());

    private static DateTimeOffset Instant(JsonElement e, string name) =>
        DateTimeOffset.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Runs the command against the test's store; it must succeed. Returns what it wrote.</summary>
    private string Ok(params string[] args)
    {
        var (code, output) = Run(args);
        Assert.True(code == 0, $"ceasefire {string.Join(' ', args)} exited {code}:\n{output}");
        return output;
    }

    private (int Code, string Output) Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ceasefire.dll"));
        foreach (var a in args.Append("--store").Append(Db))
        {
            start.ArgumentList.Add(a);
        }
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}

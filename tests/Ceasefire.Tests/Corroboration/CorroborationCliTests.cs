using System.Diagnostics;
using System.Text.Json;

namespace Ceasefire.Tests.Corroboration;

/// <summary>Corroboration as an analyst runs it: the real `ceasefire` program on the sample scenario.</summary>
public sealed class CorroborationCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ceasefire-corr-").FullName;

    private string Db => Path.Combine(_dir, "store.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Demo_MakesTheSudzhaDisputeOneIncident_AnalystsMergeSplitAndGradeOnTheLog()
    {
        Assert.Equal(0, Run("demo", "--store", Db).Code);

        // The counter-accusation of 21 March and Russia's accusation are one incident, disputed, with both sides shown.
        var show = Run("incident", "show", "acled:CFM-2025-0003", "--store", Db, "--json");
        Assert.True(show.Code == 0, show.Output);
        using (var doc = JsonDocument.Parse(show.Output))
        {
            var incident = doc.RootElement.GetProperty("incident");
            Assert.True(incident.GetProperty("disputed").GetBoolean());
            var sides = incident.GetProperty("attributions").EnumerateArray().Select(a => (a.GetProperty("party").GetString(), a.GetProperty("reports")[0].GetString())).ToList();
            Assert.Equal([("RU", "acled:CFM-2025-0004"), ("UA", "acled:CFM-2025-0003")], sides);
            var findings = doc.RootElement.GetProperty("findings").EnumerateArray().ToList();
            Assert.Contains(findings, f => f.GetProperty("report_key").GetString()!.EndsWith("#RU", StringComparison.Ordinal));
            Assert.Contains(findings, f => f.GetProperty("report_key").GetString()!.EndsWith("#UA", StringComparison.Ordinal));
            Assert.DoesNotContain(findings, f => f.GetProperty("verdict").GetString() == "violation");
            Assert.All(findings.Where(f => f.GetProperty("verdict").GetString() == "possible_violation"),
                f => Assert.Contains("Attribution is disputed", f.GetProperty("explanation").GetString()));
        }
        Assert.Contains("disputed: RU vs UA", Run("incidents", "--store", Db, "--disputed").Output);

        // An analyst merges the 28 March Sudzha report into it (against the rule: a week apart), then splits it off again.
        var merge = Run("incident", "merge", "acled:CFM-2025-0003", "acled:CFM-2025-0006", "--store", Db, "--by", "alice", "--reason", "test: same station");
        Assert.True(merge.Code == 0, merge.Output);
        Assert.Contains("6 incident(s)", merge.Output);
        var merged = Run("incident", "show", "acled:CFM-2025-0006", "--store", Db);
        Assert.Contains("alice merged inc:acled:CFM-2025-0006 into this incident: test: same station", merged.Output);
        var split = Run("incident", "split", "acled:CFM-2025-0006", "--store", Db, "--by", "bob", "--reason", "a week apart: another strike");
        Assert.Contains("7 incident(s)", split.Output);
        Assert.Contains("bob split these reports off", Run("incident", "show", "acled:CFM-2025-0006", "--store", Db).Output);

        // A grade with its reason; an unknown report and a bad grade are refused, nothing written.
        Assert.Equal(0, Run("grade", "acled:CFM-2025-0008", "D5", "--store", Db, "--by", "alice", "--reason", "regional authorities reported no outage").Code);
        Assert.Matches(@"inc:acled:CFM-2025-0008 .*│ D5 ", Run("incidents", "--store", Db).Output);
        Assert.Equal(4, Run("grade", "acled:NOPE", "B2", "--store", Db, "--reason", "x").Code);
        var bad = Run("grade", "acled:CFM-2025-0008", "G9", "--store", Db, "--reason", "x");
        Assert.Contains("not an Admiralty grade", bad.Output);

        // Every decision is on the log, and the read models follow it.
        var log = Run("verify", "--store", Db);
        Assert.True(log.Code == 0, log.Output);
        Assert.Contains("identical", Run("rebuild", "--store", Db).Output);
    }

    [Fact]
    public void ReviewQueue_AcceptAndReject()
    {
        // Two shellings 12 hours and about 3 km apart, unnamed places: a middling score (0.6), queued.
        var csv = Path.Combine(_dir, "two.csv");
        File.WriteAllText(csv, """
            event_id_cnty,event_date,event_type,sub_event_type,actor1,admin1,location,latitude,longitude,source,notes,fatalities
            T-1,2025-03-21T00:00:00Z,Explosions/Remote violence,Shelling/artillery/missile attack,Military Forces of Russia (2000-),Donetsk,,48.0000,37.0000,Reuters,shelling,0
            T-2,2025-03-21T12:00:00Z,Explosions/Remote violence,Shelling/artillery/missile attack,Military Forces of Russia (2000-),Donetsk,,48.0270,37.0000,Ukrainska Pravda,shelling,0
            """);
        Assert.Equal(0, Run("import", csv, "--store", Db).Code);
        var run = Run("corroborate", "--store", Db);
        Assert.True(run.Code == 0, run.Output);
        Assert.Contains("2 incident(s)", run.Output);
        Assert.Contains("1 candidate(s) for review", run.Output);
        var queue = Run("review", "--store", Db);
        Assert.Contains("acled:T-2", queue.Output);
        Assert.Contains("inc:acled:T-1", queue.Output);

        var accept = Run("review", "accept", "acled:T-2", "--with", "inc:acled:T-1", "--store", Db, "--by", "carol", "--reason", "same battery position");
        Assert.True(accept.Code == 0, accept.Output);
        Assert.Contains("1 incident(s)", accept.Output);
        Assert.Contains("0 candidate(s) for review", accept.Output);
        Assert.Contains("carol accepted acled:T-2", Run("incident", "show", "acled:T-2", "--store", Db).Output);
        Assert.Equal(4, Run("review", "reject", "acled:NOPE", "--with", "acled:T-1", "--store", Db, "--reason", "x").Code);
    }

    private static (int Code, string Output) Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ceasefire.dll"));
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["COLUMNS"] = "240";
        using var p = Process.Start(start)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}

using System.Diagnostics;
using Ceasefire.Complaints;
using Ceasefire.Incidents;
using Ceasefire.Parties;

namespace Ceasefire.Tests.Cli;

/// <summary><c>ceasefire complaint import</c>: complaints from elsewhere, checked against the lifecycle before any is written.</summary>
public sealed class ComplaintImportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ceasefire-complaint-import-").FullName;

    private string Db => Path.Combine(_dir, "store.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Import_RecordsValidComplaints_RejectsBrokenOnesWhole_AndSkipsWhatIsThere()
    {
        var at = new DateTimeOffset(2025, 3, 21, 9, 0, 0, TimeSpan.Zero);
        var period = ResponsePeriod.Default;
        var ua = new PartyCode("UA");
        var ru = new PartyCode("RU");
        var lines = new[]
        {
            ComplaintEvents.ToJson(new ComplaintFiled(new ComplaintId("RU-2025-014"), at, "ru.liaison", ru, ua, ["acled:CFM-2025-0003"], null, "Sudzha gas metering station blown up.", period)),
            ComplaintEvents.ToJson(new ComplaintAnswered(new ComplaintId("RU-2025-014"), at.AddHours(20), "ua.liaison", ua, AnswerKind.CounterAccusation, "Shelled by Russia itself.", ["acled:CFM-2025-0004"])),
            // Answered by the complainant: the lifecycle refuses it, so the whole complaint is rejected.
            ComplaintEvents.ToJson(new ComplaintFiled(new ComplaintId("UA-2025-002"), at, "ua.liaison", ua, ru, ["acled:CFM-2025-0002"], null, "Railway traction substations.", period)),
            ComplaintEvents.ToJson(new ComplaintAnswered(new ComplaintId("UA-2025-002"), at.AddHours(1), "ua.liaison", ua, AnswerKind.Denial, "Not us.", [])),
            "{\"kind\":\"complaint_filed\",\"complaint_id\":\"X-1\",\"at\":\"not a time\"}",
        };
        var file = Path.Combine(_dir, "register.jsonl");
        File.WriteAllLines(file, lines);

        var first = Run("complaint", "import", file, "--store", Db);
        Assert.Equal(6, first.Code); // partial success
        Assert.Contains("1 complaint(s) imported, 0 already in the store, 1 rejected; 1 bad line(s)", first.Output);
        Assert.Contains("register.jsonl:5:", first.Output);
        Assert.Contains("UA-2025-002 rejected", first.Output);

        var list = Run("complaints", "--store", Db, "--json", "--at", "2025-03-22T00:00:00Z");
        Assert.Contains("RU-2025-014", list.Output);
        Assert.DoesNotContain("UA-2025-002", list.Output);
        Assert.Contains("counter_accusation", Run("complaint", "show", "RU-2025-014", "--store", Db).Output);

        var again = Run("complaint", "import", file, "--store", Db);
        Assert.Contains("0 complaint(s) imported, 1 already in the store", again.Output);
        Assert.Equal(0, Run("verify", "--store", Db).Code);
    }

    private static (int Code, string Output) Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ceasefire.dll"));
        foreach (var a in args)
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

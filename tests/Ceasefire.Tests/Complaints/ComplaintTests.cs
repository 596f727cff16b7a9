using System.Text.Json;
using Ceasefire.Agreements;
using Ceasefire.Complaints;
using Ceasefire.Import.Agreements;
using Ceasefire.Import.Errors;
using Ceasefire.Incidents;
using Ceasefire.Parties;
using Ceasefire.Tests.Support;

namespace Ceasefire.Tests.Complaints;

public class ComplaintTests
{
    private static readonly PartyCode UA = new("UA");
    private static readonly PartyCode RU = new("RU");
    private static readonly PartyCode US = new("US");
    private static readonly ComplaintId Id = new("UA-2025-0042");
    private static readonly DateTimeOffset FiledAt = new(2025, 3, 19, 9, 0, 0, TimeSpan.FromHours(2));

    private static (ComplaintDesk Desk, TestClock Clock) Desk() { var clock = new TestClock(FiledAt); return (new ComplaintDesk(clock), clock); }

    private static Complaint File(ComplaintDesk desk, Agreement? agreement = null) =>
        desk.File(Id, UA, RU, ["acled:UKR212345"], new IncidentId("CFM-2025-0002"),
            "Drones struck the railway power supply in Dnipropetrovsk Oblast twice during the moratorium.", "ua.liaison", agreement);

    private static Agreement AgreementWith(TimeSpan? responsePeriod) =>
        Build.Agreement([Build.Obligation()]) is var a
            ? new Agreement(a.Id, a.Version, a.Title, a.Effective, a.TimeZone, a.Parties, a.Phases, a.Obligations, a.DerivedZones, a.Source, responsePeriod)
            : throw new InvalidOperationException();

    [Fact]
    public void Lifecycle_FiledAcknowledgedDeadlineMissedThenUpheld()
    {
        var (desk, clock) = Desk();
        var complaint = File(desk);
        Assert.Equal(ComplaintStatus.Filed, desk.StatusOf(complaint));
        Assert.Equal(FiledAt.AddHours(ResponsePeriod.DefaultHours), complaint.Deadline);

        clock.Advance(TimeSpan.FromHours(2));
        complaint = desk.Acknowledge(complaint, "mission.duty-officer", "Received; reference M-17.");
        Assert.Equal(ComplaintStatus.Acknowledged, desk.StatusOf(complaint));

        // Not yet ruled: neither answered nor past the deadline.
        Assert.Throws<InvalidOperationException>(() => desk.Rule(complaint, RulingOutcome.Upheld, "too early", "analyst.k"));

        clock.Set(complaint.Deadline.AddMinutes(-1));
        Assert.Equal(ComplaintStatus.Acknowledged, desk.StatusOf(complaint));
        clock.Set(complaint.Deadline);
        Assert.Equal(ComplaintStatus.NoAnswerByDeadline, desk.StatusOf(complaint));

        clock.Advance(TimeSpan.FromDays(1));
        complaint = desk.Rule(complaint, RulingOutcome.Upheld, "Railway operator's outage log and two media reports confirm both strikes; no answer from RU.", "analyst.k");
        Assert.Equal(ComplaintStatus.Ruled, desk.StatusOf(complaint));
        Assert.Equal(RulingOutcome.Upheld, complaint.Ruling!.Outcome);
        Assert.Null(complaint.Answer);
        Assert.Equal(
            [ComplaintEvents.FiledKind, ComplaintEvents.AcknowledgedKind, ComplaintEvents.RuledKind],
            complaint.Events.Select(e => e.Kind));
        // The status is a function of the instant: earlier instants still give earlier statuses.
        Assert.Equal(ComplaintStatus.Filed, complaint.StatusAt(FiledAt.AddHours(1)));
        Assert.Equal(ComplaintStatus.NoAnswerByDeadline, complaint.StatusAt(complaint.Deadline.AddHours(1)));
    }

    [Fact]
    public void Answer_InTime_IsAnsweredAndNotLate_ThenMayBeRuled()
    {
        var (desk, clock) = Desk();
        var complaint = File(desk);
        clock.Advance(TimeSpan.FromHours(30));
        complaint = desk.Answer(complaint, RU, AnswerKind.Denial, "Russian forces did not strike energy facilities.", "ru.liaison");
        Assert.Equal(ComplaintStatus.Answered, desk.StatusOf(complaint));
        Assert.False(complaint.AnswerIsLate);
        clock.Advance(TimeSpan.FromHours(1));
        // Answered before the deadline: a ruling need not wait for it.
        complaint = desk.Rule(complaint, RulingOutcome.Inconclusive, "No independent evidence of attribution.", "analyst.k");
        Assert.Equal(ComplaintStatus.Ruled, desk.StatusOf(complaint));
        Assert.True(complaint.Ruling!.At < complaint.Deadline);
    }

    [Fact]
    public void Answer_AfterDeadline_IsAcceptedButFlaggedLate()
    {
        var (desk, clock) = Desk();
        var complaint = File(desk);
        clock.Set(complaint.Deadline.AddHours(5));
        complaint = desk.Answer(complaint, RU, AnswerKind.CounterAccusation, "Ukraine struck the Kavkazskaya oil station the same night.", "ru.liaison",
            ["acled:RUS000001"]);
        Assert.True(complaint.AnswerIsLate);
        Assert.Equal(ComplaintStatus.Answered, desk.StatusOf(complaint));
        Assert.Equal(["acled:RUS000001"], complaint.Answer!.CounterReportKeys);
    }

    [Fact]
    public void Answer_ExactlyAtDeadline_IsLate()
    {
        var (desk, clock) = Desk();
        var complaint = File(desk);
        clock.Set(complaint.Deadline);
        complaint = desk.Answer(complaint, RU, AnswerKind.Admission, "A strike took place; the target was military.", "ru.liaison");
        Assert.True(complaint.AnswerIsLate);
    }

    [Fact]
    public void File_AccusedIsTheComplainant_IsRefused()
    {
        var (desk, _) = Desk();
        var e = Assert.Throws<ArgumentException>(() => desk.File(Id, UA, UA, ["acled:1"], null, "text", "ua.liaison"));
        Assert.Contains("UA-2025-0042", e.Message);
        Assert.Contains("cannot be the complainant", e.Message);
    }

    [Fact]
    public void File_WithoutReportOrIncident_IsRefused()
    {
        var (desk, _) = Desk();
        Assert.Throws<ArgumentException>(() => desk.File(Id, UA, RU, [], null, "text", "ua.liaison"));
    }

    [Fact]
    public void Answer_ByAThirdParty_IsRefusedNamingComplaintAndRule()
    {
        var (desk, clock) = Desk();
        var complaint = File(desk);
        clock.Advance(TimeSpan.FromHours(1));
        var e = Assert.Throws<InvalidOperationException>(() => desk.Answer(complaint, US, AnswerKind.Denial, "not us", "us.liaison"));
        Assert.Contains("UA-2025-0042", e.Message);
        Assert.Contains("only the accused party (RU) may answer", e.Message);
        Assert.Contains("third party", e.Message);
    }

    [Fact]
    public void Answer_ByTheComplainant_IsRefused()
    {
        var (desk, _) = Desk();
        var e = Assert.Throws<InvalidOperationException>(() => desk.Answer(File(desk), UA, AnswerKind.Admission, "text", "ua.liaison"));
        Assert.Contains("UA is the complainant", e.Message);
    }

    [Fact]
    public void Answer_Twice_IsRefused()
    {
        var (desk, _) = Desk();
        var complaint = desk.Answer(File(desk), RU, AnswerKind.Denial, "No.", "ru.liaison");
        var e = Assert.Throws<InvalidOperationException>(() => desk.Answer(complaint, RU, AnswerKind.Admission, "Yes.", "ru.liaison"));
        Assert.Contains("second answer", e.Message);
    }

    [Fact]
    public void Answer_AfterRuling_IsRefused()
    {
        var (desk, clock) = Desk();
        var complaint = File(desk);
        clock.Set(complaint.Deadline.AddHours(1));
        complaint = desk.Rule(complaint, RulingOutcome.Upheld, "Unanswered; evidence holds.", "analyst.k");
        clock.Advance(TimeSpan.FromHours(1));
        var e = Assert.Throws<InvalidOperationException>(() => desk.Answer(complaint, RU, AnswerKind.Denial, "No.", "ru.liaison"));
        Assert.Contains("no answer is accepted after a ruling", e.Message);
        Assert.Contains("UA-2025-0042", e.Message);
    }

    [Fact]
    public void Rule_BeforeAnswerOrDeadline_IsRefusedNamingTheDeadline()
    {
        var (desk, clock) = Desk();
        var complaint = desk.Acknowledge(File(desk), "mission.duty-officer");
        clock.Advance(TimeSpan.FromHours(71));
        var e = Assert.Throws<InvalidOperationException>(() => desk.Rule(complaint, RulingOutcome.Rejected, "reasons", "analyst.k"));
        Assert.Contains("UA-2025-0042", e.Message);
        Assert.Contains("cannot be ruled", e.Message);
        Assert.Contains(complaint.Deadline.ToString("O"), e.Message);
        Assert.False(complaint.CanBeRuledAt(clock.GetUtcNow()));
    }

    [Fact]
    public void Rule_Twice_IsRefused()
    {
        var (desk, _) = Desk();
        var complaint = desk.Rule(desk.Answer(File(desk), RU, AnswerKind.Denial, "No.", "ru.liaison"), RulingOutcome.Rejected, "No evidence.", "analyst.k");
        Assert.Throws<InvalidOperationException>(() => desk.Rule(complaint, RulingOutcome.Upheld, "Changed mind.", "analyst.k"));
    }

    [Fact]
    public void Apply_EventOfAnotherComplaint_OrOutOfOrder_IsRefused()
    {
        var (desk, _) = Desk();
        var complaint = File(desk);
        Assert.Throws<InvalidOperationException>(() => complaint.Apply(new ComplaintAcknowledged(new ComplaintId("other"), FiledAt.AddHours(1), "m")));
        Assert.Throws<InvalidOperationException>(() => complaint.Apply(new ComplaintAcknowledged(Id, FiledAt.AddHours(-1), "m")));
        Assert.Throws<InvalidOperationException>(() => complaint.Apply(complaint.Filing));
    }

    [Fact]
    public void Apply_ReturnsANewComplaint_TheOldOneIsUnchanged()
    {
        var (desk, _) = Desk();
        var filed = File(desk);
        var acknowledged = desk.Acknowledge(filed, "mission.duty-officer");
        Assert.Null(filed.Acknowledgement);
        Assert.Single(filed.Events);
        Assert.NotNull(acknowledged.Acknowledgement);
        Assert.Same(acknowledged.Acknowledgement, acknowledged.LastEvent);
    }

    [Fact]
    public void ResponsePeriod_WithoutAgreementKey_IsTheDocumentedDefaultAndSaysSo()
    {
        var (desk, _) = Desk();
        var complaint = File(desk, AgreementWith(null));
        Assert.Equal(ResponsePeriodSource.Default, complaint.ResponsePeriod.Source);
        Assert.True(complaint.ResponsePeriod.IsDefault);
        Assert.Equal(TimeSpan.FromHours(72), complaint.ResponsePeriod.Length);
        Assert.Equal("test", complaint.Filing.AgreementId);
    }

    [Fact]
    public void ResponsePeriod_FromTheAgreement_SetsTheDeadline()
    {
        var (desk, _) = Desk();
        var complaint = File(desk, AgreementWith(TimeSpan.FromHours(12)));
        Assert.Equal(ResponsePeriodSource.Agreement, complaint.ResponsePeriod.Source);
        Assert.Equal(FiledAt.AddHours(12), complaint.Deadline);
    }

    [Fact]
    public void Replay_FromTheLoggedJson_GivesTheSameComplaint()
    {
        var (desk, clock) = Desk();
        var complaint = File(desk);
        clock.Advance(TimeSpan.FromHours(3));
        complaint = desk.Acknowledge(complaint, "mission.duty-officer");
        clock.Advance(TimeSpan.FromHours(80));
        complaint = desk.Answer(complaint, RU, AnswerKind.Denial, "No.", "ru.liaison");
        clock.Advance(TimeSpan.FromHours(3));
        complaint = desk.Rule(complaint, RulingOutcome.Rejected, "No corroboration.", "analyst.k");

        var log = complaint.Events.Select(ComplaintEvents.ToJson).ToList();
        var replayed = Complaint.Replay(log.Select(ComplaintEvents.FromJson));
        Assert.Equal(complaint.Events, replayed.Events);
        Assert.True(replayed.AnswerIsLate);
        Assert.Equal(ComplaintStatus.Ruled, replayed.StatusAt(clock.GetUtcNow()));
        Assert.Equal(complaint.Deadline, replayed.Deadline);
    }

    public static TheoryData<ComplaintEvent> EveryEvent => new()
    {
        new ComplaintFiled(Id, FiledAt, "ua.liaison", UA, RU, ["acled:UKR212345", "form:17"], new IncidentId("CFM-2025-0002"),
            "Удари по енергетиці — \"quoted\" text", ResponsePeriod.Default, "ru-ua-2025-us-brokered"),
        new ComplaintFiled(Id, FiledAt, "ua.liaison", UA, RU, [], new IncidentId("CFM-2025-0002"), "Incident only.",
            new ResponsePeriod(TimeSpan.FromHours(36), ResponsePeriodSource.Agreement)),
        new ComplaintFiled(Id, FiledAt, "ua.liaison", UA, RU, ["acled:1"], null, "Reports only.", ResponsePeriod.Default),
        new ComplaintAcknowledged(Id, FiledAt.AddHours(1), "mission.duty-officer", "Reference M-17."),
        new ComplaintAcknowledged(Id, FiledAt.AddHours(1), "mission.duty-officer"),
        new ComplaintAnswered(Id, FiledAt.AddHours(2), "ru.liaison", RU, AnswerKind.Denial, "No."),
        new ComplaintAnswered(Id, FiledAt.AddHours(2), "ru.liaison", RU, AnswerKind.Admission, "Yes, a military target."),
        new ComplaintAnswered(Id, FiledAt.AddHours(2), "ru.liaison", RU, AnswerKind.CounterAccusation, "You first.", ["acled:RUS1", "acled:RUS2"]),
        new ComplaintRuled(Id, FiledAt.AddDays(4), "analyst.k", RulingOutcome.Upheld, "Evidence holds."),
        new ComplaintRuled(Id, FiledAt.AddDays(4), "analyst.k", RulingOutcome.Rejected, "No evidence."),
        new ComplaintRuled(Id, FiledAt.AddDays(4), "analyst.k", RulingOutcome.Inconclusive, "Cannot tell."),
    };

    [Theory]
    [MemberData(nameof(EveryEvent))]
    public void Json_RoundTrip_GivesTheSameEvent(ComplaintEvent e)
    {
        var json = ComplaintEvents.ToJson(e);
        var back = ComplaintEvents.FromJson(json);
        Assert.Equal(e, back);
        Assert.Equal(e.GetType(), back.GetType());
        Assert.Equal(json, ComplaintEvents.ToJson(back));
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(e.Kind, doc.RootElement.GetProperty("kind").GetString());
        // snake_case throughout
        Assert.All(doc.RootElement.EnumerateObject(), p => Assert.Equal(p.Name.ToLowerInvariant(), p.Name));
    }

    [Fact]
    public void Json_Filed_HasTheDocumentedShape()
    {
        var json = ComplaintEvents.ToJson(new ComplaintFiled(Id, FiledAt, "ua.liaison", UA, RU, ["acled:1"], null, "Text.", ResponsePeriod.Default));
        Assert.Equal(
            """{"kind":"complaint_filed","complaint_id":"UA-2025-0042","at":"2025-03-19T07:00:00.0000000Z","by":"ua.liaison","complainant":"UA","accused":"RU","report_keys":["acled:1"],"incident_id":null,"text":"Text.","response_period":"P3D","response_period_source":"default","agreement_id":null}""",
            json);
        var answer = ComplaintEvents.ToJson(new ComplaintAnswered(Id, FiledAt, "ru.liaison", RU, AnswerKind.CounterAccusation, "You first.", ["acled:9"]));
        Assert.Contains("\"answer\":\"counter_accusation\"", answer);
        Assert.Contains("\"counter_report_keys\":[\"acled:9\"]", answer);
    }

    [Fact]
    public void Json_TypedRead_OfAnotherKind_IsAnError()
    {
        var json = ComplaintEvents.ToJson(new ComplaintAcknowledged(Id, FiledAt, "m"));
        Assert.IsType<ComplaintAcknowledged>(ComplaintEvents.FromJson<ComplaintAcknowledged>(json));
        Assert.Throws<JsonException>(() => ComplaintEvents.FromJson<ComplaintRuled>(json));
    }

    [Theory]
    [InlineData("""{"kind":"complaint_withdrawn","complaint_id":"x","at":"2025-03-19T07:00:00Z","by":"u"}""", "Unknown complaint event kind")]
    [InlineData("""{"kind":"complaint_ruled","complaint_id":"x","at":"2025-03-19T07:00:00Z","by":"u","outcome":"maybe","reasons":"r"}""", "'outcome'")]
    [InlineData("""{"kind":"complaint_acknowledged","complaint_id":"x","by":"u"}""", "'at'")]
    [InlineData("""{"kind":"complaint_filed","complaint_id":"x","at":"2025-03-19T07:00:00Z","by":"u","complainant":"UA","accused":"UA","report_keys":["a"],"text":"t","response_period":"P3D","response_period_source":"default"}""", "cannot be the complainant")]
    [InlineData("""[1, 2]""", "JSON object")]
    public void Json_Invalid_IsAJsonExceptionSayingWhy(string json, string expected)
    {
        var e = Assert.Throws<JsonException>(() => ComplaintEvents.FromJson(json));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Answer_NonCounterAccusationNamingReports_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new ComplaintAnswered(Id, FiledAt, "ru.liaison", RU, AnswerKind.Denial, "No.", ["acled:1"]));
}

/// <summary>The agreement file's <c>complaints.response_period</c> key, which sets a complaint's deadline.</summary>
public class AgreementComplaintsKeyTests
{
    private const string Yaml = """
        agreement: test
        parties:
          - code: RU
          - code: UA
        phases:
          - id: energy
            status: proposed
        obligations:
          - id: energy-strikes
            phase: energy
            bound: all
            acts: [air_drone_strike]
            targets: all
            zones: { include: [UA] }
        """;

    private static readonly HashSet<string> Zones = ["UA"];

    private static ImportResult<AgreementFile> Parse(string yaml) => AgreementFileReader.Parse(yaml, "agreement.yaml", Zones);

    private static Agreement Valid(string yaml)
    {
        var result = Parse(yaml);
        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        return Assert.Single(result.Value!.Versions);
    }

    private static int LineOf(string yaml, string text) =>
        yaml.Split('\n').Select((l, i) => (l, i)).First(x => x.l.Contains(text, StringComparison.Ordinal)).i + 1;

    [Theory]
    [InlineData("complaints: { response_period: 72h }", 72)]
    [InlineData("complaints: { response_period: 3d }", 72)]
    [InlineData("complaints: { response_period: P3D }", 72)]
    [InlineData("complaints:\n  response_period: PT36H", 36)]
    public void Read_ResponsePeriod_IsParsed(string key, int hours)
    {
        var a = Valid(Yaml + "\n" + key);
        Assert.Equal(TimeSpan.FromHours(hours), a.ComplaintResponsePeriod);
        Assert.Equal(ResponsePeriodSource.Agreement, ResponsePeriod.For(a).Source);
    }

    [Fact]
    public void Read_NoComplaintsKey_LeavesThePeriodUnset_AndComplaintsUseTheDefault()
    {
        var a = Valid(Yaml);
        Assert.Null(a.ComplaintResponsePeriod);
        Assert.Equal(ResponsePeriod.Default, ResponsePeriod.For(a));
    }

    [Fact]
    public void Read_TheMarch2025Sample_HasNoResponsePeriod()
    {
        // The real March 2025 arrangements set no period for answering complaints; the sample must not invent one.
        var path = Path.Combine(AppContext.BaseDirectory, "samples", "march-2025", "agreement.yaml");
        var result = AgreementFileReader.Read(path);
        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.All(result.Value!.Versions, v => Assert.Null(v.ComplaintResponsePeriod));
    }

    [Fact]
    public void Read_BadDuration_IsAnErrorNamingLineAndKeyPath()
    {
        var yaml = Yaml + "\ncomplaints:\n  response_period: three days";
        var result = Parse(yaml);
        Assert.Null(result.Value);
        var e = Assert.Single(result.Errors);
        Assert.Equal("agreement.duration", e.Code);
        Assert.Equal("complaints.response_period", e.Field);
        Assert.Equal(LineOf(yaml, "three days"), e.Line);
        Assert.Equal(20, e.Column);
        Assert.Contains("'three days' is not a duration", e.Message);
        Assert.StartsWith($"agreement.yaml:{e.Line}:20: error agreement.duration complaints.response_period:", e.ToString());
    }

    [Fact]
    public void Read_UnknownKeyInsideComplaints_IsAnError()
    {
        var yaml = Yaml + "\ncomplaints:\n  response_period: 72h\n  respone_window: 24h";
        var result = Parse(yaml);
        Assert.Null(result.Value);
        var e = Assert.Single(result.Errors);
        Assert.Equal("agreement.unknown_key", e.Code);
        Assert.Equal("complaints.respone_window", e.Field);
        Assert.Equal(LineOf(yaml, "respone_window"), e.Line);
        Assert.Equal(3, e.Column);
        Assert.Contains("allowed here: response_period", e.Message);
    }

    [Fact]
    public void Read_ComplaintsNotAMapping_IsAnError()
    {
        var result = Parse(Yaml + "\ncomplaints: 72h");
        var e = Assert.Single(result.Errors);
        Assert.Equal("agreement.type", e.Code);
        Assert.Equal("complaints", e.Field);
    }

    [Fact]
    public void Agreement_NonPositiveResponsePeriod_IsRefused()
    {
        var a = Valid(Yaml);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new Agreement(a.Id, a.Version, a.Title, a.Effective, a.TimeZone, a.Parties, a.Phases, a.Obligations, a.DerivedZones, a.Source, TimeSpan.Zero));
    }
}

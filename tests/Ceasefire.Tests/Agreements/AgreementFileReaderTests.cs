using Ceasefire.Agreements;
using Ceasefire.Import.Agreements;
using Ceasefire.Import.Errors;

namespace Ceasefire.Tests.Agreements;

public class AgreementFileReaderTests
{
    private static readonly HashSet<string> Zones = ["UA", "RU", "line"];

    private const string Valid = """
        agreement: test
        version: 1
        title: Test
        time_zone: Europe/Moscow
        parties:
          - code: RU
            names: { en: Russia }
          - code: UA
            role: signatory
          - code: US
            role: mediator
        zones:
          derived:
            - id: both
              union: [UA, RU]
            - id: strip
              buffer: { of: line, km: 20 }
        phases:
          - id: energy
            name: Energy
            status: in_force
            start: 2025-03-18T19:30:00+03:00
            duration: 30d
            preconditions:
              - text: something
                demanded_by: RU
                status: unmet
          - id: sea
            status: proposed
        obligations:
          - id: energy-strikes
            phase: energy
            clause: No strikes on energy.
            bound: [RU, UA]
            acts: [air_drone_strike, "Shelling/artillery/missile attack"]
            targets: [energy.transmission, energy.nuclear]
            zones: { include: [both], exclude: [strip] }
            readings:
              - party: UA
                start: 2025-03-25
                end: 2025-04-24T00:00:00+03:00
                targets: ["energy.*"]
        """;

    /// <summary>1-based line of the first line of <paramref name="yaml"/> containing <paramref name="text"/>.</summary>
    private static int LineOf(string yaml, string text) =>
        yaml.Split('\n').Select((l, i) => (l, i)).First(x => x.l.Contains(text, StringComparison.Ordinal)).i + 1;

    private static ImportResult<AgreementFile> Parse(string yaml) => AgreementFileReader.Parse(yaml, "agreement.yaml", Zones);

    private static ImportError SingleError(string yaml)
    {
        var result = Parse(yaml);
        Assert.Null(result.Value);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void Read_ValidFile_GivesTheAgreement()
    {
        var result = Parse(Valid);
        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        var a = Assert.Single(result.Value!.Versions);
        Assert.Equal("test", a.Id);
        Assert.Equal(3, a.Parties.Count);
        Assert.Equal(Ceasefire.Parties.PartyRole.Mediator, a.Parties[2].Role);
        var phase = a.Phase("energy");
        Assert.Equal(new DateTimeOffset(2025, 3, 18, 16, 30, 0, TimeSpan.Zero), phase.Window!.Value.Start);
        Assert.Equal(new DateTimeOffset(2025, 4, 17, 16, 30, 0, TimeSpan.Zero), phase.Window!.Value.End);
        Assert.Equal(PhaseStatus.Proposed, a.Phase("sea").Status);
        var o = Assert.Single(a.Obligations);
        Assert.Equal(2, o.Acts.Count);
        Assert.Equal("both", o.IncludeZones.Single().Value);
        Assert.Equal("strip", o.ExcludeZones.Single().Value);
        var reading = Assert.Single(o.Readings);
        // A date without offset is midnight in the agreement's time zone (Moscow, UTC+3).
        Assert.Equal(new DateTimeOffset(2025, 3, 24, 21, 0, 0, TimeSpan.Zero), reading.Window!.Value.Start);
        Assert.True(reading.Targets!.Value.Contains(Ceasefire.Tests.Support.Build.Target("energy.coal")));
        Assert.Equal(DerivedZoneOperation.Buffer, a.DerivedZones[1].Operation);
        Assert.Equal(20, a.DerivedZones[1].Kilometres);
    }

    [Fact]
    public void Read_SeveralDocuments_GivesOneVersionEach()
    {
        var v2 = Valid.Replace("version: 1", "version: 2\neffective: 2025-04-01", StringComparison.Ordinal);
        var result = Parse(Valid + "\n---\n" + v2);
        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.Equal([1, 2], result.Value!.Versions.Select(v => v.Version));
        Assert.Equal(new DateTimeOffset(2025, 3, 31, 21, 0, 0, TimeSpan.Zero), result.Value.Versions[1].Effective);
    }

    [Fact]
    public void Read_UnknownZone_IsAnErrorWithLineColumnAndField()
    {
        var yaml = Valid.Replace("include: [both]", "include: [nowhere]", StringComparison.Ordinal);
        var e = SingleError(yaml);
        Assert.Equal("agreement.unknown_zone", e.Code);
        Assert.Equal("agreement.yaml", e.File);
        Assert.Equal(LineOf(yaml, "nowhere"), e.Line);
        Assert.Equal(yaml.Split('\n')[e.Line - 1].IndexOf("nowhere", StringComparison.Ordinal) + 1, e.Column);
        Assert.Equal("obligations[0].zones.include[0]", e.Field);
        Assert.Contains("nowhere", e.Message);
        Assert.StartsWith($"agreement.yaml:{e.Line}:{e.Column}: error agreement.unknown_zone", e.ToString());
    }

    [Fact]
    public void Read_UnknownParty_IsAnError()
    {
        var yaml = Valid.Replace("bound: [RU, UA]", "bound: [RU, XX]", StringComparison.Ordinal);
        var e = SingleError(yaml);
        Assert.Equal("agreement.unknown_party", e.Code);
        Assert.Equal("obligations[0].bound[1]", e.Field);
        Assert.Equal(LineOf(yaml, "XX"), e.Line);
    }

    [Fact]
    public void Read_UnknownActKind_IsAnError()
    {
        var e = SingleError(Valid.Replace("acts: [air_drone_strike,", "acts: [carpet_bombing,", StringComparison.Ordinal));
        Assert.Equal("agreement.unknown_act", e.Code);
        Assert.Equal("obligations[0].acts[0]", e.Field);
        Assert.Contains("carpet_bombing", e.Message);
    }

    [Fact]
    public void Read_UnknownTargetCategory_IsAnError()
    {
        var e = SingleError(Valid.Replace("energy.nuclear]", "energy.fusion]", StringComparison.Ordinal));
        Assert.Equal("agreement.unknown_target", e.Code);
        Assert.Equal("obligations[0].targets[1]", e.Field);
    }

    [Fact]
    public void Read_UnknownKey_IsAnErrorSuggestingTheRightOne()
    {
        var yaml = Valid.Replace("    clause:", "    clasue:", StringComparison.Ordinal);
        var e = SingleError(yaml);
        Assert.Equal("agreement.unknown_key", e.Code);
        Assert.Equal("obligations[0].clasue", e.Field);
        Assert.Contains("did you mean 'clause'", e.Message);
        Assert.Equal(LineOf(yaml, "clasue"), e.Line);
        Assert.Equal(5, e.Column);
    }

    [Fact]
    public void Read_UnknownPhase_IsAnError()
    {
        var e = SingleError(Valid.Replace("phase: energy", "phase: nuclear", StringComparison.Ordinal));
        Assert.Equal("agreement.unknown_phase", e.Code);
        Assert.Equal("obligations[0].phase", e.Field);
    }

    [Fact]
    public void Read_BadTime_IsAnError()
    {
        var yaml = Valid.Replace("start: 2025-03-18T19:30:00+03:00", "start: 18/03/2025", StringComparison.Ordinal);
        var e = SingleError(yaml);
        Assert.Equal("agreement.time", e.Code);
        Assert.Equal("phases[0].start", e.Field);
        Assert.Equal(LineOf(yaml, "18/03/2025"), e.Line);
    }

    [Fact]
    public void Read_EndBeforeStart_IsAnError()
    {
        var e = SingleError(Valid.Replace("end: 2025-04-24T00:00:00+03:00", "end: 2025-03-01T00:00:00+03:00", StringComparison.Ordinal));
        Assert.Equal("agreement.window", e.Code);
        Assert.Equal("obligations[0].readings[0].end", e.Field);
    }

    [Fact]
    public void Read_BadDuration_IsAnError()
    {
        var e = SingleError(Valid.Replace("duration: 30d", "duration: a month", StringComparison.Ordinal));
        Assert.Equal("agreement.duration", e.Code);
        Assert.Equal("phases[0].duration", e.Field);
    }

    [Fact]
    public void Read_InForcePhaseWithoutStart_IsAnError()
    {
        var e = SingleError(Valid.Replace("    start: 2025-03-18T19:30:00+03:00\n    duration: 30d\n", "", StringComparison.Ordinal));
        Assert.Equal("agreement.missing", e.Code);
        Assert.Equal("phases[0].start", e.Field);
    }

    [Fact]
    public void Read_BadStatus_IsAnErrorListingTheChoices()
    {
        var e = SingleError(Valid.Replace("status: in_force", "status: maybe", StringComparison.Ordinal));
        Assert.Equal("agreement.enum", e.Code);
        Assert.Contains("in_force", e.Message);
    }

    [Fact]
    public void Read_UnknownTimeZone_IsAnError()
    {
        var e = SingleError(Valid.Replace("Europe/Moscow", "Mars/Olympus", StringComparison.Ordinal));
        Assert.Equal("agreement.time_zone", e.Code);
        Assert.Equal(4, e.Line);
        Assert.Equal(12, e.Column);
    }

    [Fact]
    public void Read_BufferWithoutKilometres_IsAnError()
    {
        var e = SingleError(Valid.Replace("{ of: line, km: 20 }", "{ of: line }", StringComparison.Ordinal));
        Assert.Equal("zones.derived[1].buffer.km", e.Field);
    }

    [Fact]
    public void Read_DerivedZoneOfUnknownZone_IsAnError()
    {
        var e = SingleError(Valid.Replace("union: [UA, RU]", "union: [UA, BY]", StringComparison.Ordinal));
        Assert.Equal("agreement.unknown_zone", e.Code);
        Assert.Contains("BY", e.Message);
    }

    [Fact]
    public void Read_DuplicateObligationId_IsAnError()
    {
        var twice = Valid + """

              - id: energy-strikes
                phase: energy
                bound: all
                acts: [armed_clash]
                targets: all
                zones: { include: [UA] }
            """;
        var e = SingleError(twice);
        Assert.Equal("agreement.duplicate_obligation", e.Code);
        Assert.Equal("obligations[1].id", e.Field);
    }

    [Fact]
    public void Read_YamlSyntaxError_NamesLineAndColumn()
    {
        var e = SingleError("agreement: test\nparties: [RU\nphases: x\n");
        Assert.Equal("agreement.syntax", e.Code);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void Read_SeveralErrors_AreAllReported()
    {
        var bad = Valid.Replace("bound: [RU, UA]", "bound: [RU, XX]", StringComparison.Ordinal)
            .Replace("energy.nuclear]", "energy.fusion]", StringComparison.Ordinal)
            .Replace("include: [both]", "include: [nowhere]", StringComparison.Ordinal);
        var result = Parse(bad);
        Assert.Equal(["agreement.unknown_party", "agreement.unknown_target", "agreement.unknown_zone"], result.Errors.Select(e => e.Code).Order().ToArray());
    }

    [Fact]
    public void Read_MissingFile_IsAnErrorNotAnException()
    {
        var result = AgreementFileReader.Read("/nonexistent/agreement.yaml");
        Assert.Equal("agreement.io", Assert.Single(result.Errors).Code);
    }
}

using Ceasefire.Adjudication;
using Ceasefire.Cli.Commands;
using Ceasefire.Findings;
using Ceasefire.Incidents;
using Ceasefire.Taxonomy;

namespace Ceasefire.Tests.Samples;

/// <summary>
/// The March 2025 sample scenario, loaded from samples/march-2025 exactly as the CLI loads it, ruled as the public
/// record implies (see samples/march-2025/SOURCES.md).
/// </summary>
public class March2025ScenarioTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "samples", "march-2025");

    private static readonly Lazy<(Adjudicator Adjudicator, IReadOnlyList<Incident> Incidents)> Scenario = new(() =>
    {
        var err = new StringWriter();
        var loaded = Inputs.Load([new FileInfo(Path.Combine(Dir, "agreement.yaml"))], null, repairZones: true, err)
            ?? throw new InvalidOperationException(err.ToString());
        var read = IncidentFiles.Read(Path.Combine(Dir, "incidents.csv"), loaded.Versions[0].TimeZone);
        if (read.Problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("\n", read.Problems));
        }
        return (new Adjudicator(loaded.Versions, loaded.Zones, loaded.Lines), read.Incidents);
    });

    private static Finding EnergyFinding(string incident, string reading)
    {
        var (adjudicator, incidents) = Scenario.Value;
        var i = incidents.Single(x => x.Id.Value == incident);
        return adjudicator.Adjudicate(i).Single(f => f.ObligationId == "energy-strikes" && f.ReadingLabel == reading);
    }

    [Theory]
    // Kavkazskaya oil station, 19 March: inside Russia's window, before Ukraine's.
    [InlineData("CFM-2025-0001", "RU", Verdict.Violation)]
    [InlineData("CFM-2025-0001", "UA", Verdict.NotCovered)]
    // Railway traction power, Dnipropetrovsk, 19 March: rail is on neither list.
    [InlineData("CFM-2025-0002", "RU", Verdict.NotCovered)]
    [InlineData("CFM-2025-0002", "UA", Verdict.NotCovered)]
    // Sudzha gas metering station, 21 March 00:20 MSK (Russia's claim) and Ukraine's counter-claim.
    [InlineData("CFM-2025-0003", "RU", Verdict.Violation)]
    [InlineData("CFM-2025-0003", "UA", Verdict.NotCovered)]
    [InlineData("CFM-2025-0004", "RU", Verdict.Violation)]
    [InlineData("CFM-2025-0004", "UA", Verdict.NotCovered)]
    // Poltava gas production, 28 March: only on Ukraine's list.
    [InlineData("CFM-2025-0005", "RU", Verdict.NotCovered)]
    [InlineData("CFM-2025-0005", "UA", Verdict.Violation)]
    // Sudzha again, 28 March 10:20 MSK: inside both windows, pipelines on both lists.
    [InlineData("CFM-2025-0006", "RU", Verdict.Violation)]
    [InlineData("CFM-2025-0006", "UA", Verdict.Violation)]
    // Bryansk substation, 17 April (day precision): straddles the end of Russia's window; inside Ukraine's.
    [InlineData("CFM-2025-0007", "RU", Verdict.PossibleViolation)]
    [InlineData("CFM-2025-0007", "UA", Verdict.Violation)]
    // Kurskenergo "energy facility", 25 March: type unstated; on Ukraine's side the day also straddles its start.
    [InlineData("CFM-2025-0008", "RU", Verdict.PossibleViolation)]
    [InlineData("CFM-2025-0008", "UA", Verdict.PossibleViolation)]
    public void EnergyMoratorium_IsRuledAsTheRecordImplies(string incident, string reading, Verdict expected)
    {
        var f = EnergyFinding(incident, reading);
        Assert.True(expected == f.Verdict, f.Explain() + "\n" + string.Join("\n", f.Checks));
        Assert.Equal(1, f.AgreementVersion);
    }

    [Fact]
    public void Kavkazskaya_UnderUkrainesReading_FailsOnTheWindowOnly()
    {
        var f = EnergyFinding("CFM-2025-0001", "UA");
        var failed = Assert.Single(f.Failed);
        Assert.Equal(Aspect.Window, failed.Aspect);
        Assert.Contains("UA reading", failed.Detail);
    }

    [Fact]
    public void RailwayTractionPower_IsClassifiedAsRailFromTheNotes()
    {
        var (_, incidents) = Scenario.Value;
        var i = incidents.Single(x => x.Id.Value == "CFM-2025-0002");
        Assert.Equal("rail", i.Target.Category.Code);
        Assert.Equal(TargetBasis.Inferred, i.Target.Basis);
        var f = EnergyFinding("CFM-2025-0002", "RU");
        Assert.Equal(Aspect.Target, Assert.Single(f.Failed).Aspect);
        Assert.Contains("inferred from the words", Assert.Single(f.Failed).Detail);
    }

    [Fact]
    public void PoltavaGasProduction_UnderRussiasReading_FailsOnTheTargetList()
    {
        var f = EnergyFinding("CFM-2025-0005", "RU");
        Assert.Equal(Aspect.Target, Assert.Single(f.Failed).Aspect);
        Assert.Equal("energy.gas_production", Scenario.Value.Incidents.Single(x => x.Id.Value == "CFM-2025-0005").Target.Category.Code);
    }

    [Fact]
    public void BryanskSubstation_UnderRussiasReading_IsUncertainOnlyAboutTheWindow()
    {
        var f = EnergyFinding("CFM-2025-0007", "RU");
        var check = Assert.Single(f.Uncertain);
        Assert.Equal(Aspect.Window, check.Aspect);
        Assert.Contains("straddles", check.Detail);
    }

    [Fact]
    public void ProposedPhases_BindNobody()
    {
        var (adjudicator, incidents) = Scenario.Value;
        var findings = incidents.SelectMany(adjudicator.Adjudicate).Where(f => f.PhaseId is "black-sea" or "full-ceasefire").ToList();
        Assert.Equal(incidents.Count * 2, findings.Count);
        Assert.All(findings, f =>
        {
            Assert.Equal(Verdict.NotCovered, f.Verdict);
            Assert.Contains(f.Failed, c => c.Aspect == Aspect.Phase && c.Detail.Contains("only proposed", StringComparison.Ordinal));
        });
    }

    [Fact]
    public void Zones_RussiasOutlineIsRepairedAndCrimeaCountsAsUkraine()
    {
        var (adjudicator, _) = Scenario.Value;
        var zones = adjudicator.Zones;
        int Index(string id) => zones.IndexOf(new Ceasefire.Zones.ZoneId(id));
        Assert.True(zones[Index("RU-outline")].Geometry.IsValid);
        // Simferopol, Crimea: inside internationally recognised Ukraine, not inside recognised Russia.
        Assert.Equal(Ceasefire.Zones.PointLocation.Inside, zones.Locate(Index("UA-recognised"), 34.1024, 44.9521));
        Assert.Equal(Ceasefire.Zones.PointLocation.Outside, zones.Locate(Index("RU-recognised"), 34.1024, 44.9521));
        // Kursk: Russia.
        Assert.Equal(Ceasefire.Zones.PointLocation.Inside, zones.Locate(Index("RU-recognised"), 36.19, 51.73));
    }
}

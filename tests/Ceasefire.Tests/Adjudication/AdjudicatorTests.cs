using Ceasefire.Adjudication;
using Ceasefire.Agreements;
using Ceasefire.Findings;
using Ceasefire.Incidents;
using Ceasefire.Time;
using Ceasefire.Zones;
using Ceasefire.Tests.Support;
using static Ceasefire.Tests.Support.Build;

namespace Ceasefire.Tests.Adjudication;

public class AdjudicatorTests
{
    // Zone Z: the square [0,10] x [0,10] degrees with a hole [4,6] x [8,9].
    private static readonly ZoneLibrary Zones = new([Zone("Z", Square(0, 0, 10, 10, (4, 8, 6, 9))), Zone("X", Square(2, 2, 3, 3))]);

    private static Finding RuleOne(Agreement agreement, Incident incident) =>
        Assert.Single(new Adjudicator([agreement], Zones).Adjudicate(incident));

    private static Finding RuleOne(Incident incident, Obligation? obligation = null) =>
        RuleOne(Agreement([obligation ?? Obligation()]), incident);

    [Fact]
    public void Adjudicate_StrikeOnSubstationInsideWindowAndZone_IsViolation()
    {
        var f = RuleOne(Incident());
        Assert.Equal(Verdict.Violation, f.Verdict);
        Assert.All(f.Checks, c => Assert.Equal(Outcome.Matches, c.Outcome));
        Assert.Equal(1, f.AgreementVersion);
        Assert.Contains("violation", f.Explain());
    }

    [Fact]
    public void Adjudicate_InstantAtWindowStart_IsInside_StartInclusive()
    {
        Assert.Equal(Verdict.Violation, RuleOne(Incident(time: IncidentTime.At(Utc(3, 18)))).Verdict);
    }

    [Fact]
    public void Adjudicate_InstantAtWindowEnd_IsNotCovered_EndExclusive()
    {
        var f = RuleOne(Incident(time: IncidentTime.At(Utc(4, 17))));
        Assert.Equal(Verdict.NotCovered, f.Verdict);
        Assert.Equal(Aspect.Window, Assert.Single(f.Failed).Aspect);
    }

    [Fact]
    public void Adjudicate_InstantJustBeforeWindowEnd_IsViolation()
    {
        Assert.Equal(Verdict.Violation, RuleOne(Incident(time: IncidentTime.At(Utc(4, 17).AddTicks(-1)))).Verdict);
    }

    [Fact]
    public void Adjudicate_DayPrecisionOnFirstDayOfWindowStartingMidDay_IsPossibleViolation()
    {
        var agreement = Agreement([Obligation()], new TimeWindow(Utc(3, 18, 16, 30), Utc(4, 17, 16, 30)));
        var f = RuleOne(agreement, Incident(time: IncidentTime.Day(new DateOnly(2025, 3, 18), TimeZoneInfo.Utc)));
        Assert.Equal(Verdict.PossibleViolation, f.Verdict);
        Assert.Equal(Aspect.Window, Assert.Single(f.Uncertain).Aspect);
        Assert.Contains("straddles", Assert.Single(f.Uncertain).Detail);
    }

    [Fact]
    public void Adjudicate_DayPrecisionOnLastDayOfWindow_IsPossibleViolation()
    {
        var agreement = Agreement([Obligation()], new TimeWindow(Utc(3, 18, 16, 30), Utc(4, 17, 16, 30)));
        var f = RuleOne(agreement, Incident(time: IncidentTime.Day(new DateOnly(2025, 4, 17), TimeZoneInfo.Utc)));
        Assert.Equal(Verdict.PossibleViolation, f.Verdict);
    }

    [Fact]
    public void Adjudicate_DayPrecisionWhollyInsideWindow_IsViolation()
    {
        var agreement = Agreement([Obligation()], new TimeWindow(Utc(3, 18, 16, 30), Utc(4, 17, 16, 30)));
        Assert.Equal(Verdict.Violation, RuleOne(agreement, Incident(time: IncidentTime.Day(new DateOnly(2025, 3, 19), TimeZoneInfo.Utc))).Verdict);
    }

    [Fact]
    public void Adjudicate_DayEndingExactlyAtWindowStart_IsNotCovered()
    {
        // Window starts at midnight 18 March: the day of 17 March ends exactly there and shares no instant with it.
        var f = RuleOne(Incident(time: IncidentTime.Day(new DateOnly(2025, 3, 17), TimeZoneInfo.Utc)));
        Assert.Equal(Verdict.NotCovered, f.Verdict);
    }

    [Fact]
    public void Adjudicate_DayPrecisionUsesTheGivenTimeZone()
    {
        // The window starts 18 March 00:00 UTC; 18 March in Moscow (UTC+3) begins 17 March 21:00 UTC and straddles it.
        var moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
        var f = RuleOne(Incident(time: IncidentTime.Day(new DateOnly(2025, 3, 18), moscow)));
        Assert.Equal(Verdict.PossibleViolation, f.Verdict);
    }

    [Fact]
    public void Adjudicate_UnknownPerpetrator_IsPossibleViolationWithAttributionUndetermined()
    {
        var f = RuleOne(Incident(undetermined: true));
        Assert.Equal(Verdict.PossibleViolation, f.Verdict);
        var check = Assert.Single(f.Uncertain);
        Assert.Equal(Aspect.Party, check.Aspect);
        Assert.Contains("attribution undetermined", check.Detail);
    }

    [Fact]
    public void Adjudicate_PerpetratorNotBound_IsNotCovered()
    {
        var f = RuleOne(Incident(perpetrator: UA), Obligation(bound: [RU]));
        Assert.Equal(Verdict.NotCovered, f.Verdict);
        Assert.Equal(Aspect.Party, Assert.Single(f.Failed).Aspect);
    }

    [Fact]
    public void Adjudicate_ActNotProhibited_IsNotCovered()
    {
        var f = RuleOne(Incident(act: "armed_clash"));
        Assert.Equal(Verdict.NotCovered, f.Verdict);
        Assert.Equal(Aspect.Act, Assert.Single(f.Failed).Aspect);
    }

    [Fact]
    public void Adjudicate_ActOfUnknownKind_IsPossibleViolation()
    {
        var f = RuleOne(Incident(act: "unknown"));
        Assert.Equal(Verdict.PossibleViolation, f.Verdict);
        var check = Assert.Single(f.Uncertain);
        Assert.Equal(Aspect.Act, check.Aspect);
        Assert.Contains("not reported", check.Detail);
        var bulk = new Adjudicator([Agreement([Obligation()])], Zones).AdjudicateBulk(IncidentBatch.Of([Incident(act: "unknown")]));
        Assert.Equal(Uncertainty.Act, Assert.Single(bulk.Findings).Uncertain);
    }

    [Fact]
    public void Adjudicate_TargetNotProtected_IsNotCovered()
    {
        var f = RuleOne(Incident(target: "rail"));
        Assert.Equal(Verdict.NotCovered, f.Verdict);
        Assert.Equal(Aspect.Target, Assert.Single(f.Failed).Aspect);
        Assert.Contains("rail", Assert.Single(f.Failed).Detail);
    }

    [Fact]
    public void Adjudicate_UnknownTarget_IsPossibleViolation()
    {
        var f = RuleOne(Incident(target: "unknown"));
        Assert.Equal(Verdict.PossibleViolation, f.Verdict);
        Assert.Equal(Aspect.Target, Assert.Single(f.Uncertain).Aspect);
    }

    [Fact]
    public void Adjudicate_UnknownTargetWhenEveryTargetIsProtected_IsViolation()
    {
        Assert.Equal(Verdict.Violation, RuleOne(Incident(target: "unknown"), Obligation(targets: TargetSet.All)).Verdict);
    }

    [Fact]
    public void Adjudicate_EnergyOfUnstatedTypeAgainstPartOfEnergyList_IsPossibleViolation()
    {
        Assert.Equal(Verdict.PossibleViolation, RuleOne(Incident(target: "energy.unspecified")).Verdict);
    }

    [Fact]
    public void Adjudicate_EnergyOfUnstatedTypeAgainstWholeEnergyFamily_IsViolation()
    {
        Assert.True(Ceasefire.Taxonomy.TargetCategories.TryExpand("energy.*", out var energy));
        Assert.Equal(Verdict.Violation, RuleOne(Incident(target: "energy.unspecified"), Obligation(targets: TargetSet.Of(energy))).Verdict);
    }

    [Fact]
    public void Adjudicate_EnergyOfUnstatedTypeAgainstNoEnergy_IsNotCovered()
    {
        var f = RuleOne(Incident(target: "energy.unspecified"), Obligation(targets: TargetSet.Of([Target("rail")])));
        Assert.Equal(Verdict.NotCovered, f.Verdict);
    }

    [Fact]
    public void Adjudicate_PointOutsideZone_IsNotCovered()
    {
        var f = RuleOne(Incident(lon: 11, lat: 5));
        Assert.Equal(Verdict.NotCovered, f.Verdict);
        Assert.Equal(Aspect.Zone, Assert.Single(f.Failed).Aspect);
    }

    [Fact]
    public void Adjudicate_PointInHole_IsNotCovered()
    {
        Assert.Equal(Verdict.NotCovered, RuleOne(Incident(lon: 5, lat: 8.5)).Verdict);
    }

    [Fact]
    public void Adjudicate_PointExactlyOnEdge_IsPossibleViolation()
    {
        var f = RuleOne(Incident(lon: 10, lat: 5));
        Assert.Equal(Verdict.PossibleViolation, f.Verdict);
        Assert.Equal(Aspect.Zone, Assert.Single(f.Uncertain).Aspect);
    }

    [Fact]
    public void Adjudicate_PointOnHoleEdge_IsPossibleViolation()
    {
        Assert.Equal(Verdict.PossibleViolation, RuleOne(Incident(lon: 5, lat: 8)).Verdict);
    }

    [Fact]
    public void Adjudicate_UncertaintyCircleCrossingZoneEdge_IsPossibleViolation()
    {
        // 0.05 degrees of longitude west of the edge x=10 at latitude 5 is about 5.5 km; a 10 km circle crosses it.
        var f = RuleOne(Incident(lon: 9.95, lat: 5, radiusMetres: 10_000));
        Assert.Equal(Verdict.PossibleViolation, f.Verdict);
        Assert.Contains("uncertainty circle", Assert.Single(f.Uncertain).Detail);
    }

    [Fact]
    public void Adjudicate_UncertaintyCircleWhollyInside_IsViolation()
    {
        Assert.Equal(Verdict.Violation, RuleOne(Incident(lon: 9.95, lat: 5, radiusMetres: 5_000)).Verdict);
    }

    [Fact]
    public void Adjudicate_UncertaintyCircleOutsideButReachingZone_IsPossibleViolation()
    {
        Assert.Equal(Verdict.PossibleViolation, RuleOne(Incident(lon: 10.05, lat: 5, radiusMetres: 10_000)).Verdict);
    }

    [Fact]
    public void Adjudicate_PointInExcludedZone_IsNotCovered()
    {
        var f = RuleOne(Incident(lon: 2.5, lat: 2.5), Obligation(exclude: ["X"]));
        Assert.Equal(Verdict.NotCovered, f.Verdict);
        Assert.Contains("excluded", Assert.Single(f.Failed).Detail);
    }

    [Fact]
    public void Adjudicate_ObligationOfProposedPhase_IsNotCovered()
    {
        var f = RuleOne(Agreement([Obligation()], status: PhaseStatus.Proposed, phaseWindow: null), Incident());
        Assert.Equal(Verdict.NotCovered, f.Verdict);
        Assert.Contains(f.Failed, c => c.Aspect == Aspect.Phase);
    }

    [Fact]
    public void Adjudicate_ObligationOfExpiredPhase_StillBindsWithinItsWindow()
    {
        Assert.Equal(Verdict.Violation, RuleOne(Agreement([Obligation()], status: PhaseStatus.Expired), Incident()).Verdict);
    }

    [Fact]
    public void Adjudicate_TwoReadings_GiveOneFindingEachWithTheirOwnWindowsAndTargets()
    {
        var ru = new Reading(RU, new TimeWindow(Utc(3, 18), Utc(4, 17)), null, "RU");
        var ua = new Reading(UA, new TimeWindow(Utc(3, 25), Utc(4, 24)), TargetSet.Of([Target("energy.gas_production")]), "UA");
        var agreement = Agreement([Obligation(readings: [ru, ua])]);
        var adjudicator = new Adjudicator([agreement], Zones);

        var early = adjudicator.Adjudicate(Incident(time: IncidentTime.At(Utc(3, 20)), target: "energy.transmission"));
        Assert.Equal(2, early.Count);
        Assert.Equal(Verdict.Violation, early.Single(f => f.Reading == RU).Verdict);
        var uaFinding = early.Single(f => f.Reading == UA);
        Assert.Equal(Verdict.NotCovered, uaFinding.Verdict);
        Assert.Equal([Aspect.Target, Aspect.Window], uaFinding.Failed.Select(c => c.Aspect).ToArray());
        Assert.Contains("UA reading", uaFinding.Failed.First(c => c.Aspect == Aspect.Window).Detail);

        var gas = adjudicator.Adjudicate(Incident(time: IncidentTime.At(Utc(4, 20)), target: "energy.gas_production"));
        Assert.Equal(Verdict.NotCovered, gas.Single(f => f.Reading == RU).Verdict);
        Assert.Equal(Verdict.Violation, gas.Single(f => f.Reading == UA).Verdict);
    }

    [Fact]
    public void Adjudicate_Amendment_AppliesFromItsEffectiveInstantAndFindingsRecordTheVersion()
    {
        var v1 = Agreement([Obligation()], version: 1);
        var v2 = Agreement([Obligation(targets: TargetSet.Of([Target("energy.transmission"), Target("rail")]))], version: 2, effective: Utc(4, 1));
        var adjudicator = new Adjudicator([v2, v1], Zones);

        var before = Assert.Single(adjudicator.Adjudicate(Incident(time: IncidentTime.At(Utc(3, 25)), target: "rail")));
        Assert.Equal(1, before.AgreementVersion);
        Assert.Equal(Verdict.NotCovered, before.Verdict);

        var after = Assert.Single(adjudicator.Adjudicate(Incident(time: IncidentTime.At(Utc(4, 2)), target: "rail")));
        Assert.Equal(2, after.AgreementVersion);
        Assert.Equal(Verdict.Violation, after.Verdict);
    }

    [Fact]
    public void Adjudicate_ConfidenceFollowsGradeAndIsHalvedForPossibleViolations()
    {
        var sure = RuleOne(Incident(grade: "A1"));
        var possible = RuleOne(Incident(grade: "A1", undetermined: true));
        var weak = RuleOne(Incident(grade: "D4"));
        Assert.Equal(1.0, sure.Confidence);
        Assert.Equal(0.5, possible.Confidence);
        Assert.True(weak.Confidence < sure.Confidence);
    }

    [Fact]
    public void AdjudicateBulk_GivesTheSameCoveredFindingsAsTheFullPath()
    {
        var ru = new Reading(RU, new TimeWindow(Utc(3, 18, 16, 30), Utc(4, 17, 16, 30)), null, null);
        var ua = new Reading(UA, new TimeWindow(Utc(3, 25), Utc(4, 24)), TargetSet.Of([Target("energy.gas_production"), Target("energy.transmission")]), null);
        var agreement = Agreement([
            Obligation(readings: [ru, ua], exclude: ["X"]),
            Obligation(id: "o2", acts: ["armed_clash"], targets: TargetSet.All),
            Obligation(id: "o3", include: ["X", "Z"], targets: TargetSet.All), // two overlapping zones: one finding, not two
        ]);
        var adjudicator = new Adjudicator([agreement], Zones);
        var random = new Random(42);
        string[] acts = ["air_drone_strike", "shelling_artillery_missile", "armed_clash", "attack"];
        string[] targets = ["energy.transmission", "energy.gas_production", "rail", "unknown", "energy.unspecified"];
        var incidents = Enumerable.Range(0, 3000).Select(i =>
        {
            var day = new DateOnly(2025, 3, 10).AddDays(random.Next(50));
            var time = random.Next(3) switch
            {
                0 => IncidentTime.Day(day, TimeZoneInfo.Utc),
                1 => IncidentTime.At(day.ToDateTime(TimeOnly.MinValue).AddMinutes(random.Next(1440))),
                _ => IncidentTime.Week(day, TimeZoneInfo.Utc),
            };
            var onEdge = random.Next(20) == 0;
            return Incident($"i{i}", time, onEdge ? 10 : random.NextDouble() * 12 - 1, random.NextDouble() * 12 - 1,
                random.Next(4) == 0 ? 20_000 : 0, acts[random.Next(acts.Length)], targets[random.Next(targets.Length)],
                random.Next(2) == 0 ? RU : UA, undetermined: random.Next(10) == 0);
        }).ToList();

        var full = incidents.SelectMany(i => adjudicator.Adjudicate(i)).Where(f => f.Verdict != Verdict.NotCovered)
            .Select(f => (f.IncidentId.Value, f.ObligationId, f.ReadingLabel, f.Verdict)).ToList();
        var bulk = adjudicator.AdjudicateBulk(IncidentBatch.Of(incidents));
        var fromBulk = bulk.Findings.Select(f =>
        {
            var (_, o, r) = adjudicator.DescribeRule(f.Rule);
            return (incidents[f.Incident].Id.Value, o.Id, r?.Party.Value ?? "text", f.Verdict);
        }).ToList();

        Assert.True(full.Count > 300, $"the test should produce many covered findings, got {full.Count}");
        Assert.Contains(full, f => f.Verdict == Verdict.PossibleViolation);
        Assert.Contains(full, f => f.Verdict == Verdict.Violation);
        Assert.Equal(full, fromBulk);
    }

    [Fact]
    public void AdjudicateBulk_IsDeterministicAcrossThreadCounts()
    {
        var adjudicator = new Adjudicator([Agreement([Obligation(targets: TargetSet.All)])], Zones);
        var random = new Random(7);
        var batch = new IncidentBatch();
        for (var i = 0; i < 50_000; i++)
        {
            batch.Add($"i{i}", Utc(3, 20).UtcTicks, Utc(3, 20).UtcTicks, random.NextDouble() * 12 - 1, random.NextDouble() * 12 - 1, 0, Act("air_drone_strike"), Target("rail"), null);
        }
        var one = adjudicator.AdjudicateBulk(batch, maxDegreeOfParallelism: 1).Findings;
        var many = adjudicator.AdjudicateBulk(batch).Findings;
        Assert.Equal(one, many);
        Assert.InRange(one.Count, 30_000, 40_000);
    }

    [Fact]
    public void Constructor_ObligationNamingUnknownZone_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new Adjudicator([Agreement([Obligation(include: ["nowhere"])])], Zones));
        Assert.Contains("nowhere", e.Message);
    }
}

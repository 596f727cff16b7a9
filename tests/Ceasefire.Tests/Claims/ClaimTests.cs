using System.Reflection;
using Ceasefire.Claims;
using Ceasefire.Parties;

namespace Ceasefire.Tests.Claims;

public class ClaimTests
{
    private static readonly PartyCode UA = new("UA");
    private static readonly PartyCode RU = new("RU");
    private static readonly DateTimeOffset Day = new(2025, 4, 20, 0, 0, 0, TimeSpan.FromHours(3));

    private static AggregateClaim Claim(
        string id, int count, int asOfHour, bool cumulative = true, string series = "s", CountQualifier qualifier = CountQualifier.Exact,
        DateTimeOffset? from = null, DateTimeOffset? to = null, PartyCode? claimant = null) =>
        new(new ClaimId(id), new ClaimSeriesId(series), claimant ?? UA, RU, "violations", from ?? Day, to ?? Day.AddDays(1), count, qualifier,
            null, cumulative, Day.AddHours(asOfHour), "statement", new Uri("https://example.org/" + id));

    [Fact]
    public void Total_OfACumulativeSeries_IsTheLatestRunningTotal_NotTheSum()
    {
        var series = new ClaimSeries([Claim("c20", 2000, 20, qualifier: CountQualifier.AtLeast), Claim("c24", 2935, 24), Claim("c12", 800, 12)]);
        var total = series.Total;
        Assert.Equal(2935, total.Count);
        Assert.Equal(CountQualifier.Exact, total.Qualifier);
        Assert.Equal(ClaimTotalBasis.LatestRunningTotal, total.Basis);
        Assert.Equal("c24", Assert.Single(total.Claims).Id.Value);
        Assert.Equal(["c12", "c20", "c24"], series.Claims.Select(c => c.Id.Value));
        Assert.Empty(series.Overlaps);
    }

    [Fact]
    public void Total_OfACumulativeSeries_KeepsTheLatestQualifier()
    {
        var total = new ClaimSeries([Claim("a", 60, 10, qualifier: CountQualifier.AtLeast), Claim("b", 80, 14, qualifier: CountQualifier.AtLeast)]).Total;
        Assert.Equal(80, total.Count);
        Assert.Equal("more than 80", total.ToString());
    }

    [Fact]
    public void Increments_OfACumulativeSeries_ArePerPublication()
    {
        var increments = new ClaimSeries([Claim("a", 5, 6), Claim("b", 26, 12), Claim("c", 46, 16), Claim("d", 67, 20), Claim("e", 96, 24)]).Increments();
        Assert.Equal([5L, 21, 20, 21, 29], increments.Select(i => i.Increment));
        Assert.All(increments, i => Assert.False(i.IsNegative));
        Assert.Null(increments[0].Previous);
        Assert.Equal(Day, increments[0].From);
        Assert.Equal(Day.AddHours(6), increments[1].From);
        Assert.Equal(Day.AddHours(12), increments[1].To);
    }

    [Fact]
    public void Increments_Negative_IsKeptAndFlagged()
    {
        var increments = new ClaimSeries([Claim("a", 100, 6), Claim("b", 90, 12), Claim("c", 120, 18)]).Increments();
        Assert.Equal([100L, -10, 30], increments.Select(i => i.Increment));
        Assert.Equal([false, true, false], increments.Select(i => i.IsNegative));
    }

    [Fact]
    public void Increments_FromOrToAQualifiedCount_AreApproximate()
    {
        var increments = new ClaimSeries([Claim("a", 2000, 20, qualifier: CountQualifier.AtLeast), Claim("b", 2935, 24)]).Increments();
        Assert.Equal([2000L, 935], increments.Select(i => i.Increment));
        Assert.All(increments, i => Assert.True(i.IsApproximate));
    }

    [Fact]
    public void Increments_OfANonCumulativeSeries_AreRefused()
    {
        var series = new ClaimSeries([Claim("a", 10, 1, cumulative: false, to: Day.AddHours(1))]);
        var e = Assert.Throws<InvalidOperationException>(series.Increments);
        Assert.Contains("not cumulative", e.Message);
    }

    [Fact]
    public void Total_OfANonCumulativeSeries_IsTheSumOfItsPeriods()
    {
        var series = new ClaimSeries(
        [
            Claim("night", 387, 6, cumulative: false, from: Day.AddHours(-6), to: Day),
            Claim("day", 1882, 24, cumulative: false, from: Day, to: Day.AddDays(1)),
            Claim("next", 12, 30, cumulative: false, from: Day.AddDays(1), to: Day.AddDays(1).AddHours(6), qualifier: CountQualifier.AtLeast),
        ]);
        var total = series.Total;
        Assert.Equal(387 + 1882 + 12, total.Count);
        Assert.Equal(ClaimTotalBasis.SumOfPeriods, total.Basis);
        Assert.Equal(CountQualifier.AtLeast, total.Qualifier);
        Assert.Equal(3, total.Claims.Count);
    }

    [Fact]
    public void Total_SumWithAnApproximateCount_IsApproximate()
    {
        var total = new ClaimSeries(
        [
            Claim("a", 10, 1, cumulative: false, from: Day, to: Day.AddHours(1), qualifier: CountQualifier.AtLeast),
            Claim("b", 20, 2, cumulative: false, from: Day.AddHours(1), to: Day.AddHours(2), qualifier: CountQualifier.About),
        ]).Total;
        Assert.Equal(CountQualifier.About, total.Qualifier);
    }

    [Fact]
    public void Total_OfOverlappingNonCumulativePeriods_IsAnErrorNamingBothClaims()
    {
        var series = new ClaimSeries(
        [
            Claim("whole-truce", 4900, 40, cumulative: false, from: Day.AddHours(-6), to: Day.AddDays(1)),
            Claim("easter-day", 2935, 30, cumulative: false, from: Day, to: Day.AddDays(1)),
        ]);
        var overlap = Assert.Single(series.Overlaps);
        Assert.Equal("whole-truce", overlap.First.Id.Value);
        var e = Assert.Throws<InvalidOperationException>(() => series.Total);
        Assert.Contains("'whole-truce'", e.Message);
        Assert.Contains("'easter-day'", e.Message);
        Assert.Contains("cannot be summed", e.Message);
    }

    [Fact]
    public void Periods_ThatOnlyTouch_DoNotOverlap()
    {
        var series = new ClaimSeries(
        [
            Claim("a", 1, 1, cumulative: false, from: Day, to: Day.AddHours(1)),
            Claim("b", 2, 2, cumulative: false, from: Day.AddHours(1), to: Day.AddHours(2)),
        ]);
        Assert.Empty(series.Overlaps);
        Assert.Equal(3, series.Total.Count);
    }

    [Fact]
    public void Series_MixingCumulativeAndNot_IsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new ClaimSeries([Claim("a", 1, 1), Claim("b", 2, 2, cumulative: false)]));
        Assert.Contains("cumulative", e.Message);
    }

    [Fact]
    public void Series_RunningTotalsFromDifferentStarts_AreRefused() =>
        Assert.Throws<ArgumentException>(() => new ClaimSeries([Claim("a", 1, 1), Claim("b", 2, 2, from: Day.AddHours(-6))]));

    [Fact]
    public void Series_TwoRunningTotalsAtTheSameInstant_AreRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new ClaimSeries([Claim("a", 1, 5), Claim("b", 2, 5)]));
        Assert.Contains("'a'", e.Message);
        Assert.Contains("'b'", e.Message);
    }

    [Fact]
    public void Series_OfTwoSeriesIdsOrClaimants_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => new ClaimSeries([Claim("a", 1, 1), Claim("b", 2, 2, series: "other")]));
        Assert.Throws<ArgumentException>(() => new ClaimSeries([Claim("a", 1, 1), Claim("b", 2, 2, claimant: new PartyCode("US"))]));
        Assert.Throws<ArgumentException>(() => new ClaimSeries([]));
    }

    [Fact]
    public void Group_SplitsClaimsBySeriesInOrderOfAppearance()
    {
        var groups = ClaimSeries.Group([Claim("a", 1, 1, series: "x"), Claim("b", 1, 1, series: "y"), Claim("c", 2, 2, series: "x")]);
        Assert.Equal(["x", "y"], groups.Select(g => g.Id.Value));
        Assert.Equal(2, groups[0].Claims.Count);
    }

    [Fact]
    public void Claim_InvalidValues_AreRefusedNamingTheArgument()
    {
        Assert.Equal("accused", Assert.Throws<ArgumentException>(() => Claim("a", 1, 1, claimant: RU)).ParamName);
        Assert.Equal("periodTo", Assert.Throws<ArgumentException>(() => Claim("a", 1, 1, to: Day)).ParamName);
        Assert.Equal("count", Assert.Throws<ArgumentOutOfRangeException>(() => Claim("a", -1, 1)).ParamName);
        Assert.Equal("asOf", Assert.Throws<ArgumentException>(() => Claim("a", 1, -1)).ParamName);
        Assert.Equal("sourceUrl", Assert.Throws<ArgumentException>(() =>
            new AggregateClaim(new ClaimId("a"), new ClaimSeriesId("s"), UA, RU, "x", Day, Day.AddDays(1), 1, CountQualifier.Exact, null, false,
                Day, "src", new Uri("ftp://example.org/x"))).ParamName);
    }

    [Fact]
    public void Breakdown_KeepsTheClaimantsOrder_AndComparesByValue()
    {
        KeyValuePair<string, int>[] parts = [new("shelling", 1404), new("quadcopter strikes", 3316), new("attacks", 6)];
        var b = new ClaimBreakdown(parts);
        Assert.Equal(["shelling", "quadcopter strikes", "attacks"], b.Keys);
        Assert.Equal(3316, b["quadcopter strikes"]);
        Assert.Equal(4726, b.Sum);
        Assert.Equal(new ClaimBreakdown(parts), b);
        Assert.NotEqual(new ClaimBreakdown(parts.Reverse()), b);
        Assert.Throws<ArgumentException>(() => new ClaimBreakdown([new("a", 1), new("a", 2)]));
        Assert.Throws<ArgumentException>(() => new ClaimBreakdown([new("a", -1)]));
        Assert.True(ClaimBreakdown.Empty.IsEmpty);
    }

    [Fact]
    public void ClaimsNamespace_NeverMentionsIncidents()
    {
        // Claims are kept apart from incidents: no type of Ceasefire.Claims takes, holds or returns an incident type.
        var claimTypes = typeof(AggregateClaim).Assembly.GetTypes().Where(t => t.Namespace == "Ceasefire.Claims").ToList();
        Assert.NotEmpty(claimTypes);
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var mentioned = claimTypes.SelectMany(t =>
                t.GetFields(all).Select(f => f.FieldType)
                    .Concat(t.GetProperties(all).Select(p => p.PropertyType))
                    .Concat(t.GetMethods(all).SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)))
                    .Concat(t.GetConstructors(all).SelectMany(c => c.GetParameters().Select(p => p.ParameterType))))
            .SelectMany(Flatten)
            .Where(t => t.Namespace is "Ceasefire.Incidents" or "Ceasefire.Findings")
            .Distinct()
            .ToList();
        Assert.Empty(mentioned);

        static IEnumerable<Type> Flatten(Type t) =>
            t.IsGenericType ? t.GetGenericArguments().SelectMany(Flatten).Append(t) : t.HasElementType ? Flatten(t.GetElementType()!) : [t];
    }
}

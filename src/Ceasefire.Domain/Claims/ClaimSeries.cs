using System.Globalization;
using Ceasefire.Parties;

namespace Ceasefire.Claims;

/// <summary>
/// The claims of one series: one party's published counts of one thing about one other party, ordered by
/// <see cref="AggregateClaim.AsOf"/>. Knows whether the counts may be added: a cumulative series (running totals) is
/// never summed, its <see cref="Total"/> is the latest running total; a non-cumulative series is summed only when its
/// periods do not overlap. Immutable; thread-safe.
/// </summary>
public sealed class ClaimSeries
{
    /// <summary>
    /// Groups <paramref name="claims"/> into a series. Throws <see cref="ArgumentException"/> when the list is empty, or
    /// the claims disagree on the series id, cumulative or not, claimant or accused party; when a claim id repeats; and,
    /// for a cumulative series, when the running totals do not share one period start or two share an as-of instant.
    /// </summary>
    public ClaimSeries(IEnumerable<AggregateClaim> claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        var list = claims.OrderBy(c => c.AsOf).ThenBy(c => c.PeriodFrom).ThenBy(c => c.Id.Value, StringComparer.Ordinal).ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("A claim series needs at least one claim.", nameof(claims));
        }
        var first = list[0];
        foreach (var c in list.Skip(1))
        {
            string? problem =
                c.SeriesId != first.SeriesId ? $"claim '{c.Id}' belongs to series '{c.SeriesId}'" :
                c.Cumulative != first.Cumulative ? $"claim '{c.Id}' is {(c.Cumulative ? "" : "not ")}cumulative and claim '{first.Id}' is {(first.Cumulative ? "" : "not ")}cumulative; running totals and counts of periods cannot share a series" :
                c.Claimant != first.Claimant || c.Accused != first.Accused ? $"claim '{c.Id}' is by {c.Claimant} about {c.Accused}, claim '{first.Id}' by {first.Claimant} about {first.Accused}" :
                first.Cumulative && c.PeriodFrom != first.PeriodFrom ? $"running totals '{first.Id}' and '{c.Id}' count from different instants ({first.PeriodFrom:O}, {c.PeriodFrom:O})" :
                null;
            if (problem is not null)
            {
                throw new ArgumentException($"Claim series '{first.SeriesId}': {problem}.", nameof(claims));
            }
        }
        var repeated = list.GroupBy(c => c.Id).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw new ArgumentException($"Claim series '{first.SeriesId}': claim id '{repeated.Key}' appears twice.", nameof(claims));
        }
        if (first.Cumulative)
        {
            for (var i = 1; i < list.Count; i++)
            {
                if (list[i].AsOf == list[i - 1].AsOf)
                {
                    throw new ArgumentException(
                        $"Claim series '{first.SeriesId}': running totals '{list[i - 1].Id}' and '{list[i].Id}' are both as of {list[i].AsOf:O}; which one is the later is unknown.",
                        nameof(claims));
                }
            }
        }
        Claims = list.AsReadOnly();
        Overlaps = first.Cumulative ? [] : FindOverlaps(list);
    }

    /// <summary>
    /// Groups claims by <see cref="AggregateClaim.SeriesId"/>, series in order of first appearance; throws as the
    /// constructor does when a group is not a valid series.
    /// </summary>
    public static IReadOnlyList<ClaimSeries> Group(IEnumerable<AggregateClaim> claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return claims.GroupBy(c => c.SeriesId).Select(g => new ClaimSeries(g)).ToList().AsReadOnly();
    }

    /// <summary>The series id.</summary>
    public ClaimSeriesId Id => Claims[0].SeriesId;

    /// <summary>The party publishing the counts.</summary>
    public PartyCode Claimant => Claims[0].Claimant;

    /// <summary>The party the counts are about.</summary>
    public PartyCode Accused => Claims[0].Accused;

    /// <summary>True when the claims are running totals since one period start.</summary>
    public bool IsCumulative => Claims[0].Cumulative;

    /// <summary>The claims, ordered by as-of instant (then period start, then id).</summary>
    public IReadOnlyList<AggregateClaim> Claims { get; }

    /// <summary>The latest publication.</summary>
    public AggregateClaim Latest => Claims[^1];

    /// <summary>
    /// Pairs of claims whose periods overlap, in a non-cumulative series (empty for a cumulative one, whose periods
    /// overlap by nature). While this is not empty, <see cref="Total"/> is refused.
    /// </summary>
    public IReadOnlyList<ClaimOverlap> Overlaps { get; }

    /// <summary>
    /// What the series adds up to. For a cumulative series the latest running total, never the sum of running totals;
    /// for a non-cumulative series the sum of the counts. Throws <see cref="InvalidOperationException"/>, naming two
    /// claims, when a non-cumulative series has overlapping periods (see <see cref="Overlaps"/>).
    /// </summary>
    public ClaimTotal Total
    {
        get
        {
            if (IsCumulative)
            {
                return new ClaimTotal(Latest.Count, Latest.Qualifier, ClaimTotalBasis.LatestRunningTotal, [Latest]);
            }
            if (Overlaps.Count > 0)
            {
                throw new InvalidOperationException(
                    $"Claim series '{Id}' cannot be summed: {Overlaps[0]}, so their counts may include the same events" +
                    (Overlaps.Count > 1 ? $" ({Overlaps.Count} overlapping pairs in all)." : "."));
            }
            return new ClaimTotal(Claims.Sum(c => (long)c.Count), Combine(Claims.Select(c => c.Qualifier)), ClaimTotalBasis.SumOfPeriods, Claims);
        }
    }

    /// <summary>
    /// For a cumulative series, what each publication added to the one before (the first adds to zero), in order;
    /// negative increments are kept and flagged. Throws <see cref="InvalidOperationException"/> for a non-cumulative
    /// series, whose claims are counts of their own periods already.
    /// </summary>
    public IReadOnlyList<ClaimIncrement> Increments()
    {
        if (!IsCumulative)
        {
            throw new InvalidOperationException(
                $"Claim series '{Id}' is not cumulative: each claim already counts its own period, so there are no increments to compute.");
        }
        var result = new List<ClaimIncrement>(Claims.Count);
        AggregateClaim? previous = null;
        foreach (var c in Claims)
        {
            var increment = (long)c.Count - (previous?.Count ?? 0);
            var approximate = c.Qualifier != CountQualifier.Exact || (previous is not null && previous.Qualifier != CountQualifier.Exact);
            result.Add(new ClaimIncrement(c, previous, increment, increment < 0, approximate));
            previous = c;
        }
        return result.AsReadOnly();
    }

    /// <summary>A count as worded: "4900", "more than 2000", "about 3000".</summary>
    public static string Describe(long count, CountQualifier qualifier) => qualifier switch
    {
        CountQualifier.AtLeast => "more than " + count.ToString(CultureInfo.InvariantCulture),
        CountQualifier.About => "about " + count.ToString(CultureInfo.InvariantCulture),
        _ => count.ToString(CultureInfo.InvariantCulture),
    };

    /// <inheritdoc />
    public override string ToString() => $"{Id}: {Claims.Count} claim(s) by {Claimant} about {Accused}{(IsCumulative ? ", cumulative" : "")}";

    private static CountQualifier Combine(IEnumerable<CountQualifier> qualifiers)
    {
        var all = qualifiers.ToList();
        return all.Contains(CountQualifier.About) ? CountQualifier.About
            : all.Contains(CountQualifier.AtLeast) ? CountQualifier.AtLeast
            : CountQualifier.Exact;
    }

    private static IReadOnlyList<ClaimOverlap> FindOverlaps(List<AggregateClaim> claims)
    {
        var byStart = claims.OrderBy(c => c.PeriodFrom).ThenBy(c => c.PeriodTo).ThenBy(c => c.Id.Value, StringComparer.Ordinal).ToList();
        var overlaps = new List<ClaimOverlap>();
        for (var i = 0; i < byStart.Count; i++)
        {
            for (var j = i + 1; j < byStart.Count && byStart[j].PeriodFrom < byStart[i].PeriodTo; j++)
            {
                overlaps.Add(new ClaimOverlap(byStart[i], byStart[j]));
            }
        }
        return overlaps.AsReadOnly();
    }
}

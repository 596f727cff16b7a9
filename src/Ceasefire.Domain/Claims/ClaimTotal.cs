namespace Ceasefire.Claims;

/// <summary>How a series' <see cref="ClaimSeries.Total"/> was obtained.</summary>
public enum ClaimTotalBasis
{
    /// <summary>A cumulative series: the running total published last (never a sum of running totals).</summary>
    LatestRunningTotal,

    /// <summary>A non-cumulative series whose periods do not overlap: the sum of its counts.</summary>
    SumOfPeriods,
}

/// <summary>
/// What a claim series adds up to, with how exact that is and which claims it rests on.
/// </summary>
/// <param name="Count">The total.</param>
/// <param name="Qualifier">
/// <see cref="CountQualifier.Exact"/> when every claim used is exact; <see cref="CountQualifier.About"/> when any is
/// "about"; else <see cref="CountQualifier.AtLeast"/> when any is "at least".
/// </param>
/// <param name="Basis">Latest running total, or sum of periods.</param>
/// <param name="Claims">The claims used: the latest for a cumulative series, all for a sum.</param>
public sealed record ClaimTotal(long Count, CountQualifier Qualifier, ClaimTotalBasis Basis, IReadOnlyList<AggregateClaim> Claims)
{
    /// <inheritdoc />
    public override string ToString() => ClaimSeries.Describe(Count, Qualifier);
}

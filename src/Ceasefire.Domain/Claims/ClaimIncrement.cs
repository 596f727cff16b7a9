namespace Ceasefire.Claims;

/// <summary>
/// What one publication of a cumulative series added to the running total published before it (the first adds to
/// zero). A negative increment is kept, not hidden, and flagged (<see cref="IsNegative"/>): a running total that went
/// down is a correction or a change in counting, which a reader should look at in the source.
/// </summary>
/// <param name="Claim">The publication.</param>
/// <param name="Previous">The publication before it; null for the first.</param>
/// <param name="Increment"><c>Claim.Count - Previous.Count</c> (or <c>Claim.Count</c> for the first).</param>
/// <param name="IsNegative">True when the running total went down.</param>
/// <param name="IsApproximate">True when either count is not exact ("more than", "about"): the increment is then only indicative.</param>
public sealed record ClaimIncrement(AggregateClaim Claim, AggregateClaim? Previous, long Increment, bool IsNegative, bool IsApproximate)
{
    /// <summary>Start of the stretch of time the increment covers: the previous publication's as-of, or the period start.</summary>
    public DateTimeOffset From => Previous?.AsOf ?? Claim.PeriodFrom;

    /// <summary>End of the stretch: this publication's as-of.</summary>
    public DateTimeOffset To => Claim.AsOf;
}

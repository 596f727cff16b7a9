namespace Ceasefire.Claims;

/// <summary>
/// Two claims of a non-cumulative series whose periods overlap: their counts may include the same events, so the
/// series cannot be summed.
/// </summary>
/// <param name="First">The claim whose period starts first.</param>
/// <param name="Second">The other claim.</param>
public sealed record ClaimOverlap(AggregateClaim First, AggregateClaim Second)
{
    /// <summary>A sentence naming both claims and their periods.</summary>
    public override string ToString() =>
        $"claims '{First.Id}' [{First.PeriodFrom:O}, {First.PeriodTo:O}) and '{Second.Id}' [{Second.PeriodFrom:O}, {Second.PeriodTo:O}) cover overlapping periods";
}

using Ceasefire.Parties;

namespace Ceasefire.Claims;

/// <summary>
/// A party's published count with no incidents behind it: "Ukraine violated the Easter truce 4,900 times", with a
/// breakdown by weapon if one was given. Kept and charted apart from incidents and never turned into them: nothing
/// here makes an incident, a report or a finding. Immutable, valid by construction; instants are UTC.
/// </summary>
/// <remarks>
/// The period is half-open, <c>[PeriodFrom, PeriodTo)</c>. A <see cref="Cumulative"/> claim is a running total: the
/// count of everything since <see cref="PeriodFrom"/> up to <see cref="AsOf"/>; later claims of its series replace it,
/// and it is never added to them (<see cref="ClaimSeries"/>).
/// </remarks>
public sealed record AggregateClaim
{
    /// <summary>Creates a claim; throws <see cref="ArgumentException"/> (naming the argument) on invalid values.</summary>
    /// <param name="id">The claim's id, unique among all claims.</param>
    /// <param name="seriesId">The series the claim belongs to (a single claim is a series of one).</param>
    /// <param name="claimant">The party publishing the count.</param>
    /// <param name="accused">The party the count is about; not the claimant.</param>
    /// <param name="subject">What is counted, in words ("violations of the Easter truce").</param>
    /// <param name="periodFrom">Start of the period counted (inclusive).</param>
    /// <param name="periodTo">End of the period counted (exclusive); after <paramref name="periodFrom"/>.</param>
    /// <param name="count">The number claimed, 0 or more.</param>
    /// <param name="qualifier">How exact the number is, as worded.</param>
    /// <param name="breakdown">The parts the claimant gave, in order; null or empty when none.</param>
    /// <param name="cumulative">True when the count is a running total since <paramref name="periodFrom"/>.</param>
    /// <param name="asOf">
    /// When the count was published; where the claimant states a cut-off ("as of 20:00"), that cut-off. Not before
    /// <paramref name="periodFrom"/>.
    /// </param>
    /// <param name="sourceName">Who published it and where ("Russian Ministry of Defence, Telegram, via Sputnik").</param>
    /// <param name="sourceUrl">Where it can be read (absolute http or https), if anywhere.</param>
    /// <param name="notes">Anything a reader should know (wording, discrepancies between relays).</param>
    public AggregateClaim(
        ClaimId id, ClaimSeriesId seriesId, PartyCode claimant, PartyCode accused, string subject, DateTimeOffset periodFrom,
        DateTimeOffset periodTo, int count, CountQualifier qualifier, ClaimBreakdown? breakdown, bool cumulative, DateTimeOffset asOf,
        string sourceName, Uri? sourceUrl, string? notes = null)
    {
        if (id == default)
        {
            throw new ArgumentException("A claim needs an id.", nameof(id));
        }
        if (seriesId == default)
        {
            throw new ArgumentException($"Claim '{id}' needs a series id.", nameof(seriesId));
        }
        if (claimant == default || accused == default)
        {
            throw new ArgumentException($"Claim '{id}' must name the claimant and the accused party.", claimant == default ? nameof(claimant) : nameof(accused));
        }
        if (claimant == accused)
        {
            throw new ArgumentException($"Claim '{id}': the accused party cannot be the claimant ({claimant}).", nameof(accused));
        }
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        if (periodTo <= periodFrom)
        {
            throw new ArgumentException($"Claim '{id}': the period's end ({periodTo:O}) must be after its start ({periodFrom:O}).", nameof(periodTo));
        }
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"Claim '{id}': a count cannot be negative.");
        }
        if (!Enum.IsDefined(qualifier))
        {
            throw new ArgumentOutOfRangeException(nameof(qualifier), qualifier, $"Claim '{id}': unknown qualifier.");
        }
        if (asOf < periodFrom)
        {
            throw new ArgumentException($"Claim '{id}': published as of {asOf:O}, before the period it counts begins ({periodFrom:O}).", nameof(asOf));
        }
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceName);
        if (sourceUrl is not null && (!sourceUrl.IsAbsoluteUri || sourceUrl.Scheme is not ("http" or "https")))
        {
            throw new ArgumentException($"Claim '{id}': the source URL must be an absolute http or https address, not '{sourceUrl}'.", nameof(sourceUrl));
        }
        Id = id;
        SeriesId = seriesId;
        Claimant = claimant;
        Accused = accused;
        Subject = subject.Trim();
        PeriodFrom = periodFrom.ToUniversalTime();
        PeriodTo = periodTo.ToUniversalTime();
        Count = count;
        Qualifier = qualifier;
        Breakdown = breakdown ?? ClaimBreakdown.Empty;
        Cumulative = cumulative;
        AsOf = asOf.ToUniversalTime();
        SourceName = sourceName.Trim();
        SourceUrl = sourceUrl;
        Notes = string.IsNullOrWhiteSpace(notes) ? null : notes.Trim();
    }

    /// <summary>The claim's id.</summary>
    public ClaimId Id { get; }

    /// <summary>The series it belongs to.</summary>
    public ClaimSeriesId SeriesId { get; }

    /// <summary>The party publishing the count.</summary>
    public PartyCode Claimant { get; }

    /// <summary>The party the count is about.</summary>
    public PartyCode Accused { get; }

    /// <summary>What is counted, in words.</summary>
    public string Subject { get; }

    /// <summary>Start of the period counted (inclusive, UTC).</summary>
    public DateTimeOffset PeriodFrom { get; }

    /// <summary>End of the period counted (exclusive, UTC).</summary>
    public DateTimeOffset PeriodTo { get; }

    /// <summary>The number claimed.</summary>
    public int Count { get; }

    /// <summary>How exact <see cref="Count"/> is: exact, at least ("more than"), about.</summary>
    public CountQualifier Qualifier { get; }

    /// <summary>The parts the claimant gave, in order; empty when none.</summary>
    public ClaimBreakdown Breakdown { get; }

    /// <summary>True when <see cref="Count"/> is a running total since <see cref="PeriodFrom"/>, not a count of its own period.</summary>
    public bool Cumulative { get; }

    /// <summary>When the count was published, or the cut-off the claimant states for it (UTC).</summary>
    public DateTimeOffset AsOf { get; }

    /// <summary>Who published it and where.</summary>
    public string SourceName { get; }

    /// <summary>Where it can be read, if anywhere.</summary>
    public Uri? SourceUrl { get; }

    /// <summary>Notes for readers, if any.</summary>
    public string? Notes { get; }

    /// <summary>True when the half-open periods of this claim and <paramref name="other"/> share an instant.</summary>
    public bool Overlaps(AggregateClaim other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return PeriodFrom < other.PeriodTo && other.PeriodFrom < PeriodTo;
    }

    /// <summary>The count as worded: "4900", "more than 2000", "about 3000".</summary>
    public string CountText => ClaimSeries.Describe(Count, Qualifier);
}

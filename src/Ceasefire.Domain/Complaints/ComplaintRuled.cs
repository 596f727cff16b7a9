namespace Ceasefire.Complaints;

/// <summary>
/// An analyst ruled on a complaint: upheld, rejected or inconclusive, with reasons. Needs the accused party's answer
/// or the passing of the response deadline; final (nothing is applied after it).
/// </summary>
public sealed record ComplaintRuled : ComplaintEvent
{
    /// <summary>Creates the event; throws <see cref="ArgumentException"/> when the reasons or user are empty.</summary>
    /// <param name="complaintId">The complaint ruled on.</param>
    /// <param name="at">When the ruling was made.</param>
    /// <param name="by">The analyst who ruled.</param>
    /// <param name="outcome">Upheld, rejected or inconclusive.</param>
    /// <param name="reasons">Why, for people: the evidence weighed and how.</param>
    public ComplaintRuled(ComplaintId complaintId, DateTimeOffset at, string by, RulingOutcome outcome, string reasons)
        : base(complaintId, at, by)
    {
        if (!Enum.IsDefined(outcome))
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown ruling outcome.");
        }
        ArgumentException.ThrowIfNullOrWhiteSpace(reasons);
        Outcome = outcome;
        Reasons = reasons;
    }

    /// <summary>Upheld, rejected or inconclusive.</summary>
    public RulingOutcome Outcome { get; }

    /// <summary>Why, for people.</summary>
    public string Reasons { get; }

    /// <inheritdoc />
    public override string Kind => ComplaintEvents.RuledKind;
}

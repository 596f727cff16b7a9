using Ceasefire.Parties;

namespace Ceasefire.Complaints;

/// <summary>
/// The accused party answered a complaint: a denial, an admission or a counter-accusation (which may name reports of
/// its own). Only the accused party answers, once, and not after a ruling; an answer at or after the deadline is
/// accepted and flagged late (<see cref="Complaint.AnswerIsLate"/>).
/// </summary>
public sealed record ComplaintAnswered : ComplaintEvent
{
    /// <summary>
    /// Creates the event. Throws <see cref="ArgumentException"/> when the text or user is empty, or when report keys are
    /// given with an answer that is not a counter-accusation.
    /// </summary>
    /// <param name="complaintId">The complaint answered.</param>
    /// <param name="at">When the answer was received.</param>
    /// <param name="by">The user who recorded the answer.</param>
    /// <param name="party">The party answering (must be the complaint's accused party when applied).</param>
    /// <param name="answerKind">Denial, admission or counter-accusation.</param>
    /// <param name="text">The answer's text, as given.</param>
    /// <param name="counterReportKeys">Report keys the counter-accusation names; only with <see cref="AnswerKind.CounterAccusation"/>.</param>
    public ComplaintAnswered(
        ComplaintId complaintId, DateTimeOffset at, string by, PartyCode party, AnswerKind answerKind, string text,
        IEnumerable<string>? counterReportKeys = null)
        : base(complaintId, at, by)
    {
        if (party == default)
        {
            throw new ArgumentException($"The answer to complaint {complaintId} must name the party answering.", nameof(party));
        }
        if (!Enum.IsDefined(answerKind))
        {
            throw new ArgumentOutOfRangeException(nameof(answerKind), answerKind, "Unknown answer kind.");
        }
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var keys = CheckReportKeys(counterReportKeys, nameof(counterReportKeys));
        if (keys.Count > 0 && answerKind != AnswerKind.CounterAccusation)
        {
            throw new ArgumentException(
                $"The answer to complaint {complaintId} names report keys but is a {ComplaintEvents.Code(answerKind)}; only a counter_accusation names reports of its own.",
                nameof(counterReportKeys));
        }
        Party = party;
        AnswerKind = answerKind;
        Text = text;
        CounterReportKeys = keys;
    }

    /// <summary>The party answering.</summary>
    public PartyCode Party { get; }

    /// <summary>Denial, admission or counter-accusation.</summary>
    public AnswerKind AnswerKind { get; }

    /// <summary>The answer's text, as given.</summary>
    public string Text { get; }

    /// <summary>Report keys a counter-accusation names (empty for other answers).</summary>
    public IReadOnlyList<string> CounterReportKeys { get; }

    /// <inheritdoc />
    public override string Kind => ComplaintEvents.AnsweredKind;

    /// <inheritdoc />
    public bool Equals(ComplaintAnswered? other) =>
        other is not null && base.Equals(other) && Party == other.Party && AnswerKind == other.AnswerKind && Text == other.Text &&
        SameItems(CounterReportKeys, other.CounterReportKeys);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Party, AnswerKind, Text, ItemsHash(CounterReportKeys));
}

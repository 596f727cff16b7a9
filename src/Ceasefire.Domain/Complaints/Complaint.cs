using Ceasefire.Incidents;
using Ceasefire.Parties;

namespace Ceasefire.Complaints;

/// <summary>
/// A party's formal complaint and its lifecycle: filed by the complainant, acknowledged by the monitoring mission
/// (optional), answered by the accused party or not by the deadline, ruled by an analyst. Built by applying events
/// (<see cref="Open"/>, <see cref="Apply"/>, <see cref="Replay"/>); immutable: <see cref="Apply"/> returns a new
/// complaint. Thread-safe.
/// </summary>
/// <remarks>
/// Rules checked when an event is applied (a breach throws <see cref="InvalidOperationException"/> naming the
/// complaint and the rule): events belong to this complaint and come in time order; a complaint is filed once,
/// acknowledged at most once and not after its ruling; only the accused party answers, once, and not after a ruling;
/// a ruling needs the answer or the passing of the deadline, and is final. An answer at or after the deadline is
/// accepted and flagged (<see cref="AnswerIsLate"/>). The deadline is the filing instant plus the response period;
/// the period is half-open, so the deadline instant itself is already too late.
/// </remarks>
public sealed class Complaint
{
    private readonly ComplaintEvent[] _events;

    private Complaint(ComplaintFiled filing, ComplaintAcknowledged? acknowledgement, ComplaintAnswered? answer, ComplaintRuled? ruling, ComplaintEvent[] events)
    {
        Filing = filing;
        Acknowledgement = acknowledgement;
        Answer = answer;
        Ruling = ruling;
        _events = events;
    }

    /// <summary>Opens a complaint from its filing.</summary>
    public static Complaint Open(ComplaintFiled filed)
    {
        ArgumentNullException.ThrowIfNull(filed);
        return new Complaint(filed, null, null, null, [filed]);
    }

    /// <summary>
    /// Rebuilds a complaint from its events in order (as read back from the log): the first must be the filing.
    /// Throws <see cref="InvalidOperationException"/> on an empty list or a breach of the rules.
    /// </summary>
    public static Complaint Replay(IEnumerable<ComplaintEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        Complaint? complaint = null;
        foreach (var e in events)
        {
            complaint = complaint is null
                ? e as ComplaintFiled is { } filed
                    ? Open(filed)
                    : throw new InvalidOperationException($"Complaint {e.ComplaintId}: the first event must be its filing, not {e.Kind}.")
                : complaint.Apply(e);
        }
        return complaint ?? throw new InvalidOperationException("A complaint needs at least its filing event.");
    }

    /// <summary>The filing event.</summary>
    public ComplaintFiled Filing { get; }

    /// <summary>The mission's acknowledgement, if any.</summary>
    public ComplaintAcknowledged? Acknowledgement { get; }

    /// <summary>The accused party's answer, if any.</summary>
    public ComplaintAnswered? Answer { get; }

    /// <summary>The analyst's ruling, if any.</summary>
    public ComplaintRuled? Ruling { get; }

    /// <summary>Every event applied, in order, the filing first.</summary>
    public IReadOnlyList<ComplaintEvent> Events => _events;

    /// <summary>The event applied last (the one to append to the log after <see cref="Apply"/>).</summary>
    public ComplaintEvent LastEvent => _events[^1];

    /// <summary>The complaint's id.</summary>
    public ComplaintId Id => Filing.ComplaintId;

    /// <summary>The party complaining.</summary>
    public PartyCode Complainant => Filing.Complainant;

    /// <summary>The party complained about.</summary>
    public PartyCode Accused => Filing.Accused;

    /// <summary>Report keys the complaint is about.</summary>
    public IReadOnlyList<string> ReportKeys => Filing.ReportKeys;

    /// <summary>The incident the complaint is about, if any.</summary>
    public IncidentId? Incident => Filing.Incident;

    /// <summary>The complaint's text.</summary>
    public string Text => Filing.Text;

    /// <summary>When it was filed (UTC).</summary>
    public DateTimeOffset FiledAt => Filing.At;

    /// <summary>Who filed it.</summary>
    public string FiledBy => Filing.By;

    /// <summary>
    /// How long the accused has to answer and where that came from: <see cref="ResponsePeriodSource.Default"/> means the
    /// agreement sets no period and <see cref="ResponsePeriod.DefaultHours"/> hours apply.
    /// </summary>
    public ResponsePeriod ResponsePeriod => Filing.ResponsePeriod;

    /// <summary>The first instant at which an answer is late (UTC): <see cref="FiledAt"/> + <see cref="ResponsePeriod"/>.</summary>
    public DateTimeOffset Deadline => Filing.Deadline;

    /// <summary>True when the answer came at or after the <see cref="Deadline"/> (it is kept, but flagged).</summary>
    public bool AnswerIsLate => Answer is { } a && a.At >= Deadline;

    /// <summary>
    /// The status at <paramref name="now"/>, counting only events at or before it: <see cref="ComplaintStatus.Ruled"/>,
    /// else <see cref="ComplaintStatus.Answered"/>, else <see cref="ComplaintStatus.NoAnswerByDeadline"/> when
    /// <paramref name="now"/> is at or after the <see cref="Deadline"/>, else <see cref="ComplaintStatus.Acknowledged"/>,
    /// else <see cref="ComplaintStatus.Filed"/>. Throws <see cref="ArgumentOutOfRangeException"/> for an instant before the filing.
    /// </summary>
    public ComplaintStatus StatusAt(DateTimeOffset now)
    {
        if (now < FiledAt)
        {
            throw new ArgumentOutOfRangeException(nameof(now), now, $"Complaint {Id} was filed at {FiledAt:O}; it has no status before that.");
        }
        if (Ruling is { } r && r.At <= now)
        {
            return ComplaintStatus.Ruled;
        }
        if (Answer is { } a && a.At <= now)
        {
            return ComplaintStatus.Answered;
        }
        if (now >= Deadline)
        {
            return ComplaintStatus.NoAnswerByDeadline;
        }
        return Acknowledgement is { } k && k.At <= now ? ComplaintStatus.Acknowledged : ComplaintStatus.Filed;
    }

    /// <summary>True when a ruling at <paramref name="at"/> would be accepted: not yet ruled, and answered or past the deadline.</summary>
    public bool CanBeRuledAt(DateTimeOffset at) => Ruling is null && (Answer is not null || at >= Deadline);

    /// <summary>
    /// Applies <paramref name="e"/> and returns the complaint after it; this one is unchanged. Throws
    /// <see cref="InvalidOperationException"/>, with a message naming the complaint and the rule, when the event breaks a rule.
    /// </summary>
    public Complaint Apply(ComplaintEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.ComplaintId != Id)
        {
            throw new InvalidOperationException($"An event of complaint {e.ComplaintId} cannot be applied to complaint {Id}.");
        }
        if (e.At < LastEvent.At)
        {
            throw new InvalidOperationException(
                $"Complaint {Id}: the {e.Kind} event at {e.At:O} is earlier than the {LastEvent.Kind} event before it ({LastEvent.At:O}); events are applied in the order they happened.");
        }
        ComplaintEvent[] events = [.. _events, e];
        return e switch
        {
            ComplaintFiled => throw new InvalidOperationException($"Complaint {Id} was already filed at {FiledAt:O}; a complaint is filed once."),
            ComplaintAcknowledged ack => Acknowledge(ack, events),
            ComplaintAnswered answer => AnswerWith(answer, events),
            ComplaintRuled ruling => Rule(ruling, events),
            _ => throw new InvalidOperationException($"Complaint {Id}: unknown event kind {e.Kind}."),
        };
    }

    private Complaint Acknowledge(ComplaintAcknowledged ack, ComplaintEvent[] events)
    {
        if (Ruling is { } r)
        {
            throw new InvalidOperationException($"Complaint {Id} was already ruled {ComplaintEvents.Code(r.Outcome)} at {r.At:O}; it cannot be acknowledged after its ruling.");
        }
        if (Acknowledgement is { } k)
        {
            throw new InvalidOperationException($"Complaint {Id} was already acknowledged by {k.By} at {k.At:O}; it is acknowledged once.");
        }
        return new Complaint(Filing, ack, Answer, Ruling, events);
    }

    private Complaint AnswerWith(ComplaintAnswered answer, ComplaintEvent[] events)
    {
        if (answer.Party != Accused)
        {
            var who = answer.Party == Complainant ? "the complainant" : "a third party";
            throw new InvalidOperationException(
                $"Complaint {Id}: only the accused party ({Accused}) may answer; {answer.Party} is {who}.");
        }
        if (Ruling is { } r)
        {
            throw new InvalidOperationException(
                $"Complaint {Id} was already ruled {ComplaintEvents.Code(r.Outcome)} at {r.At:O}; no answer is accepted after a ruling.");
        }
        if (Answer is { } a)
        {
            throw new InvalidOperationException(
                $"Complaint {Id} was already answered by {a.Party} ({ComplaintEvents.Code(a.AnswerKind)}) at {a.At:O}; a second answer is not accepted.");
        }
        return new Complaint(Filing, Acknowledgement, answer, Ruling, events);
    }

    private Complaint Rule(ComplaintRuled ruling, ComplaintEvent[] events)
    {
        if (Ruling is { } r)
        {
            throw new InvalidOperationException($"Complaint {Id} was already ruled {ComplaintEvents.Code(r.Outcome)} at {r.At:O}; a ruling is final.");
        }
        if (!CanBeRuledAt(ruling.At))
        {
            throw new InvalidOperationException(
                $"Complaint {Id} cannot be ruled at {ruling.At:O}: a ruling needs the accused party's ({Accused}) answer or the passing of the response deadline ({Deadline:O}, {ResponsePeriod}), and neither has happened.");
        }
        return new Complaint(Filing, Acknowledgement, Answer, ruling, events);
    }

    /// <inheritdoc />
    public override string ToString() => $"Complaint {Id}: {Complainant} against {Accused}, filed {FiledAt:O}, deadline {Deadline:O}";
}

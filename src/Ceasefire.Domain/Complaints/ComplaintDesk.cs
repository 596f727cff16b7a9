using Ceasefire.Agreements;
using Ceasefire.Incidents;
using Ceasefire.Parties;

namespace Ceasefire.Complaints;

/// <summary>
/// Records what happens to complaints "now": makes each event stamped with the injected clock, applies it and returns
/// the complaint after it (its <see cref="Complaint.LastEvent"/> is the event to append to the log). The only place in
/// this capability that reads the clock. Thread-safe when the clock is.
/// </summary>
public sealed class ComplaintDesk
{
    private readonly TimeProvider _clock;

    /// <summary>Creates a desk reading "now" from <paramref name="clock"/>.</summary>
    public ComplaintDesk(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
    }

    /// <summary>
    /// Files a complaint now. Its response period is <paramref name="agreement"/>'s, or the default when the agreement
    /// sets none (<see cref="ResponsePeriod.For"/>); throws <see cref="ArgumentException"/> on invalid input.
    /// </summary>
    public Complaint File(
        ComplaintId id, PartyCode complainant, PartyCode accused, IEnumerable<string>? reportKeys, IncidentId? incident, string text,
        string filedBy, Agreement? agreement = null) =>
        Complaint.Open(new ComplaintFiled(id, _clock.GetUtcNow(), filedBy, complainant, accused, reportKeys, incident, text,
            ResponsePeriod.For(agreement), agreement?.Id));

    /// <summary>Records the mission's acknowledgement now.</summary>
    public Complaint Acknowledge(Complaint complaint, string by, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        return complaint.Apply(new ComplaintAcknowledged(complaint.Id, _clock.GetUtcNow(), by, note));
    }

    /// <summary>Records the answer of <paramref name="party"/> now (accepted late, and flagged, after the deadline).</summary>
    public Complaint Answer(Complaint complaint, PartyCode party, AnswerKind kind, string text, string by, IEnumerable<string>? counterReportKeys = null)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        return complaint.Apply(new ComplaintAnswered(complaint.Id, _clock.GetUtcNow(), by, party, kind, text, counterReportKeys));
    }

    /// <summary>Records an analyst's ruling now; needs the answer or a passed deadline.</summary>
    public Complaint Rule(Complaint complaint, RulingOutcome outcome, string reasons, string analyst)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        return complaint.Apply(new ComplaintRuled(complaint.Id, _clock.GetUtcNow(), analyst, outcome, reasons));
    }

    /// <summary>The complaint's status now (<see cref="Complaint.StatusAt"/>).</summary>
    public ComplaintStatus StatusOf(Complaint complaint)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        return complaint.StatusAt(_clock.GetUtcNow());
    }
}

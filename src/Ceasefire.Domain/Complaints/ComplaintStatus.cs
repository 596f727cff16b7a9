namespace Ceasefire.Complaints;

/// <summary>Where a complaint stands at a given instant (<see cref="Complaint.StatusAt"/>).</summary>
public enum ComplaintStatus
{
    /// <summary>Filed by the complainant party; not yet acknowledged, answered or ruled, and the deadline has not passed.</summary>
    Filed,

    /// <summary>Acknowledged by the monitoring mission; not yet answered, and the deadline has not passed.</summary>
    Acknowledged,

    /// <summary>Answered by the accused party (in time or late, see <see cref="Complaint.AnswerIsLate"/>); not yet ruled.</summary>
    Answered,

    /// <summary>The response deadline has passed without an answer from the accused party; not yet ruled.</summary>
    NoAnswerByDeadline,

    /// <summary>Ruled by an analyst (upheld, rejected or inconclusive). Final.</summary>
    Ruled,
}

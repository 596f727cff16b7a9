using Ceasefire.Parties;
using Ceasefire.Time;

namespace Ceasefire.Agreements;

/// <summary>Whether a phase binds the parties.</summary>
public enum PhaseStatus
{
    /// <summary>Proposed, not agreed: its obligations bind nobody yet.</summary>
    Proposed,
    /// <summary>In force within its window.</summary>
    InForce,
    /// <summary>Suspended: its obligations bind nobody while this version stands.</summary>
    Suspended,
    /// <summary>Was in force within its window, which has ended.</summary>
    Expired,
}

/// <summary>Status of a precondition a party demanded.</summary>
public enum PreconditionStatus
{
    /// <summary>Demanded, not met.</summary>
    Unmet,
    /// <summary>Met.</summary>
    Met,
    /// <summary>Rejected by the other side.</summary>
    Rejected,
    /// <summary>Withdrawn by the party that demanded it.</summary>
    Withdrawn,
}

/// <summary>A condition a party demanded before a phase could take effect.</summary>
/// <param name="Text">What was demanded.</param>
/// <param name="DemandedBy">The party that demanded it.</param>
/// <param name="Status">Whether it has been met.</param>
/// <param name="Source">Where the demand is on the record.</param>
public sealed record Precondition(string Text, PartyCode DemandedBy, PreconditionStatus Status, string? Source);

/// <summary>
/// A named stage of an agreement (energy moratorium, Black Sea, full ceasefire, permanent peace) with its status,
/// window and preconditions. Immutable.
/// </summary>
public sealed record Phase
{
    /// <summary>Creates a phase.</summary>
    public Phase(string id, string name, PhaseStatus status, TimeWindow? window, IReadOnlyList<Precondition> preconditions, string? notes = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(preconditions);
        if (status is PhaseStatus.InForce or PhaseStatus.Expired && window is null)
        {
            throw new ArgumentException($"Phase '{id}' is {status} and needs a start.", nameof(window));
        }
        Id = id;
        Name = string.IsNullOrWhiteSpace(name) ? id : name;
        Status = status;
        Window = window;
        Preconditions = preconditions;
        Notes = notes;
    }

    /// <summary>Id, unique in the agreement.</summary>
    public string Id { get; }

    /// <summary>Human-readable name.</summary>
    public string Name { get; }

    /// <summary>Status in this version of the agreement.</summary>
    public PhaseStatus Status { get; }

    /// <summary>When the phase binds (start inclusive, end exclusive); null for a phase that never started.</summary>
    public TimeWindow? Window { get; }

    /// <summary>Conditions parties demanded.</summary>
    public IReadOnlyList<Precondition> Preconditions { get; }

    /// <summary>Free notes.</summary>
    public string? Notes { get; }

    /// <summary>True when obligations of this phase bind anyone (in force or expired).</summary>
    public bool Binds => Status is PhaseStatus.InForce or PhaseStatus.Expired;
}

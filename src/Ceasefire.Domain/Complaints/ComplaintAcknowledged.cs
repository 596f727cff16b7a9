namespace Ceasefire.Complaints;

/// <summary>The monitoring mission acknowledged receipt of a complaint. Optional: a complaint may be ruled without it.</summary>
public sealed record ComplaintAcknowledged : ComplaintEvent
{
    /// <summary>Creates the event; <paramref name="by"/> is the mission member who acknowledged.</summary>
    public ComplaintAcknowledged(ComplaintId complaintId, DateTimeOffset at, string by, string? note = null)
        : base(complaintId, at, by)
    {
        Note = string.IsNullOrWhiteSpace(note) ? null : note;
    }

    /// <summary>The mission's note, if any (for example the reference it gave the complaint).</summary>
    public string? Note { get; }

    /// <inheritdoc />
    public override string Kind => ComplaintEvents.AcknowledgedKind;
}

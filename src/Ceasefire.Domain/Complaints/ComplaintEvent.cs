namespace Ceasefire.Complaints;

/// <summary>
/// Something that happened to a formal complaint. A <see cref="Complaint"/> is the result of applying its events in
/// order (<see cref="Complaint.Replay"/>); the events are what the append-only log keeps
/// (<see cref="ComplaintEvents"/> writes and reads them as JSON). Immutable; instants are UTC.
/// </summary>
public abstract record ComplaintEvent
{
    /// <summary>Sets the fields every event has; throws <see cref="ArgumentException"/> on an empty <paramref name="by"/>.</summary>
    private protected ComplaintEvent(ComplaintId complaintId, DateTimeOffset at, string by)
    {
        if (complaintId == default)
        {
            throw new ArgumentException("An event must name its complaint.", nameof(complaintId));
        }
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        ComplaintId = complaintId;
        At = at.ToUniversalTime();
        By = by.Trim();
    }

    /// <summary>The complaint the event belongs to.</summary>
    public ComplaintId ComplaintId { get; }

    /// <summary>When it happened (UTC).</summary>
    public DateTimeOffset At { get; }

    /// <summary>The user who recorded it (a party's liaison officer, a mission member, an analyst).</summary>
    public string By { get; }

    /// <summary>The event's kind as written in JSON (<c>complaint_filed</c>, ...).</summary>
    public abstract string Kind { get; }

    /// <summary>Compares two lists of strings item by item (for the events' value equality).</summary>
    private protected static bool SameItems(IReadOnlyList<string> a, IReadOnlyList<string> b) => a.SequenceEqual(b, StringComparer.Ordinal);

    /// <summary>A hash of a list of strings consistent with <see cref="SameItems"/>.</summary>
    private protected static int ItemsHash(IReadOnlyList<string> items)
    {
        var hash = new HashCode();
        foreach (var item in items)
        {
            hash.Add(item, StringComparer.Ordinal);
        }
        return hash.ToHashCode();
    }

    /// <summary>Report keys as given: trimmed, non-empty, without repeats; throws <see cref="ArgumentException"/> otherwise.</summary>
    private protected static IReadOnlyList<string> CheckReportKeys(IEnumerable<string>? keys, string paramName)
    {
        var list = new List<string>();
        foreach (var key in keys ?? [])
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new ArgumentException("A report key must not be empty.", paramName);
            }
            var k = key.Trim();
            if (list.Contains(k, StringComparer.Ordinal))
            {
                throw new ArgumentException($"Report key '{k}' is named twice.", paramName);
            }
            list.Add(k);
        }
        return list.AsReadOnly();
    }
}

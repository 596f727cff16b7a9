namespace Ceasefire.Time;

/// <summary>
/// A half-open interval of time, <c>[Start, End)</c>: the start is inclusive, the end exclusive. The end may be open
/// (<see cref="End"/> is null), meaning "until further notice". Instants are UTC.
/// </summary>
public readonly record struct TimeWindow
{
    /// <summary>Creates a window; throws when <paramref name="end"/> is not after <paramref name="start"/>.</summary>
    public TimeWindow(DateTimeOffset start, DateTimeOffset? end)
    {
        if (end is { } e && e <= start)
        {
            throw new ArgumentException($"The end ({e:O}) must be after the start ({start:O}).", nameof(end));
        }
        Start = start.ToUniversalTime();
        End = end?.ToUniversalTime();
    }

    /// <summary>First instant inside the window (inclusive), UTC.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>First instant after the window (exclusive), UTC; null when the window is open-ended.</summary>
    public DateTimeOffset? End { get; }

    /// <summary>Start as UTC ticks.</summary>
    public long StartTicks => Start.UtcTicks;

    /// <summary>End as UTC ticks; <see cref="long.MaxValue"/> when open-ended.</summary>
    public long EndTicks => End?.UtcTicks ?? long.MaxValue;

    /// <summary>True when <paramref name="instant"/> lies in <c>[Start, End)</c>.</summary>
    public bool Contains(DateTimeOffset instant) => instant.UtcTicks >= StartTicks && instant.UtcTicks < EndTicks;

    /// <summary>
    /// Relates an uncertain time <c>[earliest, latest)</c> (or an instant when equal) to this window: inside,
    /// outside, or straddling an edge.
    /// </summary>
    public Overlap Relate(long earliestTicks, long latestTicks)
    {
        if (earliestTicks == latestTicks)
        {
            return earliestTicks >= StartTicks && earliestTicks < EndTicks ? Overlap.Inside : Overlap.Outside;
        }
        if (earliestTicks >= StartTicks && latestTicks <= EndTicks)
        {
            return Overlap.Inside;
        }
        if (latestTicks <= StartTicks || earliestTicks >= EndTicks)
        {
            return Overlap.Outside;
        }
        return Overlap.Straddles;
    }

    /// <inheritdoc />
    public override string ToString() => $"[{Start:yyyy-MM-dd'T'HH:mm'Z'}, {(End is { } e ? e.ToString("yyyy-MM-dd'T'HH:mm'Z'") : "open")})";
}

/// <summary>How an uncertain time or place relates to a window or zone.</summary>
public enum Overlap : byte
{
    /// <summary>Wholly outside.</summary>
    Outside = 0,
    /// <summary>Wholly inside.</summary>
    Inside = 1,
    /// <summary>Partly inside and partly outside (the uncertainty crosses an edge).</summary>
    Straddles = 2,
}

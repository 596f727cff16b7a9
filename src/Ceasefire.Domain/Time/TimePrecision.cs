namespace Ceasefire.Time;

/// <summary>How precisely the time of an incident is known.</summary>
public enum TimePrecision : byte
{
    /// <summary>An exact instant (to the minute or better).</summary>
    Instant,
    /// <summary>Known to the hour.</summary>
    Hour,
    /// <summary>Known to the calendar day (local date).</summary>
    Day,
    /// <summary>Known to the week.</summary>
    Week,
    /// <summary>Known to the month.</summary>
    Month,
}

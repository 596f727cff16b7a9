namespace Ceasefire.Time;

/// <summary>
/// When an incident happened, with its precision: the set of instants it may have happened at, <c>[Earliest,
/// Latest)</c> (half-open), or a single instant when <see cref="Precision"/> is <see cref="TimePrecision.Instant"/>.
/// </summary>
public readonly record struct IncidentTime
{
    private IncidentTime(DateTimeOffset earliest, DateTimeOffset latest, TimePrecision precision)
    {
        Earliest = earliest.ToUniversalTime();
        Latest = latest.ToUniversalTime();
        Precision = precision;
    }

    /// <summary>Earliest possible instant (inclusive), UTC.</summary>
    public DateTimeOffset Earliest { get; }

    /// <summary>Latest possible instant (exclusive), UTC; equal to <see cref="Earliest"/> for an exact instant.</summary>
    public DateTimeOffset Latest { get; }

    /// <summary>The precision the time was reported with.</summary>
    public TimePrecision Precision { get; }

    /// <summary>An exact instant.</summary>
    public static IncidentTime At(DateTimeOffset instant) => new(instant, instant, TimePrecision.Instant);

    /// <summary>An hour starting at <paramref name="hourStart"/>.</summary>
    public static IncidentTime Hour(DateTimeOffset hourStart) => new(hourStart, hourStart.AddHours(1), TimePrecision.Hour);

    /// <summary>
    /// A local calendar day in <paramref name="zone"/>: from its midnight to the next (23 or 25 hours on days when
    /// clocks change).
    /// </summary>
    public static IncidentTime Day(DateOnly day, TimeZoneInfo zone) =>
        new(LocalMidnight(day, zone), LocalMidnight(day.AddDays(1), zone), TimePrecision.Day);

    /// <summary>Consecutive local days <c>[first, last]</c> (both inclusive) in <paramref name="zone"/>, e.g. "27/28 March".</summary>
    public static IncidentTime Days(DateOnly first, DateOnly last, TimeZoneInfo zone)
    {
        if (last < first)
        {
            throw new ArgumentException("The last day must not be before the first.", nameof(last));
        }
        return new(LocalMidnight(first, zone), LocalMidnight(last.AddDays(1), zone), TimePrecision.Day);
    }

    /// <summary>The ISO week (Monday to Sunday) that contains <paramref name="anyDay"/>, in <paramref name="zone"/>.</summary>
    public static IncidentTime Week(DateOnly anyDay, TimeZoneInfo zone)
    {
        var monday = anyDay.AddDays(-(((int)anyDay.DayOfWeek + 6) % 7));
        return new(LocalMidnight(monday, zone), LocalMidnight(monday.AddDays(7), zone), TimePrecision.Week);
    }

    /// <summary>The calendar month that contains <paramref name="anyDay"/>, in <paramref name="zone"/>.</summary>
    public static IncidentTime Month(DateOnly anyDay, TimeZoneInfo zone)
    {
        var first = new DateOnly(anyDay.Year, anyDay.Month, 1);
        return new(LocalMidnight(first, zone), LocalMidnight(first.AddMonths(1), zone), TimePrecision.Month);
    }

    /// <summary>
    /// Restores a time from its stored range and precision (as <see cref="Earliest"/>, <see cref="Latest"/> and
    /// <see cref="Precision"/> gave them); throws when the range does not fit the precision.
    /// </summary>
    public static IncidentTime FromRange(DateTimeOffset earliest, DateTimeOffset latest, TimePrecision precision)
    {
        if (precision == TimePrecision.Instant ? latest != earliest : latest <= earliest)
        {
            throw new ArgumentException($"[{earliest:O}, {latest:O}) is not a {precision} time.", nameof(latest));
        }
        return new(earliest, latest, precision);
    }

    /// <summary>Relates this time to <paramref name="window"/>.</summary>
    public Overlap RelateTo(TimeWindow window) => window.Relate(Earliest.UtcTicks, Latest.UtcTicks);

    /// <summary>Midnight at the start of <paramref name="day"/> in <paramref name="zone"/>, as an instant.</summary>
    public static DateTimeOffset LocalMidnight(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <inheritdoc />
    public override string ToString() => Precision switch
    {
        TimePrecision.Instant => Earliest.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
        _ => $"{Precision.ToString().ToLowerInvariant()} [{Earliest:yyyy-MM-dd'T'HH:mm'Z'}, {Latest:yyyy-MM-dd'T'HH:mm'Z'})",
    };
}

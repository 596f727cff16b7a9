using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ceasefire.Geo;
using Ceasefire.Incidents;
using Ceasefire.Time;

namespace Ceasefire.Import.Json;

/// <summary>How to write a report file. Immutable; <see cref="Default"/> writes an indented document with times in UTC.</summary>
public sealed record ReportWriteOptions
{
    /// <summary>An indented document, times in UTC.</summary>
    public static ReportWriteOptions Default { get; } = new();

    /// <summary>
    /// The zone times are written in: instants with its UTC offset, days as its local dates (with <c>time_zone</c> set
    /// to it). Default UTC. A day-based time that is not made of local days in this zone is written in the fixed offset
    /// that makes it so, or else in the stored form (<c>earliest</c>, <c>latest</c>), so that reading it back gives the
    /// same time.
    /// </summary>
    public TimeZoneInfo TimeZone
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            field = value;
        }
    } = TimeZoneInfo.Utc;

    /// <summary>A document <c>{ "reports": [ ... ] }</c> (the default; <see cref="ReportJsonLayout.Auto"/> means the same) or JSON Lines.</summary>
    public ReportJsonLayout Layout { get; init; } = ReportJsonLayout.Document;

    /// <summary>Indent a document for people to read (JSON Lines is always one line a report). Default true.</summary>
    public bool Indented { get; init; } = true;
}

/// <summary>
/// Writes incidents in the project's report format (see <see cref="ReportJsonReader"/> and <c>docs/report-format.md</c>),
/// so that reading the output gives the same incidents: every field, the target with how it was established, the
/// perpetrator as decided (written even when null, so no actor mapping redoes it) and the attributes. Streaming: the
/// incidents are enumerated once and flushed as they go. Stateless and thread-safe.
/// </summary>
public static class ReportJsonWriter
{
    private const int FlushThreshold = 64 * 1024;

    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>Writes <paramref name="incidents"/> to <paramref name="stream"/> (UTF-8, left open).</summary>
    /// <param name="stream">Where to write.</param>
    /// <param name="incidents">The incidents, in order; enumerated once.</param>
    /// <param name="options">Layout, indentation and time zone; <see cref="ReportWriteOptions.Default"/> when null.</param>
    public static void Write(Stream stream, IEnumerable<Incident> incidents, ReportWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(incidents);
        options ??= ReportWriteOptions.Default;
        if (options.Layout == ReportJsonLayout.Lines)
        {
            using var line = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = Encoder });
            foreach (var incident in incidents)
            {
                WriteReport(line, incident, options);
                line.Flush();
                stream.WriteByte((byte)'\n');
                line.Reset();
            }
            return;
        }
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = Encoder, Indented = options.Indented });
        writer.WriteStartObject();
        writer.WriteStartArray("reports");
        foreach (var incident in incidents)
        {
            WriteReport(writer, incident, options);
            if (writer.BytesPending > FlushThreshold)
            {
                writer.Flush();
            }
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        if (options.Indented)
        {
            stream.WriteByte((byte)'\n');
        }
    }

    /// <summary>Writes <paramref name="incidents"/> to the file at <paramref name="path"/> (created or replaced).</summary>
    /// <param name="path">The file.</param>
    /// <param name="incidents">The incidents, in order; enumerated once.</param>
    /// <param name="options">Layout, indentation and time zone; <see cref="ReportWriteOptions.Default"/> when null.</param>
    public static void WriteFile(string path, IEnumerable<Incident> incidents, ReportWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Write(stream, incidents, options);
    }

    /// <summary>The report of one incident as a JSON string (compact unless <see cref="ReportWriteOptions.Indented"/>).</summary>
    public static string ToJson(Incident incident, ReportWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(incident);
        options ??= ReportWriteOptions.Default;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Encoder, Indented = options.Indented }))
        {
            WriteReport(writer, incident, options);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Writes one incident as a report object.</summary>
    /// <param name="writer">Where to write the object (as a value: at the top, or in an array).</param>
    /// <param name="incident">The incident.</param>
    /// <param name="options">The time zone to write times in; <see cref="ReportWriteOptions.Default"/> when null.</param>
    public static void WriteReport(Utf8JsonWriter writer, Incident incident, ReportWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(incident);
        options ??= ReportWriteOptions.Default;
        writer.WriteStartObject();
        writer.WriteString("id", incident.Id.Value);
        writer.WritePropertyName("time");
        WriteTime(writer, incident.Time, options.TimeZone);
        WriteLocation(writer, incident.Location);
        writer.WriteString("act", incident.Act.Code);
        WriteTarget(writer, incident.Target);
        if (incident.Perpetrator is { } party)
        {
            writer.WriteString("perpetrator", party.Value);
        }
        else
        {
            writer.WriteNull("perpetrator");
        }
        WriteOptional(writer, "actor", incident.PerpetratorActor);
        WriteOptional(writer, "claimant", incident.Claimant);
        WriteOptional(writer, "source", incident.Source);
        if (incident.Grade.Reliability != default)
        {
            writer.WriteString("grade", incident.Grade.ToString());
        }
        if (incident.Links.Count > 0)
        {
            writer.WriteStartArray("links");
            foreach (var link in incident.Links)
            {
                writer.WriteStringValue(link);
            }
            writer.WriteEndArray();
        }
        WriteOptional(writer, "notes", incident.Notes);
        var c = incident.Casualties;
        if (c.Low is not null || c.Best is not null || c.High is not null)
        {
            writer.WriteStartObject("casualties");
            WriteOptional(writer, "low", c.Low);
            WriteOptional(writer, "best", c.Best);
            WriteOptional(writer, "high", c.High);
            writer.WriteEndObject();
        }
        if (incident.Attributes.Count > 0)
        {
            writer.WriteStartObject("attributes");
            foreach (var (key, value) in incident.Attributes)
            {
                writer.WriteString(key, value);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    /// <summary>
    /// A time in the simplest form that reads back the same: <c>at</c> for an instant or an hour; <c>date</c> (with
    /// precision week or month) or <c>from</c>/<c>to</c> for days, in <paramref name="zone"/> or else the fixed offset in
    /// which they are local days; otherwise <c>earliest</c>/<c>latest</c>.
    /// </summary>
    private static void WriteTime(Utf8JsonWriter w, IncidentTime time, TimeZoneInfo zone)
    {
        w.WriteStartObject();
        switch (time.Precision)
        {
            case TimePrecision.Instant:
                w.WriteString("at", Instant(time.Earliest, zone));
                break;
            case TimePrecision.Hour when time.Latest - time.Earliest == TimeSpan.FromHours(1):
                w.WriteString("at", Instant(time.Earliest, zone));
                w.WriteString("precision", "hour");
                break;
            default:
                if (!TryDays(w, time, zone) && !(FixedOffset(time.Earliest) is { } fixedZone && TryDays(w, time, fixedZone)))
                {
                    w.WriteString("earliest", Instant(time.Earliest, TimeZoneInfo.Utc));
                    w.WriteString("latest", Instant(time.Latest, TimeZoneInfo.Utc));
                    w.WriteString("precision", time.Precision.ToString().ToLowerInvariant());
                }
                break;
        }
        w.WriteEndObject();
    }

    /// <summary>Writes a day, week, month or run of days if <paramref name="time"/> is made of local days in <paramref name="zone"/>.</summary>
    private static bool TryDays(Utf8JsonWriter w, IncidentTime time, TimeZoneInfo zone)
    {
        var first = LocalDate(time.Earliest, zone);
        var end = LocalDate(time.Latest, zone);
        if (IncidentTime.LocalMidnight(first, zone) != time.Earliest || IncidentTime.LocalMidnight(end, zone) != time.Latest || end <= first)
        {
            return false;
        }
        var last = end.AddDays(-1);
        string? precision = null;
        switch (time.Precision)
        {
            case TimePrecision.Week when Same(IncidentTime.Week(first, zone), time):
                precision = "week";
                break;
            case TimePrecision.Month when Same(IncidentTime.Month(first, zone), time):
                precision = "month";
                break;
            case TimePrecision.Day:
                break;
            default:
                return false;
        }
        if (precision is not null || first == last)
        {
            w.WriteString("date", Date(first));
            if (precision is not null)
            {
                w.WriteString("precision", precision);
            }
        }
        else
        {
            w.WriteString("from", Date(first));
            w.WriteString("to", Date(last));
        }
        w.WriteString("time_zone", ZoneName(zone));
        return true;
    }

    private static bool Same(IncidentTime a, IncidentTime b) => a.Earliest == b.Earliest && a.Latest == b.Latest && a.Precision == b.Precision;

    private static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>The fixed UTC offset (whole minutes, -12:00 to +14:00) in which <paramref name="midnight"/> is a local midnight.</summary>
    private static TimeZoneInfo? FixedOffset(DateTimeOffset midnight)
    {
        var utc = midnight.UtcDateTime;
        var minutes = (24 * 60 - (utc.Hour * 60 + utc.Minute)) % (24 * 60);
        if (utc.Second != 0 || utc.Millisecond != 0 || utc.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            return null;
        }
        if (minutes > 14 * 60)
        {
            minutes -= 24 * 60;
        }
        var offset = TimeSpan.FromMinutes(minutes);
        return offset == TimeSpan.Zero ? TimeZoneInfo.Utc : ReportParser.ResolveZone(OffsetText(offset));
    }

    /// <summary>The name a reader resolves back to <paramref name="zone"/>: UTC, an offset such as +03:00, or the IANA id.</summary>
    private static string ZoneName(TimeZoneInfo zone)
    {
        if (zone == TimeZoneInfo.Utc || zone.Id is "UTC" or "Etc/UTC")
        {
            return "UTC";
        }
        if (ReportParser.ResolveZone(zone.Id) is not null)
        {
            return zone.Id;
        }
        return zone.SupportsDaylightSavingTime ? zone.Id : OffsetText(zone.BaseUtcOffset);
    }

    private static string OffsetText(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "-" : "+") + offset.Duration().ToString("hh\\:mm", CultureInfo.InvariantCulture);

    /// <summary>ISO 8601 with the zone's offset at that instant (Z for zero), seconds always, fractions when there are any.</summary>
    private static string Instant(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        return local.Offset == TimeSpan.Zero
            ? local.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture)
            : local.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
    }

    private static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void WriteLocation(Utf8JsonWriter w, IncidentLocation location)
    {
        w.WriteStartObject("location");
        w.WriteNumber("lon", location.Longitude);
        w.WriteNumber("lat", location.Latitude);
        w.WriteString("precision", location.Precision switch
        {
            LocationPrecision.Exact => "exact",
            LocationPrecision.Settlement => "settlement",
            _ => "region",
        });
        if (location.RadiusMetres != location.Precision.DefaultRadiusMetres())
        {
            w.WriteNumber("radius_km", location.RadiusMetres / 1000);
        }
        WriteOptional(w, "place", location.PlaceName);
        w.WriteEndObject();
    }

    /// <summary>
    /// A stated target as its code; an inferred one as an object with the evidence (so it is not inferred again, and
    /// stays "inferred"); an unknown one as "unknown" (so nothing is inferred from the notes on reading).
    /// </summary>
    private static void WriteTarget(Utf8JsonWriter w, TargetInference target)
    {
        var statedPlainly = target.Basis == TargetBasis.Stated && !target.Category.IsUnknown &&
                            target.Evidence.Count == 1 && target.Evidence[0] == target.Category.Code;
        var unknown = target.Basis == TargetBasis.Unknown && target.Category.IsUnknown && target.Evidence.Count == 0;
        if (statedPlainly || unknown)
        {
            w.WriteString("target", target.Category.Code);
            return;
        }
        w.WriteStartObject("target");
        w.WriteString("category", target.Category.Code);
        w.WriteString("basis", target.Basis == TargetBasis.Inferred ? "inferred" : target.Basis == TargetBasis.Stated ? "stated" : "unknown");
        w.WriteStartArray("evidence");
        foreach (var e in target.Evidence)
        {
            w.WriteStringValue(e);
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
    }
}

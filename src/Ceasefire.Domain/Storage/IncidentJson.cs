using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Ceasefire.Geo;
using Ceasefire.Incidents;
using Ceasefire.Parties;
using Ceasefire.Taxonomy;
using Ceasefire.Time;

namespace Ceasefire.Storage;

/// <summary>
/// The stored form of a report in log payloads: compact JSON with a fixed property order, so the same report always
/// gives the same bytes (and the same content hash). Times are ISO 8601 UTC with ticks' precision. Thread-safe.
/// </summary>
public static class IncidentJson
{
    /// <summary>Writes <paramref name="incident"/> as one JSON object.</summary>
    public static void Write(Utf8JsonWriter w, Incident incident)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(incident);
        w.WriteStartObject();
        w.WriteString("id", incident.Id.Value);
        w.WriteStartObject("time");
        w.WriteString("earliest", Instant(incident.Time.Earliest));
        w.WriteString("latest", Instant(incident.Time.Latest));
        w.WriteString("precision", TimePrecisionNames[(int)incident.Time.Precision]);
        w.WriteEndObject();
        w.WriteStartObject("location");
        w.WriteNumber("lon", incident.Location.Longitude);
        w.WriteNumber("lat", incident.Location.Latitude);
        w.WriteString("precision", LocationPrecisionNames[(int)incident.Location.Precision]);
        w.WriteNumber("radius_m", incident.Location.RadiusMetres);
        WriteOptional(w, "place", incident.Location.PlaceName);
        w.WriteEndObject();
        w.WriteString("act", incident.Act.Code);
        w.WriteStartObject("target");
        w.WriteString("category", incident.Target.Category.Code);
        w.WriteString("basis", BasisNames[(int)incident.Target.Basis]);
        w.WriteStartArray("evidence");
        foreach (var e in incident.Target.Evidence)
        {
            w.WriteStringValue(e);
        }
        w.WriteEndArray();
        w.WriteEndObject();
        WriteOptional(w, "perpetrator", incident.Perpetrator?.Value);
        WriteOptional(w, "actor", incident.PerpetratorActor);
        WriteOptional(w, "claimant", incident.Claimant);
        WriteOptional(w, "source", incident.Source);
        w.WriteString("grade", incident.Grade.Reliability == default ? "" : incident.Grade.ToString());
        w.WriteStartArray("links");
        foreach (var l in incident.Links)
        {
            w.WriteStringValue(l);
        }
        w.WriteEndArray();
        WriteOptional(w, "notes", incident.Notes);
        if (incident.Casualties != default)
        {
            w.WriteStartObject("casualties");
            WriteOptional(w, "low", incident.Casualties.Low);
            WriteOptional(w, "best", incident.Casualties.Best);
            WriteOptional(w, "high", incident.Casualties.High);
            w.WriteEndObject();
        }
        if (incident.Attributes.Count > 0)
        {
            w.WriteStartObject("attributes");
            foreach (var (k, v) in incident.Attributes.Count == 1 ? (IEnumerable<KeyValuePair<string, string>>)incident.Attributes : incident.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                w.WriteString(k, v);
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static readonly string[] TimePrecisionNames = Enum.GetNames<TimePrecision>().Select(n => n.ToLowerInvariant()).ToArray();
    private static readonly string[] LocationPrecisionNames = Enum.GetNames<LocationPrecision>().Select(n => n.ToLowerInvariant()).ToArray();
    private static readonly string[] BasisNames = Enum.GetNames<TargetBasis>().Select(n => n.ToLowerInvariant()).ToArray();

    /// <summary>Writer options of the stored form: non-ASCII text kept as it is (Cyrillic stays readable).</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? t_writer;

    /// <summary>The JSON of one report as UTF-8 bytes.</summary>
    public static byte[] ToUtf8(Incident incident)
    {
        // One buffer and writer per thread, reset for every report: serialising is on the import's hot path.
        var (buffer, writer) = t_writer ??= Create();
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        Write(writer, incident);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();

        static (ArrayBufferWriter<byte>, Utf8JsonWriter) Create()
        {
            var b = new ArrayBufferWriter<byte>(1024);
            return (b, new Utf8JsonWriter(b, WriterOptions));
        }
    }

    /// <summary>Reads a report written by <see cref="Write"/>.</summary>
    public static Incident Read(JsonElement e)
    {
        var time = e.GetProperty("time");
        var earliest = DateTimeOffset.Parse(time.GetProperty("earliest").GetString()!, CultureInfo.InvariantCulture);
        var latest = DateTimeOffset.Parse(time.GetProperty("latest").GetString()!, CultureInfo.InvariantCulture);
        var precision = Enum.Parse<TimePrecision>(time.GetProperty("precision").GetString()!, ignoreCase: true);
        var loc = e.GetProperty("location");
        var location = new IncidentLocation(loc.GetProperty("lon").GetDouble(), loc.GetProperty("lat").GetDouble(),
            Enum.Parse<LocationPrecision>(loc.GetProperty("precision").GetString()!, ignoreCase: true), loc.GetProperty("radius_m").GetDouble(),
            Optional(loc, "place"));
        var target = e.GetProperty("target");
        TargetCategories.TryParse(target.GetProperty("category").GetString()!, out var category);
        var inference = new TargetInference(category, Enum.Parse<TargetBasis>(target.GetProperty("basis").GetString()!, ignoreCase: true),
            target.GetProperty("evidence").EnumerateArray().Select(x => x.GetString()!).ToList());
        ActKinds.TryParse(e.GetProperty("act").GetString()!, out var act);
        var perpetrator = Optional(e, "perpetrator") is { } p ? new PartyCode(p) : (PartyCode?)null;
        SourceGrade.TryParse(e.GetProperty("grade").GetString(), out var grade);
        var casualties = e.TryGetProperty("casualties", out var c)
            ? new Casualties(OptionalInt(c, "low"), OptionalInt(c, "best"), OptionalInt(c, "high"))
            : default;
        var attributes = e.TryGetProperty("attributes", out var a)
            ? a.EnumerateObject().ToDictionary(x => x.Name, x => x.Value.GetString() ?? "", StringComparer.Ordinal)
            : null;
        return new Incident(new IncidentId(e.GetProperty("id").GetString()!), Restore(earliest, latest, precision), location, act, inference,
            perpetrator, Optional(e, "actor"), Optional(e, "claimant"), Optional(e, "source"), grade,
            e.GetProperty("links").EnumerateArray().Select(x => x.GetString()!).ToList(), Optional(e, "notes"), casualties, attributes);
    }

    private static IncidentTime Restore(DateTimeOffset earliest, DateTimeOffset latest, TimePrecision precision) =>
        IncidentTime.FromRange(earliest, latest, precision);

    private static string Instant(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

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

    private static string? Optional(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? OptionalInt(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
}

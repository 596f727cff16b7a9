using System.Buffers;
using System.Buffers.Text;
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
public static partial class IncidentJson
{
    /// <summary>Writes <paramref name="incident"/> as one JSON object.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void Write(Utf8JsonWriter w, Incident incident)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(incident);
        // The import's hot path: property names pre-encoded, instants formatted without allocating.
        Span<byte> instant = stackalloc byte[40];
        w.WriteStartObject();
        w.WriteString(Names.Id, incident.Id.Value);
        w.WriteStartObject(Names.Time);
        w.WriteString(Names.Earliest, Instant(incident.Time.Earliest, instant));
        w.WriteString(Names.Latest, Instant(incident.Time.Latest, instant));
        w.WriteString(Names.Precision, TimePrecisionNames[(int)incident.Time.Precision]);
        w.WriteEndObject();
        w.WriteStartObject(Names.Location);
        w.WriteNumber(Names.Lon, incident.Location.Longitude);
        w.WriteNumber(Names.Lat, incident.Location.Latitude);
        w.WriteString(Names.Precision, LocationPrecisionNames[(int)incident.Location.Precision]);
        w.WriteNumber(Names.Radius, incident.Location.RadiusMetres);
        WriteCached(w, Names.Place, incident.Location.PlaceName);
        w.WriteEndObject();
        WriteCached(w, Names.Act, incident.Act.Code);
        w.WriteStartObject(Names.Target);
        WriteCached(w, Names.Category, incident.Target.Category.Code);
        w.WriteString(Names.Basis, BasisNames[(int)incident.Target.Basis]);
        w.WriteStartArray(Names.Evidence);
        foreach (var e in incident.Target.Evidence)
        {
            w.WriteStringValue(e);
        }
        w.WriteEndArray();
        w.WriteEndObject();
        WriteCached(w, Names.Perpetrator, incident.Perpetrator?.Value);
        WriteCached(w, Names.Actor, incident.PerpetratorActor);
        WriteCached(w, Names.Claimant, incident.Claimant);
        WriteCached(w, Names.Source, incident.Source);
        w.WriteString(Names.Grade, incident.Grade.Reliability == default ? "" : incident.Grade.ToString());
        w.WriteStartArray(Names.Links);
        foreach (var l in incident.Links)
        {
            w.WriteStringValue(l);
        }
        w.WriteEndArray();
        WriteOptional(w, Names.Notes, incident.Notes);
        if (incident.Casualties != default)
        {
            w.WriteStartObject(Names.Casualties);
            WriteOptional(w, Names.Low, incident.Casualties.Low);
            WriteOptional(w, Names.Best, incident.Casualties.Best);
            WriteOptional(w, Names.High, incident.Casualties.High);
            w.WriteEndObject();
        }
        if (incident.Attributes.Count > 0)
        {
            w.WriteStartObject(Names.Attributes);
            WriteAttributes(w, incident.Attributes);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>The attributes in ordinal key order (fixed, so the bytes are).</summary>
    private static void WriteAttributes(Utf8JsonWriter w, IReadOnlyDictionary<string, string> attributes)
    {
        var pairs = SortedAttributes(attributes, out var n);
        try
        {
            for (var i = 0; i < n; i++)
            {
                w.WritePropertyName(Encoded(pairs[i].Key));
                w.WriteStringValue(Encoded(pairs[i].Value));
            }
        }
        finally
        {
            ArrayPool<KeyValuePair<string, string>>.Shared.Return(pairs, clearArray: true);
        }
    }

    /// <summary>
    /// The attributes in ordinal key order, in a pooled array (the first <paramref name="count"/> items; give it back to
    /// <see cref="ArrayPool{T}.Shared"/>).
    /// </summary>
    private static KeyValuePair<string, string>[] SortedAttributes(IReadOnlyDictionary<string, string> attributes, out int count)
    {
        var pairs = ArrayPool<KeyValuePair<string, string>>.Shared.Rent(attributes.Count);
        var n = 0;
        foreach (var pair in attributes)
        {
            pairs[n++] = pair;
        }
        // Insertion sort: a report has a handful of attributes.
        for (var i = 1; i < n; i++)
        {
            var x = pairs[i];
            var j = i - 1;
            while (j >= 0 && string.CompareOrdinal(pairs[j].Key, x.Key) > 0)
            {
                pairs[j + 1] = pairs[j];
                j--;
            }
            pairs[j + 1] = x;
        }
        count = n;
        return pairs;
    }

    /// <summary>
    /// Writes a short string that is likely to repeat (a place, an actor, a source, a code) from a per-thread cache of
    /// encoded values, keyed by the string instance: readers hand out one instance per distinct value, so a bulk write
    /// escapes and transcodes each value once.
    /// </summary>
    private static void WriteCached(Utf8JsonWriter w, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, Encoded(value));
        }
    }

    private const int MaxCachedLength = 128;
    private const int MaxCachedValues = 16_384;

    [ThreadStatic]
    private static Dictionary<string, JsonEncodedText>? t_encoded;

    private static JsonEncodedText Encoded(string value)
    {
        if (value.Length > MaxCachedLength)
        {
            return JsonEncodedText.Encode(value, WriterOptions.Encoder);
        }
        var cache = t_encoded ??= new Dictionary<string, JsonEncodedText>(ReferenceEqualityComparer.Instance);
        if (!cache.TryGetValue(value, out var encoded))
        {
            if (cache.Count >= MaxCachedValues)
            {
                cache.Clear();
            }
            encoded = JsonEncodedText.Encode(value, WriterOptions.Encoder);
            cache.Add(value, encoded);
        }
        return encoded;
    }

    private static class Names
    {
        public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
        public static readonly JsonEncodedText Time = JsonEncodedText.Encode("time");
        public static readonly JsonEncodedText Earliest = JsonEncodedText.Encode("earliest");
        public static readonly JsonEncodedText Latest = JsonEncodedText.Encode("latest");
        public static readonly JsonEncodedText Precision = JsonEncodedText.Encode("precision");
        public static readonly JsonEncodedText Location = JsonEncodedText.Encode("location");
        public static readonly JsonEncodedText Lon = JsonEncodedText.Encode("lon");
        public static readonly JsonEncodedText Lat = JsonEncodedText.Encode("lat");
        public static readonly JsonEncodedText Radius = JsonEncodedText.Encode("radius_m");
        public static readonly JsonEncodedText Place = JsonEncodedText.Encode("place");
        public static readonly JsonEncodedText Act = JsonEncodedText.Encode("act");
        public static readonly JsonEncodedText Target = JsonEncodedText.Encode("target");
        public static readonly JsonEncodedText Category = JsonEncodedText.Encode("category");
        public static readonly JsonEncodedText Basis = JsonEncodedText.Encode("basis");
        public static readonly JsonEncodedText Evidence = JsonEncodedText.Encode("evidence");
        public static readonly JsonEncodedText Perpetrator = JsonEncodedText.Encode("perpetrator");
        public static readonly JsonEncodedText Actor = JsonEncodedText.Encode("actor");
        public static readonly JsonEncodedText Claimant = JsonEncodedText.Encode("claimant");
        public static readonly JsonEncodedText Source = JsonEncodedText.Encode("source");
        public static readonly JsonEncodedText Grade = JsonEncodedText.Encode("grade");
        public static readonly JsonEncodedText Links = JsonEncodedText.Encode("links");
        public static readonly JsonEncodedText Notes = JsonEncodedText.Encode("notes");
        public static readonly JsonEncodedText Casualties = JsonEncodedText.Encode("casualties");
        public static readonly JsonEncodedText Low = JsonEncodedText.Encode("low");
        public static readonly JsonEncodedText Best = JsonEncodedText.Encode("best");
        public static readonly JsonEncodedText High = JsonEncodedText.Encode("high");
        public static readonly JsonEncodedText Attributes = JsonEncodedText.Encode("attributes");
    }

    private static readonly JsonEncodedText[] TimePrecisionNames = Enum.GetNames<TimePrecision>().Select(n => JsonEncodedText.Encode(n.ToLowerInvariant())).ToArray();
    private static readonly JsonEncodedText[] LocationPrecisionNames = Enum.GetNames<LocationPrecision>().Select(n => JsonEncodedText.Encode(n.ToLowerInvariant())).ToArray();
    private static readonly JsonEncodedText[] BasisNames = Enum.GetNames<TargetBasis>().Select(n => JsonEncodedText.Encode(n.ToLowerInvariant())).ToArray();

    /// <summary>Writer options of the stored form: non-ASCII text kept as it is (Cyrillic stays readable).</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// <see cref="WriterOptions"/> without the writer's structural checks, for code that writes well-formed JSON by
    /// construction (the store's import path).
    /// </summary>
    public static readonly JsonWriterOptions UncheckedWriterOptions = new() { Encoder = WriterOptions.Encoder, SkipValidation = true };

    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? t_writer;

    /// <summary>The JSON of one report as UTF-8 bytes.</summary>
    public static byte[] ToUtf8(Incident incident)
    {
        // One buffer and writer per thread, reset for every report.
        var (buffer, writer) = t_writer ??= Create();
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        Write(writer, incident);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();

        static (ArrayBufferWriter<byte>, Utf8JsonWriter) Create()
        {
            var b = new ArrayBufferWriter<byte>(1024);
            return (b, new Utf8JsonWriter(b, UncheckedWriterOptions));
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

    /// <summary>ISO 8601 UTC with ticks' precision (<c>2025-03-18T00:00:00.0000000Z</c>), into <paramref name="into"/>.</summary>
    private static ReadOnlySpan<byte> Instant(DateTimeOffset t, Span<byte> into)
    {
        // The round-trip format of a UTC DateTime is exactly yyyy-MM-ddTHH:mm:ss.fffffffZ.
        Utf8Formatter.TryFormat(new DateTime(t.UtcTicks, DateTimeKind.Utc), into, out var written, new StandardFormat('O'));
        return into[..written];
    }

    private static void WriteOptional(Utf8JsonWriter w, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteOptional(Utf8JsonWriter w, JsonEncodedText name, int? value)
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

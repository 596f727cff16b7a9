using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;
using Ceasefire.Incidents;
using Ceasefire.Parties;

namespace Ceasefire.Complaints;

/// <summary>
/// Complaint events as JSON, for the append-only log: one object per event, snake_case names, a <c>kind</c>
/// discriminator first (<c>complaint_filed</c>, <c>complaint_acknowledged</c>, <c>complaint_answered</c>,
/// <c>complaint_ruled</c>), then <c>complaint_id</c>, <c>at</c> (ISO 8601 UTC, 100 ns precision), <c>by</c>, then the
/// event's own fields in a fixed order, so the same event always gives the same text. Durations are ISO 8601
/// (<c>P3D</c>); enumerations are snake_case codes (<c>counter_accusation</c>). Thread-safe.
/// </summary>
public static class ComplaintEvents
{
    /// <summary>The <c>kind</c> of <see cref="ComplaintFiled"/>.</summary>
    public const string FiledKind = "complaint_filed";

    /// <summary>The <c>kind</c> of <see cref="ComplaintAcknowledged"/>.</summary>
    public const string AcknowledgedKind = "complaint_acknowledged";

    /// <summary>The <c>kind</c> of <see cref="ComplaintAnswered"/>.</summary>
    public const string AnsweredKind = "complaint_answered";

    /// <summary>The <c>kind</c> of <see cref="ComplaintRuled"/>.</summary>
    public const string RuledKind = "complaint_ruled";

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The snake_case code of an enumeration value (<c>counter_accusation</c>, <c>upheld</c>, <c>default</c>).</summary>
    public static string Code<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>Writes <paramref name="e"/> as one compact JSON object.</summary>
    public static string ToJson(ComplaintEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("kind", e.Kind);
            w.WriteString("complaint_id", e.ComplaintId.Value);
            w.WriteString("at", Instant(e.At));
            w.WriteString("by", e.By);
            switch (e)
            {
                case ComplaintFiled f:
                    w.WriteString("complainant", f.Complainant.Value);
                    w.WriteString("accused", f.Accused.Value);
                    WriteStrings(w, "report_keys", f.ReportKeys);
                    w.WriteString("incident_id", f.Incident?.Value);
                    w.WriteString("text", f.Text);
                    w.WriteString("response_period", XmlConvert.ToString(f.ResponsePeriod.Length));
                    w.WriteString("response_period_source", Code(f.ResponsePeriod.Source));
                    w.WriteString("agreement_id", f.AgreementId);
                    break;
                case ComplaintAcknowledged a:
                    w.WriteString("note", a.Note);
                    break;
                case ComplaintAnswered a:
                    w.WriteString("party", a.Party.Value);
                    w.WriteString("answer", Code(a.AnswerKind));
                    w.WriteString("text", a.Text);
                    WriteStrings(w, "counter_report_keys", a.CounterReportKeys);
                    break;
                case ComplaintRuled r:
                    w.WriteString("outcome", Code(r.Outcome));
                    w.WriteString("reasons", r.Reasons);
                    break;
                default:
                    throw new ArgumentException($"Unknown complaint event type {e.GetType().Name}.", nameof(e));
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes a filing (the same as <see cref="ToJson(ComplaintEvent)"/>).</summary>
    public static string ToJson(ComplaintFiled e) => ToJson((ComplaintEvent)e);

    /// <summary>Writes an acknowledgement (the same as <see cref="ToJson(ComplaintEvent)"/>).</summary>
    public static string ToJson(ComplaintAcknowledged e) => ToJson((ComplaintEvent)e);

    /// <summary>Writes an answer (the same as <see cref="ToJson(ComplaintEvent)"/>).</summary>
    public static string ToJson(ComplaintAnswered e) => ToJson((ComplaintEvent)e);

    /// <summary>Writes a ruling (the same as <see cref="ToJson(ComplaintEvent)"/>).</summary>
    public static string ToJson(ComplaintRuled e) => ToJson((ComplaintEvent)e);

    /// <summary>
    /// Reads one event, of the type its <c>kind</c> names. Throws <see cref="JsonException"/> with a message naming the
    /// problem (malformed JSON, unknown kind, missing or invalid property); unknown properties are ignored, so later
    /// versions may add fields.
    /// </summary>
    public static ComplaintEvent FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var doc = JsonDocument.Parse(json);
        var o = doc.RootElement;
        if (o.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A complaint event is a JSON object.");
        }
        var kind = RequiredString(o, "kind");
        try
        {
            var id = new ComplaintId(RequiredString(o, "complaint_id"));
            var at = ReadInstant(o, "at");
            var by = RequiredString(o, "by");
            return kind switch
            {
                FiledKind => new ComplaintFiled(id, at, by, Party(o, "complainant"), Party(o, "accused"), Strings(o, "report_keys"),
                    OptionalString(o, "incident_id") is { } incident ? new IncidentId(incident) : null, RequiredString(o, "text"),
                    new ResponsePeriod(Duration(o, "response_period"), Enum<ResponsePeriodSource>(o, "response_period_source")),
                    OptionalString(o, "agreement_id")),
                AcknowledgedKind => new ComplaintAcknowledged(id, at, by, OptionalString(o, "note")),
                AnsweredKind => new ComplaintAnswered(id, at, by, Party(o, "party"), Enum<AnswerKind>(o, "answer"), RequiredString(o, "text"),
                    Strings(o, "counter_report_keys")),
                RuledKind => new ComplaintRuled(id, at, by, Enum<RulingOutcome>(o, "outcome"), RequiredString(o, "reasons")),
                _ => throw new JsonException($"Unknown complaint event kind '{kind}' (known: {FiledKind}, {AcknowledgedKind}, {AnsweredKind}, {RuledKind})."),
            };
        }
        catch (ArgumentException e)
        {
            throw new JsonException($"Invalid {kind} event: {e.Message}", e);
        }
    }

    /// <summary>
    /// Reads one event that must be a <typeparamref name="TEvent"/> (for example <see cref="ComplaintFiled"/>); throws
    /// <see cref="JsonException"/> when it is another kind.
    /// </summary>
    public static TEvent FromJson<TEvent>(string json) where TEvent : ComplaintEvent =>
        FromJson(json) is TEvent e ? e : throw new JsonException($"The JSON holds a complaint event that is not a {typeof(TEvent).Name}.");

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> items)
    {
        w.WriteStartArray(name);
        foreach (var item in items)
        {
            w.WriteStringValue(item);
        }
        w.WriteEndArray();
    }

    private static string? OptionalString(JsonElement o, string name) =>
        !o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString()
        : throw new JsonException($"'{name}' must be a string.");

    private static string RequiredString(JsonElement o, string name) =>
        OptionalString(o, name) ?? throw new JsonException($"Missing required property '{name}'.");

    private static PartyCode Party(JsonElement o, string name)
    {
        var v = RequiredString(o, name);
        return PartyCode.IsValid(v) ? new PartyCode(v) : throw new JsonException($"'{name}': '{v}' is not a party code.");
    }

    private static DateTimeOffset ReadInstant(JsonElement o, string name)
    {
        var v = RequiredString(o, name);
        return DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.ToUniversalTime()
            : throw new JsonException($"'{name}': '{v}' is not an ISO 8601 instant.");
    }

    private static TimeSpan Duration(JsonElement o, string name)
    {
        var v = RequiredString(o, name);
        try
        {
            return XmlConvert.ToTimeSpan(v);
        }
        catch (FormatException e)
        {
            throw new JsonException($"'{name}': '{v}' is not an ISO 8601 duration (P3D, PT72H).", e);
        }
    }

    private static TEnum Enum<TEnum>(JsonElement o, string name) where TEnum : struct, Enum
    {
        var v = RequiredString(o, name);
        foreach (var value in System.Enum.GetValues<TEnum>())
        {
            if (Code(value) == v)
            {
                return value;
            }
        }
        throw new JsonException($"'{name}': '{v}' is not one of {string.Join(", ", System.Enum.GetValues<TEnum>().Select(Code))}.");
    }

    private static List<string> Strings(JsonElement o, string name)
    {
        if (!o.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (v.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException($"'{name}' must be an array of strings.");
        }
        return v.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : throw new JsonException($"'{name}' must hold strings only.")).ToList();
    }
}

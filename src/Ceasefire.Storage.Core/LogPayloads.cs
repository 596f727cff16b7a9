using System.Security.Cryptography;
using System.Text.Json;

namespace Ceasefire.Storage.Core;

/// <summary>The payload of a <c>findings.computed</c> entry.</summary>
/// <remarks><see cref="Scope"/> is absent from entries of the first release, whose replacement covered every finding of the agreement.</remarks>
internal sealed record FindingsPayload(string Agreement, IReadOnlyList<int> Versions, bool Replace, IReadOnlyList<StoredFinding> Findings, string? Scope = null);

/// <summary>
/// One report of a <c>reports.received</c> entry, as the projector writes it: its read-model columns and where its
/// JSON lies inside the entry's payload (byte offset and length).
/// </summary>
internal readonly record struct ReceivedReport(
    string Key, int Version, ContentHash Hash, long Earliest, long Latest, double Longitude, double Latitude, string Act, string? Perpetrator, string? Place,
    long Offset = 0, int Length = 0);

/// <summary>
/// The payload of an <c>incidents.formed</c> entry: a block of a corroboration run's incidents and review queue; the
/// first block of a run replaces the earlier run (<see cref="Replace"/>), the others add to it.
/// </summary>
internal sealed record IncidentsPayload(IReadOnlyList<StoredIncident> Incidents, IReadOnlyList<StoredReviewItem> Review, IReadOnlyList<string> Warnings, bool Replace = true);

/// <summary>
/// The entry of a document (an agreement version, a zone file, a source registry, a claims file): its type and stream,
/// the read model's kind and name, the payload's JSON, and the SHA-256 of the text (a text already recorded under the
/// name is not recorded again). The same in every store.
/// </summary>
internal sealed record DocumentEntry(string Type, string Stream, string Kind, string Name, string Json, string TextHash)
{
    public static DocumentEntry Agreement(string agreementId, int version, string fileName, string text) =>
        Of(LogEntryTypes.AgreementVersionAdded, $"agreement:{agreementId}", "agreement", $"{agreementId} v{version}", text,
            new { kind = "agreement", name = $"{agreementId} v{version}", agreement = agreementId, version, file = fileName, text });

    public static DocumentEntry Zones(string fileName, string text) =>
        Of(LogEntryTypes.ZoneFileLoaded, "zones", "zones", fileName, text, new { kind = "zones", name = fileName, file = fileName, text });

    /// <summary>A document of another kind (<c>sources</c>, <c>claims</c>).</summary>
    /// <exception cref="ArgumentException">Documents of that kind are not kept.</exception>
    public static DocumentEntry Other(string kind, string fileName, string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        var type = kind switch
        {
            "sources" => LogEntryTypes.SourcesLoaded,
            "claims" => LogEntryTypes.ClaimsLoaded,
            _ => throw new ArgumentException($"Documents of kind '{kind}' are not kept (sources, claims; agreements and zones have their own calls).", nameof(kind)),
        };
        return Of(type, kind, kind, fileName, text, new { kind, name = fileName, file = fileName, text });
    }

    private static DocumentEntry Of(string type, string stream, string kind, string name, string text, object payload) =>
        new(type, stream, kind, name, JsonSerializer.Serialize(payload, LogPayloads.Json), Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))));
}

/// <summary>
/// The payloads of the log's entries as every store writes and reads them: the same bytes in SQLite and PostgreSQL,
/// so a log copied between stores verifies and rebuilds the same read models.
/// </summary>
internal static class LogPayloads
{
    /// <summary>Reports per log entry of an import.</summary>
    public const int ReportsPerEntry = 1_000;

    /// <summary>
    /// Checks an entry appended on its own (<see cref="IStore.AppendAsync"/>): a log-only type, a stream, a JSON payload.
    /// </summary>
    /// <exception cref="ArgumentException">The type is written by another call, or the stream is empty.</exception>
    /// <exception cref="JsonException">The payload is not JSON.</exception>
    public static void CheckAppended(string stream, string type, string json)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stream);
        ArgumentNullException.ThrowIfNull(json);
        if (!LogEntryTypes.LogOnly.Contains(type))
        {
            throw new ArgumentException($"Entries of type '{type}' are written by their own calls, not appended directly.", nameof(type));
        }
        using (JsonDocument.Parse(json))
        {
            // The payload must be JSON.
        }
    }

    /// <summary>JSON options of payloads the store writes itself (snake_case).</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Reads the rows of a <c>reports.received</c> entry from its payload (UTF-8), with each report's byte offset
    /// and length inside it.
    /// </summary>
    public static List<ReceivedReport> ParseReports(byte[] data)
    {
        var rows = new List<ReceivedReport>();
        var reader = new Utf8JsonReader(data);
        Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("reports"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }
            Expect(reader.Read() && reader.TokenType == JsonTokenType.StartArray);
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                string? key = null, hash = null;
                int version = 0;
                long offset = -1;
                int length = 0;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString();
                    reader.Read();
                    switch (name)
                    {
                        case "key":
                            key = reader.GetString();
                            break;
                        case "version":
                            version = reader.GetInt32();
                            break;
                        case "content_hash":
                            hash = reader.GetString(); // written by earlier versions; now computed from the report
                            break;
                        case "report":
                            offset = reader.TokenStartIndex;
                            reader.Skip();
                            length = (int)(reader.BytesConsumed - offset);
                            break;
                        default:
                            reader.Skip();
                            break;
                    }
                }
                Expect(key is not null && offset >= 0);
                var json = data.AsMemory((int)offset, length);
                var computed = ContentHash.FromBytes(SHA256.HashData(json.Span));
                if (hash is not null && ContentHash.Parse(hash) != computed)
                {
                    throw new InvalidDataException($"Report {key} v{version}: the content hash recorded beside it is not the hash of its JSON.");
                }
                using var report = JsonDocument.Parse(json);
                rows.Add(Row(key!, version, computed, report.RootElement) with { Offset = offset, Length = length });
            }
        }
        return rows;

        static void Expect(bool ok)
        {
            if (!ok)
            {
                throw new InvalidDataException("A reports.received entry is not shaped as this version writes it.");
            }
        }
    }

    /// <summary>The read-model columns of one report, taken from its stored JSON.</summary>
    public static ReceivedReport Row(string key, int version, ContentHash hash, JsonElement report)
    {
        var time = report.GetProperty("time");
        var location = report.GetProperty("location");
        return new ReceivedReport(key, version, hash,
            DateTimeOffset.Parse(time.GetProperty("earliest").GetString()!, System.Globalization.CultureInfo.InvariantCulture).UtcTicks,
            DateTimeOffset.Parse(time.GetProperty("latest").GetString()!, System.Globalization.CultureInfo.InvariantCulture).UtcTicks,
            location.GetProperty("lon").GetDouble(), location.GetProperty("lat").GetDouble(), report.GetProperty("act").GetString()!,
            report.TryGetProperty("perpetrator", out var perp) ? perp.GetString() : null,
            location.TryGetProperty("place", out var place) ? place.GetString() : null);
    }
}

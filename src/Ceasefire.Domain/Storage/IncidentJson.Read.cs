using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using Ceasefire.Geo;
using Ceasefire.Incidents;
using Ceasefire.Parties;
using Ceasefire.Taxonomy;
using Ceasefire.Time;

namespace Ceasefire.Storage;

public static partial class IncidentJson
{
    /// <summary>
    /// Reads a report written by <see cref="Write"/> straight from its UTF-8 bytes, as <see cref="Read(JsonElement)"/>
    /// reads it from a parsed document, without building the document: the path of reads of many reports. Properties
    /// may come in any order; unknown ones are skipped. <c>IncidentJsonTests</c> checks both readers agree.
    /// </summary>
    /// <exception cref="JsonException">The bytes are not a report.</exception>
    public static Incident ReadUtf8(ReadOnlySpan<byte> json)
    {
        var r = new Utf8JsonReader(json);
        Expect(ref r, JsonTokenType.StartObject);
        string? id = null, act = null, perpetrator = null, actor = null, claimant = null, source = null, grade = null, notes = null;
        DateTimeOffset? earliest = null, latest = null;
        TimePrecision? timePrecision = null;
        double? lon = null, lat = null, radius = null;
        LocationPrecision? locationPrecision = null;
        string? place = null, category = null;
        TargetBasis? basis = null;
        List<string>? evidence = null, links = null;
        Casualties casualties = default;
        Dictionary<string, string>? attributes = null;
        while (Next(ref r) == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("id"u8))
            {
                id = String(ref r);
            }
            else if (r.ValueTextEquals("time"u8))
            {
                Expect(ref r, JsonTokenType.StartObject);
                while (Next(ref r) == JsonTokenType.PropertyName)
                {
                    if (r.ValueTextEquals("earliest"u8))
                    {
                        earliest = Instant(ref r);
                    }
                    else if (r.ValueTextEquals("latest"u8))
                    {
                        latest = Instant(ref r);
                    }
                    else if (r.ValueTextEquals("precision"u8))
                    {
                        timePrecision = Enum.Parse<TimePrecision>(String(ref r)!, ignoreCase: true);
                    }
                    else
                    {
                        Skip(ref r);
                    }
                }
            }
            else if (r.ValueTextEquals("location"u8))
            {
                Expect(ref r, JsonTokenType.StartObject);
                while (Next(ref r) == JsonTokenType.PropertyName)
                {
                    if (r.ValueTextEquals("lon"u8))
                    {
                        lon = Number(ref r);
                    }
                    else if (r.ValueTextEquals("lat"u8))
                    {
                        lat = Number(ref r);
                    }
                    else if (r.ValueTextEquals("precision"u8))
                    {
                        locationPrecision = Enum.Parse<LocationPrecision>(String(ref r)!, ignoreCase: true);
                    }
                    else if (r.ValueTextEquals("radius_m"u8))
                    {
                        radius = Number(ref r);
                    }
                    else if (r.ValueTextEquals("place"u8))
                    {
                        place = String(ref r);
                    }
                    else
                    {
                        Skip(ref r);
                    }
                }
            }
            else if (r.ValueTextEquals("act"u8))
            {
                act = String(ref r);
            }
            else if (r.ValueTextEquals("target"u8))
            {
                Expect(ref r, JsonTokenType.StartObject);
                while (Next(ref r) == JsonTokenType.PropertyName)
                {
                    if (r.ValueTextEquals("category"u8))
                    {
                        category = String(ref r);
                    }
                    else if (r.ValueTextEquals("basis"u8))
                    {
                        basis = Enum.Parse<TargetBasis>(String(ref r)!, ignoreCase: true);
                    }
                    else if (r.ValueTextEquals("evidence"u8))
                    {
                        evidence = Strings(ref r);
                    }
                    else
                    {
                        Skip(ref r);
                    }
                }
            }
            else if (r.ValueTextEquals("perpetrator"u8))
            {
                perpetrator = String(ref r);
            }
            else if (r.ValueTextEquals("actor"u8))
            {
                actor = String(ref r);
            }
            else if (r.ValueTextEquals("claimant"u8))
            {
                claimant = String(ref r);
            }
            else if (r.ValueTextEquals("source"u8))
            {
                source = String(ref r);
            }
            else if (r.ValueTextEquals("grade"u8))
            {
                grade = String(ref r);
            }
            else if (r.ValueTextEquals("links"u8))
            {
                links = Strings(ref r);
            }
            else if (r.ValueTextEquals("notes"u8))
            {
                notes = String(ref r);
            }
            else if (r.ValueTextEquals("casualties"u8))
            {
                Expect(ref r, JsonTokenType.StartObject);
                int? low = null, best = null, high = null;
                while (Next(ref r) == JsonTokenType.PropertyName)
                {
                    if (r.ValueTextEquals("low"u8))
                    {
                        low = Int(ref r);
                    }
                    else if (r.ValueTextEquals("best"u8))
                    {
                        best = Int(ref r);
                    }
                    else if (r.ValueTextEquals("high"u8))
                    {
                        high = Int(ref r);
                    }
                    else
                    {
                        Skip(ref r);
                    }
                }
                casualties = new Casualties(low, best, high);
            }
            else if (r.ValueTextEquals("attributes"u8))
            {
                Expect(ref r, JsonTokenType.StartObject);
                attributes = new Dictionary<string, string>(StringComparer.Ordinal);
                while (Next(ref r) == JsonTokenType.PropertyName)
                {
                    var name = r.GetString()!;
                    attributes[name] = String(ref r) ?? "";
                }
            }
            else
            {
                Skip(ref r);
            }
        }
        if (id is null || earliest is null || latest is null || timePrecision is null || lon is null || lat is null || locationPrecision is null
            || radius is null || act is null || category is null || basis is null || evidence is null || links is null)
        {
            throw new JsonException("A stored report lacks one of id, time, location, act, target or links.");
        }
        TargetCategories.TryParse(category, out var targetCategory);
        ActKinds.TryParse(act, out var actKind);
        SourceGrade.TryParse(grade, out var sourceGrade);
        return new Incident(new IncidentId(id), Restore(earliest.Value, latest.Value, timePrecision.Value),
            new IncidentLocation(lon.Value, lat.Value, locationPrecision.Value, radius.Value, place), actKind,
            new TargetInference(targetCategory, basis.Value, evidence), perpetrator is null ? null : new PartyCode(perpetrator),
            actor, claimant, source, sourceGrade, links, notes, casualties, attributes);

        static JsonTokenType Next(ref Utf8JsonReader r) => r.Read() ? r.TokenType : throw new JsonException("A stored report ends too early.");

        static void Expect(ref Utf8JsonReader r, JsonTokenType type)
        {
            if (Next(ref r) != type)
            {
                throw new JsonException($"A stored report has {r.TokenType} where {type} belongs.");
            }
        }

        static void Skip(ref Utf8JsonReader r)
        {
            Next(ref r);
            r.Skip();
        }

        static string? String(ref Utf8JsonReader r) => Next(ref r) switch
        {
            JsonTokenType.String => r.GetString(),
            JsonTokenType.Null => null,
            _ => null, // as Read: a value of another kind counts as absent
        };

        static double Number(ref Utf8JsonReader r) => Next(ref r) == JsonTokenType.Number ? r.GetDouble() : throw new JsonException("A number was expected.");

        static int? Int(ref Utf8JsonReader r) => Next(ref r) == JsonTokenType.Number ? r.GetInt32() : null;

        static DateTimeOffset Instant(ref Utf8JsonReader r)
        {
            Next(ref r);
            var span = r.HasValueSequence || r.ValueIsEscaped ? System.Text.Encoding.UTF8.GetBytes(r.GetString()!) : r.ValueSpan;
            return Utf8Parser.TryParse(span, out DateTimeOffset t, out var consumed, 'O') && consumed == span.Length
                ? t
                : DateTimeOffset.Parse(r.GetString()!, CultureInfo.InvariantCulture);
        }

        static List<string> Strings(ref Utf8JsonReader r)
        {
            Expect(ref r, JsonTokenType.StartArray);
            var list = new List<string>();
            while (Next(ref r) != JsonTokenType.EndArray)
            {
                list.Add(r.TokenType == JsonTokenType.String ? r.GetString()! : throw new JsonException("A string was expected."));
            }
            return list;
        }
    }
}

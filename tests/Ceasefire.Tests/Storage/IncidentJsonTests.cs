using System.Text.Json;
using Ceasefire.Geo;
using Ceasefire.Import.Acled;
using Ceasefire.Incidents;
using Ceasefire.Parties;
using Ceasefire.Storage;
using Ceasefire.Taxonomy;
using Ceasefire.Time;
using Ceasefire.Tests.Support;
using static Ceasefire.Tests.Support.Build;

namespace Ceasefire.Tests.Storage;

/// <summary>
/// <see cref="IncidentJson.WriteUtf8"/> (the import's fast path) writes the same bytes as <see cref="IncidentJson.Write"/>
/// (through <see cref="Utf8JsonWriter"/>): content hashes of stored reports depend on it.
/// </summary>
public class IncidentJsonTests
{
    private static byte[] Reference(Incident incident)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, IncidentJson.WriterOptions))
        {
            IncidentJson.Write(w, incident);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Fast(Incident incident, IncidentJson.Utf8Buffer? buffer = null)
    {
        buffer ??= new IncidentJson.Utf8Buffer(16);
        buffer.Clear();
        IncidentJson.WriteUtf8(buffer, incident);
        return buffer.Written.ToArray();
    }

    private static void AssertSame(Incident incident, IncidentJson.Utf8Buffer? buffer = null)
    {
        var expected = Reference(incident);
        var actual = Fast(incident, buffer);
        Same(expected, actual);
        // Both readers give back the report: written again, the same bytes.
        Same(expected, Reference(IncidentJson.ReadUtf8(expected)));
        using var doc = JsonDocument.Parse(expected);
        Same(expected, Reference(IncidentJson.Read(doc.RootElement)));
    }

    private static void Same(byte[] expected, byte[] actual)
    {
        if (!expected.AsSpan().SequenceEqual(actual))
        {
            Assert.Equal(System.Text.Encoding.UTF8.GetString(expected), System.Text.Encoding.UTF8.GetString(actual));
            Assert.Equal(expected, actual); // same text, other bytes
        }
    }

    [Fact]
    public void ReadUtf8_PropertiesInAnyOrder_UnknownOnesSkipped_AndNotAReportRefused()
    {
        var incident = Build.Incident("x1", lon: 30.25, lat: 50.5);
        var bytes = Reference(incident);
        using var doc = JsonDocument.Parse(bytes);
        var reordered = new System.Text.Json.Nodes.JsonObject();
        foreach (var p in doc.RootElement.EnumerateObject().Reverse())
        {
            reordered[p.Name] = System.Text.Json.Nodes.JsonNode.Parse(p.Value.GetRawText());
        }
        reordered["added_later"] = new System.Text.Json.Nodes.JsonObject { ["nested"] = new System.Text.Json.Nodes.JsonArray(1, 2) };
        Same(bytes, Reference(IncidentJson.ReadUtf8(System.Text.Encoding.UTF8.GetBytes(reordered.ToJsonString()))));
        Assert.Throws<JsonException>(() => IncidentJson.ReadUtf8("{\"id\":\"x\"}"u8));
        Assert.ThrowsAny<JsonException>(() => IncidentJson.ReadUtf8("[1,2]"u8));
        Assert.ThrowsAny<JsonException>(() => IncidentJson.ReadUtf8("{\"id\":"u8));
    }

    [Fact]
    public void SampleScenario_SameBytes()
    {
        var path = Path.Combine(Repo.Root, "samples", "march-2025", "incidents.csv");
        var incidents = AcledReader.EnumerateIncidents(path, null, _ => { }, _ => { }, CancellationToken.None).ToList();
        Assert.NotEmpty(incidents);
        foreach (var incident in incidents)
        {
            AssertSame(incident);
        }
    }

    [Theory]
    [InlineData("plain ascii words, digits 0123 and ~!@#$%^&*()_+`-={}[]|:;'<>?,./")]
    [InlineData("a \"quoted\" word and a back\\slash")]
    [InlineData("line\nbreak, tab\t, carriage\r return, bell\u0007, nul\u0000 and del\u007f")]
    [InlineData("Кременчук, Суджа; Київ; スジャ")]
    [InlineData("emoji \U0001F525 and a pair of surrogates")]
    [InlineData("non-breaking\u00a0space, soft\u00adhyphen, line separator\u2028, bom\ufeff, replacement \ufffd")]
    [InlineData("<script>alert('x')</script> & + ` ' \\u0041")]
    [InlineData("")]
    public void Strings_SameBytes(string text)
    {
        var incident = new Incident(new IncidentId("id " + text), IncidentTime.At(Utc(3, 20, 12)),
            new IncidentLocation(30.5, 50.45, LocationPrecision.Settlement, 5000, text), Act("air_drone_strike"),
            new TargetInference(Target("energy.transmission"), TargetBasis.Inferred, [text, "substation"]),
            new PartyCode("RU"), text, text, text, SourceGrade.TryParse("B2", out var g) ? g : default,
            [text, "https://example.org/?a=1&b=\"2\""], text, new Casualties(1, null, 3),
            new Dictionary<string, string> { [text + "key"] = text, ["admin1"] = "Kyiv", ["a\"b"] = "c\\d" });
        AssertSame(incident);
    }

    [Fact]
    public void RandomIncidents_SameBytes()
    {
        var random = new Random(20251118);
        var buffer = new IncidentJson.Utf8Buffer(16); // reused: grows, then is cleared for each
        var pieces = new[] { "Sudzha", "Суджа", "\"", "\\", "\n", "\u0001", "é", "\U0001F525", " ", "area", "<>&", "'", "\u2028", "\u007f" };
        string Text(int max) => string.Concat(Enumerable.Range(0, random.Next(max)).Select(_ => pieces[random.Next(pieces.Length)]));
        double Coordinate(double limit) => random.Next(6) switch
        {
            0 => 0.0,
            1 => -0.0,
            2 => Math.Round((random.NextDouble() * 2 - 1) * limit, random.Next(8)),
            3 => 1e-7 * random.Next(-9, 9),
            _ => (random.NextDouble() * 2 - 1) * limit,
        };
        var acts = ActKinds.Codes.Skip(1).Select(Act).ToArray();
        var categories = TargetCategories.Codes.Select(Target).ToArray();
        for (var i = 0; i < 5_000; i++)
        {
            var earliest = Utc(1, 1).AddTicks((long)(random.NextDouble() * TimeSpan.TicksPerDay * 400));
            var time = random.Next(3) switch
            {
                0 => IncidentTime.At(earliest),
                1 => IncidentTime.Hour(new DateTimeOffset(earliest.Year, earliest.Month, earliest.Day, earliest.Hour, 0, 0, TimeSpan.Zero)),
                _ => IncidentTime.Day(DateOnly.FromDateTime(earliest.UtcDateTime), TimeZoneInfo.Utc),
            };
            var radius = random.Next(3) == 0 ? 0 : random.NextDouble() * 50_000;
            var location = new IncidentLocation(Coordinate(180), Coordinate(90), radius == 0 ? LocationPrecision.Exact : LocationPrecision.Region, radius,
                random.Next(4) == 0 ? null : Text(6));
            var casualties = random.Next(3) switch
            {
                0 => default,
                1 => new Casualties(random.Next(10), null, random.Next(10, 1000)),
                _ => new Casualties(null, random.Next(int.MaxValue), null),
            };
            var attributes = random.Next(3) == 0 ? null : Enumerable.Range(0, random.Next(1, 6)).ToDictionary(k => $"k{k}{Text(3)}", _ => Text(8));
            var incident = new Incident(new IncidentId($"r{i}{Text(3)}"), time, location, acts[random.Next(acts.Length)],
                new TargetInference(categories[random.Next(categories.Length)], (TargetBasis)random.Next(Enum.GetValues<TargetBasis>().Length),
                    Enumerable.Range(0, random.Next(3)).Select(_ => Text(4)).ToList()),
                random.Next(3) == 0 ? null : new PartyCode(random.Next(2) == 0 ? "RU" : "UA"), random.Next(2) == 0 ? null : Text(5),
                random.Next(2) == 0 ? null : Text(5), random.Next(2) == 0 ? null : Text(5),
                random.Next(3) == 0 ? default : SourceGrade.TryParse($"{"ABCDEF"[random.Next(6)]}{random.Next(1, 7)}", out var g) ? g : default,
                Enumerable.Range(0, random.Next(3)).Select(_ => Text(4)).ToList(), random.Next(3) == 0 ? null : Text(40), casualties, attributes);
            AssertSame(incident, buffer);
        }
    }

    [Fact]
    public void Buffer_CutBack_DropsWhatFollows()
    {
        var buffer = new IncidentJson.Utf8Buffer(4);
        buffer.Raw("[1"u8);
        var mark = buffer.Length;
        IncidentJson.WriteUtf8(buffer, Build.Incident());
        Assert.True(buffer.Length > mark + 100);
        buffer.Length = mark;
        buffer.Raw("]"u8);
        Assert.Equal("[1]", System.Text.Encoding.UTF8.GetString(buffer.Written));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Length = 10);
    }
}

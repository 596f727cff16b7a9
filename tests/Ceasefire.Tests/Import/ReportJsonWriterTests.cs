using System.Text;
using System.Text.Json;
using Ceasefire.Geo;
using Ceasefire.Import.Json;
using Ceasefire.Import.Ucdp;
using Ceasefire.Incidents;
using Ceasefire.Parties;
using Ceasefire.Taxonomy;
using Ceasefire.Time;

namespace Ceasefire.Tests.Import;

public sealed class ReportJsonWriterTests
{
    private static readonly TimeZoneInfo Kyiv = TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv");
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    private static ActKind Act(string code) => ActKinds.TryParse(code, out var kind) ? kind : throw new ArgumentException(code);

    private static TargetCategory Category(string code) => TargetCategories.TryParse(code, out var c) ? c : throw new ArgumentException(code);

    private static Incident Incident(string id, IncidentTime time, TargetInference? target = null, PartyCode? perpetrator = null, string? actor = null,
        IReadOnlyDictionary<string, string>? attributes = null, Casualties casualties = default, string? notes = null, SourceGrade grade = default,
        IncidentLocation? location = null) =>
        new(new IncidentId(id), time, location ?? new IncidentLocation(36.2304, 49.9935, LocationPrecision.Settlement, null, "Kharkiv"),
            Act("shelling_artillery_missile"), target ?? TargetInference.None, perpetrator, actor, "Ministry of Energy", "Suspilne", grade,
            ["https://suspilne.media/1", "https://t.me/x/2"], notes, casualties, attributes);

    /// <summary>Incidents covering every form of time, target, perpetrator and optional field.</summary>
    private static List<Incident> Sample() =>
    [
        Incident("instant", IncidentTime.At(new DateTimeOffset(2025, 3, 28, 7, 20, 13, 250, TimeSpan.Zero)),
            TargetInference.StatedAs(Category("energy.transmission"), "energy.transmission"), new PartyCode("RU"), "Military Forces of Russia (2000-)",
            new Dictionary<string, string> { ["oblast"] = "Харківська", ["tags"] = "a; b \"quoted\"" }, new Casualties(0, 1, 2), "Удар по підстанції", new SourceGrade('B', 2)),
        Incident("hour", IncidentTime.Hour(new DateTimeOffset(2025, 3, 28, 10, 0, 0, TimeSpan.FromHours(3))),
            new TargetInference(Category("rail"), TargetBasis.Inferred, ["тягова підстанція"]), null, "Military Forces of Russia (2000-)",
            notes: "тягова підстанція"),
        Incident("day-kyiv", IncidentTime.Day(new DateOnly(2025, 3, 30), Kyiv), casualties: new Casualties(null, 3, null)),
        Incident("days-moscow", IncidentTime.Days(new DateOnly(2025, 3, 27), new DateOnly(2025, 3, 28), Moscow), notes: "substation"),
        Incident("week", IncidentTime.Week(new DateOnly(2025, 4, 9), Kyiv)),
        Incident("month", IncidentTime.Month(new DateOnly(2025, 2, 14), TimeZoneInfo.Utc)),
        Incident("odd-range", IncidentTime.FromRange(new DateTimeOffset(2025, 1, 1, 5, 17, 30, TimeSpan.Zero), new DateTimeOffset(2025, 1, 3, 5, 17, 30, TimeSpan.Zero), TimePrecision.Day)),
        Incident("stated-unknown", IncidentTime.Day(new DateOnly(2025, 3, 30), TimeZoneInfo.Utc), TargetInference.StatedAs(TargetCategory.Unknown, "unknown"),
            location: new IncidentLocation(-0.5, -89.99999, LocationPrecision.Region, 123_456.789)),
        Incident("exact", IncidentTime.Day(new DateOnly(2025, 3, 30), TimeZoneInfo.Utc), location: new IncidentLocation(179.9999999, 0, LocationPrecision.Exact)),
    ];

    private static void AssertSame(Incident expected, Incident actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Time, actual.Time);
        Assert.Equal(expected.Location, actual.Location);
        Assert.Equal(expected.Act, actual.Act);
        Assert.Equal(expected.Target.Category, actual.Target.Category);
        Assert.Equal(expected.Target.Basis, actual.Target.Basis);
        Assert.Equal(expected.Target.Evidence, actual.Target.Evidence);
        Assert.Equal(expected.Perpetrator, actual.Perpetrator);
        Assert.Equal(expected.PerpetratorActor, actual.PerpetratorActor);
        Assert.Equal(expected.Claimant, actual.Claimant);
        Assert.Equal(expected.Source, actual.Source);
        Assert.Equal(expected.Grade.Weight, actual.Grade.Weight);
        Assert.Equal(expected.Links, actual.Links);
        Assert.Equal(expected.Notes, actual.Notes);
        Assert.Equal(expected.Casualties, actual.Casualties);
        Assert.Equal(expected.Attributes.OrderBy(a => a.Key), actual.Attributes.OrderBy(a => a.Key));
    }

    private static IReadOnlyList<Incident> RoundTrip(IEnumerable<Incident> incidents, ReportWriteOptions options, string name)
    {
        using var buffer = new MemoryStream();
        ReportJsonWriter.Write(buffer, incidents, options);
        buffer.Position = 0;
        var result = ReportJsonReader.ReadIncidents(buffer, name);
        Assert.Empty(result.Errors);
        return result.Value;
    }

    [Theory]
    [InlineData(ReportJsonLayout.Document, true, "reports.json")]
    [InlineData(ReportJsonLayout.Document, false, "reports.json")]
    [InlineData(ReportJsonLayout.Lines, false, "reports.jsonl")]
    public void Write_ThenRead_GivesTheSameIncidents(ReportJsonLayout layout, bool indented, string name)
    {
        var sample = Sample();
        var read = RoundTrip(sample, new ReportWriteOptions { Layout = layout, Indented = indented }, name);

        Assert.Equal(sample.Count, read.Count);
        for (var i = 0; i < sample.Count; i++)
        {
            AssertSame(sample[i], read[i]);
        }
    }

    [Fact]
    public void Write_ThenRead_InAnotherTimeZone_GivesTheSameTimes()
    {
        var sample = Sample();
        var read = RoundTrip(sample, new ReportWriteOptions { TimeZone = Kyiv }, "r.json");
        Assert.Equal(sample.Select(i => i.Time), read.Select(i => i.Time));
    }

    [Fact]
    public void Write_UsesTheSimplestTimeForms()
    {
        using var buffer = new MemoryStream();
        ReportJsonWriter.Write(buffer, Sample(), new ReportWriteOptions { TimeZone = Kyiv });
        using var doc = JsonDocument.Parse(buffer.ToArray());
        var times = doc.RootElement.GetProperty("reports").EnumerateArray().Select(r => r.GetProperty("time").GetRawText()).ToList();

        Assert.Contains("\"at\": \"2025-03-28T09:20:13.25+02:00\"", times[0]);
        Assert.DoesNotContain("precision", times[0]);
        Assert.Contains("\"at\": \"2025-03-28T09:00:00+02:00\"", times[1]);
        Assert.Contains("\"precision\": \"hour\"", times[1]);
        Assert.Contains("\"date\": \"2025-03-30\"", times[2]);
        Assert.Contains("\"time_zone\": \"Europe/Kyiv\"", times[2]);
        Assert.Contains("\"from\": \"2025-03-27\"", times[3]);
        Assert.Contains("\"to\": \"2025-03-28\"", times[3]);
        Assert.Contains("\"time_zone\": \"+03:00\"", times[3]);
        Assert.Contains("\"date\": \"2025-04-07\"", times[4]);
        Assert.Contains("\"precision\": \"week\"", times[4]);
        Assert.Contains("\"precision\": \"month\"", times[5]);
        Assert.Contains("\"time_zone\": \"UTC\"", times[5]);
        Assert.Contains("\"earliest\": \"2025-01-01T05:17:30Z\"", times[6]);
        Assert.Contains("\"latest\": \"2025-01-03T05:17:30Z\"", times[6]);
    }

    [Fact]
    public void Write_Report_HasTheDocumentedFields()
    {
        var json = ReportJsonWriter.ToJson(Sample()[0], new ReportWriteOptions { Indented = false });
        Assert.Equal(
            "{\"id\":\"instant\",\"time\":{\"at\":\"2025-03-28T07:20:13.25Z\"},\"location\":{\"lon\":36.2304,\"lat\":49.9935,\"precision\":\"settlement\",\"place\":\"Kharkiv\"}," +
            "\"act\":\"shelling_artillery_missile\",\"target\":\"energy.transmission\",\"perpetrator\":\"RU\",\"actor\":\"Military Forces of Russia (2000-)\"," +
            "\"claimant\":\"Ministry of Energy\",\"source\":\"Suspilne\",\"grade\":\"B2\",\"links\":[\"https://suspilne.media/1\",\"https://t.me/x/2\"]," +
            "\"notes\":\"Удар по підстанції\",\"casualties\":{\"low\":0,\"best\":1,\"high\":2},\"attributes\":{\"oblast\":\"Харківська\",\"tags\":\"a; b \\\"quoted\\\"\"}}",
            json);
    }

    [Fact]
    public void Write_NullPerpetratorWithAMappedActor_StaysUndeterminedOnReading()
    {
        var incident = Sample()[1];
        Assert.Null(incident.Perpetrator);
        Assert.Contains("\"perpetrator\":null", ReportJsonWriter.ToJson(incident, new ReportWriteOptions { Indented = false }));
        Assert.Null(RoundTrip([incident], ReportWriteOptions.Default, "r.json")[0].Perpetrator);
    }

    [Fact]
    public void Write_UcdpIncidents_ReadBackTheSame()
    {
        var ucdp = UcdpGedReader.ReadIncidents(Path.Combine(AppContext.BaseDirectory, "TestData", "import", "ucdp-ged-sample.csv")).Value;
        var read = RoundTrip(ucdp, ReportWriteOptions.Default, "ucdp.json");
        for (var i = 0; i < ucdp.Count; i++)
        {
            AssertSame(ucdp[i], read[i]);
        }
    }

    [Fact]
    public void WriteFile_WritesADocumentTheReaderReads()
    {
        var path = Path.Combine(Path.GetTempPath(), $"reports-{Guid.NewGuid():N}.jsonl");
        try
        {
            ReportJsonWriter.WriteFile(path, Sample(), new ReportWriteOptions { Layout = ReportJsonLayout.Lines });
            Assert.Equal(Sample().Count, File.ReadAllLines(path, Encoding.UTF8).Length);
            var result = ReportJsonReader.ReadIncidents(path);
            Assert.Empty(result.Errors);
            Assert.Equal(Sample().Select(i => i.Id), result.Value.Select(i => i.Id));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Write_ManyIncidents_StreamsWithoutHoldingTheDocument()
    {
        static IEnumerable<Incident> Many()
        {
            for (var i = 0; i < 20_000; i++)
            {
                yield return Incident($"R-{i}", IncidentTime.Day(new DateOnly(2025, 3, 30), TimeZoneInfo.Utc));
            }
        }
        var counting = new CountingStream();
        ReportJsonWriter.Write(counting, Many(), new ReportWriteOptions { Indented = false });
        Assert.True(counting.Writes > 10, $"{counting.Writes} writes");
        Assert.True(counting.LargestWrite < 1 << 20);
    }

    private sealed class CountingStream : Stream
    {
        public int Writes { get; private set; }
        public int LargestWrite { get; private set; }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes++;
            LargestWrite = Math.Max(LargestWrite, buffer.Length);
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

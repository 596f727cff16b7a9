using System.Text;
using Ceasefire.Geo;
using Ceasefire.Import.Acled;
using Ceasefire.Incidents;
using Ceasefire.Parties;
using Ceasefire.Time;

namespace Ceasefire.Tests.Import;

public sealed class AcledReaderTests : IDisposable
{
    private const string BenchHeader = AcledTestFiles.BenchHeader;

    private const string CurrentHeader = AcledTestFiles.CurrentHeader;

    private readonly AcledTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string Write(string content, bool bom = false) => _files.Write(content, bom);

    private static string Bench(string id, string date, string sub, string lat, string lon, string notes = "\"Shelling.\"", string actor1 = "Military Forces of Russia (2000-)") =>
        AcledTestFiles.Bench(id, date, sub, lat, lon, notes, actor1);

    private static string Current(string id, string date, string precision, string sub, string lat, string lon, string geo, string notes, string tags = "") =>
        AcledTestFiles.Current(id, date, precision, sub, lat, lon, geo, notes, tags);

    /// <summary>Reads on every path (full, bulk, streaming), checks that they agree, and returns the full result.</summary>
    private AcledReadResult<IReadOnlyList<Incident>> Read(string content, AcledReadOptions? options = null, bool bom = false) =>
        _files.Read(content, options, bom);

    private static void AssertSame(AcledReadResult<IReadOnlyList<Incident>> full, AcledReadResult<IncidentBatch> batch) =>
        AcledTestFiles.AssertSame(full, batch);

    private static DateTimeOffset Utc(int y, int m, int d, int h = 0, int min = 0) => new(y, m, d, h, min, 0, TimeSpan.Zero);

    [Fact]
    public void Import_BenchmarkLayout_ReadsEveryField()
    {
        var result = Read($"{BenchHeader}\n" +
            "1,2025-01-03T14:27:00Z,Explosions/Remote violence,Air/drone strike,Military Forces of Russia (2000-),Civilians (Ukraine),Volyn,Lutsk area,50.83146,25.48720,Ukrainska Pravda,\"On 03 January 2025, Russian forces struck a substation.\",1\n");

        Assert.True(result.Succeeded);
        var incident = Assert.Single(result.Value);
        Assert.Equal("1", incident.Id.Value);
        Assert.Equal(IncidentTime.At(Utc(2025, 1, 3, 14, 27)), incident.Time);
        Assert.Equal(50.83146, incident.Location.Latitude);
        Assert.Equal(25.48720, incident.Location.Longitude);
        Assert.Equal(LocationPrecision.Exact, incident.Location.Precision);
        Assert.Equal(0, incident.Location.RadiusMetres);
        Assert.Equal("Lutsk area", incident.Location.PlaceName);
        Assert.Equal("air_drone_strike", incident.Act.Code);
        Assert.Equal("RU", incident.Perpetrator?.Value);
        Assert.Equal("Military Forces of Russia (2000-)", incident.PerpetratorActor);
        Assert.Equal("Ukrainska Pravda", incident.Source);
        Assert.Equal("Ukrainska Pravda", incident.Claimant);
        Assert.Equal(SourceGrade.Unassessed, incident.Grade);
        Assert.Equal("On 03 January 2025, Russian forces struck a substation.", incident.Notes);
        Assert.Equal("energy.transmission", incident.Target.Category.Code);
        Assert.Equal(TargetBasis.Inferred, incident.Target.Basis);
        Assert.Equal(["substation"], incident.Target.Evidence);
    }

    [Fact]
    public void Import_CurrentAcledExport_ReadsPrecisionsTagsAndLinks()
    {
        var result = Read($"{CurrentHeader}\n" +
            Current("UKR212345", "2025-03-19", "1", "Air/drone strike", "47.5712", "34.3964", "1", "\"Russian forces struck Nikopol, damaging a school.\"", "\"crowd size=no report\"") + "\n");

        var incident = Assert.Single(result.Value);
        Assert.Equal("UKR212345", incident.Id.Value);
        Assert.Equal(IncidentTime.Day(new DateOnly(2025, 3, 19), TimeZoneInfo.Utc), incident.Time);
        Assert.Equal(LocationPrecision.Settlement, incident.Location.Precision);
        Assert.Equal(5_000, incident.Location.RadiusMetres);
        Assert.Equal("civilian.education", incident.Target.Category.Code);
        Assert.Equal("Suspilne; https://suspilne.media/123", incident.Source);
        Assert.Equal(["https://suspilne.media/123"], incident.Links);
    }

    [Theory]
    [InlineData("2025-03-19")]
    [InlineData("19 March 2025")]
    [InlineData("19-March-2025")]
    [InlineData("19 Mar 2025")]
    [InlineData("19-mar-2025")]
    [InlineData("19/03/2025")]
    [InlineData("19/3/2025")]
    public void Import_DateFormats_AreTheSameDay(string date)
    {
        var result = Read($"{BenchHeader}\n{Bench("1", date, "Armed clash", "48.0", "37.8")}\n");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        var time = Assert.Single(result.Value).Time;
        Assert.Equal(TimePrecision.Day, time.Precision);
        Assert.Equal(Utc(2025, 3, 19), time.Earliest);
        Assert.Equal(Utc(2025, 3, 20), time.Latest);
    }

    [Theory]
    [InlineData("9 March 2025")]
    [InlineData("09 March 2025")]
    [InlineData("9-March-2025")]
    [InlineData("09/03/2025")]
    [InlineData("9/3/2025")]
    public void Import_DateWithOneDigitDay_IsParsed(string date)
    {
        var result = Read($"{BenchHeader}\n{Bench("1", date, "Armed clash", "48.0", "37.8")}\n");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(IncidentTime.Day(new DateOnly(2025, 3, 9), TimeZoneInfo.Utc), Assert.Single(result.Value).Time);
    }

    [Theory]
    [InlineData("19/03/2025 14:27", 12, 27, 0)]
    [InlineData("19/03/2025 14:27:05", 12, 27, 5)]
    [InlineData("19/03/2025 9:05", 7, 5, 0)]
    public void Import_DayFirstDateWithTime_IsAnInstantInTheGivenZone(string date, int hour, int minute, int second)
    {
        var kyiv = TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv");

        var result = Read($"{BenchHeader}\n{Bench("1", date, "Armed clash", "48.0", "37.8")}\n", new AcledReadOptions { TimeZone = kyiv });

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        var time = Assert.Single(result.Value).Time;
        Assert.Equal(TimePrecision.Instant, time.Precision);
        Assert.Equal(new DateTimeOffset(2025, 3, 19, hour, minute, second, TimeSpan.Zero), time.Earliest);
    }

    [Theory]
    [InlineData("03/19/2025")]
    [InlineData("31/02/2025")]
    [InlineData("19/03/25")]
    [InlineData("19/03/02025")]
    [InlineData("123/03/2025")]
    [InlineData("19/03/2025 24:00")]
    [InlineData("19/03/2025 14:7")]
    [InlineData("19/03/2025 14:27:5")]
    [InlineData("19/03/2025T14:27")]
    [InlineData("19/03/2025 14:27Z")]
    [InlineData("19.03.2025")]
    [InlineData("\"March 19, 2025\"")]
    public void Import_MalformedDate_IsADateError(string date)
    {
        var result = Read($"{BenchHeader}\n{Bench("1", date, "Armed clash", "48.0", "37.8")}\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(("acled.date", "event_date", 2), (error.Code, error.Field, error.Line));
        Assert.Empty(result.Value);
    }

    [Fact]
    public void Import_DayFirstLocalTimeThatClocksSkip_IsADateError()
    {
        var kyiv = TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv");

        var result = Read($"{BenchHeader}\n{Bench("1", "30/03/2025 03:30", "Armed clash", "48.0", "37.8")}\n", new AcledReadOptions { TimeZone = kyiv });

        var error = Assert.Single(result.Errors);
        Assert.Equal("acled.date", error.Code);
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void Import_DateOnly_IsTheLocalDayInTheGivenZone()
    {
        var kyiv = TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv");

        var result = Read($"{BenchHeader}\n{Bench("1", "2025-03-19", "Armed clash", "48.0", "37.8")}\n", new AcledReadOptions { TimeZone = kyiv });

        var time = Assert.Single(result.Value).Time;
        Assert.Equal(Utc(2025, 3, 18, 22), time.Earliest);
        Assert.Equal(Utc(2025, 3, 19, 22), time.Latest);
    }

    [Theory]
    [InlineData("2025-01-03T14:27:00Z", 14, 27)]
    [InlineData("2025-01-03T16:27:00+02:00", 14, 27)]
    [InlineData("2025-01-03T11:27:00-0300", 14, 27)]
    [InlineData("2025-01-03 14:27", 14, 27)]
    [InlineData("2025-01-03T14:27:30.5Z", 14, 27)]
    public void Import_IsoInstant_IsAnExactInstant(string date, int hour, int minute)
    {
        var result = Read($"{BenchHeader}\n{Bench("1", date, "Armed clash", "48.0", "37.8")}\n");

        var time = Assert.Single(result.Value).Time;
        Assert.Equal(TimePrecision.Instant, time.Precision);
        Assert.Equal(Utc(2025, 1, 3, hour, minute), new DateTimeOffset(time.Earliest.UtcTicks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero));
        Assert.Equal(time.Earliest, time.Latest);
    }

    [Fact]
    public void Import_LocalDateTimeWithoutOffset_IsInTheGivenZone()
    {
        var kyiv = TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv");

        var result = Read($"{BenchHeader}\n{Bench("1", "2025-07-01T03:00:00", "Armed clash", "48.0", "37.8")}\n", new AcledReadOptions { TimeZone = kyiv });

        Assert.Equal(Utc(2025, 7, 1, 0), Assert.Single(result.Value).Time.Earliest);
    }

    [Theory]
    [InlineData("", TimePrecision.Day, 2025, 3, 19, 2025, 3, 20)]
    [InlineData("1", TimePrecision.Day, 2025, 3, 19, 2025, 3, 20)]
    [InlineData("2", TimePrecision.Week, 2025, 3, 17, 2025, 3, 24)]
    [InlineData("3", TimePrecision.Month, 2025, 3, 1, 2025, 4, 1)]
    public void Import_TimePrecision_WidensTheDate(string precision, TimePrecision expected, int y0, int m0, int d0, int y1, int m1, int d1)
    {
        var result = Read($"{CurrentHeader}\n{Current("UKR1", "2025-03-19", precision, "Armed clash", "48.0", "37.8", "1", "x")}\n");

        var time = Assert.Single(result.Value).Time;
        Assert.Equal(expected, time.Precision);
        Assert.Equal(Utc(y0, m0, d0), time.Earliest);
        Assert.Equal(Utc(y1, m1, d1), time.Latest);
    }

    [Theory]
    [InlineData("", LocationPrecision.Exact, 0)]
    [InlineData("1", LocationPrecision.Settlement, 5_000)]
    [InlineData("2", LocationPrecision.Settlement, 25_000)]
    [InlineData("3", LocationPrecision.Region, 50_000)]
    public void Import_GeoPrecision_SetsTheUncertainty(string geo, LocationPrecision precision, double radius)
    {
        var result = Read($"{CurrentHeader}\n{Current("UKR1", "2025-03-19", "1", "Armed clash", "48.0", "37.8", geo, "x")}\n");

        var location = Assert.Single(result.Value).Location;
        Assert.Equal(precision, location.Precision);
        Assert.Equal(radius, location.RadiusMetres);
    }

    [Fact]
    public void Import_QuotedNotesWithCommasQuotesAndNewlines_AreKeptAndLinesStayRight()
    {
        var result = Read($"{BenchHeader}\n" +
            Bench("1", "2025-03-19", "Armed clash", "48.0", "37.8", "\"Line one, with a comma\nline \"\"two\"\"\nline three\"") + "\n" +
            Bench("2", "2025-03-19", "Armed clash", "north", "37.8") + "\n");

        Assert.Equal("Line one, with a comma\nline \"two\"\nline three", result.Value[0].Notes);
        var error = Assert.Single(result.Errors);
        Assert.Equal(5, error.Line);
        Assert.Equal("latitude", error.Field);
    }

    [Fact]
    public void Import_CrLfAndByteOrderMark_AreHandled()
    {
        var result = Read($"{BenchHeader}\r\n{Bench("1", "2025-03-19", "Armed clash", "48.0", "37.8")}\r\n{Bench("2", "2025-03-20", "Armed clash", "48.0", "37.8")}\r\n", bom: true);

        Assert.True(result.Succeeded);
        Assert.Equal(["1", "2"], result.Value.Select(i => i.Id.Value));
        Assert.Equal(BenchHeader, result.Header);
    }

    [Fact]
    public void Import_ColumnsInAnyOrderAndCase_ExtraColumnsIgnored()
    {
        var result = Read("Notes,LONGITUDE,extra,Sub_Event_Type,Latitude,Event_Date,ID,whatever\n" +
            "\"A hospital was hit.\",36.2,zzz,Shelling/artillery/missile attack,49.9,2025-03-19,42,\"a,b\"\n");

        Assert.True(result.Succeeded);
        var incident = Assert.Single(result.Value);
        Assert.Equal("42", incident.Id.Value);
        Assert.Equal(49.9, incident.Location.Latitude);
        Assert.Equal(36.2, incident.Location.Longitude);
        Assert.Equal("shelling_artillery_missile", incident.Act.Code);
        Assert.Equal("civilian.medical", incident.Target.Category.Code);
        Assert.Null(incident.Perpetrator);
        Assert.Null(incident.PerpetratorActor);
    }

    [Fact]
    public void Import_MissingRequiredColumn_IsOneErrorAndNoRows()
    {
        var result = Read("id,event_date,sub_event_type,longitude\n1,2025-03-19,Armed clash,37.8\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal("acled.missing_column", error.Code);
        Assert.Equal("latitude", error.Field);
        Assert.Equal(1, error.Line);
        Assert.Empty(result.Value);
        Assert.Equal(0, result.RowsRead);
    }

    [Fact]
    public void Import_MissingIdColumn_NamesTheAlternatives()
    {
        var result = Read("event_date,sub_event_type,latitude,longitude\n2025-03-19,Armed clash,48,37\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal("acled.missing_column", error.Code);
        Assert.Contains("data_id", error.Message);
    }

    [Theory]
    [InlineData("event_id_cnty,id,data_id", "UKR1,7,9", "UKR1")]
    [InlineData("id,data_id", "7,9", "7")]
    [InlineData("data_id,event_id_no_cnty,iso3", "9,5,UKR", "9")]
    public void Import_Id_IsEventIdCntyElseIdElseDataId(string idColumns, string idValues, string expected)
    {
        var result = Read($"{idColumns},event_date,sub_event_type,latitude,longitude\n{idValues},2025-03-19,Armed clash,48,37\n");

        Assert.Equal(expected, Assert.Single(result.Value).Id.Value);
    }

    [Fact]
    public void Import_BadRows_AreRejectedWithLinesAndFieldsAndGoodRowsSurvive()
    {
        var content = $"{BenchHeader}\n" +
            Bench("1", "2025-03-19", "Armed clash", "48.0", "37.8") + "\n" +
            Bench("2", "2025-02-30", "Armed clash", "48.0", "37.8") + "\n" +
            Bench("3", "2025-03-19", "Armed clash", "48.0", "37.8", "\"two\nlines\"") + "\n" +
            Bench("4", "2025-03-19", "Armed clash", "91.5", "37.8") + "\n" +
            Bench("5", "2025-03-19", "Drone dance", "48.0", "37.8") + "\n" +
            Bench("6", "yesterday", "Armed clash", "48.0", "east") + "\n" +
            Bench("7", "2025-03-19", "Armed clash", "48.0", "37.8") + "\n";
        var path = Write(content);

        var result = AcledReader.ReadIncidents(path);

        Assert.Equal(7, result.RowsRead);
        Assert.Equal(3, result.RowsAccepted);
        Assert.Equal(4, result.RowsRejected);
        Assert.Equal(["1", "3", "7"], result.Value.Select(i => i.Id.Value));
        Assert.Equal(
            [(3, "event_date", "acled.date"), (6, "latitude", "acled.latitude"), (7, "sub_event_type", "acled.sub_event_type"),
             (8, "event_date", "acled.date"), (8, "longitude", "acled.longitude")],
            result.Errors.Select(e => (e.Line, e.Field, e.Code)));
        Assert.All(result.Errors, e => Assert.Equal(path, e.File));
        Assert.Equal([3, 6, 7, 8], result.Rejected.Select(r => r.Line));
        Assert.Equal(Bench("5", "2025-03-19", "Drone dance", "48.0", "37.8"), result.Rejected[2].Text);
        Assert.Contains("Drone dance", result.Errors[2].Message);
        AssertSame(result, AcledReader.ReadBatch(path));
    }

    [Fact]
    public void Import_RejectedRows_CanBeSavedWithTheHeader()
    {
        var result = Read($"{BenchHeader}\n{Bench("1", "bad", "Armed clash", "48", "37", "\"a\nb\"")}\n{Bench("2", "2025-03-19", "Armed clash", "48", "37")}\n");
        var writer = new StringWriter();

        result.WriteRejected(writer);

        Assert.Equal($"{BenchHeader}\n{Bench("1", "bad", "Armed clash", "48", "37", "\"a\nb\"")}\n", writer.ToString());
    }

    [Fact]
    public void Import_MalformedCsvAndWrongFieldCount_AreRowErrors()
    {
        var result = Read($"{BenchHeader}\n" +
            Bench("1", "2025-03-19", "Armed clash", "48.0", "37.8", "\"closed\"junk") + "\n" +
            "2,2025-03-19,Explosions/Remote violence,Armed clash,too,few\n" +
            Bench("3", "2025-03-19", "Armed clash", "48.0", "37.8") + "\n");

        Assert.Equal(["3"], result.Value.Select(i => i.Id.Value));
        Assert.Equal([(2, "acled.csv"), (3, "acled.field_count")], result.Errors.Select(e => (e.Line, e.Code)));
    }

    [Fact]
    public void Import_TargetCategoryColumn_WinsOverKeywords()
    {
        var result = Read("id,event_date,sub_event_type,latitude,longitude,notes,target_category\n" +
            "1,2025-03-19,Air/drone strike,48,37,\"A substation was hit.\",energy.power_generation\n" +
            "2,2025-03-19,Air/drone strike,48,37,\"A substation was hit.\",\n");

        var stated = result.Value[0].Target;
        Assert.Equal("energy.power_generation", stated.Category.Code);
        Assert.Equal(TargetBasis.Stated, stated.Basis);
        Assert.Equal(["energy.power_generation"], stated.Evidence);
        var inferred = result.Value[1].Target;
        Assert.Equal("energy.transmission", inferred.Category.Code);
        Assert.Equal(TargetBasis.Inferred, inferred.Basis);
    }

    [Fact]
    public void Import_UnknownTargetCategory_IsARowError()
    {
        var result = Read("id,event_date,sub_event_type,latitude,longitude,target_category\n" +
            "1,2025-03-19,Air/drone strike,48,37,energy.windmills\n" +
            "2,2025-03-19,Air/drone strike,48,37,rail\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(("acled.target_category", "target_category", 2), (error.Code, error.Field, error.Line));
        Assert.Equal("rail", Assert.Single(result.Value).Target.Category.Code);
    }

    [Fact]
    public void Import_ClaimantAndGrade_AreReadAndBadGradeIsAnError()
    {
        var result = Read("id,event_date,sub_event_type,latitude,longitude,source,claimant,grade\n" +
            "1,2025-03-19,Air/drone strike,48,37,Ukrinform,Ministry of Defence of Ukraine,b2\n" +
            "2,2025-03-19,Air/drone strike,48,37,TASS,,\n" +
            "3,2025-03-19,Air/drone strike,48,37,TASS,,G9\n");

        Assert.Equal("Ministry of Defence of Ukraine", result.Value[0].Claimant);
        Assert.Equal(new SourceGrade('B', 2), result.Value[0].Grade);
        Assert.Equal("TASS", result.Value[1].Claimant);
        Assert.Equal(SourceGrade.Unassessed, result.Value[1].Grade);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("acled.grade", "grade", 4), (error.Code, error.Field, error.Line));
    }

    [Fact]
    public void Import_Actor1_MapsToAPartyOrIsUndetermined()
    {
        var result = Read($"{BenchHeader}\n" +
            Bench("1", "2025-03-19", "Armed clash", "48", "37", actor1: "Military Forces of Ukraine (2019-)") + "\n" +
            Bench("2", "2025-03-19", "Armed clash", "48", "37", actor1: "Unidentified Armed Group (Ukraine)") + "\n" +
            Bench("3", "2025-03-19", "Armed clash", "48", "37", actor1: "") + "\n");

        Assert.Equal(["UA", null, null], result.Value.Select(i => i.Perpetrator?.Value));
        Assert.Equal("Unidentified Armed Group (Ukraine)", result.Value[1].PerpetratorActor);
    }

    [Fact]
    public void Import_MissingFile_IsAFileError()
    {
        var result = AcledReader.ReadBatch(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.csv"));

        Assert.Equal("acled.file", Assert.Single(result.Errors).Code);
        Assert.Equal(0, result.Value.Count);
    }

    [Fact]
    public void Import_FromStream_NamesTheFileInErrors()
    {
        var bytes = Encoding.UTF8.GetBytes($"{BenchHeader}\n{Bench("1", "2025-13-01", "Armed clash", "48", "37")}\n");

        var result = AcledReader.ReadIncidents(new MemoryStream(bytes), "upload.csv");

        Assert.Equal("upload.csv:2: error acled.date event_date: '2025-13-01' is not a date: use 2025-03-19, 19/03/2025, 19 March 2025, 19-March-2025, 19/03/2025 14:27 or 2025-03-19T14:27:00Z.",
            Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void Import_HeaderWithBrokenQuoting_IsAHeaderError()
    {
        var result = Read("id,\"event_date\"x,sub_event_type,latitude,longitude\n1,2025-03-19,Armed clash,48,37\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(("acled.header", 1), (error.Code, error.Line));
        Assert.Empty(result.Value);
    }

    [Fact]
    public void Import_NonSeekableStream_GivesTheSameAsTheFile()
    {
        var content = Generated(rows: 500, seed: 5);
        var options = new AcledReadOptions { WindowBytes = 2048, MinPieceBytes = 128 };
        var fromFile = AcledReader.ReadIncidents(Write(content), options);

        var fromStream = AcledReader.ReadBatch(new AcledTestFiles.ForwardOnlyStream(Encoding.UTF8.GetBytes(content)), "upload.csv", options);

        Assert.Equal(fromFile.RowsRead, fromStream.RowsRead);
        Assert.Equal(fromFile.Errors.Select(e => (e.Line, e.Field, e.Code)), fromStream.Errors.Select(e => (e.Line, e.Field, e.Code)));
        Assert.Equal(fromFile.Value.Select(i => i.Id.Value), fromStream.Value.Ids.ToArray());
        Assert.Equal(fromFile.Value.Select(i => i.Target.Category.Index), fromStream.Value.Targets.ToArray());
    }

    [Fact]
    public void ReadBatch_GeneratedFileInSmallWindowsAndPieces_EqualsFullPathAndOneThread()
    {
        var path = Write(Generated(rows: 3000, seed: 11));
        var small = new AcledReadOptions { WindowBytes = 4096, MinPieceBytes = 256, MaxDegreeOfParallelism = 4 };
        var oneThread = new AcledReadOptions { MaxDegreeOfParallelism = 1 };

        var full = AcledReader.ReadIncidents(path, oneThread);
        var bulkSmall = AcledReader.ReadBatch(path, small);
        var fullSmall = AcledReader.ReadIncidents(path, small);

        Assert.Equal(3000, full.RowsRead);
        Assert.True(full.RowsRejected > 0);
        Assert.True(full.RowsAccepted > 2500);
        AssertSame(full, bulkSmall);
        AssertSame(fullSmall, bulkSmall);
        Assert.Equal(full.Value.Select(i => i.Notes), fullSmall.Value.Select(i => i.Notes));
        Assert.Equal(full.Value.Select(i => i.Target), fullSmall.Value.Select(i => i.Target), AcledTestFiles.TargetComparer.Instance);
    }

    [Fact]
    public void ReadBatch_CancelledToken_Throws()
    {
        var path = Write($"{BenchHeader}\n{Bench("1", "2025-03-19", "Armed clash", "48", "37")}\n");

        Assert.ThrowsAny<OperationCanceledException>(() => AcledReader.ReadBatch(path, cancellationToken: new CancellationToken(canceled: true)));
    }

    [Fact]
    public void ReadBatch_RecordLongerThanTheWindow_IsRead()
    {
        var longNotes = "\"" + string.Concat(Enumerable.Repeat("a long, \"\"quoted\"\" note\n", 400)) + "\"";
        var path = Write($"{BenchHeader}\n{Bench("1", "2025-03-19", "Armed clash", "48", "37", longNotes)}\n{Bench("2", "bad", "Armed clash", "48", "37")}\n");

        var result = AcledReader.ReadBatch(path, new AcledReadOptions { WindowBytes = 512, MinPieceBytes = 64 });

        Assert.Equal(1, result.RowsAccepted);
        Assert.Equal(403, Assert.Single(result.Errors).Line);
    }

    private static string Generated(int rows, int seed) => AcledTestFiles.Generated(rows, seed);
}

using System.Text;
using Ceasefire.Geo;
using Ceasefire.Import.Acled;
using Ceasefire.Import.Json;
using Ceasefire.Import.Text;
using Ceasefire.Incidents;
using Ceasefire.Parties;
using Ceasefire.Time;

namespace Ceasefire.Tests.Import;

public sealed class ReportJsonReaderTests
{
    private static readonly string DataDirectory = Path.Combine(AppContext.BaseDirectory, "TestData", "import");

    private const string Minimal =
        "{ \"id\": \"R-1\", \"time\": { \"date\": \"2025-04-17\" }, \"location\": { \"lon\": 36.23, \"lat\": 49.99 }, \"act\": \"air_drone_strike\" }";

    private static AcledReadResult<IReadOnlyList<Incident>> Read(string json, string name = "reports.json", ReportReadOptions? options = null) =>
        ReportJsonReader.ReadIncidents(new MemoryStream(Encoding.UTF8.GetBytes(json)), name, options);

    /// <summary>A document of one report whose fields are <paramref name="fields"/> (JSON members, without braces).</summary>
    private static AcledReadResult<IReadOnlyList<Incident>> ReadReport(string fields) => Read($"{{ \"reports\": [\n{{ {fields} }}\n] }}");

    private const string Required = "\"id\": \"R-1\", \"time\": { \"date\": \"2025-04-17\" }, \"location\": { \"lon\": 36.23, \"lat\": 49.99 }, \"act\": \"air_drone_strike\"";

    private static DateTimeOffset Utc(int y, int m, int d, int h = 0, int min = 0) => new(y, m, d, h, min, 0, TimeSpan.Zero);

    [Fact]
    public void Read_SampleDocument_GivesEveryReportWithEveryField()
    {
        var result = ReportJsonReader.ReadIncidents(Path.Combine(DataDirectory, "reports.json"));

        Assert.Empty(result.Errors);
        Assert.Equal(4, result.RowsRead);
        Assert.Null(result.Header);

        var first = result.Value[0];
        Assert.Equal("CFM-2025-0001", first.Id.Value);
        Assert.Equal(IncidentTime.At(Utc(2025, 3, 28, 7, 20)), first.Time);
        Assert.Equal((36.2304, 49.9935), (first.Location.Longitude, first.Location.Latitude));
        Assert.Equal(LocationPrecision.Settlement, first.Location.Precision);
        Assert.Equal(5_000, first.Location.RadiusMetres);
        Assert.Equal("Kharkiv", first.Location.PlaceName);
        Assert.Equal("shelling_artillery_missile", first.Act.Code);
        Assert.Equal(TargetInference.StatedAs(first.Target.Category, "energy.transmission").Describe(), first.Target.Describe());
        Assert.Equal(TargetBasis.Stated, first.Target.Basis);
        Assert.Equal(new PartyCode("RU"), first.Perpetrator);
        Assert.Equal("Military Forces of Russia (2000-)", first.PerpetratorActor);
        Assert.Equal("Ministry of Energy of Ukraine", first.Claimant);
        Assert.Equal("Suspilne", first.Source);
        Assert.Equal(new SourceGrade('B', 2), first.Grade);
        Assert.Equal(["https://suspilne.media/kharkiv/123"], first.Links);
        Assert.StartsWith("A missile hit", first.Notes);
        Assert.Equal(new Casualties(0, 1, 2), first.Casualties);
        Assert.Equal("team-3", first.Attributes["verified_by"]);
    }

    [Fact]
    public void Read_SampleDocument_InfersTargetsMapsActorsAndHonoursExplicitUnknowns()
    {
        var result = ReportJsonReader.ReadIncidents(Path.Combine(DataDirectory, "reports.json"));

        var belgorod = result.Value[1];
        Assert.Equal("air_drone_strike", belgorod.Act.Code);
        Assert.Equal(new PartyCode("UA"), belgorod.Perpetrator);
        Assert.Equal("energy.oil_gas_pipeline", belgorod.Target.Category.Code);
        Assert.Equal(TargetBasis.Inferred, belgorod.Target.Basis);
        Assert.Equal(SourceGrade.Unassessed, belgorod.Grade);
        Assert.Equal(LocationPrecision.Region, belgorod.Location.Precision);
        Assert.Equal(80_000, belgorod.Location.RadiusMetres);
        Assert.Equal(Utc(2025, 4, 16, 21), belgorod.Time.Earliest);
        Assert.Equal(Utc(2025, 4, 17, 21), belgorod.Time.Latest);

        var unclear = result.Value[2];
        Assert.Null(unclear.Perpetrator);
        Assert.Equal("Military Forces of Russia (2000-)", unclear.PerpetratorActor);
        Assert.Equal(TargetInference.None, unclear.Target);
        Assert.True(unclear.Act.IsUnknown);
        Assert.Equal(LocationPrecision.Exact, unclear.Location.Precision);
        Assert.Equal(IncidentTime.Days(new DateOnly(2025, 3, 27), new DateOnly(2025, 3, 28), TimeZoneInfo.Utc), unclear.Time);

        var kyiv = result.Value[3];
        Assert.Equal(IncidentTime.Week(new DateOnly(2025, 4, 7), TimeZoneInfo.Utc), kyiv.Time);
        Assert.Equal("civilian.residential", kyiv.Target.Category.Code);
    }

    [Fact]
    public void Read_SingleReportObject_IsOneReport()
    {
        var result = Read(Minimal);
        Assert.Empty(result.Errors);
        Assert.Equal("R-1", Assert.Single(result.Value).Id.Value);
    }

    [Fact]
    public void Read_DocumentWithSchema_IsAccepted()
    {
        var result = Read($"{{ \"$schema\": \"https://example.org/report.schema.json\", \"reports\": [ {Minimal}, {Minimal.Replace("R-1", "R-2", StringComparison.Ordinal)} ] }}");
        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Value.Count);
    }

    [Fact]
    public void Read_JsonLines_ReadsEachLine_RejectingOnlyTheBadOne()
    {
        var result = ReportJsonReader.ReadIncidents(Path.Combine(DataDirectory, "reports.jsonl"));

        Assert.Equal(["L-1", "L-3"], result.Value.Select(i => i.Id.Value));
        Assert.Equal(3, result.RowsRead);
        var error = Assert.Single(result.Errors);
        Assert.Equal((3, "$.location.lat", ReportCodes.Latitude), (error.Line, error.Field, error.Code));
        Assert.Equal(81, error.Column);
        Assert.Contains("'95.5' is not a latitude", error.Message);
        Assert.Equal(3, Assert.Single(result.Rejected).Line);
        Assert.StartsWith("{\"id\": \"L-2\"", result.Rejected[0].Text);
        Assert.Equal(IncidentTime.Month(new DateOnly(2025, 3, 1), TimeZoneInfo.Utc), result.Value[1].Time);
        Assert.Equal("shelling_artillery_missile", result.Value[1].Act.Code);
    }

    [Fact]
    public void Read_JsonLinesWithMalformedLine_RejectsThatLineAndReadsOn()
    {
        var text = Minimal + "\n{ \"id\": \"R-2\", \"time\": \n" + Minimal.Replace("R-1", "R-3", StringComparison.Ordinal) + "\n";
        var result = Read(text, "x.jsonl");

        Assert.Equal(["R-1", "R-3"], result.Value.Select(i => i.Id.Value));
        var error = Assert.Single(result.Errors);
        Assert.Equal((ReportCodes.Syntax, 2), (error.Code, error.Line));
    }

    [Fact]
    public void Read_LayoutOption_OverridesTheFileName()
    {
        var result = Read(Minimal + "\n" + Minimal.Replace("R-1", "R-2", StringComparison.Ordinal) + "\n", "upload", new ReportReadOptions { Layout = ReportJsonLayout.Lines });
        Assert.Equal(2, result.Value.Count);
    }

    [Fact]
    public void Read_TwoValuesInADocument_SuggestsJsonLines()
    {
        var result = Read(Minimal + "\n" + Minimal + "\n");
        Assert.Single(result.Value);
        var error = Assert.Single(result.Errors);
        Assert.Equal((ReportCodes.Trailing, 2, 1), (error.Code, error.Line, error.Column));
        Assert.Contains(".jsonl", error.Message);
    }

    [Fact]
    public void Read_UnknownProperty_IsAnErrorWithPathPositionAndSuggestion()
    {
        var json = "{ \"reports\": [\n" +
                   "  " + Minimal + ",\n" +
                   "  { \"id\": \"R-2\", \"time\": { \"date\": \"2025-04-17\" },\n" +
                   "    \"location\": { \"lon\": 36.23, \"lattitude\": 49.99 }, \"act\": \"air_drone_strike\" }\n" +
                   "] }";
        var result = Read(json);

        Assert.Equal("R-1", Assert.Single(result.Value).Id.Value);
        Assert.Equal(2, result.Errors.Count);
        var unknown = result.Errors[0];
        Assert.Equal(("reports.json", 4, 33, "$.reports[1].location.lattitude", ReportCodes.UnknownProperty),
            (unknown.File, unknown.Line, unknown.Column, unknown.Field, unknown.Code));
        Assert.Contains("did you mean 'lat'?", unknown.Message);
        var missing = result.Errors[1];
        Assert.Equal(("$.reports[1].location.lat", ReportCodes.Missing), (missing.Field, missing.Code));
        var rejected = Assert.Single(result.Rejected);
        Assert.Equal(3, rejected.Line);
        Assert.StartsWith("{ \"id\": \"R-2\"", rejected.Text);
        Assert.EndsWith("\"act\": \"air_drone_strike\" }", rejected.Text);
    }

    [Fact]
    public void Read_UnknownTopLevelProperty_IsAnError()
    {
        var result = Read($"{{ \"reports\": [ {Minimal} ], \"report\": [] }}");
        Assert.Single(result.Value);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("$.report", ReportCodes.UnknownProperty), (error.Field, error.Code));
    }

    public static TheoryData<string, string, string, string> BadReports => new()
    {
        { "\"id\": \"R-1\", \"time\": { \"date\": \"2025-13-45\" }, \"location\": { \"lon\": 36.23, \"lat\": 49.99 }, \"act\": \"air_drone_strike\"",
            "$.reports[0].time.date", ReportCodes.Time, "'2025-13-45' is not a date" },
        { "\"id\": \"R-1\", \"time\": { \"at\": \"2025-03-28T10:20:00\" }, \"location\": { \"lon\": 36.23, \"lat\": 49.99 }, \"act\": \"air_drone_strike\"",
            "$.reports[0].time.at", ReportCodes.Time, "'2025-03-28T10:20:00' has no UTC offset" },
        { "\"id\": \"R-1\", \"time\": { \"at\": \"28.03.2025 10:20\" }, \"location\": { \"lon\": 36.23, \"lat\": 49.99 }, \"act\": \"air_drone_strike\"",
            "$.reports[0].time.at", ReportCodes.Time, "'28.03.2025 10:20' is not a date and time" },
        { "\"id\": \"R-1\", \"time\": { \"date\": \"2025-04-17\", \"time_zone\": \"Europe/Kiyv\" }, \"location\": { \"lon\": 36.23, \"lat\": 49.99 }, \"act\": \"air_drone_strike\"",
            "$.reports[0].time.time_zone", ReportCodes.TimeZone, "'Europe/Kiyv' is not a time zone" },
        { "\"id\": \"R-1\", \"time\": { \"date\": \"2025-04-17\", \"at\": \"2025-04-17T10:00Z\" }, \"location\": { \"lon\": 36.23, \"lat\": 49.99 }, \"act\": \"air_drone_strike\"",
            "$.reports[0].time", ReportCodes.Time, "exactly one of" },
        { "\"id\": \"R-1\", \"time\": { \"from\": \"2025-04-17\", \"to\": \"2025-04-16\" }, \"location\": { \"lon\": 36.23, \"lat\": 49.99 }, \"act\": \"air_drone_strike\"",
            "$.reports[0].time.to", ReportCodes.Time, "'2025-04-16' is before 'from' '2025-04-17'" },
        { "\"id\": \"R-1\", \"time\": { \"date\": \"2025-04-17\" }, \"location\": { \"lon\": 36.23, \"lat\": 91 }, \"act\": \"air_drone_strike\"",
            "$.reports[0].location.lat", ReportCodes.Latitude, "'91' is not a latitude" },
        { "\"id\": \"R-1\", \"time\": { \"date\": \"2025-04-17\" }, \"location\": { \"lon\": -200.5, \"lat\": 49 }, \"act\": \"air_drone_strike\"",
            "$.reports[0].location.lon", ReportCodes.Longitude, "'-200.5' is not a longitude" },
        { "\"id\": \"R-1\", \"time\": { \"date\": \"2025-04-17\" }, \"location\": { \"lon\": \"36.23\", \"lat\": 49 }, \"act\": \"air_drone_strike\"",
            "$.reports[0].location.lon", ReportCodes.Type, "found a string '36.23'" },
        { "\"id\": \"R-1\", \"time\": { \"date\": \"2025-04-17\" }, \"location\": { \"lon\": 36, \"lat\": 49, \"precision\": \"city\" }, \"act\": \"air_drone_strike\"",
            "$.reports[0].location.precision", ReportCodes.Precision, "'city' is not a location precision" },
        { "\"id\": \"R-1\", \"time\": { \"date\": \"2025-04-17\" }, \"location\": { \"lon\": 36, \"lat\": 49, \"radius_km\": -1 }, \"act\": \"air_drone_strike\"",
            "$.reports[0].location.radius_km", ReportCodes.Radius, "'-1' is not a radius" },
        { Required.Replace("air_drone_strike", "drone attack", StringComparison.Ordinal),
            "$.reports[0].act", ReportCodes.Act, "'drone attack' is not an act kind" },
        { Required + ", \"target\": \"energy.power\"", "$.reports[0].target", ReportCodes.Target, "'energy.power' is not a target category" },
        { Required + ", \"perpetrator\": \"Russia\"", "$.reports[0].perpetrator", ReportCodes.Perpetrator, "'Russia' is not a party code" },
        { Required + ", \"grade\": \"B7\"", "$.reports[0].grade", ReportCodes.Grade, "'B7' is not an Admiralty grade" },
        { Required + ", \"links\": [\"suspilne.media/1\"]", "$.reports[0].links[0]", ReportCodes.Link, "'suspilne.media/1' is not an absolute" },
        { Required + ", \"links\": [\"javascript:alert(1)\"]", "$.reports[0].links[0]", ReportCodes.Link, "is not an absolute http or https URL" },
        { Required + ", \"casualties\": { \"low\": 5, \"best\": 3 }", "$.reports[0].casualties", ReportCodes.Casualties, "'5/3/-' (low/best/high) is out of order" },
        { Required + ", \"casualties\": { \"best\": 2.5 }", "$.reports[0].casualties.best", ReportCodes.Casualties, "'2.5' is not a number of deaths" },
        { Required + ", \"attributes\": { \"tags\": 5 }", "$.reports[0].attributes.tags", ReportCodes.Type, "Expected a string; found a number '5'" },
        { Required + ", \"notes\": 12", "$.reports[0].notes", ReportCodes.Type, "Expected a string or null; found a number '12'" },
        { Required + ", \"act\": \"armed_clash\"", "$.reports[0].act", ReportCodes.DuplicateProperty, "'act' is given twice" },
        { Required.Replace("\"id\": \"R-1\"", "\"id\": 17", StringComparison.Ordinal), "$.reports[0].id", ReportCodes.Type, "Expected a string; found a number '17'" },
        { Required.Replace("\"id\": \"R-1\"", "\"id\": \"  \"", StringComparison.Ordinal), "$.reports[0].id", ReportCodes.Id, "The id is empty" },
        { Required + ", \"location_name\": \"Kharkiv\"", "$.reports[0].location_name", ReportCodes.UnknownProperty, "did you mean 'location'?" },
        { Required + ", \"target\": { \"category\": \"rail\", \"basis\": \"guessed\" }", "$.reports[0].target.basis", ReportCodes.Target, "'guessed' is not a target basis" },
    };

    [Theory]
    [MemberData(nameof(BadReports))]
    public void Read_BadReport_IsRejectedWithOneErrorAtItsPath(string fields, string path, string code, string message)
    {
        var result = ReadReport(fields);

        Assert.Empty(result.Value);
        var error = Assert.Single(result.Errors);
        Assert.Equal((path, code), (error.Field, error.Code));
        Assert.Contains(message, error.Message);
        Assert.Equal(2, error.Line);
        Assert.True(error.Column > 0);
        Assert.Equal($"{{ {fields} }}", Assert.Single(result.Rejected).Text);
    }

    [Theory]
    [InlineData("id", "\"time\": { \"date\": \"2025-04-17\" }, \"location\": { \"lon\": 36.23, \"lat\": 49.99 }, \"act\": \"air_drone_strike\"")]
    [InlineData("time", "\"id\": \"R-1\", \"location\": { \"lon\": 36.23, \"lat\": 49.99 }, \"act\": \"air_drone_strike\"")]
    [InlineData("location", "\"id\": \"R-1\", \"time\": { \"date\": \"2025-04-17\" }, \"act\": \"air_drone_strike\"")]
    [InlineData("act", "\"id\": \"R-1\", \"time\": { \"date\": \"2025-04-17\" }, \"location\": { \"lon\": 36.23, \"lat\": 49.99 }")]
    public void Read_MissingRequiredField_IsAnErrorNamingIt(string field, string fields)
    {
        var result = ReadReport(fields);
        var error = Assert.Single(result.Errors);
        Assert.Equal(($"$.reports[0].{field}", ReportCodes.Missing, 2, 1), (error.Field, error.Code, error.Line, error.Column));
        Assert.Contains($"'{field}' is missing", error.Message);
    }

    [Fact]
    public void Read_ErrorPositions_AreTheLineAndColumnOfTheValue()
    {
        var json = "{\n  \"reports\": [\n    {\n      \"id\": \"Харків-1\",\n      \"time\": { \"date\": \"2025-04-17\" },\n" +
                   "      \"location\": { \"place\": \"Харків\", \"lon\": 36.23, \"lat\": 149.99 },\n      \"act\": \"air_drone_strike\"\n    }\n  ]\n}\n";
        var error = Assert.Single(Read(json).Errors);
        Assert.Equal((6, 61), (error.Line, error.Column));
        Assert.Equal("reports.json:6:61: error report.latitude $.reports[0].location.lat: '149.99' is not a latitude: use decimal degrees from -90 to 90.", error.ToString());
    }

    [Fact]
    public void Read_TimeForms_GiveTheMatchingIncidentTimes()
    {
        var moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
        string Report(string time) => $"{{ \"id\": \"T\", \"time\": {time}, \"location\": {{ \"lon\": 36, \"lat\": 49 }}, \"act\": \"unknown\" }}";
        IncidentTime TimeOf(string time)
        {
            var result = Read(Report(time));
            Assert.Empty(result.Errors);
            return Assert.Single(result.Value).Time;
        }

        Assert.Equal(IncidentTime.At(Utc(2025, 3, 18, 10)), TimeOf("{ \"at\": \"2025-03-18T13:00+03:00\" }"));
        Assert.Equal(IncidentTime.At(Utc(2025, 3, 18, 10)), TimeOf("{ \"at\": \"2025-03-18 13:00:00\", \"time_zone\": \"Europe/Moscow\" }"));
        Assert.Equal(IncidentTime.At(Utc(2025, 3, 18, 10)), TimeOf("{ \"at\": \"2025-03-18T10:00:00.000Z\" }"));
        Assert.Equal(IncidentTime.Hour(Utc(2025, 3, 18, 10)), TimeOf("{ \"at\": \"2025-03-18T13:00+03:00\", \"precision\": \"hour\" }"));
        Assert.Equal(IncidentTime.Day(new DateOnly(2025, 3, 18), moscow), TimeOf("{ \"date\": \"2025-03-18\", \"time_zone\": \"Europe/Moscow\" }"));
        Assert.Equal(IncidentTime.Day(new DateOnly(2025, 3, 18), moscow), TimeOf("{ \"date\": \"2025-03-18\", \"time_zone\": \"+03:00\" }"));
        Assert.Equal(IncidentTime.Month(new DateOnly(2025, 3, 1), TimeZoneInfo.Utc), TimeOf("{ \"date\": \"2025-03-18\", \"precision\": \"month\" }"));
        Assert.Equal(IncidentTime.Days(new DateOnly(2025, 3, 27), new DateOnly(2025, 3, 28), moscow),
            TimeOf("{ \"from\": \"2025-03-27\", \"to\": \"2025-03-28\", \"time_zone\": \"Europe/Moscow\" }"));
        Assert.Equal(IncidentTime.Day(new DateOnly(2025, 3, 18), moscow),
            TimeOf("{ \"earliest\": \"2025-03-17T21:00:00Z\", \"latest\": \"2025-03-18T21:00:00Z\", \"precision\": \"day\" }"));
    }

    [Fact]
    public void Read_DatesWithoutTimeZone_AreLocalToTheOptionsZone()
    {
        var kyiv = TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv");
        var result = Read(Minimal, options: new ReportReadOptions { TimeZone = kyiv });
        Assert.Equal(IncidentTime.Day(new DateOnly(2025, 4, 17), kyiv), Assert.Single(result.Value).Time);
    }

    [Fact]
    public void Read_LocalTimeSkippedByDaylightSaving_IsAnError()
    {
        var result = ReadReport("\"id\": \"R\", \"time\": { \"at\": \"2025-03-30T03:30\", \"time_zone\": \"Europe/Kyiv\" }, \"location\": { \"lon\": 30, \"lat\": 50 }, \"act\": \"unknown\"");
        Assert.Contains("does not exist in time zone Europe/Kyiv", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void Read_TargetObject_KeepsBasisAndEvidence()
    {
        var result = ReadReport(Required + ", \"target\": { \"category\": \"rail\", \"basis\": \"inferred\", \"evidence\": [\"тягова підстанція\"] }");
        var target = Assert.Single(result.Value).Target;
        Assert.Equal(("rail", TargetBasis.Inferred), (target.Category.Code, target.Basis));
        Assert.Equal(["тягова підстанція"], target.Evidence);
    }

    [Fact]
    public void Read_PerpetratorAbsent_ActorIsMappedWithTheOptionsMap()
    {
        var map = new ActorMap(new Dictionary<string, PartyCode> { ["Wagner"] = new("RU") });
        var result = Read(Minimal[..^1] + ", \"actor\": \"Wagner\" }", options: new ReportReadOptions { ActorMap = map });
        Assert.Empty(result.Errors);
        Assert.Equal(new PartyCode("RU"), Assert.Single(result.Value).Perpetrator);
    }

    [Fact]
    public void Read_TruncatedDocument_KeepsTheReportsBeforeAndRejectsTheCutOne()
    {
        var full = File.ReadAllText(Path.Combine(DataDirectory, "reports.json"));
        var cut = full[..full.IndexOf("\"CFM-2025-0003\"", StringComparison.Ordinal)];

        var result = Read(cut);

        Assert.Equal(["CFM-2025-0001", "CFM-2025-0002"], result.Value.Select(i => i.Id.Value));
        var error = Assert.Single(result.Errors);
        Assert.Equal((ReportCodes.Truncated, "$.reports[2]"), (error.Code, error.Field));
        Assert.Contains("cut off", error.Message);
        var rejected = Assert.Single(result.Rejected);
        Assert.Equal(28, rejected.Line);
        Assert.StartsWith("{\n      \"id\":", rejected.Text);
        Assert.Equal(3, result.RowsRead);
    }

    [Theory]
    [InlineData("{ \"reports\": [")]
    [InlineData("{ \"reports\": [ { \"id\": \"x\"")]
    [InlineData("{ \"reports\": [ { \"id\": \"x\", ")]
    [InlineData("{ \"id\": \"R-1\", \"time\": { \"dat")]
    public void Read_CutOffJson_IsATruncationError(string json)
    {
        var result = Read(json);
        Assert.Empty(result.Value);
        Assert.Equal(ReportCodes.Truncated, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void Read_MalformedJsonInTheMiddle_StopsThereKeepingTheReportsBefore()
    {
        var json = "{ \"reports\": [\n" + Minimal + ",\n{ \"id\": \"R-2\" \"time\": {} },\n" + Minimal + "\n] }";
        var result = Read(json);

        Assert.Equal("R-1", Assert.Single(result.Value).Id.Value);
        var error = Assert.Single(result.Errors);
        Assert.Equal((ReportCodes.Syntax, 3, 15), (error.Code, error.Line, error.Column));
        Assert.Contains("Reading stopped here", error.Message);
        Assert.Equal("{ \"id\": \"R-2\" \"time\": {} },", Assert.Single(result.Rejected).Text);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n\t\n")]
    public void Read_EmptyFile_IsOneError(string json)
    {
        var result = Read(json);
        Assert.Equal(ReportCodes.Empty, Assert.Single(result.Errors).Code);
        Assert.Equal(0, result.RowsRead);
    }

    [Fact]
    public void Read_EmptyJsonLinesFile_IsOneError() =>
        Assert.Equal(ReportCodes.Empty, Assert.Single(Read("\n\n", "x.jsonl").Errors).Code);

    [Fact]
    public void Read_CsvFile_IsASyntaxErrorAtItsFirstCharacter()
    {
        var error = Assert.Single(Read("id,event_date\nUKR1,2025-03-28\n").Errors);
        Assert.Equal((ReportCodes.Syntax, 1, 1), (error.Code, error.Line, error.Column));
        Assert.Contains("'i' is an invalid start of a value", error.Message);
    }

    [Fact]
    public void Read_TopLevelArray_SaysWhatADocumentIs()
    {
        var error = Assert.Single(Read($"[ {Minimal} ]").Errors);
        Assert.Equal(ReportCodes.Type, error.Code);
        Assert.Contains("{ \"reports\": [ ... ] }", error.Message);
    }

    [Fact]
    public void Read_ReportThatIsNotAnObject_IsRejected()
    {
        var result = Read($"{{ \"reports\": [ 42, {Minimal} ] }}");
        Assert.Single(result.Value);
        Assert.Equal(("$.reports[0]", ReportCodes.Type), (result.Errors[0].Field, result.Errors[0].Code));
        Assert.Equal("42", Assert.Single(result.Rejected).Text);
    }

    [Fact]
    public void Read_InvalidUtf8InAString_RejectsOnlyThatReport()
    {
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.UTF8.GetBytes("{ \"reports\": [\n" + Minimal + ",\n{ \"id\": \"R-2\", \"notes\": \""));
        bytes.AddRange([0xD3, 0xE4, 0xE0, 0xF0]);
        bytes.AddRange(Encoding.UTF8.GetBytes("\", \"time\": { \"date\": \"2025-04-17\" }, \"location\": { \"lon\": 1, \"lat\": 2 }, \"act\": \"unknown\" }\n] }"));

        var result = ReportJsonReader.ReadIncidents(new MemoryStream([.. bytes]), "r.json");

        Assert.Equal("R-1", Assert.Single(result.Value).Id.Value);
        var error = Assert.Single(result.Errors);
        Assert.Equal((ReportCodes.Encoding, "$.reports[1].notes", 3), (error.Code, error.Field, error.Line));
    }

    [Fact]
    public void Read_Utf16Document_IsDecoded()
    {
        var encoding = new UnicodeEncoding(bigEndian: false, byteOrderMark: true);
        var json = Minimal[..^1] + ", \"notes\": \"Удар по підстанції\" }";
        var result = ReportJsonReader.ReadIncidents(new MemoryStream([.. encoding.GetPreamble(), .. encoding.GetBytes(json)]), "r.json");

        Assert.Empty(result.Errors);
        Assert.Equal("energy.transmission", Assert.Single(result.Value).Target.Category.Code);
    }

    [Fact]
    public void Read_Windows1251Document_IsDecodedWithTheEncodingOption()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var json = Minimal[..^1] + ", \"notes\": \"Удар по подстанции\" }";
        var result = ReportJsonReader.ReadIncidents(new MemoryStream(Encoding.GetEncoding(1251).GetBytes(json)), "r.json",
            new ReportReadOptions { Encoding = InputEncoding.Windows1251 });

        Assert.Empty(result.Errors);
        Assert.Equal("Удар по подстанции", Assert.Single(result.Value).Notes);
    }

    [Fact]
    public void Read_Windows1251DocumentReadAsUtf8_RejectsTheReportWithAnEncodingError()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var json = Minimal[..^1] + ", \"notes\": \"Удар по подстанции\" }";
        var error = Assert.Single(ReportJsonReader.ReadIncidents(new MemoryStream(Encoding.GetEncoding(1251).GetBytes(json)), "r.json").Errors);
        Assert.Equal((ReportCodes.Encoding, "$.notes"), (error.Code, error.Field));
    }

    [Fact]
    public void Read_Utf8ByteOrderMark_IsSkippedAndColumnsCountFromAfterIt()
    {
        var result = ReportJsonReader.ReadIncidents(new MemoryStream([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Minimal.Replace("49.99", "99", StringComparison.Ordinal))]), "r.json");
        var error = Assert.Single(result.Errors);
        Assert.Equal((1, Minimal.IndexOf("49.99", StringComparison.Ordinal) + 1), (error.Line, error.Column));
    }

    [Fact]
    public void Read_ReportLargerThanTheLimit_IsTooLarge()
    {
        var notes = new string('x', 5000);
        var result = Read($"{{ \"reports\": [ {Minimal}, {Minimal[..^1]}, \"notes\": \"{notes}\" }} ] }}", options: new ReportReadOptions { MaxReportBytes = 2048 });
        Assert.Single(result.Value);
        Assert.Equal(ReportCodes.TooLarge, Assert.Single(result.Errors).Code);
        Assert.Contains("larger than 2 KiB", result.Errors[0].Message);
    }

    [Fact]
    public void Read_ManyReportsAcrossBufferRefills_AreAllRead_WithCorrectLinesLate_InTheFile()
    {
        var text = new StringBuilder("{ \"reports\": [\n");
        for (var i = 0; i < 3000; i++)
        {
            text.Append("  { \"id\": \"R-").Append(i).Append("\", \"time\": { \"date\": \"2025-04-17\" }, \"location\": { \"lon\": 36.23, \"lat\": ")
                .Append(i == 2999 ? "95" : "49.99").Append(" }, \"act\": \"air_drone_strike\", \"notes\": \"Удар по підстанції №")
                .Append(i).Append("\" }").Append(i < 2999 ? ",\n" : "\n");
        }
        text.Append("] }\n");

        var result = Read(text.ToString());

        Assert.Equal(2999, result.Value.Count);
        var error = Assert.Single(result.Errors);
        Assert.Equal(3001, error.Line);
        Assert.Equal("$.reports[2999].location.lat", error.Field);
        Assert.Equal(90, error.Column);
    }

    [Fact]
    public void ReadRecords_IsLazy()
    {
        var first = ReportJsonReader.ReadRecords(new MemoryStream(Encoding.UTF8.GetBytes($"{{ \"reports\": [ {Minimal}, 1 2 ] }}")), "r.json").First();
        Assert.Equal(InputRecordKind.Incident, first.Kind);
    }

    [Fact]
    public void Read_MissingFile_IsAFileError()
    {
        var result = ReportJsonReader.ReadIncidents(Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.json"));
        Assert.Equal(ReportCodes.File, Assert.Single(result.Errors).Code);
    }
}

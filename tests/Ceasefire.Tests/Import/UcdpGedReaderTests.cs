using System.Text;
using Ceasefire.Geo;
using Ceasefire.Import.Acled;
using Ceasefire.Import.Text;
using Ceasefire.Import.Ucdp;
using Ceasefire.Incidents;
using Ceasefire.Parties;
using Ceasefire.Time;

namespace Ceasefire.Tests.Import;

public sealed class UcdpGedReaderTests
{
    private static readonly string SamplePath = Path.Combine(AppContext.BaseDirectory, "TestData", "import", "ucdp-ged-sample.csv");

    /// <summary>A reduced GED layout: the required columns and the ones the reader maps.</summary>
    private const string Header =
        "id,type_of_violence,side_a,side_b,source_office,source_headline,where_prec,where_coordinates,where_description,latitude,longitude,date_prec,date_start,date_end,best,high,low";

    static UcdpGedReaderTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static string Row(
        string id = "1", string type = "1", string sideA = "Government of Russia (Soviet Union)", string headline = "Strike on a substation",
        string wherePrec = "1", string lat = "49.99", string lon = "36.23", string datePrec = "1", string start = "2025-03-28",
        string end = "2025-03-28", string best = "1", string high = "2", string low = "1") =>
        $"{id},{type},{sideA},Government of Ukraine,Suspilne,{headline},{wherePrec},Kharkiv town,\"Kharkiv city, Kharkiv oblast\",{lat},{lon},{datePrec},{start},{end},{best},{high},{low}";

    private static AcledReadResult<IReadOnlyList<Incident>> Read(string csv, UcdpReadOptions? options = null) =>
        UcdpGedReader.ReadIncidents(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "ged.csv", options);

    private static AcledReadResult<IReadOnlyList<Incident>> Read(byte[] bytes, UcdpReadOptions? options = null) =>
        UcdpGedReader.ReadIncidents(new MemoryStream(bytes), "ged.csv", options);

    private static DateTimeOffset Utc(int y, int m, int d) => new(y, m, d, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Read_SampleFile_GivesOneIncidentPerEventWithEveryField()
    {
        var result = UcdpGedReader.ReadIncidents(SamplePath);

        Assert.Empty(result.Errors);
        Assert.Equal(4, result.RowsRead);
        Assert.Equal(4, result.RowsAccepted);
        Assert.StartsWith("id,relid,year", result.Header);

        var kharkiv = result.Value[0];
        Assert.Equal("ucdp:500001", kharkiv.Id.Value);
        Assert.Equal(IncidentTime.Day(new DateOnly(2025, 3, 28), TimeZoneInfo.Utc), kharkiv.Time);
        Assert.Equal(36.230383, kharkiv.Location.Longitude);
        Assert.Equal(49.9935, kharkiv.Location.Latitude);
        Assert.Equal(LocationPrecision.Settlement, kharkiv.Location.Precision);
        Assert.Equal(5_000, kharkiv.Location.RadiusMetres);
        Assert.Equal("Kharkiv town", kharkiv.Location.PlaceName);
        Assert.Equal("unknown", kharkiv.Act.Code); // state-based violence: the GED does not say how
        Assert.Equal(new PartyCode("RU"), kharkiv.Perpetrator);
        Assert.Equal("Government of Russia (Soviet Union)", kharkiv.PerpetratorActor);
        Assert.Equal("Suspilne;Ukrinform", kharkiv.Source);
        Assert.Equal("Suspilne;Ukrinform", kharkiv.Claimant);
        Assert.Empty(kharkiv.Links);
        Assert.Equal(SourceGrade.Unassessed, kharkiv.Grade);
        Assert.Equal("Russian missile strike damages substation in Kharkiv | Kharkiv city, Kharkiv oblast", kharkiv.Notes);
        Assert.Equal("energy.transmission", kharkiv.Target.Category.Code);
        Assert.Equal(TargetBasis.Inferred, kharkiv.Target.Basis);
        Assert.Equal(["substation"], kharkiv.Target.Evidence);
        Assert.Equal(new Casualties(1, 1, 2), kharkiv.Casualties);
    }

    [Fact]
    public void Read_SampleFile_KeepsEveryOtherColumnAsAnAttribute()
    {
        var kharkiv = UcdpGedReader.ReadIncidents(SamplePath).Value[0];

        Assert.Equal("1", kharkiv.Attributes["type_of_violence"]);
        Assert.Equal("UKR-2025-1-13307-1", kharkiv.Attributes["relid"]);
        Assert.Equal("Government of Ukraine", kharkiv.Attributes["side_b"]);
        Assert.Equal("1", kharkiv.Attributes["where_prec"]);
        Assert.Equal("1", kharkiv.Attributes["date_prec"]);
        Assert.Equal("Russian missile strike damages substation in Kharkiv", kharkiv.Attributes["source_headline"]);
        Assert.Equal("Kharkiv city, Kharkiv oblast", kharkiv.Attributes["where_description"]);
        Assert.Equal("POINT (36.230383 49.9935)", kharkiv.Attributes["geom_wkt"]);
        Assert.Equal("1", kharkiv.Attributes["deaths_civilians"]);
        foreach (var stored in new[] { "id", "latitude", "longitude", "date_start", "date_end", "best", "low", "high", "side_a", "source_office", "where_coordinates" })
        {
            Assert.False(kharkiv.Attributes.ContainsKey(stored), stored);
        }
        // 49 columns, 11 stored in fields: 38 attributes, all non-empty here.
        Assert.Equal(38, kharkiv.Attributes.Count);
    }

    [Fact]
    public void Read_OneSidedViolence_IsAnAttackAttributedToSideA_WithCyrillicHeadline()
    {
        var nikopol = UcdpGedReader.ReadIncidents(SamplePath).Value[1];

        Assert.Equal("attack", nikopol.Act.Code);
        Assert.Equal(new PartyCode("RU"), nikopol.Perpetrator);
        Assert.Equal("civilian.residential", nikopol.Target.Category.Code);
        Assert.StartsWith("Обстріл Нікополя", nikopol.Notes);
        Assert.Equal(25_000, nikopol.Location.RadiusMetres);
        Assert.False(nikopol.Attributes.ContainsKey("gwnob"));
    }

    [Fact]
    public void Read_DatePrecision2_IsTheRangeOfDaysBothInclusive()
    {
        var nikopol = UcdpGedReader.ReadIncidents(SamplePath).Value[1];
        Assert.Equal(Utc(2025, 4, 1), nikopol.Time.Earliest);
        Assert.Equal(Utc(2025, 4, 3), nikopol.Time.Latest);
        Assert.Equal(TimePrecision.Day, nikopol.Time.Precision);
    }

    [Fact]
    public void Read_QuotedFieldWithLineBreakAndDoubledQuotes_IsOneRecord_AndTheWeekRangeIsAWeek()
    {
        var result = UcdpGedReader.ReadIncidents(SamplePath);
        var belgorod = result.Value[2];

        Assert.Equal("Belgorod governor, Telegram:\n\"drones hit a fuel depot\"", belgorod.Attributes["source_original"]);
        Assert.Equal("energy.oil_gas_pipeline", belgorod.Target.Category.Code);
        Assert.Equal(IncidentTime.Week(new DateOnly(2025, 4, 7), TimeZoneInfo.Utc), belgorod.Time);
        Assert.Equal(LocationPrecision.Region, belgorod.Location.Precision);
        Assert.Equal(100_000, belgorod.Location.RadiusMetres);
        // Side A of the dyad, although the headline says Ukrainian drones: the documented caveat.
        Assert.Equal(new PartyCode("RU"), belgorod.Perpetrator);
    }

    [Fact]
    public void Read_MonthPrecisionGivenAsOneDay_IsWidenedToTheMonth_AndCountryPrecisionIsAWideCircle()
    {
        var country = UcdpGedReader.ReadIncidents(SamplePath).Value[3];

        Assert.Equal(IncidentTime.Month(new DateOnly(2025, 5, 1), TimeZoneInfo.Utc), country.Time);
        Assert.Equal(1_000_000, country.Location.RadiusMetres);
        Assert.Equal(new Casualties(20, 22, 30), country.Casualties);
        Assert.Equal("Fighting continues | Ukraine", country.Notes);
        Assert.Equal(TargetInference.None, country.Target);
    }

    [Fact]
    public void Read_AttributeDyadsToSideAOff_LeavesStateBasedUndetermined_ButNotOneSided()
    {
        var result = UcdpGedReader.ReadIncidents(SamplePath, new UcdpReadOptions { AttributeDyadsToSideA = false });

        Assert.Null(result.Value[0].Perpetrator);
        Assert.Equal("Government of Russia (Soviet Union)", result.Value[0].PerpetratorActor);
        Assert.Equal(new PartyCode("RU"), result.Value[1].Perpetrator);
    }

    [Theory]
    [InlineData("1", LocationPrecision.Settlement, 5_000)]
    [InlineData("2", LocationPrecision.Settlement, 25_000)]
    [InlineData("3", LocationPrecision.Region, 50_000)]
    [InlineData("4", LocationPrecision.Region, 100_000)]
    [InlineData("5", LocationPrecision.Region, 250_000)]
    [InlineData("6", LocationPrecision.Region, 1_000_000)]
    [InlineData("7", LocationPrecision.Region, 1_000_000)]
    [InlineData("", LocationPrecision.Settlement, 5_000)]
    public void Read_WherePrecision_GivesTheDocumentedCircle(string wherePrec, LocationPrecision precision, double radius)
    {
        var location = Assert.Single(Read($"{Header}\n{Row(wherePrec: wherePrec)}\n").Value).Location;
        Assert.Equal(precision, location.Precision);
        Assert.Equal(radius, location.RadiusMetres);
    }

    [Theory]
    [InlineData("2022-02-24", "2022-02-24")]
    [InlineData("2022-02-24 00:00:00.000", "2022-02-24 00:00:00.000")]
    [InlineData("2022-02-24T00:00:00Z", "2022-02-24 00:00")]
    public void Read_DateForms_AreLocalDays(string start, string end)
    {
        var time = Assert.Single(Read($"{Header}\n{Row(start: start, end: end)}\n").Value).Time;
        Assert.Equal(IncidentTime.Day(new DateOnly(2022, 2, 24), TimeZoneInfo.Utc), time);
    }

    [Fact]
    public void Read_TimeZone_MakesDaysLocal()
    {
        var kyiv = TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv");
        var time = Assert.Single(Read($"{Header}\n{Row(start: "2025-03-30", end: "2025-03-30")}\n", new UcdpReadOptions { TimeZone = kyiv }).Value).Time;
        Assert.Equal(new DateTimeOffset(2025, 3, 29, 22, 0, 0, TimeSpan.Zero), time.Earliest);
        Assert.Equal(new DateTimeOffset(2025, 3, 30, 21, 0, 0, TimeSpan.Zero), time.Latest);
    }

    [Fact]
    public void Read_DatePrecisionYearGivenAsOneDay_IsWidenedToTheYear()
    {
        var time = Assert.Single(Read($"{Header}\n{Row(datePrec: "5", start: "2024-06-01", end: "2024-06-01")}\n").Value).Time;
        Assert.Equal(Utc(2024, 1, 1), time.Earliest);
        Assert.Equal(Utc(2025, 1, 1), time.Latest);
    }

    [Fact]
    public void Read_DatePrecisionWeekWithALongerRange_KeepsTheRange()
    {
        var time = Assert.Single(Read($"{Header}\n{Row(datePrec: "3", start: "2025-04-03", end: "2025-04-12")}\n").Value).Time;
        Assert.Equal(Utc(2025, 4, 3), time.Earliest);
        Assert.Equal(Utc(2025, 4, 13), time.Latest);
        Assert.Equal(TimePrecision.Day, time.Precision);
    }

    [Fact]
    public void Read_DatePrecisionWeekWithAShorterRange_TakesInTheIsoWeek()
    {
        var time = Assert.Single(Read($"{Header}\n{Row(datePrec: "3", start: "2025-04-12", end: "2025-04-14")}\n").Value).Time;
        Assert.Equal(Utc(2025, 4, 7), time.Earliest);
        Assert.Equal(Utc(2025, 4, 15), time.Latest);
    }

    public static TheoryData<string, string, string, string> BadRows => new()
    {
        { Row(start: "2025-13-45"), "date_start", UcdpCodes.Date, "'2025-13-45' is not a date" },
        { Row(end: "28/03/2025"), "date_end", UcdpCodes.Date, "'28/03/2025' is not a date" },
        { Row(start: "2025-03-28 14:00:00"), "date_start", UcdpCodes.Date, "'2025-03-28 14:00:00' is not a date" },
        { Row(start: "2025-03-28", end: "2025-03-27"), "date_end", UcdpCodes.DateRange, "'2025-03-27' is before date_start '2025-03-28'" },
        { Row(lat: "95.5"), "latitude", UcdpCodes.Latitude, "'95.5' is not a latitude" },
        { Row(lon: "east"), "longitude", UcdpCodes.Longitude, "'east' is not a longitude" },
        { Row(lon: "-180.01"), "longitude", UcdpCodes.Longitude, "'-180.01' is not a longitude" },
        { Row(type: "4"), "type_of_violence", UcdpCodes.TypeOfViolence, "'4' is not a UCDP type of violence" },
        { Row(low: "3", best: "2", high: "5"), "low", UcdpCodes.Casualties, "'3' is more than best '2'" },
        { Row(low: "1", best: "6", high: "5"), "high", UcdpCodes.Casualties, "'6' is more than high '5'" },
        { Row(best: "-1"), "best", UcdpCodes.Casualties, "'-1' is not a number of deaths" },
        { Row(wherePrec: "9"), "where_prec", UcdpCodes.WherePrecision, "'9' is not a UCDP location precision" },
        { Row(datePrec: "0"), "date_prec", UcdpCodes.DatePrecision, "'0' is not a UCDP date precision" },
        { Row(id: " "), "id", UcdpCodes.Id, "The event id is empty" },
    };

    [Theory]
    [MemberData(nameof(BadRows))]
    public void Read_BadRow_IsRejectedVerbatimWithItsLineAndField_AndTheGoodRowsAreKept(string bad, string field, string code, string message)
    {
        var result = Read($"{Header}\n{Row(id: "1")}\n{bad}\n{Row(id: "3")}\n");

        Assert.Equal(["ucdp:1", "ucdp:3"], result.Value.Select(i => i.Id.Value));
        Assert.Equal(3, result.RowsRead);
        var error = Assert.Single(result.Errors);
        Assert.Equal(("ged.csv", 3, field, code), (error.File, error.Line, error.Field, error.Code));
        Assert.Contains(message, error.Message);
        var rejected = Assert.Single(result.Rejected);
        Assert.Equal(3, rejected.Line);
        Assert.Equal(bad, rejected.Text);
    }

    [Fact]
    public void Read_RowWithSeveralBadFields_GetsOneErrorPerField()
    {
        var result = Read($"{Header}\n{Row(start: "yesterday", lat: "91", type: "x")}\n");
        Assert.Equal(["type_of_violence", "date_start", "latitude"], result.Errors.Select(e => e.Field));
        Assert.Empty(result.Value);
    }

    [Fact]
    public void Read_MissingRequiredColumns_GivesAnErrorForEach_AndNoRows()
    {
        var result = Read("id,date_start,side_a\n1,2025-03-28,x\n");

        Assert.Equal(["type_of_violence", "date_end", "latitude", "longitude"], result.Errors.Select(e => e.Field));
        Assert.All(result.Errors, e => Assert.Equal(UcdpCodes.MissingColumn, e.Code));
        Assert.Contains("Is this a UCDP GED CSV file?", result.Errors[0].Message);
        Assert.Empty(result.Value);
        Assert.Equal(0, result.RowsRead);
    }

    [Fact]
    public void Read_ColumnNamesInAnyCaseAndOrder_AreFound()
    {
        var result = Read("LONGITUDE,Latitude,Date_End,DATE_START,Type_Of_Violence,ID\n36.23,49.99,2025-03-28,2025-03-28,3,9\n");
        var incident = Assert.Single(result.Value);
        Assert.Equal("ucdp:9", incident.Id.Value);
        Assert.Equal("attack", incident.Act.Code);
        Assert.Null(incident.Perpetrator);
        Assert.Equal(Casualties.Unknown, incident.Casualties);
        Assert.Equal("3", Assert.Single(incident.Attributes, a => a.Key == "Type_Of_Violence").Value);
    }

    [Fact]
    public void Read_DuplicateColumn_IsAHeaderError()
    {
        var result = Read("id,type_of_violence,date_start,date_end,latitude,longitude,Latitude\n");
        var error = Assert.Single(result.Errors);
        Assert.Equal(UcdpCodes.Header, error.Code);
        Assert.Contains("'Latitude' appears twice (columns 5 and 7)", error.Message);
    }

    [Fact]
    public void Read_UnnamedIndexColumn_IsKeptAsAnAttribute()
    {
        var result = Read($",{Header}\n0,{Row()}\n");
        Assert.Empty(result.Errors);
        Assert.Equal("0", Assert.Single(result.Value).Attributes["column_1"]);
    }

    [Fact]
    public void Read_EmptyFile_IsOneHeaderError()
    {
        var result = Read("");
        var error = Assert.Single(result.Errors);
        Assert.Equal(UcdpCodes.Header, error.Code);
        Assert.Contains("empty", error.Message);
        Assert.Equal(0, result.RowsRead);
    }

    [Fact]
    public void Read_JsonFileInsteadOfCsv_IsAHeaderError()
    {
        var result = Read("{ \"reports\": [] }\n");
        var error = Assert.Single(result.Errors);
        Assert.Equal((UcdpCodes.Header, 1), (error.Code, error.Line));
        Assert.Contains("not valid CSV", error.Message);
    }

    [Fact]
    public void Read_OtherCsvFile_IsReportedAsMissingColumns()
    {
        var result = Read("name,value\nx,1\n");
        Assert.Equal(6, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Equal(UcdpCodes.MissingColumn, e.Code));
    }

    [Fact]
    public void Read_BinaryFile_IsAnEncodingErrorAtLineOne()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52 };
        var result = Read(png);
        var error = Assert.Single(result.Errors);
        Assert.Equal(EncodingCodes.Invalid, error.Code);
        Assert.Equal(1, error.Line);
        Assert.Contains("byte offset 0", error.Message);
    }

    [Fact]
    public void Read_FieldCountDifferentFromHeader_IsRejected()
    {
        var result = Read($"{Header}\n{Row()},extra\n");
        Assert.Equal(UcdpCodes.FieldCount, Assert.Single(result.Errors).Code);
        Assert.Contains("18 fields; the header has 17", result.Errors[0].Message);
    }

    [Fact]
    public void Read_UnclosedQuoteAtTheEnd_IsRejectedAndTheRowsBeforeKept()
    {
        var result = Read($"{Header}\n{Row(id: "1")}\n{Row(id: "2", headline: "\"never closed")}\nmore text\n");
        Assert.Equal("ucdp:1", Assert.Single(result.Value).Id.Value);
        var error = Assert.Single(result.Errors);
        Assert.Equal((UcdpCodes.Csv, 3), (error.Code, error.Line));
        Assert.Equal($"{Row(id: "2", headline: "\"never closed")}\nmore text", Assert.Single(result.Rejected).Text);
    }

    [Fact]
    public void Read_RowsAfterAMultiLineRecord_HaveTheirOwnLineNumbers()
    {
        var result = Read($"{Header}\n{Row(id: "1", headline: "\"two\nlines\"")}\n{Row(id: "2", lat: "99")}\n");
        Assert.Equal(4, Assert.Single(result.Errors).Line);
        Assert.Equal("two\nlines | Kharkiv city, Kharkiv oblast", result.Value[0].Notes);
    }

    [Fact]
    public void Read_BytesNotValidUtf8InARow_RejectThatRowNamingLineAndOffset_AndKeepTheOthers()
    {
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.UTF8.GetBytes($"{Header}\n{Row(id: "1")}\n"));
        var row2 = Row(id: "2", headline: "XXXX");
        var at = row2.IndexOf("XXXX", StringComparison.Ordinal);
        var offset = bytes.Count + at;
        bytes.AddRange(Encoding.UTF8.GetBytes(row2[..at]));
        bytes.AddRange(Encoding.GetEncoding(1251).GetBytes("Удар"));
        bytes.AddRange(Encoding.UTF8.GetBytes(row2[(at + 4)..] + "\n" + Row(id: "3") + "\n"));

        var result = Read([.. bytes]);

        Assert.Equal(["ucdp:1", "ucdp:3"], result.Value.Select(i => i.Id.Value));
        var error = Assert.Single(result.Errors);
        Assert.Equal((EncodingCodes.Invalid, 3, at + 1), (error.Code, error.Line, error.Column));
        Assert.Contains($"byte offset {offset}", error.Message);
        Assert.Contains("try --encoding windows-1251", error.Message);
        Assert.Equal(3, Assert.Single(result.Rejected).Line);
    }

    [Fact]
    public void Read_Windows1251File_IsDecodedWithTheEncodingOption()
    {
        var csv = $"{Header}\n{Row(headline: "Удар по подстанции в Харькове")}\n";
        var result = Read(Encoding.GetEncoding(1251).GetBytes(csv), new UcdpReadOptions { Encoding = InputEncoding.Get("cp1251") });

        var incident = Assert.Single(result.Value);
        Assert.Equal("Удар по подстанции в Харькове", incident.Attributes["source_headline"]);
        Assert.Equal("energy.transmission", incident.Target.Category.Code);
        Assert.Equal(["подстанции"], incident.Target.Evidence);
    }

    [Fact]
    public void Read_Utf16FileWithByteOrderMark_IsDecodedWithoutAnOption()
    {
        var encoding = new UnicodeEncoding(bigEndian: false, byteOrderMark: true);
        var csv = $"{Header}\r\n{Row(headline: "Удар по підстанції")}\r\n";
        var result = Read([.. encoding.GetPreamble(), .. encoding.GetBytes(csv)]);

        Assert.Empty(result.Errors);
        Assert.Equal("Удар по підстанції", Assert.Single(result.Value).Attributes["source_headline"]);
    }

    [Fact]
    public void Read_MissingFile_IsAFileError()
    {
        var result = UcdpGedReader.ReadIncidents(Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.csv"));
        Assert.Equal(UcdpCodes.File, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void ReadRecords_IsLazy_ReadingOnlyWhatIsAskedFor()
    {
        using var endless = new EndlessGedStream();
        var first = UcdpGedReader.ReadRecords(endless, "endless.csv").Skip(1).Take(3).ToList();

        Assert.All(first, r => Assert.Equal(InputRecordKind.Incident, r.Kind));
        Assert.Equal(["ucdp:0", "ucdp:1", "ucdp:2"], first.Select(r => r.Incident!.Id.Value));
        Assert.True(endless.BytesServed < 1 << 20);
    }

    [Fact]
    public void ReadRecords_Cancelled_StopsBetweenRows()
    {
        using var endless = new EndlessGedStream();
        using var cancel = new CancellationTokenSource();
        var read = 0;
        Assert.Throws<OperationCanceledException>(() =>
        {
            foreach (var _ in UcdpGedReader.ReadRecords(endless, "endless.csv", cancellationToken: cancel.Token))
            {
                if (++read == 10)
                {
                    cancel.Cancel();
                }
            }
        });
        Assert.True(read < 2000);
    }

    [Fact]
    public void ReadRecords_GivesTheHeaderFirst_ThenRecordsInFileOrder()
    {
        var records = UcdpGedReader.ReadRecords(new MemoryStream(Encoding.UTF8.GetBytes($"{Header}\n{Row(id: "1")}\n{Row(id: "2", lat: "x")}\n")), "g.csv").ToList();
        Assert.Equal([InputRecordKind.Header, InputRecordKind.Incident, InputRecordKind.Rejected], records.Select(r => r.Kind));
        Assert.Equal(Header, records[0].Header);
    }

    [Fact]
    public void DefaultActorMap_MapsTheUcdpGovernmentNames()
    {
        Assert.Equal(new PartyCode("RU"), UcdpGedReader.DefaultActorMap.Resolve("Government of Russia (Soviet Union)"));
        Assert.Equal(new PartyCode("UA"), UcdpGedReader.DefaultActorMap.Resolve("Government of Ukraine"));
        Assert.Equal(new PartyCode("RU"), UcdpGedReader.DefaultActorMap.Resolve("Government of Russia"));
        Assert.Null(UcdpGedReader.DefaultActorMap.Resolve("IS"));
    }

    /// <summary>A GED file that never ends (rows generated on demand), to show that reading is lazy.</summary>
    private sealed class EndlessGedStream : Stream
    {
        private byte[] _pending = Encoding.UTF8.GetBytes(Header + "\n");
        private int _offset;
        private int _row;

        public long BytesServed { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_offset == _pending.Length)
            {
                _pending = Encoding.UTF8.GetBytes(Row(id: (_row++).ToString(System.Globalization.CultureInfo.InvariantCulture)) + "\n");
                _offset = 0;
            }
            var n = Math.Min(count, _pending.Length - _offset);
            _pending.AsSpan(_offset, n).CopyTo(buffer.AsSpan(offset));
            _offset += n;
            BytesServed += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

using System.Text;
using Ceasefire.Import.Acled;
using Ceasefire.Import.Errors;
using Ceasefire.Incidents;

namespace Ceasefire.Tests.Import;

/// <summary>Files that cannot be read as ACLED CSV, or only in part: one clear error each, never an exception.</summary>
public sealed class AcledReaderBadFileTests : IDisposable
{
    private const string BenchHeader = AcledTestFiles.BenchHeader;

    private static readonly byte[] PngStart =
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x01, 0x00];

    private readonly AcledTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static string Row(string id, string notes = "\"Shelling.\"") => AcledTestFiles.Bench(id, "2025-03-19", "Armed clash", "48.0", "37.8", notes);

    /// <summary>Reads on every path (they must agree), and also through a forward-only stream in tiny windows.</summary>
    private AcledReadResult<IReadOnlyList<Incident>> Read(byte[] bytes)
    {
        var result = AcledTestFiles.ReadPath(_files.Write(bytes));
        var tiny = AcledReader.ReadBatch(new AcledTestFiles.ForwardOnlyStream(bytes), "upload.csv", new AcledReadOptions { WindowBytes = 64, MinPieceBytes = 16 });
        Assert.Equal(result.Errors.Select(e => (e.Line, e.Field, e.Code)), tiny.Errors.Select(e => (e.Line, e.Field, e.Code)));
        Assert.Equal(result.RowsRead, tiny.RowsRead);
        Assert.Equal(result.RowsRejected + result.RowsAccepted, result.RowsRead);
        return result;
    }

    private AcledReadResult<IReadOnlyList<Incident>> Read(string text) => Read(Encoding.UTF8.GetBytes(text));

    private static ImportError SingleFileError(AcledReadResult<IReadOnlyList<Incident>> result, string code)
    {
        var error = Assert.Single(result.Errors);
        Assert.Equal(code, error.Code);
        Assert.True(AcledCodes.IsFileProblem(error.Code));
        Assert.Empty(result.Value);
        Assert.Equal(0, result.RowsRead);
        Assert.Empty(result.Rejected);
        return error;
    }

    [Theory]
    [InlineData("")]
    [InlineData("\uFEFF")]
    [InlineData("\n\n")]
    [InlineData("\r\n  \r\n\t\n")]
    public void Import_EmptyFile_IsOneEmptyError(string content)
    {
        var error = SingleFileError(Read(content), "acled.empty");

        Assert.Equal(0, error.Line);
        Assert.Contains("empty", error.Message);
    }

    [Theory]
    [InlineData(BenchHeader)]
    [InlineData(BenchHeader + "\n")]
    [InlineData(BenchHeader + "\r\n\r\n\n")]
    [InlineData("\n\n" + BenchHeader + "\n")]
    public void Import_HeaderOnly_IsOneEmptyErrorAndKeepsTheHeader(string content)
    {
        var result = Read(content);

        var error = SingleFileError(result, "acled.empty");
        Assert.Equal("The file has a header and no rows.", error.Message);
        Assert.Equal(BenchHeader, result.Header);
    }

    [Fact]
    public void Import_BlankLinesBeforeTheHeader_AreSkippedAndLinesStayRight()
    {
        var result = Read($"\n \n{BenchHeader}\n{Row("1")}\n{AcledTestFiles.Bench("2", "bad", "Armed clash", "48", "37")}\n");

        Assert.Equal(["1"], result.Value.Select(i => i.Id.Value));
        Assert.Equal(5, Assert.Single(result.Errors).Line);
    }

    [Fact]
    public void Import_FileCutInsideAQuotedField_IsOneTruncatedRowAndTheRestIsRead()
    {
        var cut = "3,2025-03-19,Explosions/Remote violence,Armed clash,Military Forces of Russia (2000-),,Kharkiv,Kharkiv,48.0,37.8,Suspilne,\"On 19 March, Russian forces st";

        var result = Read($"{BenchHeader}\n{Row("1")}\n{Row("2")}\n{cut}");

        var error = Assert.Single(result.Errors);
        Assert.Equal(("acled.truncated", "row", 4), (error.Code, error.Field, error.Line));
        Assert.Contains("cut off", error.Message);
        Assert.Equal(["1", "2"], result.Value.Select(i => i.Id.Value));
        Assert.Equal(new RejectedRow(4, cut), Assert.Single(result.Rejected));
        Assert.Equal(3, result.RowsRead);
    }

    [Fact]
    public void Import_FileCutInsideAMultiLineQuotedField_SaysHowManyLinesTheRowTook()
    {
        var result = Read($"{BenchHeader}\n{Row("1")}\n{Row("2", "\"first line\nsecond line\nthird")}");

        var error = Assert.Single(result.Errors);
        Assert.Equal(("acled.truncated", 3), (error.Code, error.Line));
        Assert.Contains("these 3 lines", error.Message);
    }

    [Fact]
    public void Import_PngImage_IsOneNotCsvError()
    {
        var bytes = new byte[5000];
        new Random(1).NextBytes(bytes);
        PngStart.CopyTo(bytes, 0);

        var error = SingleFileError(Read(bytes), "acled.not_csv");

        Assert.Contains("PNG image", error.Message);
        Assert.Equal(0, error.Line);
    }

    [Theory]
    [InlineData("{\"success\":true,\"data\":[{\"event_id_cnty\":\"UKR1\",\"event_date\":\"2025-03-19\"}]}", "JSON")]
    [InlineData("\n  [{\"event_id_cnty\":\"UKR1\",\n\"event_date\":\"2025-03-19\"}]\n", "JSON")]
    [InlineData("<!DOCTYPE html>\n<html><head><title>Sign in</title></head></html>", "HTML")]
    [InlineData("<?xml version=\"1.0\"?><events/>", "XML")]
    [InlineData("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj", "PDF")]
    [InlineData("GIF89a\u0001\u0000", "GIF")]
    [InlineData("SQLite format 3\0\u0010\0", "SQLite")]
    [InlineData("Dear colleague\nplease find the events attached.\n", "not a CSV header")]
    public void Import_DocumentThatIsNotCsv_IsOneNotCsvError(string content, string named)
    {
        var error = SingleFileError(Read(content), "acled.not_csv");

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void Import_ExcelWorkbook_IsOneNotCsvErrorThatSaysToSaveAsCsv()
    {
        byte[] bytes = [.. "PK\u0003\u0004\u0014\0\u0006\0"u8, .. new byte[300], .. "[Content_Types].xml"u8];

        var error = SingleFileError(Read(bytes), "acled.not_csv");

        Assert.Contains(".xlsx", error.Message);
        Assert.Contains("CSV", error.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Import_Utf16Text_IsOneNotCsvErrorThatNamesTheEncoding(bool bom)
    {
        var text = $"{BenchHeader}\n{Row("1")}\n";
        byte[] bytes = [.. bom ? Encoding.Unicode.GetPreamble() : [], .. Encoding.Unicode.GetBytes(text)];

        var error = SingleFileError(Read(bytes), "acled.not_csv");

        Assert.Contains("UTF-16", error.Message);
    }

    [Fact]
    public void Import_BinaryWithoutAKnownSignature_IsOneNotCsvError()
    {
        var bytes = new byte[20_000];
        new Random(7).NextBytes(bytes);
        bytes[0] = (byte)'x';
        bytes[1] = (byte)'y';

        SingleFileError(Read(bytes), "acled.not_csv");
    }

    [Fact]
    public void Import_ControlCharactersInTheFirstLine_IsOneNotCsvError()
    {
        var error = SingleFileError(Read("id,\u0001\u0002\u0003,latitude\n1,2,3\n"), "acled.not_csv");

        Assert.Contains("binary", error.Message);
    }

    [Theory]
    [InlineData(';', "';'")]
    [InlineData('\t', "tabs")]
    public void Import_SemicolonOrTabSeparatedFile_IsOneHeaderErrorThatNamesTheSeparator(char separator, string named)
    {
        var content = BenchHeader.Replace(',', separator) + "\n" + Row("1").Replace(',', separator) + "\n";

        var error = SingleFileError(Read(content), "acled.header");

        Assert.Contains(named, error.Message);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Import_CsvWithNoneOfTheAcledColumns_IsOneHeaderError()
    {
        var error = SingleFileError(Read("name,price,quantity\napple,1.20,3\n"), "acled.header");

        Assert.Contains("none of the ACLED columns", error.Message);
    }

    [Fact]
    public void Import_HeaderWithAQuoteNeverClosed_IsOneHeaderError()
    {
        var error = SingleFileError(Read("id,\"event_date,sub_event_type,latitude,longitude\n1,2025-03-19,Armed clash,48,37\n"), "acled.header");

        Assert.Contains("never closed", error.Message);
    }

    [Fact]
    public void Import_StrayQuoteInALargeFile_StopsAtTheLimitWithOneErrorAndKeepsTheRowsBefore()
    {
        var sb = new StringBuilder(BenchHeader).Append('\n').Append(Row("1")).Append('\n');
        sb.Append("2,2025-03-19,Explosions/Remote violence,Armed clash,x,,K,K,48,37,S,\"never closed,0\n");
        for (var i = 3; i < 400; i++)
        {
            sb.Append(Row(i.ToString(System.Globalization.CultureInfo.InvariantCulture))).Append('\n');
        }
        var path = _files.Write(sb.ToString());
        var options = new AcledReadOptions { WindowBytes = 1024, MinPieceBytes = 128, MaxRecordBytes = 4096 };

        var result = AcledReader.ReadIncidents(path, options);

        var error = Assert.Single(result.Errors);
        Assert.Equal(("acled.csv", "row", 3), (error.Code, error.Field, error.Line));
        Assert.Contains("never closed", error.Message);
        Assert.Equal(["1"], result.Value.Select(i => i.Id.Value));
        Assert.Equal(result.RowsRead, result.RowsAccepted + result.RowsRejected);
        AcledTestFiles.AssertSame(result, AcledReader.ReadBatch(path, options));
        AcledTestFiles.AssertStreamsTheSame(result, path, options);
    }

    [Fact]
    public void Import_FirstLineLongerThanTheLimit_IsOneNotCsvError()
    {
        var path = _files.Write(new string('a', 10_000) + "\n1\n");

        var result = AcledReader.ReadIncidents(path, new AcledReadOptions { WindowBytes = 1024, MaxRecordBytes = 4096 });

        Assert.Equal("acled.not_csv", Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void EnumerateIncidents_BadFile_ReportsTheOneErrorAndYieldsNothing()
    {
        var path = _files.Write(PngStart);
        var errors = new List<ImportError>();

        var incidents = AcledReader.EnumerateIncidents(path, null, errors.Add, _ => Assert.Fail("no rows"), CancellationToken.None).ToList();

        Assert.Empty(incidents);
        Assert.Equal("acled.not_csv", Assert.Single(errors).Code);
    }
}

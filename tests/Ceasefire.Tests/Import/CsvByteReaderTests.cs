using System.Text;
using Ceasefire.Import.Csv;

namespace Ceasefire.Tests.Import;

public class CsvByteReaderTests
{
    private static List<(int Line, string[] Fields, CsvRecordProblem Problem, string Raw)> ReadAll(string csv, int firstLine = 1) =>
        ReadAll(Encoding.UTF8.GetBytes(csv), firstLine);

    private static List<(int Line, string[] Fields, CsvRecordProblem Problem, string Raw)> ReadAll(byte[] utf8, int firstLine = 1)
    {
        var records = new List<(int, string[], CsvRecordProblem, string)>();
        var reader = new CsvByteReader(utf8, firstLine);
        while (reader.Read())
        {
            var fields = new string[reader.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = Encoding.UTF8.GetString(reader[i]);
            }
            records.Add((reader.Line, fields, reader.Problem, Encoding.UTF8.GetString(reader.RawRecord)));
        }
        return records;
    }

    [Fact]
    public void Read_PlainRecords_GivesFieldsAndLines()
    {
        var records = ReadAll("a,b,c\n1,2,3\n");

        Assert.Equal(2, records.Count);
        Assert.Equal(["a", "b", "c"], records[0].Fields);
        Assert.Equal(["1", "2", "3"], records[1].Fields);
        Assert.Equal(1, records[0].Line);
        Assert.Equal(2, records[1].Line);
    }

    [Fact]
    public void Read_QuotedFieldWithCommaDoubledQuoteAndNewline_IsUnescaped()
    {
        var records = ReadAll("id,notes,n\n7,\"Shelled, then \"\"grey zone\"\"\nsecond line\",0\n8,plain,1\n");

        Assert.Equal(["7", "Shelled, then \"grey zone\"\nsecond line", "0"], records[1].Fields);
        Assert.Equal(2, records[1].Line);
        Assert.Equal(4, records[2].Line);
        Assert.Equal(CsvRecordProblem.None, records[1].Problem);
    }

    [Fact]
    public void Read_SeveralEscapedFieldsInOneRecord_DoNotOverwriteEachOther()
    {
        var reader = new CsvByteReader("\"a\"\"1\",\"b\"\"2\",\"c\"\"3\"\n"u8);
        Assert.True(reader.Read());

        var third = reader[2].ToArray();
        var first = reader[0].ToArray();
        var second = reader[1].ToArray();

        Assert.Equal("a\"1", Encoding.UTF8.GetString(first));
        Assert.Equal("b\"2", Encoding.UTF8.GetString(second));
        Assert.Equal("c\"3", Encoding.UTF8.GetString(third));
        Assert.Equal("a\"1", Encoding.UTF8.GetString(reader[0]));
    }

    [Fact]
    public void Read_CrLf_IsATerminatorButCrInsideQuotesIsData()
    {
        var records = ReadAll("a,b\r\n1,\"x\r\ny\"\r\n2,z\r\n");

        Assert.Equal(3, records.Count);
        Assert.Equal(["a", "b"], records[0].Fields);
        Assert.Equal(["1", "x\r\ny"], records[1].Fields);
        Assert.Equal(["2", "z"], records[2].Fields);
        Assert.Equal(4, records[2].Line);
        Assert.Equal("2,z", records[2].Raw);
    }

    [Fact]
    public void Read_ByteOrderMark_IsSkipped()
    {
        var records = ReadAll([.. "\uFEFF"u8.ToArray(), .. "event_id_cnty,x\n"u8.ToArray()]);

        Assert.Equal("event_id_cnty", records[0].Fields[0]);
    }

    [Fact]
    public void Read_EmptyLines_AreSkippedButCounted()
    {
        var records = ReadAll("a\n\n\r\nb\n\n");

        Assert.Equal(2, records.Count);
        Assert.Equal(4, records[1].Line);
    }

    [Fact]
    public void Read_LastRecordWithoutLineBreak_IsRead()
    {
        var records = ReadAll("a,b\n1,\"2\"");

        Assert.Equal(["1", "2"], records[1].Fields);
    }

    [Fact]
    public void Read_LoneCarriageReturnAtTheEnd_IsNotARecord()
    {
        var records = ReadAll("a,b\n1,2\n\r");

        Assert.Equal(2, records.Count);
        Assert.Equal(["1", "2"], records[1].Fields);
    }

    [Fact]
    public void Read_EmptyFields_AreKept()
    {
        var records = ReadAll(",a,,\n\"\",b\n");

        Assert.Equal(["", "a", "", ""], records[0].Fields);
        Assert.Equal(["", "b"], records[1].Fields);
    }

    [Fact]
    public void Read_FirstLineNumber_OffsetsLines()
    {
        var records = ReadAll("x\ny\n", firstLine: 41);

        Assert.Equal(41, records[0].Line);
        Assert.Equal(42, records[1].Line);
    }

    [Fact]
    public void Read_TextAfterClosingQuote_IsFlaggedAndTheNextRecordIsIntact()
    {
        var records = ReadAll("1,\"ab\"c,2\n3,d,4\n");

        Assert.Equal(CsvRecordProblem.TextAfterClosingQuote, records[0].Problem);
        Assert.Equal("1,\"ab\"c,2", records[0].Raw);
        Assert.Equal(["3", "d", "4"], records[1].Fields);
        Assert.Equal(2, records[1].Line);
    }

    [Fact]
    public void Read_LoneQuoteInUnquotedField_OpensAQuotedSectionByParity()
    {
        // Reading by quote parity (as SplitRecords cuts) means the stray quote swallows the rest of the input.
        var records = ReadAll("1,ab\"c,2\n3,d,4\n");

        Assert.Single(records);
        Assert.Equal(CsvRecordProblem.QuoteInUnquotedField, records[0].Problem);
    }

    [Fact]
    public void Read_StrayQuotesThatPairUp_CostOnlyTheirRecord()
    {
        var records = ReadAll("1,a\"b,c\"d\n2,e\n");

        Assert.Equal(CsvRecordProblem.QuoteInUnquotedField, records[0].Problem);
        Assert.Equal("1,a\"b,c\"d", records[0].Raw);
        Assert.Equal(["2", "e"], records[1].Fields);
        Assert.Equal(CsvRecordProblem.None, records[1].Problem);
    }

    [Fact]
    public void Read_UnterminatedQuote_RunsToTheEnd()
    {
        var records = ReadAll("1,ok\n2,\"never closed\n3,x\n");

        Assert.Equal(2, records.Count);
        Assert.Equal(CsvRecordProblem.UnterminatedQuote, records[1].Problem);
        Assert.Equal(2, records[1].Line);
    }

    [Fact]
    public void SplitRecords_PiecesReadApart_EqualOneSequentialRead()
    {
        var text = Generated(rows: 400, seed: 3);
        var bytes = Encoding.UTF8.GetBytes(text);
        var expected = ReadAll(bytes);

        foreach (var parts in new[] { 1, 2, 3, 7, 16, 64, 1000 })
        {
            var cuts = CsvByteReader.SplitRecords(bytes, parts, isComplete: true);
            Assert.Equal(bytes.Length, cuts[^1]);
            var actual = new List<(int Line, string[] Fields, CsvRecordProblem Problem, string Raw)>();
            var line = 1;
            for (var i = 0; i + 1 < cuts.Length; i++)
            {
                var piece = bytes[cuts[i]..cuts[i + 1]];
                actual.AddRange(ReadAll(piece, line));
                line += piece.Count(b => b == (byte)'\n');
            }
            Assert.Equal(expected.Count, actual.Count);
            for (var r = 0; r < expected.Count; r++)
            {
                Assert.Equal(expected[r].Line, actual[r].Line);
                Assert.Equal(expected[r].Fields, actual[r].Fields);
            }
        }
    }

    [Fact]
    public void SplitRecords_CandidateCutInsideQuotedNewlines_MovesToARecordStart()
    {
        // The middle of this input is inside a quoted field full of line feeds.
        var bytes = Encoding.UTF8.GetBytes("1,\"" + string.Concat(Enumerable.Repeat("x\n", 50)) + "\"\n2,y\n");

        var cuts = CsvByteReader.SplitRecords(bytes, 2, isComplete: true);

        Assert.Equal([0, bytes.Length - 4, bytes.Length], cuts);
    }

    [Fact]
    public void SplitRecords_IncompleteInput_StopsAfterTheLastCompleteRecord()
    {
        var bytes = "a,b\n1,\"partial\nstill"u8.ToArray();

        var cuts = CsvByteReader.SplitRecords(bytes, 4, isComplete: false);

        Assert.Equal(4, cuts[^1]);
        Assert.Equal([0], CsvByteReader.SplitRecords("1,\"open\n"u8, 2, isComplete: false));
    }

    /// <summary>CSV with quoted fields holding commas, doubled quotes, LF and CRLF; records end in LF or CRLF.</summary>
    internal static string Generated(int rows, int seed)
    {
        var random = new Random(seed);
        var sb = new StringBuilder("id,notes,value\n");
        for (var i = 0; i < rows; i++)
        {
            var notes = random.Next(4) switch
            {
                0 => "plain",
                1 => "\"with, comma\"",
                2 => "\"say \"\"hi\"\"\nnext line\"",
                _ => "\"crlf\r\ninside, and \"\"quotes\"\"\"",
            };
            sb.Append(i).Append(',').Append(notes).Append(',').Append(random.Next(100)).Append(random.Next(3) == 0 ? "\r\n" : "\n");
        }
        return sb.ToString();
    }
}

using System.Text;
using Ceasefire.Import.Acled;
using Ceasefire.Import.Text;

namespace Ceasefire.Tests.Import;

public sealed class InputEncodingTests
{
    private const string AcledHeader = "id,event_date,event_type,sub_event_type,actor1,actor2,admin1,location,latitude,longitude,source,notes,fatalities";

    static InputEncodingTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static Encoding Cp1251 => Encoding.GetEncoding(1251);

    private static List<DecodedLine> Lines(InputEncoding encoding, byte[] bytes, int maxLineBytes = InputEncoding.DefaultMaxLineBytes) =>
        [.. encoding.ReadLines(new MemoryStream(bytes), "in.csv", maxLineBytes)];

    [Theory]
    [InlineData(null, "utf-8")]
    [InlineData("", "utf-8")]
    [InlineData("UTF-8", "utf-8")]
    [InlineData("utf8", "utf-8")]
    [InlineData("utf-16", "utf-16")]
    [InlineData("UTF-16LE", "utf-16")]
    [InlineData("windows-1251", "windows-1251")]
    [InlineData("cp1251", "windows-1251")]
    [InlineData("CP1252", "windows-1252")]
    [InlineData(" windows-1252 ", "windows-1252")]
    public void TryGet_NameOrAlias_GivesCanonicalEncoding(string? name, string expected)
    {
        Assert.True(InputEncoding.TryGet(name, out var encoding));
        Assert.Equal(expected, encoding.Name);
    }

    [Fact]
    public void TryGet_UnknownName_IsFalseAndTheMessageListsTheNames()
    {
        Assert.False(InputEncoding.TryGet("koi8-r", out _));
        var message = InputEncoding.UnknownNameMessage("koi8-r");
        Assert.Contains("'koi8-r'", message);
        Assert.Contains("windows-1251", message);
        Assert.Throws<ArgumentException>(() => InputEncoding.Get("latin-9"));
    }

    [Fact]
    public void Detect_ByteOrderMarks_WinOverTheEncodingAskedFor()
    {
        var utf8 = InputEncoding.Windows1251.Detect([0xEF, 0xBB, 0xBF, (byte)'i']);
        Assert.Equal("utf-8", utf8.Name);
        Assert.Equal(3, utf8.PreambleLength);
        var le = InputEncoding.Utf8.Detect([0xFF, 0xFE, (byte)'i', 0]);
        Assert.Equal("utf-16le", le.Name);
        Assert.Equal(2, le.PreambleLength);
        var be = InputEncoding.Utf16.Detect([0xFE, 0xFF, 0, (byte)'i']);
        Assert.Equal("utf-16be", be.Name);
        Assert.True(be.IsBigEndian);
    }

    [Fact]
    public void Detect_Utf16WithoutByteOrderMark_IsRecognisedByItsZeroBytes()
    {
        Assert.Equal("utf-16le", InputEncoding.Utf8.Detect([(byte)'i', 0, (byte)'d', 0]).Name);
        Assert.Equal("utf-16be", InputEncoding.Utf16.Detect([0, (byte)'i', 0, (byte)'d']).Name);
        Assert.Equal("utf-16le", InputEncoding.Utf16.Detect("id,x"u8).Name);
        Assert.Equal("utf-8", InputEncoding.Utf8.Detect("id,x"u8).Name);
        Assert.Equal("windows-1251", InputEncoding.Windows1251.Detect("id,x"u8).Name);
        Assert.Equal(0, InputEncoding.Utf8.Detect("id,x"u8).PreambleLength);
    }

    [Fact]
    public void ReadLines_Utf8_SplitsOnLineFeedsStripsCarriageReturnsAndGivesByteOffsets()
    {
        var lines = Lines(InputEncoding.Utf8, [0xEF, 0xBB, 0xBF, .. "a,b\r\nпідстанція\n\nlast"u8]);
        Assert.Equal(["a,b", "підстанція", "", "last"], lines.Select(l => l.Text));
        Assert.Equal([1, 2, 3, 4], lines.Select(l => l.Number));
        Assert.Equal([3L, 8, 29, 30], lines.Select(l => l.ByteOffset));
        Assert.All(lines, l => Assert.Null(l.Error));
    }

    [Fact]
    public void ReadLines_BytesNotValidUtf8_GiveOneErrorNamingLineColumnAndOffset_AndTheNextLinesAreRead()
    {
        var bytes = new List<byte>();
        bytes.AddRange("id,notes\n1,ok\n2,"u8.ToArray());
        bytes.AddRange(Cp1251.GetBytes("Удар по подстанции"));
        bytes.AddRange("\n3,fine\n"u8.ToArray());

        var lines = Lines(InputEncoding.Utf8, [.. bytes]);

        Assert.Equal(4, lines.Count);
        var bad = lines[2];
        var error = Assert.IsType<Ceasefire.Import.Errors.ImportError>(bad.Error);
        Assert.Equal(EncodingCodes.Invalid, error.Code);
        Assert.Equal("in.csv", error.File);
        Assert.Equal(3, error.Line);
        Assert.Equal(3, error.Column);
        Assert.Contains("line 3", error.Message);
        Assert.Contains("not valid UTF-8", error.Message);
        Assert.Contains("'0xD3'", error.Message);
        Assert.Contains("byte offset 16", error.Message);
        Assert.Contains("try --encoding windows-1251", error.Message);
        Assert.StartsWith("2,", bad.Text);
        Assert.Contains('\uFFFD', bad.Text);
        Assert.Equal("3,fine", lines[3].Text);
        Assert.Null(lines[3].Error);
    }

    [Fact]
    public void ReadLines_WesternBytesNotValidUtf8_SuggestWindows1252()
    {
        var lines = Lines(InputEncoding.Utf8, [.. "x\nCaf"u8, 0xE9, .. " de la Gare\n"u8]);
        Assert.Contains("try --encoding windows-1252", lines[1].Error!.Message);
        Assert.Equal(4, lines[1].Error!.Column);
    }

    [Fact]
    public void ReadLines_Windows1251_DecodesCyrillic()
    {
        var lines = Lines(InputEncoding.Windows1251, Cp1251.GetBytes("notes\nУдар по подстанции, Харків\n"));
        Assert.Equal(["notes", "Удар по подстанции, Харків"], lines.Select(l => l.Text));
        Assert.All(lines, l => Assert.Null(l.Error));
    }

    [Fact]
    public void ReadLines_Windows1252_DecodesWesternLetters()
    {
        var lines = Lines(InputEncoding.Get("cp1252"), Encoding.GetEncoding(1252).GetBytes("Café – Zürich\r\n"));
        Assert.Equal("Café – Zürich", Assert.Single(lines).Text);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadLines_Utf16WithByteOrderMark_DecodesBothByteOrders(bool bigEndian)
    {
        var encoding = new UnicodeEncoding(bigEndian, byteOrderMark: true);
        var bytes = encoding.GetPreamble().Concat(encoding.GetBytes("id,notes\r\n1,Удар по підстанції\n2,\u0a0a\n")).ToArray();

        var lines = Lines(InputEncoding.Utf8, bytes);

        Assert.Equal(["id,notes", "1,Удар по підстанції", "2,\u0a0a"], lines.Select(l => l.Text));
        Assert.Equal(2, lines[0].ByteOffset);
        Assert.All(lines, l => Assert.Null(l.Error));
    }

    [Fact]
    public void ReadLines_Utf16WithLoneSurrogate_IsAnErrorWithItsOffset()
    {
        var bytes = new byte[] { 0xFF, 0xFE, (byte)'a', 0, (byte)'\n', 0, (byte)'b', 0, 0x00, 0xD8, (byte)'c', 0, (byte)'\n', 0 };
        var lines = Lines(InputEncoding.Utf16, bytes);
        var error = lines[1].Error!;
        Assert.Equal(2, error.Line);
        Assert.Contains("not valid UTF-16LE", error.Message);
        Assert.Contains("byte offset 8", error.Message);
        Assert.Contains("'0x00 0xD8'", error.Message);
        Assert.Contains("try --encoding utf-8", error.Message);
    }

    [Fact]
    public void ReadLines_LineLongerThanTheLimit_EndsTheReadWithAnError()
    {
        var lines = Lines(InputEncoding.Utf8, [.. "ok\n"u8, .. Enumerable.Repeat((byte)'x', 100), .. "\nnext\n"u8], maxLineBytes: 64);
        Assert.Equal(2, lines.Count);
        Assert.Equal(EncodingCodes.LineTooLong, lines[1].Error!.Code);
        Assert.Equal(2, lines[1].Error!.Line);
    }

    [Fact]
    public void ReadLines_LongLinesAcrossBufferRefills_AreWhole()
    {
        var text = string.Join("\n", Enumerable.Range(0, 300).Select(i => new string((char)('а' + i % 32), 1000 + i)));
        var lines = Lines(InputEncoding.Utf8, Encoding.UTF8.GetBytes(text));
        Assert.Equal(300, lines.Count);
        Assert.Equal(1299, lines[^1].Text.Length);
        Assert.All(lines, l => Assert.Null(l.Error));
    }

    [Fact]
    public void TranscodeToUtf8Stream_Windows1251AcledFile_IsReadByTheAcledReader()
    {
        var csv = AcledHeader + "\n" +
                  "UKR1,2025-03-28,Explosions/Remote violence,Shelling/artillery/missile attack,Military Forces of Russia (2000-),,Kharkiv,Харків,49.99,36.23,Суспільне,\"Ракетний удар по підстанції\",0\n";
        using var utf8 = InputEncoding.Windows1251.TranscodeToUtf8Stream(new MemoryStream(Cp1251.GetBytes(csv)), "acled-1251.csv");

        var result = utf8.AddErrorsTo(AcledReader.ReadIncidents(utf8, "acled-1251.csv"));

        Assert.Empty(result.Errors);
        var incident = Assert.Single(result.Value);
        Assert.Equal("Ракетний удар по підстанції", incident.Notes);
        Assert.Equal("Харків", incident.Location.PlaceName);
        Assert.Equal("energy.transmission", incident.Target.Category.Code);
        Assert.Equal("windows-1251", utf8.Detected!.Name);
    }

    [Fact]
    public void TranscodeToUtf8Stream_Utf16File_IsReadByTheAcledReader()
    {
        var csv = AcledHeader + "\r\n" +
                  "UKR1,2025-03-28,Explosions/Remote violence,Air/drone strike,Military Forces of Russia (2000-),,Kyiv,Київ,50.45,30.52,Укрінформ,Дрони,0\r\n";
        var encoding = new UnicodeEncoding(bigEndian: true, byteOrderMark: true);
        using var utf8 = InputEncoding.Utf8.TranscodeToUtf8Stream(new MemoryStream([.. encoding.GetPreamble(), .. encoding.GetBytes(csv)]), "acled-16.csv");

        var result = utf8.AddErrorsTo(AcledReader.ReadIncidents(utf8, "acled-16.csv"));

        Assert.Empty(result.Errors);
        Assert.Equal("Київ", Assert.Single(result.Value).Location.PlaceName);
    }

    [Fact]
    public void TranscodeToUtf8Stream_BadBytes_EndTheStreamBeforeThatLineWithOneError()
    {
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.UTF8.GetBytes(AcledHeader + "\n" +
            "UKR1,2025-03-28,Explosions/Remote violence,Air/drone strike,Military Forces of Russia (2000-),,Kyiv,Kyiv,50.45,30.52,S,ok,0\n"));
        const string beforeBadBytes = "UKR2,2025-03-28,Explosions/Remote violence,Air/drone strike,,,Kyiv,";
        var badBytesOffset = bytes.Count + beforeBadBytes.Length;
        bytes.AddRange(Encoding.UTF8.GetBytes(beforeBadBytes));
        bytes.AddRange(Cp1251.GetBytes("Київ"));
        bytes.AddRange(Encoding.UTF8.GetBytes(",50.45,30.52,S,ok,0\n"));
        using var utf8 = InputEncoding.Utf8.TranscodeToUtf8Stream(new MemoryStream([.. bytes]), "mixed.csv");

        var result = utf8.AddErrorsTo(AcledReader.ReadIncidents(utf8, "mixed.csv"));

        Assert.Equal("UKR1", Assert.Single(result.Value).Id.Value);
        var error = Assert.Single(result.Errors);
        Assert.Equal(EncodingCodes.Invalid, error.Code);
        Assert.Equal(3, error.Line);
        Assert.Contains("Bytes at line 3 are not valid UTF-8", error.Message);
        Assert.Contains($"byte offset {badBytesOffset}", error.Message);
        Assert.Equal(beforeBadBytes.Length + 1, error.Column);
        Assert.Contains("Reading stopped before this line", error.Message);
    }

    [Fact]
    public void TranscodeToUtf8Stream_ReadOneByteAtATime_GivesTheSameText()
    {
        var text = "a,b\r\nпідстанція,ё\nlast";
        using var utf8 = InputEncoding.Windows1251.TranscodeToUtf8Stream(new MemoryStream(Cp1251.GetBytes(text)), "x");
        var output = new List<byte>();
        var one = new byte[1];
        while (utf8.Read(one, 0, 1) == 1)
        {
            output.Add(one[0]);
        }
        Assert.Equal(text, Encoding.UTF8.GetString([.. output]));
        Assert.Empty(utf8.Errors);
    }

    [Fact]
    public void TranscodeToUtf8Stream_Utf8WithByteOrderMark_PassesTheTextThroughWithoutTheMark()
    {
        using var utf8 = InputEncoding.Utf8.TranscodeToUtf8Stream(new MemoryStream([0xEF, 0xBB, 0xBF, .. "x,у\n"u8]), "x", leaveOpen: false);
        using var reader = new StreamReader(utf8);
        Assert.Equal("x,у\n", reader.ReadToEnd());
        Assert.Equal("utf-8 (byte-order mark)", utf8.Detected!.ToString());
    }
}

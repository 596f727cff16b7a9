namespace Ceasefire.Import.Acled;

/// <summary>What a file that is not CSV text turned out to be.</summary>
internal enum NotCsvKind : byte
{
    None,
    Utf16,
    Png,
    Jpeg,
    Gif,
    Pdf,
    Zip,
    OfficeLegacy,
    Gzip,
    Sqlite,
    Json,
    Markup,
    Binary,
}

/// <summary>
/// Recognises, from its first bytes, a file that is not CSV text, so that it gives one clear error instead of a header
/// of nonsense columns (or a buffer grown to the size of a file with no line break in it).
/// </summary>
internal static class AcledFileCheck
{
    /// <summary>How much of the start of a file is looked at.</summary>
    private const int SniffBytes = 4096;

    /// <summary>
    /// <see cref="NotCsvKind.None"/> when <paramref name="start"/> (the first bytes of the file, after a UTF-8
    /// byte-order mark) may begin CSV text; otherwise what it is: UTF-16 text (by its byte-order mark, or ASCII with
    /// every other byte zero), a known binary format (by its magic number), a JSON, HTML or XML document (by its first
    /// character: <c>{</c>, <c>[</c>, <c>&lt;</c>; no CSV header starts so), or other binary data (a zero byte in the
    /// first 4 KB, or a control character other than tab, CR, LF and form feed in the first line).
    /// </summary>
    public static NotCsvKind Check(ReadOnlySpan<byte> start)
    {
        if (start.Length > SniffBytes)
        {
            start = start[..SniffBytes];
        }
        if (Starts(start, 0xFF, 0xFE) || Starts(start, 0xFE, 0xFF) ||
            (start.Length >= 2 && (start[0] == 0) != (start[1] == 0)))
        {
            return NotCsvKind.Utf16;
        }
        if (Starts(start, 0x89, (byte)'P', (byte)'N', (byte)'G'))
        {
            return NotCsvKind.Png;
        }
        if (Starts(start, 0xFF, 0xD8, 0xFF))
        {
            return NotCsvKind.Jpeg;
        }
        if (start.StartsWith("GIF8"u8))
        {
            return NotCsvKind.Gif;
        }
        if (start.StartsWith("%PDF"u8))
        {
            return NotCsvKind.Pdf;
        }
        if (start.StartsWith("PK\u0003\u0004"u8) || start.StartsWith("PK\u0005\u0006"u8))
        {
            return NotCsvKind.Zip;
        }
        if (Starts(start, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1))
        {
            return NotCsvKind.OfficeLegacy;
        }
        if (Starts(start, 0x1F, 0x8B))
        {
            return NotCsvKind.Gzip;
        }
        if (start.StartsWith("SQLite format 3\0"u8))
        {
            return NotCsvKind.Sqlite;
        }
        var text = start.TrimStart(" \t\r\n"u8);
        if (!text.IsEmpty && text[0] is (byte)'{' or (byte)'[')
        {
            return NotCsvKind.Json;
        }
        if (!text.IsEmpty && text[0] == '<')
        {
            return NotCsvKind.Markup;
        }
        if (start.Contains((byte)0))
        {
            return NotCsvKind.Binary;
        }
        var firstLine = text.IndexOf((byte)'\n') is var n and >= 0 ? text[..n] : text;
        foreach (var b in firstLine)
        {
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\r' or (byte)'\f'))
            {
                return NotCsvKind.Binary;
            }
        }
        return NotCsvKind.None;
    }

    private static bool Starts(ReadOnlySpan<byte> s, params ReadOnlySpan<byte> magic) => s.StartsWith(magic);
}

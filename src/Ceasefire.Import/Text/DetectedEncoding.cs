using System.Text;

namespace Ceasefire.Import.Text;

/// <summary>How a file is decoded: the encoding found (by byte-order mark or as asked for) and its byte-order mark's length.</summary>
public sealed class DetectedEncoding
{
    private DetectedEncoding(string name, Encoding encoding, Encoding lenient, int preambleLength, bool isUtf16, bool isBigEndian)
    {
        Name = name;
        Encoding = encoding;
        Lenient = lenient;
        PreambleLength = preambleLength;
        IsUtf16 = isUtf16;
        IsBigEndian = isBigEndian;
    }

    /// <summary><c>utf-8</c>, <c>utf-16le</c>, <c>utf-16be</c>, <c>windows-1251</c> or <c>windows-1252</c>.</summary>
    public string Name { get; }

    /// <summary>The strict decoder (throws <see cref="DecoderFallbackException"/> on bytes that are not valid).</summary>
    public Encoding Encoding { get; }

    /// <summary>Length of the byte-order mark at the start of the file (0 when there is none).</summary>
    public int PreambleLength { get; }

    /// <summary>True for UTF-16 (either byte order).</summary>
    public bool IsUtf16 { get; }

    /// <summary>True for UTF-16BE.</summary>
    public bool IsBigEndian { get; }

    /// <summary>The same encoding with U+FFFD for bad bytes, to keep a rejected line as text.</summary>
    internal Encoding Lenient { get; }

    /// <summary>The name as people write it (UTF-8, UTF-16LE, Windows-1251), for messages.</summary>
    internal string DisplayName => Name.StartsWith("utf", StringComparison.Ordinal) ? Name.ToUpperInvariant() : "W" + Name[1..];

    internal static DetectedEncoding Utf8(int preamble) =>
        new("utf-8", new UTF8Encoding(false, throwOnInvalidBytes: true), new UTF8Encoding(false, false), preamble, false, false);

    internal static DetectedEncoding Utf16(bool bigEndian, int preamble) =>
        new(bigEndian ? "utf-16be" : "utf-16le", new UnicodeEncoding(bigEndian, false, throwOnInvalidBytes: true),
            new UnicodeEncoding(bigEndian, false, false), preamble, true, bigEndian);

    internal static DetectedEncoding CodePage(string name, int codePage) =>
        new(name, Encoding.GetEncoding(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback),
            Encoding.GetEncoding(codePage), 0, false, false);

    /// <inheritdoc />
    public override string ToString() => PreambleLength > 0 ? $"{Name} (byte-order mark)" : Name;
}

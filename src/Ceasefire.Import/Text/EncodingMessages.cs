using System.Globalization;
using System.Text;

namespace Ceasefire.Import.Text;

/// <summary>The messages of decoding problems, in one place.</summary>
internal static class EncodingMessages
{
    public const string Stopped = "Reading stopped before this line; choose the file's encoding and read it again.";

    public static string UnknownName(string name) =>
        $"'{name}' is not a supported encoding: use utf-8 (the default), utf-16, windows-1251 (cp1251) or windows-1252 (cp1252).";

    public static string Invalid(int line, string encoding, ReadOnlySpan<byte> bytes, long offset, string suggestion)
    {
        var shown = new StringBuilder();
        foreach (var b in bytes[..Math.Min(bytes.Length, 8)])
        {
            shown.Append(shown.Length == 0 ? "" : " ").Append(CultureInfo.InvariantCulture, $"0x{b:X2}");
        }
        return $"Bytes at line {line} are not valid {encoding} ('{shown}' at byte offset {offset}); try --encoding {suggestion}.";
    }

    public static string LineTooLong(int line, long offset, int max) =>
        $"Line {line} (from byte offset {offset}) is longer than {max / (1 << 20)} MiB without a line break: this is not a text file of records.";
}

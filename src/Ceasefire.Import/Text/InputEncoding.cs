using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Ceasefire.Import.Acled;
using Ceasefire.Import.Errors;

namespace Ceasefire.Import.Text;

/// <summary>
/// The character encoding of an input file, as named by <c>--encoding</c>: <c>utf-8</c> (the default; a byte-order
/// mark is optional), <c>utf-16</c> (little- or big-endian, by its byte-order mark), <c>windows-1251</c> (alias
/// <c>cp1251</c>, Cyrillic) or <c>windows-1252</c> (alias <c>cp1252</c>, Western European). Decoding is strict: bytes
/// that are not valid in the encoding are never replaced silently; they become one <see cref="ImportError"/> (code
/// <c>encoding.invalid</c>) naming the file, the line, the column and the byte offset, with a hint at the encoding the
/// bytes probably are in. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// <para><b>Detection.</b> A byte-order mark always wins, whatever encoding was asked for, because it is unambiguous
/// (<c>EF BB BF</c> UTF-8, <c>FF FE</c> UTF-16LE, <c>FE FF</c> UTF-16BE). Without one, a file asked for as UTF-8 or
/// UTF-16 whose first two bytes hold exactly one zero byte is UTF-16 (little-endian when the zero is second; ASCII text
/// in UTF-16 looks like that, and UTF-8 text never starts with a zero byte); a UTF-16 file without either sign is read as
/// little-endian, the Windows default. Otherwise the encoding asked for is used. <see cref="Detect"/> shows the choice.</para>
/// <para><b>Strictness.</b> UTF-8 is decoded with <c>new UTF8Encoding(false, throwOnInvalidBytes: true)</c> and UTF-16
/// with a throwing <see cref="UnicodeEncoding"/>, so malformed sequences, overlong forms, lone surrogates and a
/// dangling odd byte are errors. The two Windows code pages come from <see cref="CodePagesEncodingProvider"/> with
/// exception fallbacks; .NET maps every one of their 256 bytes to a character, so they never fail, and choosing the
/// wrong one shows as wrong letters, not as an error.</para>
/// </remarks>
public sealed class InputEncoding
{
    /// <summary>Lines longer than this (in bytes) end the read with an error: such a file is not line-oriented text.</summary>
    public const int DefaultMaxLineBytes = 16 << 20;

    static InputEncoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private InputEncoding(string name, int codePage)
    {
        Name = name;
        _codePage = codePage;
    }

    private readonly int _codePage;

    /// <summary>UTF-8, the default; a byte-order mark is optional.</summary>
    public static InputEncoding Utf8 { get; } = new("utf-8", 65001);

    /// <summary>UTF-16, little- or big-endian by its byte-order mark (little-endian without one).</summary>
    public static InputEncoding Utf16 { get; } = new("utf-16", 1200);

    /// <summary>Windows-1251 (Cyrillic), alias <c>cp1251</c>.</summary>
    public static InputEncoding Windows1251 { get; } = new("windows-1251", 1251);

    /// <summary>Windows-1252 (Western European), alias <c>cp1252</c>.</summary>
    public static InputEncoding Windows1252 { get; } = new("windows-1252", 1252);

    /// <summary>The names <see cref="TryGet"/> accepts (canonical names first, then aliases), for help texts.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["utf-8", "utf-16", "windows-1251", "windows-1252", "utf8", "utf16", "utf-16le", "utf-16be", "cp1251", "cp1252"];

    /// <summary>The canonical name: <c>utf-8</c>, <c>utf-16</c>, <c>windows-1251</c> or <c>windows-1252</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// The encoding named <paramref name="name"/> (case-insensitive, see <see cref="Names"/>); null or empty gives
    /// <see cref="Utf8"/>. False for any other name (<see cref="UnknownNameMessage"/> says what to use).
    /// </summary>
    public static bool TryGet(string? name, [NotNullWhen(true)] out InputEncoding? encoding)
    {
        encoding = name?.Trim().ToLowerInvariant() switch
        {
            null or "" or "utf-8" or "utf8" => Utf8,
            "utf-16" or "utf16" or "utf-16le" or "utf-16be" or "unicode" => Utf16,
            "windows-1251" or "cp1251" or "1251" => Windows1251,
            "windows-1252" or "cp1252" or "1252" => Windows1252,
            _ => null,
        };
        return encoding is not null;
    }

    /// <summary>The encoding named <paramref name="name"/>; throws <see cref="ArgumentException"/> for an unknown name.</summary>
    public static InputEncoding Get(string? name) =>
        TryGet(name, out var encoding) ? encoding : throw new ArgumentException(UnknownNameMessage(name ?? ""), nameof(name));

    /// <summary>The message for an <c>--encoding</c> value that <see cref="TryGet"/> rejects.</summary>
    public static string UnknownNameMessage(string name) => EncodingMessages.UnknownName(name);

    /// <summary>
    /// How a file that starts with <paramref name="head"/> (its first bytes; four are enough) is decoded when this
    /// encoding is asked for: the byte-order mark, if any, decides; see the remarks of <see cref="InputEncoding"/>.
    /// </summary>
    public DetectedEncoding Detect(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return DetectedEncoding.Utf8(3);
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return DetectedEncoding.Utf16(bigEndian: false, 2);
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return DetectedEncoding.Utf16(bigEndian: true, 2);
        }
        if (_codePage is 65001 or 1200 && head.Length >= 2 && (head[0] == 0) != (head[1] == 0))
        {
            return DetectedEncoding.Utf16(bigEndian: head[0] == 0, 0);
        }
        return _codePage switch
        {
            65001 => DetectedEncoding.Utf8(0),
            1200 => DetectedEncoding.Utf16(bigEndian: false, 0),
            _ => DetectedEncoding.CodePage(Name, _codePage),
        };
    }

    /// <summary>
    /// Reads <paramref name="stream"/> line by line (LF or CRLF; the line break is not part of the text), decoding
    /// each line strictly, without loading the file: memory stays bounded by the longest line. A line with bytes that
    /// are not valid comes with <see cref="DecodedLine.Error"/> set and its text decoded with U+FFFD for the bad
    /// bytes (to keep as the rejected record); the lines after it are still read. A line longer than
    /// <paramref name="maxLineBytes"/> comes with an error and ends the read. Never throws for bad input.
    /// </summary>
    /// <param name="stream">The bytes; read to its end (or to the line that is too long), not closed.</param>
    /// <param name="fileName">The name errors give as the file.</param>
    /// <param name="maxLineBytes">The longest line accepted, in bytes.</param>
    /// <param name="cancellationToken">Stops the read between lines (<see cref="OperationCanceledException"/>).</param>
    public IEnumerable<DecodedLine> ReadLines(Stream stream, string fileName, int maxLineBytes = DefaultMaxLineBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 16);
        return ReadLinesIterator(stream, fileName, maxLineBytes, cancellationToken);
    }

    private IEnumerable<DecodedLine> ReadLinesIterator(Stream stream, string fileName, int maxLineBytes, CancellationToken cancellationToken)
    {
        var splitter = new LineSplitter(stream, this, maxLineBytes);
        var number = 0;
        while (splitter.Next(out var line, out var offset, out var tooLong))
        {
            number++;
            if ((number & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            if (tooLong)
            {
                yield return new DecodedLine(number, offset, "", new ImportError(fileName, number, 0, "", EncodingCodes.LineTooLong,
                    EncodingMessages.LineTooLong(number, offset, maxLineBytes)));
                yield break;
            }
            var detected = splitter.Detected!;
            yield return Decode(detected, line, number, offset, fileName);
        }
    }

    private static DecodedLine Decode(DetectedEncoding detected, ReadOnlySpan<byte> bytes, int number, long offset, string fileName)
    {
        try
        {
            var text = detected.Encoding.GetString(bytes);
            return new DecodedLine(number, offset, TrimCarriageReturn(text), null);
        }
        catch (DecoderFallbackException)
        {
            var text = TrimCarriageReturn(detected.Lenient.GetString(bytes));
            return new DecodedLine(number, offset, text, Invalid(detected, bytes, number, offset, fileName));
        }
    }

    private static string TrimCarriageReturn(string text) => text.EndsWith('\r') ? text[..^1] : text;

    /// <summary>The error for the bad bytes of one line: where they are, what they are and which encoding to try.</summary>
    internal static ImportError Invalid(DetectedEncoding detected, ReadOnlySpan<byte> line, int number, long lineOffset, string fileName)
    {
        var (index, length) = FirstInvalid(detected, line);
        var column = detected.Lenient.GetCharCount(line[..index]) + 1;
        return new ImportError(fileName, number, column, "", EncodingCodes.Invalid,
            EncodingMessages.Invalid(number, detected.DisplayName, line.Slice(index, length), lineOffset + index, Suggest(detected, line)));
    }

    /// <summary>Where the first sequence that is not valid starts in <paramref name="line"/>, and its length in bytes.</summary>
    private static (int Index, int Length) FirstInvalid(DetectedEncoding detected, ReadOnlySpan<byte> line)
    {
        if (!detected.IsUtf16)
        {
            // Only UTF-8 can fail here (.NET maps every byte of the Windows code pages).
            var start = 0;
            Span<char> scratch = stackalloc char[512];
            while (start < line.Length)
            {
                var status = System.Text.Unicode.Utf8.ToUtf16(line[start..], scratch, out var read, out _, replaceInvalidSequences: false);
                start += read;
                if (status == OperationStatus.InvalidData || status == OperationStatus.NeedMoreData)
                {
                    var length = 1;
                    while (start + length < line.Length && length < 4 && (line[start + length] & 0xC0) == 0x80)
                    {
                        length++;
                    }
                    return (start, length);
                }
                if (status == OperationStatus.Done)
                {
                    break;
                }
            }
            return (Math.Max(0, line.Length - 1), Math.Min(1, line.Length));
        }
        var units = line.Length / 2;
        for (var i = 0; i < units; i++)
        {
            var u = detected.IsBigEndian ? (line[2 * i] << 8) | line[2 * i + 1] : line[2 * i] | (line[2 * i + 1] << 8);
            if (u is >= 0xD800 and <= 0xDBFF)
            {
                var next = i + 1 < units
                    ? (detected.IsBigEndian ? (line[2 * i + 2] << 8) | line[2 * i + 3] : line[2 * i + 2] | (line[2 * i + 3] << 8))
                    : -1;
                if (next is >= 0xDC00 and <= 0xDFFF)
                {
                    i++;
                    continue;
                }
                return (2 * i, 2);
            }
            if (u is >= 0xDC00 and <= 0xDFFF)
            {
                return (2 * i, 2);
            }
        }
        return (units * 2, line.Length - units * 2);
    }

    /// <summary>
    /// The encoding the bytes of a line that is not valid probably are in. Cyrillic text in Windows-1251 has runs of
    /// bytes 0xC0-0xFF (letters); Western text in Windows-1252 has them one at a time between ASCII letters (é, ü).
    /// </summary>
    private static string Suggest(DetectedEncoding detected, ReadOnlySpan<byte> line)
    {
        if (detected.IsUtf16)
        {
            return "utf-8";
        }
        var run = 0;
        foreach (var b in line)
        {
            run = b is >= 0xC0 or 0xA8 or 0xB8 or 0xAA or 0xBA or 0xAF or 0xBF or 0xB2 or 0xB3 or 0xA5 or 0xB4 ? run + 1 : 0;
            if (run >= 3)
            {
                return "windows-1251";
            }
        }
        return "windows-1252";
    }

    /// <summary>
    /// A read-only stream of the same text in UTF-8 (without a byte-order mark), decoding <paramref name="source"/>
    /// as it is read, block by block (constant memory): feed it to a reader that takes UTF-8, such as
    /// <see cref="AcledReader.ReadIncidents(Stream, string, AcledReadOptions, CancellationToken)"/>, to read a
    /// Windows-1251 or UTF-16 file. UTF-8 input is validated and passed through. At the first line with bytes that are
    /// not valid the stream ends (just before that line) and records one error in
    /// <see cref="Utf8TranscodingStream.Errors"/>; merge them into the reader's result with
    /// <see cref="Utf8TranscodingStream.AddErrorsTo{T}"/>.
    /// </summary>
    /// <param name="source">The bytes in this encoding; disposed with the returned stream unless <paramref name="leaveOpen"/>.</param>
    /// <param name="fileName">The name errors give as the file.</param>
    /// <param name="leaveOpen">True to leave <paramref name="source"/> open when the returned stream is disposed.</param>
    public Utf8TranscodingStream TranscodeToUtf8Stream(Stream source, string fileName, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(fileName);
        return new Utf8TranscodingStream(source, fileName, this, leaveOpen);
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>
    /// Cuts a stream into lines at line feeds (a two-byte line feed at an even offset for UTF-16), detecting the encoding
    /// from the first bytes and skipping the byte-order mark. A line is a slice of the buffer, valid until the next call.
    /// </summary>
    internal sealed class LineSplitter(Stream stream, InputEncoding requested, int maxLineBytes)
    {
        private byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;
        private bool _atEnd;
        private long _offset;

        public DetectedEncoding? Detected { get; private set; }

        /// <summary>Absolute byte offset of the next line's start.</summary>
        public long Offset => _offset;

        /// <summary>The next line, without its line feed; false at the end of the stream.</summary>
        public bool Next(out ReadOnlySpan<byte> line, out long offset, out bool tooLong)
        {
            line = default;
            tooLong = false;
            if (Detected is null)
            {
                while (_end < 4 && !_atEnd)
                {
                    Fill();
                }
                Detected = requested.Detect(_buffer.AsSpan(0, _end));
                _start = Detected.PreambleLength;
                _offset = _start;
            }
            offset = _offset;
            var searched = 0;
            while (true)
            {
                var data = _buffer.AsSpan(_start, _end - _start);
                var lf = FindLineFeed(data, searched, Detected.IsUtf16, Detected.IsBigEndian);
                if (lf > maxLineBytes || (lf < 0 && data.Length > maxLineBytes))
                {
                    tooLong = true;
                    return true;
                }
                if (lf >= 0)
                {
                    var unit = Detected.IsUtf16 ? 2 : 1;
                    line = data[..lf];
                    _start += lf + unit;
                    _offset += lf + unit;
                    return true;
                }
                if (_atEnd)
                {
                    if (data.IsEmpty)
                    {
                        return false;
                    }
                    line = data;
                    _start = _end;
                    _offset += data.Length;
                    return true;
                }
                searched = Detected.IsUtf16 ? data.Length & ~1 : data.Length;
                Fill();
            }
        }

        /// <summary>Reads more, keeping the unread bytes (moved to the front; the buffer doubles when they fill it).</summary>
        private void Fill()
        {
            if (_start > 0 && _start == _end)
            {
                _start = _end = 0;
            }
            else if (_start > _buffer.Length / 2)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            var n = stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0)
            {
                _atEnd = true;
            }
            _end += n;
        }

        /// <summary>
        /// The index of the first line feed at or after <paramref name="from"/>: the byte 0x0A, or for UTF-16 the code
        /// unit 0x000A at an even offset (<c>0A 00</c> little-endian, <c>00 0A</c> big-endian); -1 when there is none
        /// (yet).
        /// </summary>
        private static int FindLineFeed(ReadOnlySpan<byte> data, int from, bool utf16, bool bigEndian)
        {
            if (!utf16)
            {
                var k = data[from..].IndexOf((byte)'\n');
                return k < 0 ? -1 : from + k;
            }
            var i = from & ~1;
            while (i < data.Length)
            {
                var j = data[i..].IndexOf((byte)'\n');
                if (j < 0)
                {
                    return -1;
                }
                var p = i + j;
                if (!bigEndian && (p & 1) == 0)
                {
                    if (p + 1 >= data.Length)
                    {
                        return -1;
                    }
                    if (data[p + 1] == 0)
                    {
                        return p;
                    }
                }
                else if (bigEndian && (p & 1) == 1 && data[p - 1] == 0)
                {
                    return p - 1;
                }
                i = p + 1;
            }
            return -1;
        }
    }
}

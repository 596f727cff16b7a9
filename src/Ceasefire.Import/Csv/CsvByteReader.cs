using System.Buffers;
using System.Runtime.CompilerServices;

namespace Ceasefire.Import.Csv;

/// <summary>What is wrong with a CSV record that breaks RFC 4180.</summary>
public enum CsvRecordProblem : byte
{
    /// <summary>The record is well formed.</summary>
    None,
    /// <summary>A double quote appears inside a field that does not start with one (<c>ab"c</c>).</summary>
    QuoteInUnquotedField,
    /// <summary>Something other than a comma or a line break follows the closing quote of a field (<c>"ab"c</c>).</summary>
    TextAfterClosingQuote,
    /// <summary>A quoted field is still open at the end of the input.</summary>
    UnterminatedQuote,
}

/// <summary>
/// Reads RFC 4180 CSV from UTF-8 bytes, one record at a time, without allocating per record or per field: quoted
/// fields, doubled quotes inside them, commas and line breaks inside quotes, records ending in LF or CRLF, a UTF-8
/// byte-order mark at the start of the input. Fields come as <see cref="ReadOnlySpan{T}"/> slices of the input;
/// only a field that contains doubled quotes is unescaped, lazily, into a buffer the reader reuses for every record.
/// </summary>
/// <remarks>
/// <para>
/// Conventions: a record ends at a line feed outside quotes, and a carriage return just before that line feed is part
/// of the terminator (a lone carriage return is data, except at the very end). Empty lines are skipped. <see cref="Line"/> is the 1-based line
/// on which the current record starts, counting every line feed, including those inside quoted fields, so an error
/// can point an editor at the record.
/// </para>
/// <para>
/// Quote parity: the reader treats every double quote as opening or closing a quoted section, also in malformed
/// records (which it flags in <see cref="Problem"/>), so a record ends exactly at the first line feed after an even
/// number of quotes. <see cref="SplitRecords"/> relies on that to cut a buffer into pieces that can be read in
/// parallel with the same result as one sequential read.
/// </para>
/// <para>
/// A field slice is valid until the next <see cref="Read"/>. Not thread-safe; use one reader per thread.
/// </para>
/// </remarks>
public ref struct CsvByteReader
{
    private static readonly SearchValues<byte> UnquotedStops = SearchValues.Create(",\n\""u8);
    private static readonly SearchValues<byte> QuoteOrNewline = SearchValues.Create("\"\n"u8);

    private readonly ReadOnlySpan<byte> _input;
    private FieldSlot[] _fields;
    private byte[] _scratch;
    private int _scratchUsed;
    private int _fieldCount;
    private int _pos;
    private int _nextLine;
    private int _line;
    private int _recordStart;
    private int _recordEnd;
    private CsvRecordProblem _problem;

    /// <summary>
    /// Creates a reader over <paramref name="utf8"/>, which must start at the start of a record. A UTF-8 byte-order
    /// mark at its start is skipped.
    /// </summary>
    /// <param name="utf8">The CSV text.</param>
    /// <param name="firstLine">The 1-based line number of the first byte (greater than 1 for a piece of a file).</param>
    public CsvByteReader(ReadOnlySpan<byte> utf8, int firstLine = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(firstLine, 1);
        _input = utf8;
        _pos = utf8.StartsWith("\uFEFF"u8) ? 3 : 0;
        _nextLine = firstLine;
        _fields = new FieldSlot[32];
        _scratch = [];
    }

    /// <summary>Number of fields of the current record.</summary>
    public readonly int FieldCount => _fieldCount;

    /// <summary>The 1-based line on which the current record starts.</summary>
    public readonly int Line => _line;

    /// <summary>The 1-based line on which the next record would start (the line after the current record).</summary>
    public readonly int NextLine => _nextLine;

    /// <summary>Byte offset in the input just after the current record and its line break.</summary>
    public readonly int Position => _pos;

    /// <summary>What, if anything, is malformed in the current record; its fields are unreliable when not <c>None</c>.</summary>
    public readonly CsvRecordProblem Problem => _problem;

    /// <summary>The current record as it appears in the input, quotes included, without its line break.</summary>
    public readonly ReadOnlySpan<byte> RawRecord => _input[_recordStart.._recordEnd];

    /// <summary>
    /// The unescaped value of field <paramref name="index"/> of the current record (without enclosing quotes, with
    /// doubled quotes made single). Valid until the next <see cref="Read"/>.
    /// </summary>
    public ReadOnlySpan<byte> this[int index]
    {
        get
        {
            if ((uint)index >= (uint)_fieldCount)
            {
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The record has {_fieldCount} fields.");
            }
            ref var f = ref _fields[index];
            if (!f.Escaped)
            {
                return _input.Slice(f.Start, f.Length);
            }
            if (f.ScratchStart < 0)
            {
                Unescape(ref f);
            }
            return _scratch.AsSpan(f.ScratchStart, f.ScratchLength);
        }
    }

    /// <summary>True when field <paramref name="index"/> of the current record was enclosed in quotes.</summary>
    public readonly bool IsQuoted(int index) =>
        (uint)index < (uint)_fieldCount ? _fields[index].Quoted : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Moves to the next record; false at the end of the input.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Read()
    {
        var input = _input;
        var pos = _pos;
        _scratchUsed = 0;
        _fieldCount = 0;
        _problem = CsvRecordProblem.None;

        while (true)
        {
            if (pos >= input.Length)
            {
                _pos = pos;
                _recordStart = _recordEnd = pos;
                return false;
            }
            if (input[pos] == '\n')
            {
                pos++;
                _nextLine++;
                continue;
            }
            if (input[pos] == '\r' && pos + 1 < input.Length && input[pos + 1] == '\n')
            {
                pos += 2;
                _nextLine++;
                continue;
            }
            if (input[pos] == '\r' && pos + 1 == input.Length)
            {
                pos++;
                continue;
            }
            break;
        }

        _line = _nextLine;
        _recordStart = pos;
        var innerLines = 0;
        while (true)
        {
            if (pos < input.Length && input[pos] == '"')
            {
                var start = pos + 1;
                var p = start;
                var escaped = false;
                while (true)
                {
                    var q = input[p..].IndexOf((byte)'"');
                    if (q < 0)
                    {
                        AddField(start, input.Length - start, escaped, quoted: true);
                        innerLines += input[start..].Count((byte)'\n');
                        _problem = CsvRecordProblem.UnterminatedQuote;
                        return EndAtInputEnd(input.Length, innerLines);
                    }
                    p += q;
                    if (p + 1 < input.Length && input[p + 1] == '"')
                    {
                        escaped = true;
                        p += 2;
                        continue;
                    }
                    break;
                }
                AddField(start, p - start, escaped, quoted: true);
                innerLines += input[start..p].Count((byte)'\n');
                pos = p + 1;
                if (pos >= input.Length)
                {
                    return EndAtInputEnd(pos, innerLines);
                }
                var b = input[pos];
                if (b == ',')
                {
                    pos++;
                    continue;
                }
                if (b == '\n')
                {
                    return EndAt(pos, pos + 1, innerLines);
                }
                if (b == '\r')
                {
                    if (pos + 1 < input.Length && input[pos + 1] == '\n')
                    {
                        return EndAt(pos, pos + 2, innerLines);
                    }
                    if (pos + 1 == input.Length)
                    {
                        return EndAtInputEnd(pos, innerLines);
                    }
                }
                _problem = CsvRecordProblem.TextAfterClosingQuote;
                return SkipMalformed(pos, inQuotes: false, innerLines);
            }
            else
            {
                var start = pos;
                var k = input[pos..].IndexOfAny(UnquotedStops);
                if (k < 0)
                {
                    var end = input.Length;
                    if (end > start && input[end - 1] == '\r')
                    {
                        end--;
                    }
                    AddField(start, end - start, escaped: false, quoted: false);
                    return EndAtInputEnd(end, innerLines);
                }
                pos += k;
                var b = input[pos];
                if (b == ',')
                {
                    AddField(start, pos - start, escaped: false, quoted: false);
                    pos++;
                    continue;
                }
                if (b == '\n')
                {
                    var end = pos > start && input[pos - 1] == '\r' ? pos - 1 : pos;
                    AddField(start, end - start, escaped: false, quoted: false);
                    return EndAt(end, pos + 1, innerLines);
                }
                AddField(start, pos - start, escaped: false, quoted: false);
                _problem = CsvRecordProblem.QuoteInUnquotedField;
                return SkipMalformed(pos, inQuotes: false, innerLines);
            }
        }
    }

    /// <summary>
    /// Cuts <paramref name="utf8"/>, which starts at the start of a record (not after a byte-order mark), into up to
    /// <paramref name="parts"/> pieces of about equal size that each start at the start of a record, so that they can
    /// be read in parallel. Quote-aware: the quote parity before each candidate cut is counted (vectorised) and a cut
    /// moves forward to the first line feed outside quotes.
    /// </summary>
    /// <param name="utf8">The bytes to cut.</param>
    /// <param name="parts">The wanted number of pieces (at least 1).</param>
    /// <param name="isComplete">
    /// True when <paramref name="utf8"/> runs to the end of the input, so the last record may lack a line break;
    /// false when more bytes follow, so bytes after the last line feed outside quotes are an incomplete record.
    /// </param>
    /// <returns>
    /// The offsets where pieces start, in increasing order, starting with 0, followed by the end of the last piece:
    /// piece <c>i</c> is <c>[result[i], result[i + 1])</c>. The last element is the length of the complete records
    /// (less than <c>utf8.Length</c> when <paramref name="isComplete"/> is false and a record is cut off; 0 when not
    /// even one record is complete).
    /// </returns>
    public static int[] SplitRecords(ReadOnlySpan<byte> utf8, int parts, bool isComplete)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 1);
        var cuts = new List<int>(parts + 1) { 0 };
        var scanned = 0;
        var odd = false;
        for (var k = 1; k < parts; k++)
        {
            var candidate = (int)((long)utf8.Length * k / parts);
            if (candidate <= cuts[^1] || candidate < scanned)
            {
                continue;
            }
            odd ^= (utf8[scanned..candidate].Count((byte)'"') & 1) == 1;
            scanned = candidate;
            var cut = NextRecordStart(utf8, candidate, odd);
            if (cut < 0)
            {
                break;
            }
            odd = false;
            scanned = cut;
            if (cut < utf8.Length && cut > cuts[^1])
            {
                cuts.Add(cut);
            }
        }
        var end = utf8.Length;
        if (!isComplete)
        {
            var oddAtEnd = odd ^ ((utf8[scanned..].Count((byte)'"') & 1) == 1);
            end = LastRecordEnd(utf8, cuts[^1], oddAtEnd);
            if (end == cuts[^1] && cuts.Count > 1)
            {
                cuts.RemoveAt(cuts.Count - 1);
            }
        }
        if (end == 0)
        {
            return [0];
        }
        cuts.Add(end);
        return [.. cuts];
    }

    /// <summary>The offset after the first line feed outside quotes at or after <paramref name="from"/>; -1 if none.</summary>
    private static int NextRecordStart(ReadOnlySpan<byte> utf8, int from, bool inQuotes)
    {
        var p = from;
        while (true)
        {
            var j = utf8[p..].IndexOfAny(QuoteOrNewline);
            if (j < 0)
            {
                return -1;
            }
            p += j;
            if (utf8[p] == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (!inQuotes)
            {
                return p + 1;
            }
            p++;
        }
    }

    /// <summary>
    /// The offset after the last line feed outside quotes in <c>[from, end)</c>, given the quote parity of the whole
    /// span at its end (<paramref name="from"/> must be a record start); <paramref name="from"/> when there is none.
    /// </summary>
    private static int LastRecordEnd(ReadOnlySpan<byte> utf8, int from, bool oddAtEnd)
    {
        var p = utf8.Length;
        var odd = oddAtEnd;
        while (p > from)
        {
            var j = utf8[from..p].LastIndexOfAny(QuoteOrNewline);
            if (j < 0)
            {
                break;
            }
            p = from + j;
            if (utf8[p] == '"')
            {
                odd = !odd;
            }
            else if (!odd)
            {
                return p + 1;
            }
        }
        return from;
    }

    private bool EndAt(int recordEnd, int next, int innerLines)
    {
        _recordEnd = recordEnd;
        _pos = next;
        _nextLine += innerLines + 1;
        return true;
    }

    private bool EndAtInputEnd(int recordEnd, int innerLines)
    {
        _recordEnd = recordEnd;
        _pos = _input.Length;
        _nextLine += innerLines;
        return true;
    }

    /// <summary>Finds the end of a malformed record by quote parity alone (see the remarks on the type).</summary>
    private bool SkipMalformed(int pos, bool inQuotes, int innerLines)
    {
        var input = _input;
        while (true)
        {
            var j = input[pos..].IndexOfAny(QuoteOrNewline);
            if (j < 0)
            {
                var end = input.Length;
                if (end > _recordStart && input[end - 1] == '\r')
                {
                    end--;
                }
                return EndAtInputEnd(end, innerLines);
            }
            pos += j;
            if (input[pos] == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (inQuotes)
            {
                innerLines++;
            }
            else
            {
                var end = pos > _recordStart && input[pos - 1] == '\r' ? pos - 1 : pos;
                return EndAt(end, pos + 1, innerLines);
            }
            pos++;
        }
    }

    private void AddField(int start, int length, bool escaped, bool quoted)
    {
        if (_fieldCount == _fields.Length)
        {
            Array.Resize(ref _fields, _fields.Length * 2);
        }
        _fields[_fieldCount++] = new FieldSlot { Start = start, Length = length, Escaped = escaped, Quoted = quoted, ScratchStart = -1 };
    }

    private void Unescape(ref FieldSlot f)
    {
        var raw = _input.Slice(f.Start, f.Length);
        if (_scratch.Length - _scratchUsed < raw.Length)
        {
            var bigger = new byte[Math.Max(_scratch.Length * 2, _scratchUsed + raw.Length + 256)];
            _scratch.AsSpan(0, _scratchUsed).CopyTo(bigger);
            _scratch = bigger;
        }
        var dest = _scratch.AsSpan(_scratchUsed);
        var n = 0;
        while (true)
        {
            var q = raw.IndexOf((byte)'"');
            if (q < 0)
            {
                raw.CopyTo(dest[n..]);
                n += raw.Length;
                break;
            }
            raw[..(q + 1)].CopyTo(dest[n..]);
            n += q + 1;
            // A quote inside a well-formed quoted field is always doubled; skip its twin.
            raw = raw[Math.Min(q + 2, raw.Length)..];
        }
        f.ScratchStart = _scratchUsed;
        f.ScratchLength = n;
        _scratchUsed += n;
    }

    private struct FieldSlot
    {
        public int Start;
        public int Length;
        public int ScratchStart;
        public int ScratchLength;
        public bool Escaped;
        public bool Quoted;
    }
}

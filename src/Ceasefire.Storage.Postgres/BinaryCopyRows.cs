using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Ceasefire.Storage.Postgres;

/// <summary>
/// Rows in PostgreSQL's binary COPY format (header, tuples of length-prefixed big-endian fields, trailer), written
/// straight into a buffer that goes to the server through Npgsql's raw binary COPY. The import's report rows go this
/// way: Npgsql's per-field writer costs more per field than the field itself, and a report row has sixteen.
/// </summary>
/// <remarks>Not thread-safe. Text is sent as UTF-8 (the client encoding Npgsql sets).</remarks>
internal sealed class BinaryCopyRows
{
    private static ReadOnlySpan<byte> Header => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 20);

    /// <summary>The rows written since <see cref="Begin"/>, with header and (after <see cref="End"/>) trailer.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    /// <summary>Starts a new COPY stream: clears the buffer and writes the header.</summary>
    public void Begin()
    {
        _buffer.ResetWrittenCount();
        _buffer.Write(Header);
    }

    /// <summary>Ends the stream with the trailer.</summary>
    public void End() => WriteInt16(-1);

    /// <summary>Starts a row of <paramref name="fields"/> fields.</summary>
    public void StartRow(short fields) => WriteInt16(fields);

    public void Text(string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        var span = _buffer.GetSpan(4 + max);
        var n = Encoding.UTF8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, n);
        _buffer.Advance(4 + n);
    }

    /// <summary>Text, or NULL when <paramref name="value"/> is null.</summary>
    public void TextOrNull(string? value)
    {
        if (value is null)
        {
            Int32Raw(-1);
        }
        else
        {
            Text(value);
        }
    }

    /// <summary>Text given as its UTF-8 bytes (ASCII hex, for instance).</summary>
    public void Utf8(ReadOnlySpan<byte> utf8) => Bytes(utf8);

    /// <summary>A <c>bytea</c>, or any type whose binary receive function takes these bytes (PostGIS geometry: EWKB).</summary>
    public void Bytes(ReadOnlySpan<byte> value)
    {
        var span = _buffer.GetSpan(4 + value.Length);
        BinaryPrimitives.WriteInt32BigEndian(span, value.Length);
        value.CopyTo(span[4..]);
        _buffer.Advance(4 + value.Length);
    }

    public void Int32(int value)
    {
        var span = _buffer.GetSpan(8);
        BinaryPrimitives.WriteInt32BigEndian(span, 4);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], value);
        _buffer.Advance(8);
    }

    public void Int64(long value)
    {
        var span = _buffer.GetSpan(12);
        BinaryPrimitives.WriteInt32BigEndian(span, 8);
        BinaryPrimitives.WriteInt64BigEndian(span[4..], value);
        _buffer.Advance(12);
    }

    public void Double(double value)
    {
        var span = _buffer.GetSpan(12);
        BinaryPrimitives.WriteInt32BigEndian(span, 8);
        BinaryPrimitives.WriteDoubleBigEndian(span[4..], value);
        _buffer.Advance(12);
    }

    public void Boolean(bool value)
    {
        var span = _buffer.GetSpan(5);
        BinaryPrimitives.WriteInt32BigEndian(span, 1);
        span[4] = value ? (byte)1 : (byte)0;
        _buffer.Advance(5);
    }

    private void WriteInt16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(_buffer.GetSpan(2), value);
        _buffer.Advance(2);
    }

    private void Int32Raw(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }
}

using System.IO.Compression;

namespace Ceasefire.Storage.Core;

/// <summary>
/// How a log payload is stored in <c>log.data</c>, named in <c>log.encoding</c>: <c>identity</c> (the JSON's UTF-8
/// bytes) or <c>deflate</c> (those bytes compressed as raw DEFLATE, RFC 1951, readable with any zlib). The hash chain
/// covers the JSON, not the stored bytes (<see cref="LogHash"/>), so the encoding is a matter of this store only.
/// </summary>
internal static class PayloadCodec
{
    public const string Identity = "identity";
    public const string Deflate = "deflate";

    /// <summary>The payload's JSON (UTF-8) from its stored bytes.</summary>
    public static byte[] Decode(byte[] stored, string encoding, long sequence) => encoding switch
    {
        Identity => stored,
        Deflate => Inflate(stored, sequence),
        _ => throw new InvalidDataException($"Log entry {sequence} is stored with encoding '{encoding}', which this version does not know."),
    };

    private static byte[] Inflate(byte[] stored, long sequence)
    {
        try
        {
            using var input = new MemoryStream(stored, writable: false);
            using var inflate = new DeflateStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream(stored.Length * 8);
            inflate.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"its stored payload does not decompress ({e.Message})", e);
        }
    }

    /// <summary>
    /// Compresses <paramref name="head"/>, <paramref name="body"/> and <paramref name="tail"/> (a run of one payload)
    /// into <paramref name="output"/> as one piece of a DEFLATE stream. A piece that is not the last ends on a byte boundary without the final-block mark
    /// (a sync flush), and each starts with a fresh dictionary, so the pieces of a payload can be compressed in
    /// parallel and their bytes simply concatenated.
    /// </summary>
    public static void DeflatePiece(ReadOnlySpan<byte> head, ReadOnlySpan<byte> body, ReadOnlySpan<byte> tail, bool last, MemoryStream output)
    {
        output.SetLength(0);
        var deflate = new DeflateStream(output, CompressionLevel.Fastest, leaveOpen: true);
        deflate.Write(head);
        deflate.Write(body);
        deflate.Write(tail);
        if (last)
        {
            deflate.Dispose();
            return;
        }
        deflate.Flush(); // sync flush: byte-aligned, no final block
        var length = output.Length;
        deflate.Dispose(); // writes a final empty block, cut off below
        output.SetLength(length);
    }

    /// <summary>One piece (see <see cref="DeflatePiece"/>) as an array.</summary>
    public static byte[] DeflatePieceBytes(ReadOnlySpan<byte> head, ReadOnlySpan<byte> body, ReadOnlySpan<byte> tail, bool last)
    {
        using var output = new MemoryStream();
        DeflatePiece(head, body, tail, last, output);
        return output.ToArray();
    }

    /// <summary>Payloads from this size (UTF-8 bytes) are stored compressed, by every store; smaller ones stay readable with the database's own tools.</summary>
    public const int CompressFromBytes = 64 * 1024;

    /// <summary>A payload (its JSON's UTF-8 bytes) as a store keeps it: compressed from <see cref="CompressFromBytes"/>, as it is below.</summary>
    public static (byte[] Stored, string Encoding) ForStorage(byte[] utf8) =>
        utf8.Length >= CompressFromBytes ? (DeflateAll(utf8), Deflate) : (utf8, Identity);

    /// <summary>Compresses a whole payload.</summary>
    public static byte[] DeflateAll(ReadOnlySpan<byte> json)
    {
        using var output = new MemoryStream(json.Length / 4 + 64);
        DeflatePiece(json, [], [], last: true, output);
        return output.ToArray();
    }
}

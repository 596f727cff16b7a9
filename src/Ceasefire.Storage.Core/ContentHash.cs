using System.Runtime.InteropServices;

namespace Ceasefire.Storage.Core;

/// <summary>
/// A report's content hash: the SHA-256 of its stored JSON, held as a value (no string per report on the import
/// path) and written as lower-case hex in the read model.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct ContentHash(UInt128 High, UInt128 Low)
{
    /// <summary>Characters of the hex form.</summary>
    public const int HexLength = 64;

    /// <summary>From the 32 bytes of a SHA-256.</summary>
    public static ContentHash FromBytes(ReadOnlySpan<byte> sha256) =>
        new(MemoryMarshal.Read<UInt128>(sha256), MemoryMarshal.Read<UInt128>(sha256[16..]));

    /// <summary>From the hex form (as stored).</summary>
    public static ContentHash Parse(string hex)
    {
        Span<byte> bytes = stackalloc byte[32];
        if (hex.Length != HexLength || Convert.FromHexString(hex, bytes, out _, out _) != System.Buffers.OperationStatus.Done)
        {
            throw new InvalidDataException($"'{hex}' is not a content hash (64 hex digits).");
        }
        return FromBytes(bytes);
    }

    /// <summary>Writes the hex form as UTF-8 into <paramref name="into"/> (64 bytes).</summary>
    public void WriteHex(Span<byte> into)
    {
        Span<byte> bytes = stackalloc byte[32];
        MemoryMarshal.Write(bytes, High);
        MemoryMarshal.Write(bytes[16..], Low);
        const string digits = "0123456789abcdef";
        for (var i = 0; i < 32; i++)
        {
            into[2 * i] = (byte)digits[bytes[i] >> 4];
            into[(2 * i) + 1] = (byte)digits[bytes[i] & 0xF];
        }
    }

    /// <summary>The hex form.</summary>
    public override string ToString()
    {
        Span<byte> hex = stackalloc byte[HexLength];
        WriteHex(hex);
        return System.Text.Encoding.ASCII.GetString(hex);
    }
}

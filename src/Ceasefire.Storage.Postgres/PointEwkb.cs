using System.Buffers.Binary;

namespace Ceasefire.Storage.Postgres;

/// <summary>
/// A point as PostGIS receives it: extended WKB, little-endian, with SRID 4326 (a geometry column typed
/// <c>geometry(Point, 4326)</c> refuses a point without the SRID). 25 bytes: byte order, type with the SRID flag, SRID,
/// longitude, latitude. PostGIS's <c>geometry_recv</c> reads these bytes as they are, in binary COPY and as parameters.
/// </summary>
internal static class PointEwkb
{
    /// <summary>Bytes of a point.</summary>
    public const int Length = 25;

    /// <summary>The SRID of every point the store writes (WGS 84 longitude/latitude, degrees).</summary>
    public const int Srid = 4326;

    private const uint PointWithSrid = 1 | 0x2000_0000;

    /// <summary>The point (<paramref name="longitude"/>, <paramref name="latitude"/>), degrees.</summary>
    public static byte[] Of(double longitude, double latitude)
    {
        var bytes = new byte[Length];
        Write(bytes, longitude, latitude);
        return bytes;
    }

    /// <summary>Writes the point (<paramref name="longitude"/>, <paramref name="latitude"/>) into the first <see cref="Length"/> bytes of <paramref name="into"/>.</summary>
    public static void Write(Span<byte> into, double longitude, double latitude)
    {
        into[0] = 1; // little-endian (NDR)
        BinaryPrimitives.WriteUInt32LittleEndian(into[1..], PointWithSrid);
        BinaryPrimitives.WriteInt32LittleEndian(into[5..], Srid);
        BinaryPrimitives.WriteDoubleLittleEndian(into[9..], longitude);
        BinaryPrimitives.WriteDoubleLittleEndian(into[17..], latitude);
    }
}

using NetTopologySuite.Geometries;

namespace Ceasefire.Geo;

/// <summary>
/// A local metric projection: the spherical azimuthal equidistant projection centred on a point, in metres.
/// Distances from the centre are exact on the sphere (R = <see cref="Wgs84.EarthRadiusMetres"/>) and other distances
/// are within 0.5% up to 800 km from it, which is what buffers of lines of contact and protected sites need.
/// Immutable; safe to share across threads.
/// </summary>
public sealed class LocalProjection
{
    private const double Rad = Math.PI / 180;
    private readonly double _lon0;
    private readonly double _sinLat0;
    private readonly double _cosLat0;

    /// <summary>Creates a projection centred on (<paramref name="lon0"/>, <paramref name="lat0"/>) degrees.</summary>
    public LocalProjection(double lon0, double lat0)
    {
        if (lat0 is < -90 or > 90)
        {
            throw new ArgumentOutOfRangeException(nameof(lat0));
        }
        _lon0 = lon0;
        _sinLat0 = Math.Sin(lat0 * Rad);
        _cosLat0 = Math.Cos(lat0 * Rad);
    }

    /// <summary>A projection centred on the centre of <paramref name="geometry"/>'s envelope.</summary>
    public static LocalProjection CentredOn(Geometry geometry)
    {
        var c = geometry.EnvelopeInternal.Centre;
        return new LocalProjection(c.X, c.Y);
    }

    /// <summary>Projects (lon, lat) degrees to (x, y) metres.</summary>
    public (double X, double Y) Forward(double lon, double lat)
    {
        var phi = lat * Rad;
        var dl = (lon - _lon0) * Rad;
        var sinPhi = Math.Sin(phi);
        var cosPhi = Math.Cos(phi);
        var cosC = _sinLat0 * sinPhi + _cosLat0 * cosPhi * Math.Cos(dl);
        cosC = Math.Clamp(cosC, -1, 1);
        var c = Math.Acos(cosC);
        var k = c < 1e-12 ? 1 : c / Math.Sin(c);
        var x = k * cosPhi * Math.Sin(dl);
        var y = k * (_cosLat0 * sinPhi - _sinLat0 * cosPhi * Math.Cos(dl));
        return (x * Wgs84.EarthRadiusMetres, y * Wgs84.EarthRadiusMetres);
    }

    /// <summary>Inverse of <see cref="Forward"/>: (x, y) metres to (lon, lat) degrees.</summary>
    public (double Lon, double Lat) Inverse(double x, double y)
    {
        x /= Wgs84.EarthRadiusMetres;
        y /= Wgs84.EarthRadiusMetres;
        var c = Math.Sqrt(x * x + y * y);
        if (c < 1e-15)
        {
            return (_lon0, Math.Asin(_sinLat0) / Rad);
        }
        var sinC = Math.Sin(c);
        var cosC = Math.Cos(c);
        var lat = Math.Asin(cosC * _sinLat0 + y * sinC * _cosLat0 / c);
        var lon = _lon0 * Rad + Math.Atan2(x * sinC, c * _cosLat0 * cosC - y * _sinLat0 * sinC);
        return (lon / Rad, lat / Rad);
    }

    /// <summary>Projects a geometry (SRID 4326) to metres.</summary>
    public Geometry Project(Geometry geometry) => Transform(geometry, (a, b) => Forward(a, b));

    /// <summary>Returns a projected geometry (metres) to SRID 4326.</summary>
    public Geometry Unproject(Geometry geometry) => Transform(geometry, (a, b) => Inverse(a, b));

    private static Geometry Transform(Geometry geometry, Func<double, double, (double, double)> f)
    {
        var copy = geometry.Copy();
        copy.Apply(new TransformFilter(f));
        copy.GeometryChanged();
        copy.SRID = Wgs84.Srid;
        return copy;
    }

    private sealed class TransformFilter(Func<double, double, (double, double)> f) : ICoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (x, y) = f(seq.GetX(i), seq.GetY(i));
            seq.SetX(i, x);
            seq.SetY(i, y);
        }
    }
}

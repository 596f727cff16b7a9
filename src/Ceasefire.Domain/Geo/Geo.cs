using NetTopologySuite;
using NetTopologySuite.Geometries;

namespace Ceasefire.Geo;

/// <summary>Process-wide geometry conventions: SRID 4326, coordinates are (longitude, latitude) in degrees.</summary>
public static class Wgs84
{
    /// <summary>The SRID of every geometry the system keeps.</summary>
    public const int Srid = 4326;

    /// <summary>Mean Earth radius in metres (IUGG), as PostGIS's <c>ST_DistanceSphere</c> uses.</summary>
    public const double EarthRadiusMetres = 6_371_008.77;

    /// <summary>The one geometry factory of the process (floating precision, SRID 4326). Thread-safe.</summary>
    public static GeometryFactory Factory { get; } =
        NtsGeometryServices.Instance.CreateGeometryFactory(new PrecisionModel(), Srid);

    /// <summary>Great-circle distance in metres between two (lon, lat) points on the sphere.</summary>
    public static double DistanceMetres(double lon1, double lat1, double lon2, double lat2)
    {
        const double rad = Math.PI / 180;
        var dLat = (lat2 - lat1) * rad;
        var dLon = (lon2 - lon1) * rad;
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) +
                Math.Cos(lat1 * rad) * Math.Cos(lat2 * rad) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusMetres * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }
}

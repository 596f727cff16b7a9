using Ceasefire.Geo;
using Ceasefire.Zones;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace Ceasefire.Agreements;

/// <summary>How a derived zone is computed from other zones.</summary>
public enum DerivedZoneOperation
{
    /// <summary>The union of the operands.</summary>
    Union,
    /// <summary>The first operand minus all the others.</summary>
    Difference,
    /// <summary>The operand (zone or line) widened by a distance in kilometres.</summary>
    Buffer,
}

/// <summary>
/// A zone an agreement defines from other zones: a union, a difference, or a buffer by a distance in kilometres
/// (computed in a local azimuthal equidistant projection centred on the operand, not in degrees).
/// </summary>
/// <param name="Id">The new zone's id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Operation">How it is derived.</param>
/// <param name="Operands">Zone (or line) ids it is derived from, in order.</param>
/// <param name="Kilometres">Buffer distance for <see cref="DerivedZoneOperation.Buffer"/>.</param>
public sealed record DerivedZone(ZoneId Id, string Name, DerivedZoneOperation Operation, IReadOnlyList<ZoneId> Operands, double Kilometres = 0)
{
    /// <summary>Quadrant segments for buffer arcs (NTS default is 8; 16 keeps a 30 km circle within 20 m).</summary>
    public const int QuadrantSegments = 16;

    /// <summary>Computes the geometry from operand geometries (polygonal, or lines for buffers), SRID 4326.</summary>
    public Geometry Compute(IReadOnlyList<Geometry> operands)
    {
        ArgumentNullException.ThrowIfNull(operands);
        Geometry result = Operation switch
        {
            DerivedZoneOperation.Union => UnaryUnionOp.Union(operands),
            DerivedZoneOperation.Difference => operands.Skip(1).Aggregate(operands[0], (acc, g) => acc.Difference(g)),
            DerivedZoneOperation.Buffer => Buffer(UnaryUnionOp.Union(operands), Kilometres),
            _ => throw new InvalidOperationException(),
        };
        result = PolygonalPart(result);
        result.SRID = Wgs84.Srid;
        return result;
    }

    /// <summary>Buffers <paramref name="g"/> by <paramref name="km"/> kilometres in a local metric projection.</summary>
    public static Geometry Buffer(Geometry g, double km)
    {
        var projection = LocalProjection.CentredOn(g);
        var metric = projection.Project(g);
        var buffered = metric.Buffer(km * 1000, QuadrantSegments);
        return projection.Unproject(buffered);
    }

    private static Geometry PolygonalPart(Geometry g)
    {
        if (g is Polygon or MultiPolygon)
        {
            return g;
        }
        var polys = Enumerable.Range(0, g.NumGeometries).Select(g.GetGeometryN).OfType<Polygon>().ToArray();
        return Wgs84.Factory.CreateMultiPolygon(polys);
    }
}

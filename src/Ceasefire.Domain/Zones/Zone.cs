using NetTopologySuite.Geometries;

namespace Ceasefire.Zones;

/// <summary>
/// A named area: territory, maritime area, buffer of a line of contact, corridor. The geometry is a valid Polygon or
/// MultiPolygon in SRID 4326 (longitude, latitude degrees) with Z dropped. Immutable.
/// </summary>
public sealed class Zone
{
    /// <summary>Creates a zone; throws when the geometry is not a valid, non-empty polygonal geometry.</summary>
    public Zone(ZoneId id, string name, Geometry geometry, string? kind = null, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (id.Value is null)
        {
            throw new ArgumentException("A zone needs an id.", nameof(id));
        }
        if (geometry is not (Polygon or MultiPolygon) || geometry.IsEmpty)
        {
            throw new ArgumentException($"Zone '{id}' must be a non-empty Polygon or MultiPolygon, not {geometry.GeometryType}.", nameof(geometry));
        }
        if (!geometry.IsValid)
        {
            throw new ArgumentException($"Zone '{id}' has invalid geometry; repair it (GeometryFixer) before building a zone.", nameof(geometry));
        }
        Id = id;
        Name = string.IsNullOrWhiteSpace(name) ? id.Value : name;
        Geometry = geometry;
        Kind = kind;
        Source = source;
    }

    /// <summary>The zone's id.</summary>
    public ZoneId Id { get; }

    /// <summary>Human-readable name.</summary>
    public string Name { get; }

    /// <summary>The area (SRID 4326, valid, polygonal).</summary>
    public Geometry Geometry { get; }

    /// <summary>Free classification (country, maritime, front, corridor, protected-site, derived...).</summary>
    public string? Kind { get; }

    /// <summary>Where the geometry came from (attribution), or how it was derived.</summary>
    public string? Source { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Id} ({Name})";
}

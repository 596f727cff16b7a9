namespace Ceasefire.Geo;

/// <summary>
/// Where an incident happened: a point (longitude, latitude in degrees, SRID 4326) and an uncertainty circle around
/// it (radius in metres, 0 for an exact point), with the precision it was reported at and an optional place name.
/// </summary>
public readonly record struct IncidentLocation
{
    /// <summary>Creates a location; throws on coordinates out of range or a negative radius.</summary>
    public IncidentLocation(double longitude, double latitude, LocationPrecision precision, double? radiusMetres = null, string? placeName = null)
    {
        if (!double.IsFinite(longitude) || longitude is < -180 or > 180)
        {
            throw new ArgumentOutOfRangeException(nameof(longitude), longitude, "Longitude must be within [-180, 180].");
        }
        if (!double.IsFinite(latitude) || latitude is < -90 or > 90)
        {
            throw new ArgumentOutOfRangeException(nameof(latitude), latitude, "Latitude must be within [-90, 90].");
        }
        var r = radiusMetres ?? precision.DefaultRadiusMetres();
        if (!double.IsFinite(r) || r < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(radiusMetres), r, "The uncertainty radius must be zero or positive.");
        }
        Longitude = longitude;
        Latitude = latitude;
        Precision = precision;
        RadiusMetres = r;
        PlaceName = placeName;
    }

    /// <summary>Longitude in degrees east.</summary>
    public double Longitude { get; }

    /// <summary>Latitude in degrees north.</summary>
    public double Latitude { get; }

    /// <summary>The reported precision.</summary>
    public LocationPrecision Precision { get; }

    /// <summary>Radius of the uncertainty circle, metres.</summary>
    public double RadiusMetres { get; }

    /// <summary>The place name as reported, if any.</summary>
    public string? PlaceName { get; }

    /// <inheritdoc />
    public override string ToString() =>
        FormattableString.Invariant($"({Latitude:0.#####}, {Longitude:0.#####})") +
        (RadiusMetres > 0 ? FormattableString.Invariant($" ±{RadiusMetres / 1000:0.#} km") : "") +
        (PlaceName is null ? "" : $" {PlaceName}");
}

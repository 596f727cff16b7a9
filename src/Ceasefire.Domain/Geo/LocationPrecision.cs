namespace Ceasefire.Geo;

/// <summary>
/// How precisely the place of an incident is known. Each precision has a default uncertainty radius (see
/// <see cref="LocationPrecisionExtensions.DefaultRadiusMetres"/>); a report may state its own.
/// </summary>
public enum LocationPrecision : byte
{
    /// <summary>The exact point of the site: radius 0.</summary>
    Exact,
    /// <summary>A settlement or its vicinity: radius 5 km by default (importers may give a wider radius, e.g. a district).</summary>
    Settlement,
    /// <summary>A first-level region (oblast, krai): radius 50 km by default.</summary>
    Region,
}

/// <summary>Defaults for <see cref="LocationPrecision"/>.</summary>
public static class LocationPrecisionExtensions
{
    /// <summary>The uncertainty radius in metres used when a report states none.</summary>
    public static double DefaultRadiusMetres(this LocationPrecision precision) => precision switch
    {
        LocationPrecision.Exact => 0,
        LocationPrecision.Settlement => 5_000,
        LocationPrecision.Region => 50_000,
        _ => throw new ArgumentOutOfRangeException(nameof(precision)),
    };
}

namespace Ceasefire.Geo;

/// <summary>
/// How precisely the place of an incident is known. Each precision has a default uncertainty radius (see
/// <see cref="LocationPrecisionExtensions.DefaultRadiusMetres"/>); a report may state its own.
/// </summary>
public enum LocationPrecision : byte
{
    /// <summary>The exact point (ACLED geo_precision 1 when coordinates are of the site): radius 0.</summary>
    Exact,
    /// <summary>A settlement or its vicinity (ACLED geo_precision 1-2 for towns): radius 5 km.</summary>
    Settlement,
    /// <summary>A first-level region (oblast, krai; ACLED geo_precision 3): radius 50 km.</summary>
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

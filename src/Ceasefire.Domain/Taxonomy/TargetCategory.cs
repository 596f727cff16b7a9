namespace Ceasefire.Taxonomy;

/// <summary>
/// A category of target (what was hit): one entry of the controlled list in <see cref="TargetCategories"/>. Codes are
/// dotted (<c>energy.transmission</c>); an agreement file may name a whole family with <c>energy.*</c>. The value is
/// an index into <see cref="TargetCategories.All"/>; <see cref="Unknown"/> is index 0.
/// </summary>
public readonly record struct TargetCategory(byte Index)
{
    /// <summary>A target that was not reported and could not be inferred.</summary>
    public static TargetCategory Unknown => new(0);

    /// <summary>True for <see cref="Unknown"/>.</summary>
    public bool IsUnknown => Index == 0;

    /// <summary>The category's code, for example <c>energy.transmission</c>.</summary>
    public string Code => TargetCategories.All[Index].Code;

    /// <inheritdoc />
    public override string ToString() => Code;
}

/// <summary>One entry of the target taxonomy.</summary>
public sealed record TargetCategoryInfo(string Code, string Label);

/// <summary>The controlled list of target categories (at most 64). Immutable; safe to share across threads.</summary>
public static class TargetCategories
{
    /// <summary>Every category; the index of an entry is its <see cref="TargetCategory.Index"/>.</summary>
    public static IReadOnlyList<TargetCategoryInfo> All { get; } =
    [
        new("unknown", "Unknown target"),
        new("energy.oil_refining", "Oil refinery"),
        new("energy.oil_gas_pipeline", "Oil and gas pipelines, storage, pumping and metering stations"),
        new("energy.gas_production", "Oil and gas production (wells, fields, processing)"),
        new("energy.power_generation", "Power generation (thermal, combined heat and power, solar, wind plants)"),
        new("energy.transmission", "Electricity transmission and distribution (lines, substations, transformers)"),
        new("energy.nuclear", "Nuclear power plant"),
        new("energy.hydro", "Hydroelectric plant or dam"),
        new("energy.coal", "Coal mining and processing"),
        new("energy.equipment_manufacturing", "Energy-equipment manufacturing"),
        new("energy.unspecified", "Energy infrastructure of unstated type (a report says \"energy facility\" and no more)"),
        new("rail", "Railway infrastructure (track, stations, traction substations, rolling stock)"),
        new("maritime.port", "Sea or river port"),
        new("maritime.vessel", "Vessel"),
        new("civilian.residential", "Residential buildings"),
        new("civilian.medical", "Hospitals and medical facilities"),
        new("civilian.education", "Schools and universities"),
        new("civilian.infrastructure", "Other civilian infrastructure (water, roads, bridges, telecoms)"),
        new("civilian.industry", "Industrial and commercial facilities"),
        new("civilian.agriculture", "Agriculture, grain storage and export"),
        new("civilian.people", "Civilians (people, not objects)"),
        new("military", "Military personnel, positions and equipment"),
        new("military.airfield", "Military airfield"),
    ];

    private static readonly Dictionary<string, TargetCategory> ByCode =
        All.Select((c, i) => (c.Code, Cat: new TargetCategory((byte)i))).ToDictionary(x => x.Code, x => x.Cat, StringComparer.Ordinal);

    /// <summary>
    /// For a category whose code ends in <c>.unspecified</c> (the family is known, the member is not), the mask of
    /// its siblings; 0 for every other category.
    /// </summary>
    public static ulong UnspecifiedSiblings(TargetCategory category)
    {
        var code = category.Code;
        if (!code.EndsWith(".unspecified", StringComparison.Ordinal))
        {
            return 0;
        }
        var family = code[..^".unspecified".Length] + ".";
        var mask = 0UL;
        for (var i = 1; i < All.Count; i++)
        {
            if (i != category.Index && All[i].Code.StartsWith(family, StringComparison.Ordinal))
            {
                mask |= 1UL << i;
            }
        }
        return mask;
    }

    /// <summary>Finds a category by its exact code.</summary>
    public static bool TryParse(string code, out TargetCategory category) => ByCode.TryGetValue(code, out category);

    /// <summary>
    /// Expands a code or a family pattern (<c>energy.*</c>) to categories; false when nothing in the taxonomy matches.
    /// </summary>
    public static bool TryExpand(string pattern, out IReadOnlyList<TargetCategory> categories)
    {
        if (pattern.EndsWith(".*", StringComparison.Ordinal))
        {
            var family = pattern[..^2];
            var list = All.Select((c, i) => (c, i))
                .Where(x => x.c.Code == family || x.c.Code.StartsWith(family + ".", StringComparison.Ordinal))
                .Select(x => new TargetCategory((byte)x.i)).ToList();
            categories = list;
            return list.Count > 0;
        }
        if (ByCode.TryGetValue(pattern, out var one) && !one.IsUnknown)
        {
            categories = [one];
            return true;
        }
        categories = [];
        return false;
    }

    /// <summary>Every code, for error messages.</summary>
    public static IEnumerable<string> Codes => All.Select(c => c.Code);
}

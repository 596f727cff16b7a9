using Ceasefire.Parties;
using Ceasefire.Taxonomy;
using Ceasefire.Time;
using Ceasefire.Zones;

namespace Ceasefire.Agreements;

/// <summary>
/// A set of target categories: either every category (<see cref="IsAll"/>, which also covers an unknown target) or an
/// explicit list. Stored as a 64-bit mask over <see cref="TargetCategories.All"/>.
/// </summary>
public readonly record struct TargetSet(bool IsAll, ulong Mask)
{
    /// <summary>Every target.</summary>
    public static TargetSet All => new(true, ulong.MaxValue);

    /// <summary>The given categories.</summary>
    public static TargetSet Of(IEnumerable<TargetCategory> categories) =>
        new(false, categories.Aggregate(0UL, (m, c) => m | (1UL << c.Index)));

    /// <summary>
    /// Whether a target of <paramref name="category"/> is protected: an unknown target is uncertain unless every
    /// target is protected; a family member of unstated type (<c>energy.unspecified</c>) matches when the set holds
    /// the whole family, is uncertain when it holds part of it, and fails when it holds none.
    /// </summary>
    public Findings.Outcome Judge(TargetCategory category)
    {
        if (IsAll || (Mask & (1UL << category.Index)) != 0)
        {
            return Findings.Outcome.Matches;
        }
        if (category.IsUnknown)
        {
            return Findings.Outcome.Uncertain;
        }
        var siblings = TargetCategories.UnspecifiedSiblings(category);
        if (siblings != 0 && (Mask & siblings) == siblings)
        {
            return Findings.Outcome.Matches;
        }
        return siblings != 0 && (Mask & siblings) != 0 ? Findings.Outcome.Uncertain : Findings.Outcome.Fails;
    }

    /// <summary>True when the set holds <paramref name="category"/>.</summary>
    public bool Contains(TargetCategory category) => IsAll || (Mask & (1UL << category.Index)) != 0;

    /// <summary>The categories in the set (every category for <see cref="All"/>).</summary>
    public IEnumerable<TargetCategory> Categories
    {
        get
        {
            var (all, mask) = (IsAll, Mask);
            return Enumerable.Range(1, TargetCategories.All.Count - 1).Where(i => all || (mask & (1UL << i)) != 0).Select(i => new TargetCategory((byte)i));
        }
    }

    /// <inheritdoc />
    public override string ToString() => IsAll ? "all" : string.Join(", ", Categories.Select(c => c.Code));
}

/// <summary>
/// One party's reading of an obligation, where it differs from the text: its own window and/or target list. A null
/// member means the reading keeps the obligation's own.
/// </summary>
/// <param name="Party">Whose reading this is.</param>
/// <param name="Window">The window under this reading, or null for the obligation's.</param>
/// <param name="Targets">The protected targets under this reading, or null for the obligation's.</param>
/// <param name="Source">Where the reading is on the record.</param>
public sealed record Reading(PartyCode Party, TimeWindow? Window, TargetSet? Targets, string? Source);

/// <summary>
/// One promise: which parties are bound, which acts are prohibited, against which targets, where (zones included
/// minus zones excluded) and when (the obligation's window, else its phase's). Parties' differing readings are kept
/// in <see cref="Readings"/>. Immutable.
/// </summary>
public sealed record Obligation
{
    /// <summary>Creates an obligation.</summary>
    public Obligation(
        string id, string phaseId, string clause, IReadOnlyList<PartyCode> bound, IReadOnlyList<ActKind> acts,
        TargetSet targets, IReadOnlyList<ZoneId> includeZones, IReadOnlyList<ZoneId> excludeZones, TimeWindow? window,
        IReadOnlyList<Reading> readings)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(phaseId);
        ArgumentNullException.ThrowIfNull(bound);
        ArgumentNullException.ThrowIfNull(acts);
        ArgumentNullException.ThrowIfNull(includeZones);
        ArgumentNullException.ThrowIfNull(excludeZones);
        ArgumentNullException.ThrowIfNull(readings);
        if (bound.Count == 0)
        {
            throw new ArgumentException($"Obligation '{id}' binds nobody.", nameof(bound));
        }
        if (acts.Count == 0)
        {
            throw new ArgumentException($"Obligation '{id}' prohibits no act.", nameof(acts));
        }
        if (includeZones.Count == 0)
        {
            throw new ArgumentException($"Obligation '{id}' applies nowhere (no zone included).", nameof(includeZones));
        }
        if (readings.Select(r => r.Party).Distinct().Count() != readings.Count)
        {
            throw new ArgumentException($"Obligation '{id}' has two readings of one party.", nameof(readings));
        }
        Id = id;
        PhaseId = phaseId;
        Clause = clause ?? "";
        Bound = bound;
        Acts = acts;
        Targets = targets;
        IncludeZones = includeZones;
        ExcludeZones = excludeZones;
        Window = window;
        Readings = readings;
    }

    /// <summary>Id, unique in the agreement.</summary>
    public string Id { get; }

    /// <summary>The phase it belongs to.</summary>
    public string PhaseId { get; }

    /// <summary>The clause text as agreed (or as announced).</summary>
    public string Clause { get; }

    /// <summary>Parties bound by it.</summary>
    public IReadOnlyList<PartyCode> Bound { get; }

    /// <summary>Prohibited act kinds.</summary>
    public IReadOnlyList<ActKind> Acts { get; }

    /// <summary>Protected target categories under the text.</summary>
    public TargetSet Targets { get; }

    /// <summary>Zones where it applies.</summary>
    public IReadOnlyList<ZoneId> IncludeZones { get; }

    /// <summary>Zones carved out of <see cref="IncludeZones"/>.</summary>
    public IReadOnlyList<ZoneId> ExcludeZones { get; }

    /// <summary>Its own window, or null to use the phase's.</summary>
    public TimeWindow? Window { get; }

    /// <summary>Parties' readings; empty when the parties read it alike.</summary>
    public IReadOnlyList<Reading> Readings { get; }
}

namespace Ceasefire.Taxonomy;

/// <summary>
/// A kind of act an obligation may prohibit: one entry of the controlled list in <see cref="ActKinds"/>. It mirrors
/// ACLED's sub-event types one to one (so a dataset row maps to exactly one act kind) and adds kinds ACLED lacks
/// (naval attack). The value is an index into <see cref="ActKinds.All"/>; <see cref="Unknown"/> is index 0.
/// </summary>
public readonly record struct ActKind(byte Index)
{
    /// <summary>An act whose kind was not reported or could not be mapped.</summary>
    public static ActKind Unknown => new(0);

    /// <summary>True for <see cref="Unknown"/>.</summary>
    public bool IsUnknown => Index == 0;

    /// <summary>The kind's code, for example <c>air_drone_strike</c>.</summary>
    public string Code => ActKinds.All[Index].Code;

    /// <inheritdoc />
    public override string ToString() => Code;
}

/// <summary>One entry of the act-kind taxonomy.</summary>
/// <param name="Code">Stable code used in agreement files and exports.</param>
/// <param name="Label">English label.</param>
/// <param name="Group">The ACLED event type (or our own group) it belongs to.</param>
/// <param name="AcledSubEventType">The ACLED sub-event type it maps from, if any.</param>
public sealed record ActKindInfo(string Code, string Label, string Group, string? AcledSubEventType);

/// <summary>The controlled list of act kinds. Immutable; safe to share across threads.</summary>
public static class ActKinds
{
    /// <summary>Every act kind; the index of an entry is its <see cref="ActKind.Index"/>.</summary>
    public static IReadOnlyList<ActKindInfo> All { get; } =
    [
        new("unknown", "Unknown act", "Unknown", null),
        new("armed_clash", "Armed clash", "Battles", "Armed clash"),
        new("government_regains_territory", "Government regains territory", "Battles", "Government regains territory"),
        new("non_state_actor_overtakes_territory", "Non-state actor overtakes territory", "Battles", "Non-state actor overtakes territory"),
        new("chemical_weapon", "Chemical weapon", "Explosions/Remote violence", "Chemical weapon"),
        new("air_drone_strike", "Air/drone strike", "Explosions/Remote violence", "Air/drone strike"),
        new("suicide_bomb", "Suicide bomb", "Explosions/Remote violence", "Suicide bomb"),
        new("shelling_artillery_missile", "Shelling/artillery/missile attack", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
        new("remote_explosive", "Remote explosive/landmine/IED", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
        new("grenade", "Grenade", "Explosions/Remote violence", "Grenade"),
        new("sexual_violence", "Sexual violence", "Violence against civilians", "Sexual violence"),
        new("attack", "Attack on civilians", "Violence against civilians", "Attack"),
        new("abduction", "Abduction/forced disappearance", "Violence against civilians", "Abduction/forced disappearance"),
        new("peaceful_protest", "Peaceful protest", "Protests", "Peaceful protest"),
        new("protest_with_intervention", "Protest with intervention", "Protests", "Protest with intervention"),
        new("excessive_force_against_protesters", "Excessive force against protesters", "Protests", "Excessive force against protesters"),
        new("violent_demonstration", "Violent demonstration", "Riots", "Violent demonstration"),
        new("mob_violence", "Mob violence", "Riots", "Mob violence"),
        new("agreement", "Agreement", "Strategic developments", "Agreement"),
        new("arrests", "Arrests", "Strategic developments", "Arrests"),
        new("change_to_group_activity", "Change to group/activity", "Strategic developments", "Change to group/activity"),
        new("disrupted_weapons_use", "Disrupted weapons use", "Strategic developments", "Disrupted weapons use"),
        new("headquarters_or_base_established", "Headquarters or base established", "Strategic developments", "Headquarters or base established"),
        new("looting_property_destruction", "Looting/property destruction", "Strategic developments", "Looting/property destruction"),
        new("non_violent_transfer_of_territory", "Non-violent transfer of territory", "Strategic developments", "Non-violent transfer of territory"),
        new("other", "Other", "Strategic developments", "Other"),
        new("naval_attack", "Naval attack (on or from a vessel)", "Maritime", null),
    ];

    private static readonly Dictionary<string, ActKind> ByCode =
        All.Select((a, i) => (a.Code, Kind: new ActKind((byte)i))).ToDictionary(x => x.Code, x => x.Kind, StringComparer.Ordinal);

    private static readonly Dictionary<string, ActKind> ByAcled =
        All.Select((a, i) => (a.AcledSubEventType, Kind: new ActKind((byte)i)))
           .Where(x => x.AcledSubEventType is not null)
           .ToDictionary(x => x.AcledSubEventType!, x => x.Kind, StringComparer.OrdinalIgnoreCase);

    /// <summary>Finds an act kind by its code; false when the code is not in the taxonomy.</summary>
    public static bool TryParse(string code, out ActKind kind) => ByCode.TryGetValue(code, out kind);

    /// <summary>The act kind of an ACLED sub-event type (case-insensitive), or null when ACLED has no such sub-event type.</summary>
    public static ActKind? FromAcledSubEventType(ReadOnlySpan<char> subEventType) =>
        ByAcled.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(subEventType.Trim(), out var kind) ? kind : null;

    /// <summary>Every code, for error messages.</summary>
    public static IEnumerable<string> Codes => All.Select(a => a.Code);
}

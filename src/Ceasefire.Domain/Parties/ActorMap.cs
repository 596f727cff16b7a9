namespace Ceasefire.Parties;

/// <summary>
/// Maps actor names as they appear in datasets ("Military Forces of Russia (2000-)", "Военно-космические силы") to
/// parties. Matching is exact after trimming and case folding; a rule may also match by prefix. Immutable and safe to
/// share across threads.
/// </summary>
public sealed class ActorMap
{
    private readonly Dictionary<string, PartyCode> _exact;
    private readonly (string Prefix, PartyCode Party)[] _prefixes;

    /// <summary>Creates a map from exact names and name prefixes.</summary>
    public ActorMap(IEnumerable<KeyValuePair<string, PartyCode>> exact, IEnumerable<KeyValuePair<string, PartyCode>>? prefixes = null)
    {
        ArgumentNullException.ThrowIfNull(exact);
        _exact = new Dictionary<string, PartyCode>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, party) in exact)
        {
            _exact[name.Trim()] = party;
        }
        _prefixes = (prefixes ?? []).Select(p => (p.Key.Trim(), p.Value)).OrderByDescending(p => p.Item1.Length).ToArray();
    }

    /// <summary>
    /// The default map for the Russia-Ukraine war: the ACLED actor names of both states' forces and their common
    /// Russian and Ukrainian spellings.
    /// </summary>
    public static ActorMap RussiaUkraineDefault { get; } = new(
        new Dictionary<string, PartyCode>
        {
            ["Military Forces of Russia (2000-)"] = new("RU"),
            ["Military Forces of Russia (2000-) Air Force"] = new("RU"),
            ["Military Forces of Russia (2000-) Navy"] = new("RU"),
            ["Military Forces of Russia (2000-) Wagner Group"] = new("RU"),
            ["Police Forces of Russia (2000-)"] = new("RU"),
            ["Government of Russia (2000-)"] = new("RU"),
            ["Вооружённые силы Российской Федерации"] = new("RU"),
            ["Вооруженные силы Российской Федерации"] = new("RU"),
            ["Військово-космічні сили"] = new("RU"),
            ["Военно-космические силы"] = new("RU"),
            ["Збройні сили Російської Федерації"] = new("RU"),
            ["Military Forces of Ukraine (2019-)"] = new("UA"),
            ["Military Forces of Ukraine (2019-) Air Force"] = new("UA"),
            ["Military Forces of Ukraine (2019-) Navy"] = new("UA"),
            ["Police Forces of Ukraine (2019-)"] = new("UA"),
            ["Government of Ukraine (2019-)"] = new("UA"),
            ["Збройні сили України"] = new("UA"),
            ["Вооружённые силы Украины"] = new("UA"),
            ["Вооруженные силы Украины"] = new("UA"),
        },
        new Dictionary<string, PartyCode>
        {
            ["Military Forces of Russia"] = new("RU"),
            ["Military Forces of Ukraine"] = new("UA"),
        });

    /// <summary>The party an actor name maps to, or null when the actor is not mapped.</summary>
    public PartyCode? Resolve(ReadOnlySpan<char> actor)
    {
        actor = actor.Trim();
        if (actor.IsEmpty)
        {
            return null;
        }
        var lookup = _exact.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(actor, out var party))
        {
            return party;
        }
        foreach (var (prefix, p) in _prefixes)
        {
            if (actor.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return p;
            }
        }
        return null;
    }
}

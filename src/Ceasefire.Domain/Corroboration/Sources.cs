using System.Globalization;
using System.Text;
using Ceasefire.Incidents;
using Ceasefire.Parties;

namespace Ceasefire.Corroboration;

/// <summary>What kind of source a report comes from; sets the default credibility of its information.</summary>
public enum SourceType
{
    /// <summary>Not in the registry.</summary>
    Unknown,

    /// <summary>The mission's own field monitors.</summary>
    Monitor,

    /// <summary>A curated dataset (ACLED, UCDP GED).</summary>
    Dataset,

    /// <summary>A news agency whose stories others syndicate (Reuters, AP, AFP, Interfax).</summary>
    Wire,

    /// <summary>A newspaper, broadcaster or news site.</summary>
    Outlet,

    /// <summary>A government body of a party to the agreement (ministry, general staff, governor), or a company it owns.</summary>
    Party,

    /// <summary>A government or body of a state not party to the agreement, or an international organisation.</summary>
    Official,

    /// <summary>A social-media account or channel.</summary>
    Social,
}

/// <summary>One entry of the source registry.</summary>
/// <param name="Id">Stable id (<c>reuters</c>, <c>ru-mod</c>).</param>
/// <param name="Name">Name as sources write it.</param>
/// <param name="Aliases">Other names it appears under (other languages, abbreviations, "X via Y" forms).</param>
/// <param name="Type">Kind of source.</param>
/// <param name="Reliability">Admiralty source reliability, A (completely reliable) to F (cannot be judged).</param>
/// <param name="Group">
/// Independence group: sources that publish the same story (a wire and the outlets that syndicate it, a ministry and
/// its press service) share a group and count as one source. Defaults to <paramref name="Id"/>.
/// </param>
/// <param name="Party">The party it speaks for, if any.</param>
public sealed record Source(string Id, string Name, IReadOnlyList<string> Aliases, SourceType Type, char Reliability, string Group, PartyCode? Party = null)
{
    /// <summary>
    /// The default information credibility (1-6) of a report from this kind of source before analysts look at it:
    /// monitor 2 (probably true), dataset, wire, outlet and officials 3 (possibly true), a party speaking of the other
    /// party 4 (doubtful: an interested claim), social media 5, unknown 6 (cannot be judged). Corroboration by
    /// another independent group raises an incident to 1 (<see cref="IncidentDerivation"/>).
    /// </summary>
    public int DefaultCredibility => Type switch
    {
        SourceType.Monitor => 2,
        SourceType.Dataset or SourceType.Wire or SourceType.Outlet or SourceType.Official => 3,
        SourceType.Party => 4,
        SourceType.Social => 5,
        _ => 6,
    };
}

/// <summary>
/// The registry of sources: who they are, how reliable, and which of them are one source (independence groups).
/// Resolves the source names a report carries ("Ministry of Defence of Russia; Reuters") to entries; a name not in
/// the registry is a source of its own, of unknown type and reliability F. Immutable.
/// </summary>
public sealed class SourceRegistry
{
    private readonly Dictionary<string, Source> _byName = new(StringComparer.Ordinal);

    /// <summary>Creates a registry; throws on duplicate ids or a name claimed by two sources.</summary>
    public SourceRegistry(IEnumerable<Source> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var list = sources.ToList();
        if (list.Select(s => s.Id).Distinct(StringComparer.Ordinal).Count() != list.Count)
        {
            throw new ArgumentException("Two sources share an id.", nameof(sources));
        }
        foreach (var s in list)
        {
            if (s.Reliability is < 'A' or > 'F')
            {
                throw new ArgumentException($"Source '{s.Id}': reliability must be a letter A-F.", nameof(sources));
            }
            foreach (var name in s.Aliases.Append(s.Name).Append(s.Id))
            {
                var key = Normalize(name);
                if (_byName.TryGetValue(key, out var other) && other.Id != s.Id)
                {
                    throw new ArgumentException($"The name '{name}' belongs to both '{other.Id}' and '{s.Id}'.", nameof(sources));
                }
                _byName[key] = s;
            }
        }
        Sources = list;
    }

    /// <summary>An empty registry: every source is unknown.</summary>
    public static SourceRegistry Empty { get; } = new([]);

    /// <summary>The entries.</summary>
    public IReadOnlyList<Source> Sources { get; }

    /// <summary>The entry for <paramref name="name"/>, or an unknown source of its own (reliability F) if not registered.</summary>
    public Source Resolve(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.Trim();
        if (_byName.TryGetValue(Normalize(trimmed), out var s))
        {
            return s;
        }
        // "Reuters via Global Banking & Finance Review": the story is the wire's.
        var via = trimmed.IndexOf(" via ", StringComparison.OrdinalIgnoreCase);
        if (via > 0 && _byName.TryGetValue(Normalize(trimmed[..via]), out var origin))
        {
            return origin;
        }
        var id = "unregistered:" + Normalize(trimmed);
        return new Source(id, trimmed, [], SourceType.Unknown, 'F', id);
    }

    /// <summary>The sources a report names in its source field (names separated by ';'), resolved, without repeats.</summary>
    public IReadOnlyList<Source> SourcesOf(Incident report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var names = (report.Source ?? report.Claimant ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return names.Select(Resolve).DistinctBy(s => s.Id).ToList();
    }

    /// <summary>
    /// The grade a report gets before analysts look at it: the reliability of its best source and that source's
    /// default credibility. A grade the report carries itself (a monitor's own assessment, a dataset column) wins.
    /// </summary>
    public SourceGrade DefaultGrade(Incident report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Grade.Reliability != default)
        {
            return report.Grade;
        }
        var best = SourcesOf(report).OrderBy(s => s.Reliability).ThenBy(s => s.DefaultCredibility).FirstOrDefault();
        return best is null ? SourceGrade.Unassessed : new SourceGrade(best.Reliability, best.DefaultCredibility);
    }

    /// <summary>
    /// Where a report's information comes from: the first source it names (the others named after it relay the
    /// claim, as outlets relay a ministry's statement); an unknown source when it names none.
    /// </summary>
    public Source Origin(Incident report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return SourcesOf(report).FirstOrDefault() ?? Resolve("unnamed");
    }

    /// <summary>
    /// The independence groups behind a set of reports: the groups of their origins, so that syndicated copies of one
    /// story, and outlets relaying one statement, count once.
    /// </summary>
    public IReadOnlyList<string> IndependentGroups(IEnumerable<Incident> reports) =>
        reports.Select(r => Origin(r).Group).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>Lower-case, accents and punctuation folded, spaces collapsed: how names are matched.</summary>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var sb = new StringBuilder(name.Length);
        var space = false;
        foreach (var ch in name.Normalize(NormalizationForm.FormD))
        {
            var cat = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (cat == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            if (char.IsLetterOrDigit(ch))
            {
                if (space && sb.Length > 0)
                {
                    sb.Append(' ');
                }
                sb.Append(char.ToLowerInvariant(ch));
                space = false;
            }
            else
            {
                space = true;
            }
        }
        return sb.ToString();
    }
}

using Ceasefire.Geo;
using Ceasefire.Parties;
using Ceasefire.Taxonomy;
using Ceasefire.Time;

namespace Ceasefire.Incidents;

/// <summary>
/// One real-world event as a monitor rules on it: when (with precision), where (with uncertainty), what act, against
/// what target, alleged perpetrator (or unknown), who claims it, the source and its Admiralty grade, and links.
/// Immutable.
/// </summary>
public sealed record Incident
{
    /// <summary>Creates an incident.</summary>
    public Incident(
        IncidentId id, IncidentTime time, IncidentLocation location, ActKind act, TargetInference target,
        PartyCode? perpetrator, string? perpetratorActor, string? claimant, string? source, SourceGrade grade,
        IReadOnlyList<string>? links = null, string? notes = null, Casualties casualties = default,
        IReadOnlyDictionary<string, string>? attributes = null)
    {
        if (id.Value is null)
        {
            throw new ArgumentException("An incident needs an id.", nameof(id));
        }
        ArgumentNullException.ThrowIfNull(target);
        Id = id;
        Time = time;
        Location = location;
        Act = act;
        Target = target;
        Perpetrator = perpetrator;
        PerpetratorActor = perpetratorActor;
        Claimant = claimant;
        Source = source;
        Grade = grade;
        Links = links ?? [];
        Notes = notes;
        Casualties = casualties;
        Attributes = attributes ?? EmptyAttributes;
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyAttributes = new Dictionary<string, string>();

    /// <summary>Id.</summary>
    public IncidentId Id { get; }

    /// <summary>The same incident under another id (for example the store's report key).</summary>
    public Incident WithId(IncidentId id) =>
        new(id, Time, Location, Act, Target, Perpetrator, PerpetratorActor, Claimant, Source, Grade, Links, Notes, Casualties, Attributes);

    /// <summary>When, with precision.</summary>
    public IncidentTime Time { get; }

    /// <summary>Where, with uncertainty.</summary>
    public IncidentLocation Location { get; }

    /// <summary>What act.</summary>
    public ActKind Act { get; }

    /// <summary>What was hit, and how we know.</summary>
    public TargetInference Target { get; }

    /// <summary>The party alleged to have done it, or null when undetermined.</summary>
    public PartyCode? Perpetrator { get; }

    /// <summary>The actor as named by the source ("Military Forces of Ukraine (2019-)").</summary>
    public string? PerpetratorActor { get; }

    /// <summary>Who makes the claim (a party's ministry, a monitor team, a dataset).</summary>
    public string? Claimant { get; }

    /// <summary>The source (outlet, dataset) as named.</summary>
    public string? Source { get; }

    /// <summary>Admiralty grade of the source and information.</summary>
    public SourceGrade Grade { get; }

    /// <summary>Links to the reports.</summary>
    public IReadOnlyList<string> Links { get; }

    /// <summary>Description as reported.</summary>
    public string? Notes { get; }

    /// <summary>Reported deaths (low, best, high).</summary>
    public Casualties Casualties { get; }

    /// <summary>
    /// Every other field of the source record, by its name in the source (ACLED's <c>inter1</c>, <c>tags</c>, ...), kept
    /// so that nothing a dataset said is lost.
    /// </summary>
    public IReadOnlyDictionary<string, string> Attributes { get; }
}

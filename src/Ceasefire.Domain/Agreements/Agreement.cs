using Ceasefire.Parties;

namespace Ceasefire.Agreements;

/// <summary>
/// One version of an agreement: parties, phases and obligations, as loaded from an agreement file. Amendments are new
/// versions of the same <see cref="Id"/>, never edits. Immutable; validated by construction.
/// </summary>
public sealed record Agreement
{
    /// <summary>
    /// Creates a version; throws on duplicate ids or dangling references, and on a
    /// <paramref name="complaintResponsePeriod"/> that is not positive.
    /// </summary>
    public Agreement(
        string id, int version, string title, DateTimeOffset? effective, TimeZoneInfo timeZone, IReadOnlyList<Party> parties,
        IReadOnlyList<Phase> phases, IReadOnlyList<Obligation> obligations, IReadOnlyList<DerivedZone> derivedZones,
        string? source = null, TimeSpan? complaintResponsePeriod = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        ArgumentNullException.ThrowIfNull(timeZone);
        ArgumentNullException.ThrowIfNull(parties);
        ArgumentNullException.ThrowIfNull(phases);
        ArgumentNullException.ThrowIfNull(obligations);
        ArgumentNullException.ThrowIfNull(derivedZones);
        if (complaintResponsePeriod is { } period && period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(complaintResponsePeriod), period, "The complaint response period must be positive.");
        }
        var partyCodes = parties.Select(p => p.Code).ToHashSet();
        if (partyCodes.Count != parties.Count)
        {
            throw new ArgumentException("Two parties share a code.", nameof(parties));
        }
        var phaseIds = phases.Select(p => p.Id).ToHashSet();
        if (phaseIds.Count != phases.Count)
        {
            throw new ArgumentException("Two phases share an id.", nameof(phases));
        }
        if (obligations.Select(o => o.Id).Distinct().Count() != obligations.Count)
        {
            throw new ArgumentException("Two obligations share an id.", nameof(obligations));
        }
        foreach (var o in obligations)
        {
            if (!phaseIds.Contains(o.PhaseId))
            {
                throw new ArgumentException($"Obligation '{o.Id}' names unknown phase '{o.PhaseId}'.", nameof(obligations));
            }
            foreach (var p in o.Bound.Concat(o.Readings.Select(r => r.Party)))
            {
                if (!partyCodes.Contains(p))
                {
                    throw new ArgumentException($"Obligation '{o.Id}' names unknown party '{p}'.", nameof(obligations));
                }
            }
        }
        Id = id;
        Version = version;
        Title = title ?? id;
        Effective = effective?.ToUniversalTime();
        TimeZone = timeZone;
        Parties = parties;
        Phases = phases;
        Obligations = obligations;
        DerivedZones = derivedZones;
        Source = source;
        ComplaintResponsePeriod = complaintResponsePeriod;
    }

    /// <summary>Stable id of the agreement across versions.</summary>
    public string Id { get; }

    /// <summary>Version number, 1 for the original.</summary>
    public int Version { get; }

    /// <summary>Title.</summary>
    public string Title { get; }

    /// <summary>
    /// From when this version governs incidents (UTC); null means from the beginning. An incident is ruled under the
    /// latest version whose <see cref="Effective"/> is at or before the incident's earliest possible time.
    /// </summary>
    public DateTimeOffset? Effective { get; }

    /// <summary>Time zone in which dates without an offset are read.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>Parties.</summary>
    public IReadOnlyList<Party> Parties { get; }

    /// <summary>Phases.</summary>
    public IReadOnlyList<Phase> Phases { get; }

    /// <summary>Obligations.</summary>
    public IReadOnlyList<Obligation> Obligations { get; }

    /// <summary>Zones this agreement derives from library zones (unions, differences, buffers).</summary>
    public IReadOnlyList<DerivedZone> DerivedZones { get; }

    /// <summary>Where the text comes from (file path or URL).</summary>
    public string? Source { get; }

    /// <summary>
    /// How long an accused party has to answer a formal complaint, counted from the instant the complaint is filed
    /// (exact elapsed time); from the file's <c>complaints.response_period</c>. Null when the agreement sets none: the
    /// complaints module then uses its documented default (<c>Ceasefire.Complaints.ResponsePeriod.DefaultHours</c>).
    /// </summary>
    public TimeSpan? ComplaintResponsePeriod { get; }

    /// <summary>The phase with <paramref name="id"/>.</summary>
    public Phase Phase(string id) => Phases.First(p => p.Id == id);
}

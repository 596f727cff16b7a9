using Ceasefire.Geo;
using Ceasefire.Incidents;
using Ceasefire.Parties;
using Ceasefire.Taxonomy;
using Ceasefire.Time;

namespace Ceasefire.Corroboration;

/// <summary>One side of an attribution: the party a set of reports blames, and those reports.</summary>
/// <param name="Party">The accused party (null: the reports name no perpetrator).</param>
/// <param name="ReportKeys">The reports that say so.</param>
/// <param name="Claimants">Who makes the claim in those reports.</param>
/// <param name="Confidence">How well those reports support it: 1 - product over their independent sources of (1 - best grade weight).</param>
public sealed record Attribution(PartyCode? Party, IReadOnlyList<string> ReportKeys, IReadOnlyList<string> Claimants, double Confidence);

/// <summary>
/// An incident as derived from its reports: when and where (from the most precise reports), what act and target,
/// who is blamed (all sides when they differ), casualties as a range, the independent sources behind it, a grade and
/// a confidence. What the adjudicator rules on.
/// </summary>
/// <param name="Id">Incident id.</param>
/// <param name="Cluster">The reports and how they came together.</param>
/// <param name="Time">Intersection of the reports' intervals when they overlap, otherwise the span of them all.</param>
/// <param name="Location">The most precise report's point and uncertainty.</param>
/// <param name="SpreadMetres">Farthest distance from that point to another report's point.</param>
/// <param name="Act">The act most reports give (weighted by grade).</param>
/// <param name="Target">The best-established target: stated beats inferred beats unknown.</param>
/// <param name="Attributions">Each party blamed, with its reports; one entry when the reports agree.</param>
/// <param name="Casualties">Low: least of the lows; high: most of the highs; best: median of the best estimates.</param>
/// <param name="SourceGroups">Independent sources (syndicated copies count once).</param>
/// <param name="Grade">Best reliability among the reports; credibility 1 (confirmed) when two or more independent sources agree on the act and nobody disputes the attribution, else the best credibility among the reports.</param>
/// <param name="Confidence">That the event happened: 1 - product over independent sources of (1 - best grade weight).</param>
public sealed record CorroboratedIncident(
    string Id, IncidentCluster Cluster, IncidentTime Time, IncidentLocation Location, double SpreadMetres, ActKind Act, TargetInference Target,
    IReadOnlyList<Attribution> Attributions, Casualties Casualties, IReadOnlyList<string> SourceGroups, SourceGrade Grade, double Confidence)
{
    /// <summary>True when the reports blame different parties.</summary>
    public bool Disputed => Attributions.Count(a => a.Party is not null) > 1;

    /// <summary>
    /// What the adjudicator rules: one incident when the attribution is agreed (or nobody is named), otherwise one per
    /// accused party (id <c>incident#party</c>), each carrying that side's reports, so that no side is picked silently.
    /// </summary>
    public IReadOnlyList<(Attribution? Side, Incident Incident)> ForAdjudication()
    {
        var notes = $"Incident of {Cluster.Members.Count} report(s): {string.Join(", ", Cluster.Members.Select(m => m.Key))}.";
        Incident Make(string id, PartyCode? party, Attribution? side) => new(
            new IncidentId(id), Time, Location, Act, Target, party, null,
            side is null ? null : string.Join("; ", side.Claimants), string.Join("; ", SourceGroups), Grade, [], notes, Casualties);
        if (!Disputed)
        {
            var side = Attributions.FirstOrDefault(a => a.Party is not null);
            return [(side, Make(Id, side?.Party, side))];
        }
        return Attributions.Where(a => a.Party is not null).Select(a => ((Attribution?)a, Make($"{Id}#{a.Party!.Value.Value}", a.Party, a))).ToList();
    }
}

/// <summary>Derives incidents from their reports. Thread-safe.</summary>
public static class IncidentDerivation
{
    /// <summary>Derives the incident of <paramref name="cluster"/>.</summary>
    /// <param name="cluster">The incident's reports.</param>
    /// <param name="reports">Every report by key (at least the cluster's).</param>
    /// <param name="sources">The source registry.</param>
    /// <param name="grades">Each report's grade (analysts' overrides applied); missing reports get the registry's default.</param>
    public static CorroboratedIncident Derive(IncidentCluster cluster, IReadOnlyDictionary<string, Incident> reports, SourceRegistry sources, IReadOnlyDictionary<string, SourceGrade>? grades = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(sources);
        var members = cluster.Members.Select(m => (m.Key, Report: reports[m.Key])).ToList();
        SourceGrade GradeOf(string key, Incident r) => grades is not null && grades.TryGetValue(key, out var g) ? g : sources.DefaultGrade(r);
        var graded = members.Select(m => (m.Key, m.Report, Grade: GradeOf(m.Key, m.Report))).ToList();

        // When: the intersection of the intervals if they overlap (each report narrows it), else their span, with the
        // precision of its length.
        var earliest = graded.Max(m => m.Report.Time.Earliest);
        var latest = graded.Min(m => m.Report.Time.Latest);
        IncidentTime time;
        if (earliest < latest)
        {
            var narrowest = graded.OrderBy(m => m.Report.Time.Latest - m.Report.Time.Earliest).First().Report.Time;
            time = earliest == narrowest.Earliest && latest == narrowest.Latest ? narrowest : IncidentTime.FromRange(earliest, latest, narrowest.Precision);
        }
        else if (earliest == latest && graded.Any(m => m.Report.Time.Precision == TimePrecision.Instant && m.Report.Time.Earliest == earliest))
        {
            time = IncidentTime.At(earliest);
        }
        else
        {
            var from = graded.Min(m => m.Report.Time.Earliest);
            var to = graded.Max(m => m.Report.Time.Latest);
            var span = to - from;
            var precision = span <= TimeSpan.FromHours(1) ? TimePrecision.Hour : span <= TimeSpan.FromHours(25) ? TimePrecision.Day
                : span <= TimeSpan.FromDays(7) ? TimePrecision.Week : TimePrecision.Month;
            time = IncidentTime.FromRange(from, to, precision);
        }

        // Where: the most precise report (then the best graded, then the key).
        var anchor = graded.OrderBy(m => m.Report.Location.RadiusMetres).ThenByDescending(m => m.Grade.Weight).ThenBy(m => m.Key, StringComparer.Ordinal).First();
        var location = anchor.Report.Location;
        var spread = graded.Max(m => CandidateSearch.DistanceMetres(location.Latitude, location.Longitude, m.Report.Location.Latitude, m.Report.Location.Longitude));

        // What: the act with the most grade weight behind it; unknown only when nobody says.
        var act = graded.Where(m => !m.Report.Act.IsUnknown).GroupBy(m => m.Report.Act)
            .OrderByDescending(g => g.Sum(m => m.Grade.Weight)).ThenBy(g => g.Key.Index).Select(g => g.Key).FirstOrDefault();
        var target = graded.Select(m => m.Report.Target).OrderBy(t => t.Basis switch { TargetBasis.Stated => 0, TargetBasis.Inferred => 1, _ => 2 })
            .ThenBy(t => t.Category.IsUnknown ? 1 : 0).First();

        // Who: every party blamed, with the reports that blame it.
        var attributions = graded.GroupBy(m => m.Report.Perpetrator).OrderBy(g => g.Key is null ? 1 : 0).ThenBy(g => g.Key?.Value, StringComparer.Ordinal)
            .Select(g => new Attribution(g.Key, g.Select(m => m.Key).ToList(),
                g.Select(m => m.Report.Claimant ?? m.Report.Source ?? "unnamed").Distinct(StringComparer.Ordinal).ToList(),
                Combine(g.Select(m => (m.Report, m.Grade)), sources)))
            .ToList();
        if (attributions.Count > 1 && attributions.Any(a => a.Party is not null))
        {
            // Reports that name nobody do not make a side of their own once others do.
            attributions = attributions.Where(a => a.Party is not null).ToList();
        }

        var lows = graded.Select(m => m.Report.Casualties.Low).Where(x => x is not null).Select(x => x!.Value).ToList();
        var highs = graded.Select(m => m.Report.Casualties.High).Where(x => x is not null).Select(x => x!.Value).ToList();
        var bests = graded.Select(m => m.Report.Casualties.Best).Where(x => x is not null).Select(x => x!.Value).Order().ToList();
        var casualties = lows.Count + highs.Count + bests.Count == 0 ? Casualties.Unknown
            : new Casualties(lows.Count > 0 ? lows.Min() : null, bests.Count > 0 ? bests[(bests.Count - 1) / 2] : null, highs.Count > 0 ? highs.Max() : null);

        var groups = sources.IndependentGroups(graded.Select(m => m.Report));
        var bestReliability = graded.Min(m => m.Grade.Reliability == default ? 'F' : m.Grade.Reliability);
        var disputed = attributions.Count(a => a.Party is not null) > 1;
        var agreeingGroups = sources.IndependentGroups(graded.Where(m => m.Report.Act == act).Select(m => m.Report)).Count;
        var credibility = !disputed && agreeingGroups >= 2 ? 1 : graded.Min(m => m.Grade.Credibility == 0 ? 6 : m.Grade.Credibility);
        var grade = new SourceGrade(bestReliability, credibility);
        var confidence = Combine(graded.Select(m => (m.Report, m.Grade)), sources);
        return new CorroboratedIncident(cluster.Id, cluster, time, location, spread, act, target, attributions, casualties, groups, grade, confidence);
    }

    /// <summary>1 - product over the independent groups of the reports' origins of (1 - the best grade weight of the reports from that group).</summary>
    private static double Combine(IEnumerable<(Incident Report, SourceGrade Grade)> reports, SourceRegistry sources)
    {
        var best = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (report, grade) in reports)
        {
            var group = sources.Origin(report).Group;
            best[group] = Math.Max(best.GetValueOrDefault(group), grade.Weight);
        }
        return 1 - best.Values.Aggregate(1.0, (p, w) => p * (1 - w));
    }
}

using Ceasefire.Incidents;
using Ceasefire.Taxonomy;

namespace Ceasefire.Corroboration;

/// <summary>A report as corroboration sees it: its key in the store and the report.</summary>
/// <param name="Key">Store key (<c>dataset:id</c>).</param>
/// <param name="Report">The report.</param>
public sealed record KeyedReport(string Key, Incident Report);

/// <summary>How reports are merged into incidents.</summary>
/// <param name="Window">Candidate window (24 h and 5 km by default, widened by each report's precision).</param>
/// <param name="AutoMerge">A candidate scoring at least this joins the incident of its reference report.</param>
/// <param name="Review">A candidate scoring at least this (and less than <paramref name="AutoMerge"/>) is queued for an analyst.</param>
public sealed record ClusterOptions(CandidateWindow Window, double AutoMerge = 0.75, double Review = 0.5)
{
    /// <summary>24 h, 5 km, merge from 0.75, review from 0.5.</summary>
    public static ClusterOptions Default { get; } = new(CandidateWindow.Default);
}

/// <summary>The score of a candidate pair and its parts, each in [0, 1].</summary>
/// <param name="Score">0.3 time + 0.3 space + 0.25 act + 0.15 place.</param>
/// <param name="Time">1 when the time intervals overlap, falling linearly to 0 at the window's gap.</param>
/// <param name="Space">1 when the uncertainty circles touch, falling linearly to 0 at the window's distance beyond them.</param>
/// <param name="Act">1 for the same act kind; 0.6 for kinds of one family (ACLED event type); 0.5 when either is unknown.</param>
/// <param name="Place">1 when both name the same place (across scripts); 0 when both name places that differ; 0.5 otherwise.</param>
/// <param name="DistanceMetres">Great-circle distance between the points.</param>
/// <param name="GapSeconds">Gap between the time intervals (0 when they overlap).</param>
public readonly record struct PairScore(double Score, double Time, double Space, double Act, double Place, double DistanceMetres, long GapSeconds)
{
    /// <summary>"score 0.91 (time 1.00, space 1.00, act 0.60, place 1.00; 0.0 km, 0 h apart)".</summary>
    public override string ToString() =>
        $"score {Score:0.00} (time {Time:0.00}, space {Space:0.00}, act {Act:0.00}, place {Place:0.00}; {DistanceMetres / 1000:0.0} km, {GapSeconds / 3600.0:0.#} h apart)";
}

/// <summary>Scores candidate pairs. Thread-safe.</summary>
public static class CandidateScoring
{
    /// <summary>The report's time interval in whole Unix seconds, end inclusive (an instant is one second).</summary>
    public static (long Start, long End) Interval(Incident report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var start = report.Time.Earliest.ToUnixTimeSeconds();
        var latest = report.Time.Latest;
        var end = latest == report.Time.Earliest ? start : (long)Math.Ceiling((latest - DateTimeOffset.UnixEpoch).TotalSeconds) - 1;
        return (start, Math.Max(start, end));
    }

    /// <summary>True when two act kinds can describe one event: the same kind, one family, or either unknown.</summary>
    public static bool Compatible(ActKind a, ActKind b) =>
        a == b || a.IsUnknown || b.IsUnknown || ActKinds.All[a.Index].Group == ActKinds.All[b.Index].Group;

    /// <summary>Scores two reports; null when their act kinds cannot describe one event.</summary>
    /// <param name="a">One report.</param>
    /// <param name="b">The other.</param>
    /// <param name="window">The candidate window the time and space parts are measured against.</param>
    /// <param name="samePlace">Compares place names (<see cref="PlaceNames.SamePlace"/> by default; callers may memoise it).</param>
    public static PairScore? Score(Incident a, Incident b, CandidateWindow window, Func<string, string, bool>? samePlace = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!Compatible(a.Act, b.Act))
        {
            return null;
        }
        var (sa, ea) = Interval(a);
        var (sb, eb) = Interval(b);
        var gap = Math.Max(0, Math.Max(sb - ea, sa - eb));
        var maxGap = Math.Max(1, window.MaxGap.TotalSeconds);
        var time = Math.Clamp(1 - (gap / maxGap), 0, 1);
        var distance = CandidateSearch.DistanceMetres(a.Location.Latitude, a.Location.Longitude, b.Location.Latitude, b.Location.Longitude);
        var excess = Math.Max(0, distance - a.Location.RadiusMetres - b.Location.RadiusMetres);
        var space = Math.Clamp(1 - (excess / Math.Max(1, window.MaxDistanceMetres)), 0, 1);
        var act = a.Act == b.Act ? (a.Act.IsUnknown ? 0.5 : 1) : a.Act.IsUnknown || b.Act.IsUnknown ? 0.5 : 0.6;
        var place = a.Location.PlaceName is { } pa && b.Location.PlaceName is { } pb ? ((samePlace ?? PlaceNames.SamePlace)(pa, pb) ? 1 : 0) : 0.5;
        var score = (0.3 * time) + (0.3 * space) + (0.25 * act) + (0.15 * place);
        return new PairScore(score, time, space, act, place, distance, gap);
    }
}

/// <summary>How a report came to be in its incident.</summary>
public enum MemberRole
{
    /// <summary>The incident's reference report: every other automatic member was matched against it.</summary>
    Reference,

    /// <summary>Matched against the reference report with a score at or above the merge threshold.</summary>
    Matched,

    /// <summary>Put there by an analyst (a merge, or an accepted review).</summary>
    Analyst,
}

/// <summary>A report in an incident.</summary>
/// <param name="Key">Report key.</param>
/// <param name="Role">How it came to be there.</param>
/// <param name="Score">Its score against the reference report, when matched automatically.</param>
public sealed record IncidentMember(string Key, MemberRole Role, PairScore? Score = null);

/// <summary>A candidate an analyst should look at: the report might belong to the incident.</summary>
/// <param name="IncidentId">The incident.</param>
/// <param name="ReportKey">The report, which stays where it is until an analyst decides.</param>
/// <param name="Score">Its score against the incident's reference report.</param>
public sealed record ReviewItem(string IncidentId, string ReportKey, PairScore Score);

/// <summary>An incident: reports of one event, with how each came to be there and what analysts did to it.</summary>
/// <param name="Id">Id: <c>inc:</c> and the reference report's key.</param>
/// <param name="Members">The reports, the reference first.</param>
/// <param name="ConfirmedBy">The analyst who confirmed it, if one did.</param>
/// <param name="History">What analysts did to it, oldest first, each with who, when and why.</param>
public sealed record IncidentCluster(string Id, IReadOnlyList<IncidentMember> Members, string? ConfirmedBy, IReadOnlyList<string> History)
{
    /// <summary>The reference report's key.</summary>
    public string ReferenceKey => Members[0].Key;

    /// <summary>The id an incident with this reference report has.</summary>
    public static string IdFor(string referenceKey) => "inc:" + referenceKey;
}

/// <summary>An analyst's decision about incidents, kept on the log and applied after every automatic clustering.</summary>
/// <param name="Analyst">Who.</param>
/// <param name="Reason">Why (required).</param>
/// <param name="At">When.</param>
public abstract record AnalystDecision(string Analyst, string Reason, DateTimeOffset At)
{
    /// <summary>"2025-03-22 12:00Z alice: reason".</summary>
    protected string Stamp => $"{At.UtcDateTime:yyyy-MM-dd HH:mm}Z {Analyst}";
}

/// <summary>The incidents holding these reports become one (the one whose reference report is earliest keeps its id).</summary>
/// <param name="ReportKeys">Reports (at least two incidents' worth).</param>
/// <param name="Analyst">Who.</param>
/// <param name="Reason">Why.</param>
/// <param name="At">When.</param>
public sealed record MergeDecision(IReadOnlyList<string> ReportKeys, string Analyst, string Reason, DateTimeOffset At) : AnalystDecision(Analyst, Reason, At);

/// <summary>These reports leave their incidents and form an incident of their own.</summary>
/// <param name="ReportKeys">Reports.</param>
/// <param name="Analyst">Who.</param>
/// <param name="Reason">Why.</param>
/// <param name="At">When.</param>
public sealed record SplitDecision(IReadOnlyList<string> ReportKeys, string Analyst, string Reason, DateTimeOffset At) : AnalystDecision(Analyst, Reason, At);

/// <summary>The incident holding this report is confirmed as it stands.</summary>
/// <param name="ReportKey">Any report of the incident.</param>
/// <param name="Analyst">Who.</param>
/// <param name="Reason">Why.</param>
/// <param name="At">When.</param>
public sealed record ConfirmDecision(string ReportKey, string Analyst, string Reason, DateTimeOffset At) : AnalystDecision(Analyst, Reason, At);

/// <summary>A queued candidate decided: accepted (the report joins the incident of <paramref name="WithReportKey"/>) or rejected.</summary>
/// <param name="ReportKey">The queued report.</param>
/// <param name="WithReportKey">A report of the incident it was queued for (its reference report).</param>
/// <param name="Accept">Whether it joins.</param>
/// <param name="Analyst">Who.</param>
/// <param name="Reason">Why.</param>
/// <param name="At">When.</param>
public sealed record ReviewDecision(string ReportKey, string WithReportKey, bool Accept, string Analyst, string Reason, DateTimeOffset At) : AnalystDecision(Analyst, Reason, At);

/// <summary>The outcome of clustering: incidents, the review queue, and figures.</summary>
/// <param name="Incidents">Every incident (a report no other matches is an incident of one), ordered by id.</param>
/// <param name="Review">Candidates waiting for an analyst.</param>
/// <param name="CandidatePairs">Candidate pairs found (time and space only, before act compatibility).</param>
/// <param name="Warnings">Decisions that could not be applied (a report no longer in the store, ...).</param>
public sealed record ClusterResult(IReadOnlyList<IncidentCluster> Incidents, IReadOnlyList<ReviewItem> Review, long CandidatePairs, IReadOnlyList<string> Warnings)
{
    /// <summary>The largest incident's number of reports.</summary>
    public int LargestIncident => Incidents.Count == 0 ? 0 : Incidents.Max(i => i.Members.Count);
}

/// <summary>
/// Merges reports into incidents. The rule that keeps a dense front line from collapsing into one giant incident is
/// <b>linkage against a reference report</b>: reports are taken in time order (then key); a report not yet in an
/// incident becomes the reference of a new one, and only its own candidates join, when they score at least
/// <see cref="ClusterOptions.AutoMerge"/> and are not yet in an incident. A member is never used to pull in further
/// reports, so every automatic member lies within the window of the reference: an incident spans at most twice the
/// window in time (48 h) and in space (10 km, plus the uncertainty radii). Candidates scoring between
/// <see cref="ClusterOptions.Review"/> and the merge threshold are queued for an analyst. Analysts' decisions
/// (merge, split, confirm, review) are then applied in the order they were made. Deterministic for the same input.
/// </summary>
public static class IncidentClusterer
{
    /// <summary>Clusters <paramref name="reports"/> and applies <paramref name="decisions"/>.</summary>
    public static ClusterResult Cluster(IReadOnlyList<KeyedReport> reports, IReadOnlyList<AnalystDecision>? decisions = null, ClusterOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var o = options ?? ClusterOptions.Default;
        var n = reports.Count;
        var start = new long[n];
        var end = new long[n];
        var lat = new double[n];
        var lon = new double[n];
        var radius = new double[n];
        for (var i = 0; i < n; i++)
        {
            var r = reports[i].Report;
            (start[i], end[i]) = CandidateScoring.Interval(r);
            lat[i] = r.Location.Latitude;
            lon[i] = r.Location.Longitude;
            radius[i] = r.Location.RadiusMetres;
        }
        var pairs = CandidateSearch.Find(new CandidatePoints(start, end, lat, lon, radius), o.Window, cancellationToken: cancellationToken);
        var (offsets, neighbours) = pairs.Adjacency();

        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (x, y) =>
        {
            var c = start[x].CompareTo(start[y]);
            return c != 0 ? c : string.CompareOrdinal(reports[x].Key, reports[y].Key);
        });
        var incidentOf = new int[n];
        Array.Fill(incidentOf, -1);
        // Place names repeat (a dataset names a few thousand places): each distinct pair is compared once.
        var places = new Dictionary<(string, string), bool>();
        bool SamePlace(string x, string y)
        {
            var key = string.CompareOrdinal(x, y) <= 0 ? (x, y) : (y, x);
            if (!places.TryGetValue(key, out var same))
            {
                places[key] = same = PlaceNames.SamePlace(x, y);
            }
            return same;
        }
        var members = new List<List<IncidentMember>>();
        var review = new List<(int Incident, int Report, PairScore Score)>();
        foreach (var r in order)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (incidentOf[r] >= 0)
            {
                continue;
            }
            var id = members.Count;
            incidentOf[r] = id;
            var list = new List<IncidentMember> { new(reports[r].Key, MemberRole.Reference) };
            members.Add(list);
            for (var k = offsets[r]; k < offsets[r + 1]; k++)
            {
                var s = neighbours[k];
                if (incidentOf[s] >= 0 || CandidateScoring.Score(reports[r].Report, reports[s].Report, o.Window, SamePlace) is not { } score)
                {
                    continue;
                }
                if (score.Score >= o.AutoMerge)
                {
                    incidentOf[s] = id;
                    list.Add(new IncidentMember(reports[s].Key, MemberRole.Matched, score));
                }
                else if (score.Score >= o.Review)
                {
                    review.Add((id, s, score));
                }
            }
        }

        var references = members.Select(m => m[0].Key).ToList(); // of the automatic incidents, before analysts change them
        var state = new State(reports, members, incidentOf);
        var warnings = new List<string>();
        foreach (var d in decisions ?? [])
        {
            state.Apply(d, warnings);
        }
        return state.Result(review.Select(x => (references[x.Incident], x.Report, x.Score)).ToList(), pairs.Count, warnings);
    }

    /// <summary>Incidents as lists of members, with analysts' decisions applied in order.</summary>
    private sealed class State
    {
        private readonly IReadOnlyList<KeyedReport> _reports;
        private readonly Dictionary<string, int> _index;
        private readonly List<List<IncidentMember>?> _members;
        private readonly List<string?> _confirmed;
        private readonly List<List<string>> _history;
        private readonly int[] _incidentOf;
        private readonly HashSet<(string Report, string With)> _reviewed = [];

        public State(IReadOnlyList<KeyedReport> reports, List<List<IncidentMember>> members, int[] incidentOf)
        {
            _reports = reports;
            _index = new Dictionary<string, int>(reports.Count, StringComparer.Ordinal);
            for (var i = 0; i < reports.Count; i++)
            {
                _index[reports[i].Key] = i;
            }
            _members = members.Select(m => (List<IncidentMember>?)m).ToList();
            _confirmed = members.Select(_ => (string?)null).ToList();
            _history = members.Select(_ => new List<string>()).ToList();
            _incidentOf = incidentOf;
        }

        public void Apply(AnalystDecision decision, List<string> warnings)
        {
            switch (decision)
            {
                case MergeDecision m:
                {
                    var incidents = Known(m.ReportKeys, decision, warnings).Select(i => _incidentOf[i]).Distinct().ToList();
                    if (incidents.Count < 2)
                    {
                        return;
                    }
                    var target = incidents.OrderBy(i => _reports[_index[_members[i]![0].Key]].Report.Time.Earliest).ThenBy(i => _members[i]![0].Key, StringComparer.Ordinal).First();
                    var ids = string.Join(", ", incidents.Where(i => i != target).Select(i => IncidentCluster.IdFor(_members[i]![0].Key)));
                    foreach (var other in incidents.Where(i => i != target))
                    {
                        foreach (var member in _members[other]!)
                        {
                            _members[target]!.Add(member with { Role = MemberRole.Analyst, Score = null });
                            _incidentOf[_index[member.Key]] = target;
                        }
                        _history[target].AddRange(_history[other]);
                        _members[other] = null;
                    }
                    _history[target].Add($"{m.At.UtcDateTime:yyyy-MM-dd HH:mm}Z {m.Analyst} merged {ids} into this incident: {m.Reason}");
                    break;
                }
                case SplitDecision s:
                {
                    var moving = Known(s.ReportKeys, decision, warnings).ToList();
                    if (moving.Count == 0)
                    {
                        return;
                    }
                    var from = moving.Select(i => _incidentOf[i]).Distinct().ToList();
                    foreach (var i in moving)
                    {
                        var inc = _incidentOf[i];
                        _members[inc]!.RemoveAll(x => x.Key == _reports[i].Key);
                    }
                    var fromIds = from.Select(i => IncidentCluster.IdFor(_members[i] is { Count: > 0 } left ? left[0].Key : "?")).ToList();
                    foreach (var inc in from)
                    {
                        if (_members[inc]!.Count == 0)
                        {
                            _members[inc] = null;
                        }
                        else if (_members[inc]![0].Role != MemberRole.Reference)
                        {
                            // The reference left: the earliest remaining report becomes the reference (and the id follows it).
                            var rest = _members[inc]!.OrderBy(x => _reports[_index[x.Key]].Report.Time.Earliest).ThenBy(x => x.Key, StringComparer.Ordinal).ToList();
                            _members[inc] = [new IncidentMember(rest[0].Key, MemberRole.Reference), .. rest.Skip(1)];
                        }
                    }
                    var ordered = moving.OrderBy(i => _reports[i].Report.Time.Earliest).ThenBy(i => _reports[i].Key, StringComparer.Ordinal).ToList();
                    var id = _members.Count;
                    _members.Add([new IncidentMember(_reports[ordered[0]].Key, MemberRole.Reference), .. ordered.Skip(1).Select(i => new IncidentMember(_reports[i].Key, MemberRole.Analyst))]);
                    _confirmed.Add(null);
                    _history.Add([$"{s.At.UtcDateTime:yyyy-MM-dd HH:mm}Z {s.Analyst} split these reports off {string.Join(", ", fromIds)}: {s.Reason}"]);
                    foreach (var inc in from.Where(i => _members[i] is not null))
                    {
                        _history[inc].Add($"{s.At.UtcDateTime:yyyy-MM-dd HH:mm}Z {s.Analyst} split off {string.Join(", ", ordered.Select(i => _reports[i].Key))}: {s.Reason}");
                    }
                    foreach (var i in moving)
                    {
                        _incidentOf[i] = id;
                    }
                    break;
                }
                case ConfirmDecision c:
                {
                    foreach (var i in Known([c.ReportKey], decision, warnings))
                    {
                        var inc = _incidentOf[i];
                        _confirmed[inc] = c.Analyst;
                        _history[inc].Add($"{c.At.UtcDateTime:yyyy-MM-dd HH:mm}Z {c.Analyst} confirmed this incident: {c.Reason}");
                    }
                    break;
                }
                case ReviewDecision r:
                {
                    var known = Known([r.ReportKey, r.WithReportKey], decision, warnings).ToList();
                    _reviewed.Add((r.ReportKey, r.WithReportKey));
                    if (known.Count != 2)
                    {
                        return;
                    }
                    var (report, with) = (known[0], known[1]);
                    var target = _incidentOf[with];
                    if (r.Accept && _incidentOf[report] != target)
                    {
                        var source = _incidentOf[report];
                        _members[source]!.RemoveAll(x => x.Key == r.ReportKey);
                        if (_members[source]!.Count == 0)
                        {
                            _members[source] = null;
                        }
                        else if (_members[source]![0].Role != MemberRole.Reference)
                        {
                            var rest = _members[source]!.OrderBy(x => _reports[_index[x.Key]].Report.Time.Earliest).ThenBy(x => x.Key, StringComparer.Ordinal).ToList();
                            _members[source] = [new IncidentMember(rest[0].Key, MemberRole.Reference), .. rest.Skip(1)];
                        }
                        _members[target]!.Add(new IncidentMember(r.ReportKey, MemberRole.Analyst));
                        _incidentOf[report] = target;
                    }
                    _history[target].Add($"{r.At.UtcDateTime:yyyy-MM-dd HH:mm}Z {r.Analyst} {(r.Accept ? "accepted" : "rejected")} {r.ReportKey} as a report of this incident: {r.Reason}");
                    break;
                }
                default:
                    warnings.Add($"A decision of kind {decision.GetType().Name} is not known to this version; it was skipped.");
                    break;
            }
        }

        private IEnumerable<int> Known(IEnumerable<string> keys, AnalystDecision d, List<string> warnings)
        {
            foreach (var k in keys)
            {
                if (_index.TryGetValue(k, out var i))
                {
                    yield return i;
                }
                else
                {
                    warnings.Add($"{d.GetType().Name.Replace("Decision", "", StringComparison.Ordinal).ToLowerInvariant()} by {d.Analyst} at {d.At.UtcDateTime:yyyy-MM-dd HH:mm}Z names report {k}, which is not in the store; that part was skipped.");
                }
            }
        }

        public ClusterResult Result(List<(string Reference, int Report, PairScore Score)> review, long pairs, List<string> warnings)
        {
            var clusters = new List<IncidentCluster>();
            for (var i = 0; i < _members.Count; i++)
            {
                if (_members[i] is { Count: > 0 } m)
                {
                    clusters.Add(new IncidentCluster(IncidentCluster.IdFor(m[0].Key), m.ToList(), _confirmed[i], _history[i].ToList()));
                }
            }
            clusters.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
            // A queued candidate is queued against the incident its reference report is in now (analysts may have
            // merged it); it leaves the queue once decided, or once it is in that incident anyway.
            var queue = new List<ReviewItem>();
            foreach (var (reference, report, score) in review)
            {
                var key = _reports[report].Key;
                var target = _incidentOf[_index[reference]];
                if (_incidentOf[report] == target || _reviewed.Contains((key, reference)))
                {
                    continue;
                }
                queue.Add(new ReviewItem(IncidentCluster.IdFor(_members[target]![0].Key), key, score));
            }
            return new ClusterResult(clusters, queue, pairs, warnings);
        }
    }
}

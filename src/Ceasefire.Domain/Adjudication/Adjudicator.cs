using System.Collections.Concurrent;
using System.Globalization;
using Ceasefire.Agreements;
using Ceasefire.Findings;
using Ceasefire.Geo;
using Ceasefire.Incidents;
using Ceasefire.Parties;
using Ceasefire.Taxonomy;
using Ceasefire.Time;
using Ceasefire.Zones;
using NetTopologySuite.Geometries;

namespace Ceasefire.Adjudication;

/// <summary>
/// Rules incidents against the obligations of an agreement: for every incident, every obligation of the version in
/// force at the incident's time, under every reading, a <see cref="Verdict"/> with the checks that decided it.
/// </summary>
/// <remarks>
/// Pure and deterministic: no I/O, no clock. Built once from the agreement's versions and a zone library (derived
/// zones are computed here); afterwards immutable and safe to use from many threads. The bulk path
/// (<see cref="AdjudicateBulk"/>) runs in parallel over incidents and returns only findings other than
/// <see cref="Verdict.NotCovered"/> in a compact form; <see cref="Adjudicate(Incident)"/> and
/// <see cref="Explain(Incident, int)"/> give full findings with explanations.
/// Rules: a check fails, matches or is uncertain; any failure gives <see cref="Verdict.NotCovered"/>, else any
/// uncertainty gives <see cref="Verdict.PossibleViolation"/>, else <see cref="Verdict.Violation"/>. Windows are
/// half-open (start inclusive, end exclusive); a time whose uncertainty straddles a window edge, a place whose
/// uncertainty circle reaches a zone's boundary (or lies on it), an undetermined perpetrator, an act of unknown kind
/// and an unknown target (where the obligation protects a list of targets) are uncertain.
/// </remarks>
public sealed class Adjudicator
{
    private readonly Agreement[] _versions;
    private readonly Rule[] _rules;
    private readonly int[][][] _rulesByVersionAndAct;
    private readonly int[][][][] _rulesByVersionActAndZone;
    private readonly int[][] _rulesByVersion;
    private readonly Dictionary<PartyCode, int> _partyIndex = new();

    /// <summary>
    /// Compiles the versions of one agreement against a zone library. Throws <see cref="ArgumentException"/> when a
    /// version names a zone that neither the library nor its derived zones define (loaders report this earlier, with
    /// the file and line).
    /// </summary>
    public Adjudicator(IReadOnlyList<Agreement> versions, ZoneLibrary zones, IReadOnlyDictionary<ZoneId, Geometry>? lines = null)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(zones);
        if (versions.Count == 0)
        {
            throw new ArgumentException("At least one agreement version is needed.", nameof(versions));
        }
        if (versions.Select(v => v.Id).Distinct().Count() != 1)
        {
            throw new ArgumentException("All versions must be of one agreement.", nameof(versions));
        }
        _versions = versions.OrderBy(v => v.Version).ToArray();
        if (_versions.Select(v => v.Version).Distinct().Count() != _versions.Length)
        {
            throw new ArgumentException("Two versions share a number.", nameof(versions));
        }

        var (library, zoneMaps) = DeriveZones(_versions, zones, lines ?? new Dictionary<ZoneId, Geometry>());
        Zones = library;
        ZoneWords = library.BitWords;

        var rules = new List<Rule>();
        _rulesByVersion = new int[_versions.Length][];
        _rulesByVersionAndAct = new int[_versions.Length][][];
        _rulesByVersionActAndZone = new int[_versions.Length][][][];
        for (var v = 0; v < _versions.Length; v++)
        {
            var agreement = _versions[v];
            var mine = new List<int>();
            for (var o = 0; o < agreement.Obligations.Count; o++)
            {
                var ob = agreement.Obligations[o];
                var phase = agreement.Phase(ob.PhaseId);
                var include = ob.IncludeZones.Select(z => ZoneIndex(zoneMaps[v], z, ob.Id)).ToArray();
                var exclude = ob.ExcludeZones.Select(z => ZoneIndex(zoneMaps[v], z, ob.Id)).ToArray();
                var partyMask = 0UL;
                foreach (var p in ob.Bound)
                {
                    partyMask |= 1UL << PartyIndex(p);
                }
                var actMask = ob.Acts.Aggregate(0UL, (m, a) => m | (1UL << a.Index));
                var baseWindow = ob.Window ?? phase.Window;
                var readings = ob.Readings.Count == 0 ? [null] : ob.Readings.Cast<Reading?>().ToArray();
                for (var r = 0; r < readings.Length; r++)
                {
                    var reading = readings[r];
                    var window = reading?.Window ?? baseWindow;
                    mine.Add(rules.Count);
                    var targets = reading?.Targets ?? ob.Targets;
                    ulong matches = 0, uncertainTargets = 0;
                    for (var t = 0; t < TargetCategories.All.Count; t++)
                    {
                        var outcome = targets.Judge(new TargetCategory((byte)t));
                        matches |= outcome == Outcome.Matches ? 1UL << t : 0;
                        uncertainTargets |= outcome == Outcome.Uncertain ? 1UL << t : 0;
                    }
                    rules.Add(new Rule(v, o, reading is null ? -1 : r, phase.Binds && window is not null, partyMask, actMask,
                        targets, matches, uncertainTargets, include, exclude, window));
                }
            }
            _rulesByVersion[v] = mine.ToArray();
            var byAct = new int[ActKinds.All.Count][];
            for (var a = 0; a < byAct.Length; a++)
            {
                // An act of unknown kind could be any prohibited act: every binding rule applies, uncertainly.
                byAct[a] = mine.Where(i => rules[i].Binds && (a == ActKind.Unknown.Index || (rules[i].ActMask & (1UL << a)) != 0)).ToArray();
            }
            _rulesByVersionAndAct[v] = byAct;
            // The bulk path visits only the rules of the zones an incident lies in (or touches).
            _rulesByVersionActAndZone[v] = byAct.Select(list =>
                Enumerable.Range(0, library.Count).Select(z => list.Where(r => rules[r].Include.Contains(z)).ToArray()).ToArray()).ToArray();
        }
        _rules = rules.ToArray();
        if (_partyIndex.Count > 64)
        {
            throw new ArgumentException("At most 64 parties are supported.", nameof(versions));
        }
    }

    /// <summary>The zone library the adjudicator uses: the given zones plus the agreement's derived zones.</summary>
    public ZoneLibrary Zones { get; }

    /// <summary>The versions, oldest first.</summary>
    public IReadOnlyList<Agreement> Versions => _versions;

    /// <summary>Number of (obligation, reading) rules over all versions.</summary>
    public int RuleCount => _rules.Length;

    private int ZoneWords { get; }

    /// <summary>
    /// The version that governs an incident whose earliest possible time is <paramref name="earliest"/>: the latest
    /// version whose effective instant is at or before it (versions without one are effective from the beginning).
    /// </summary>
    public Agreement VersionAt(DateTimeOffset earliest) => _versions[VersionIndex(earliest.UtcTicks)];

    /// <summary>Every finding for one incident, NotCovered included, with explanations.</summary>
    public IReadOnlyList<Finding> Adjudicate(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var v = VersionIndex(incident.Time.Earliest.UtcTicks);
        var (inside, straddles) = LocateZones(incident.Location);
        var findings = new List<Finding>(_rulesByVersion[v].Length);
        foreach (var r in _rulesByVersion[v])
        {
            findings.Add(Explain(incident, r, inside, straddles));
        }
        return findings;
    }

    /// <summary>
    /// Rules a batch in parallel; returns the findings other than NotCovered, ordered by incident then rule, so the
    /// output is the same for the same input whatever the thread count.
    /// </summary>
    public BulkFindings AdjudicateBulk(IncidentBatch batch, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var partyBits = batch.Parties.Select(p => _partyIndex.TryGetValue(p, out var i) ? 1UL << i : 0UL).ToArray();
        const int chunk = 8192;
        var chunks = (batch.Count + chunk - 1) / chunk;
        var results = new CompactFinding[chunks][];
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, c =>
        {
            var start = c * chunk;
            var end = Math.Min(batch.Count, start + chunk);
            var list = new List<CompactFinding>(1024);
            Span<ulong> inside = stackalloc ulong[ZoneWords];
            Span<ulong> straddles = stackalloc ulong[ZoneWords];
            var earliest = batch.Earliest;
            var latest = batch.Latest;
            var lon = batch.Longitudes;
            var lat = batch.Latitudes;
            var radius = batch.Radii;
            var acts = batch.Acts;
            var targets = batch.Targets;
            var perps = batch.Perpetrators;
            for (var i = start; i < end; i++)
            {
                var v = _versions.Length == 1 ? 0 : VersionIndex(earliest[i]);
                if (_rulesByVersionAndAct[v][acts[i]].Length == 0)
                {
                    continue; // no binding rule prohibits this act: skip locating it
                }
                if (radius[i] <= 0)
                {
                    Zones.LocatePoint(lon[i], lat[i], inside, straddles);
                }
                else
                {
                    Zones.LocateCircle(new IncidentLocation(lon[i], lat[i], LocationPrecision.Exact, radius[i]), inside, straddles);
                }
                var perpBit = perps[i] < 0 ? 0UL : partyBits[perps[i]];
                var target = new TargetCategory(targets[i]);
                var byZone = _rulesByVersionActAndZone[v][acts[i]];
                var first = list.Count;
                for (var w = 0; w < inside.Length; w++)
                {
                    var bits = inside[w] | straddles[w];
                    while (bits != 0)
                    {
                        var z = (w << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                        bits &= bits - 1;
                        foreach (var r in byZone[z])
                        {
                            ref readonly var rule = ref _rules[r];
                            if (rule.Include.Length > 1 && FirstTouchedInclude(rule, inside, straddles) != z)
                            {
                                continue; // visited under another of its zones
                            }
                            if (Covers(rule, perps[i] < 0, perpBit, target, earliest[i], latest[i], inside, straddles) is { } uncertain)
                            {
                                if (acts[i] == ActKind.Unknown.Index)
                                {
                                    uncertain |= Uncertainty.Act;
                                }
                                list.Add(new CompactFinding(i, r, uncertain == Uncertainty.None ? Verdict.Violation : Verdict.PossibleViolation, uncertain));
                            }
                        }
                    }
                }
                if (list.Count - first > 1)
                {
                    // Zone by zone gives rules out of order; keep incident-then-rule order.
                    System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list)[first..].Sort(static (a, b) => a.Rule.CompareTo(b.Rule));
                }
            }
            results[c] = list.ToArray();
        });
        var all = new CompactFinding[results.Sum(r => r.Length)];
        var at = 0;
        foreach (var r in results)
        {
            r.CopyTo(all, at);
            at += r.Length;
        }
        return new BulkFindings(this, all);
    }

    /// <summary>Describes a rule: (version, obligation, reading).</summary>
    public (Agreement Version, Obligation Obligation, Reading? Reading) DescribeRule(int rule)
    {
        var r = _rules[rule];
        var agreement = _versions[r.Version];
        var ob = agreement.Obligations[r.Obligation];
        return (agreement, ob, r.Reading < 0 ? null : ob.Readings[r.Reading]);
    }

    /// <summary>The full finding, with explanation, of one incident under one rule (as numbered in bulk results).</summary>
    public Finding Explain(Incident incident, int rule)
    {
        ArgumentNullException.ThrowIfNull(incident);
        var (inside, straddles) = LocateZones(incident.Location);
        return Explain(incident, rule, inside, straddles);
    }

    private Finding Explain(Incident incident, int ruleIndex, ulong[] inside, ulong[] straddles)
    {
        var rule = _rules[ruleIndex];
        var (agreement, ob, reading) = DescribeRule(ruleIndex);
        var phase = agreement.Phase(ob.PhaseId);
        var checks = new List<Check>(6);

        checks.Add(rule.Binds
            ? new Check(Aspect.Phase, Outcome.Matches, $"phase '{phase.Name}' is {Describe(phase.Status)}")
            : new Check(Aspect.Phase, Outcome.Fails, phase.Binds
                ? $"phase '{phase.Name}' has no window"
                : $"phase '{phase.Name}' is {Describe(phase.Status)}: its obligations bind nobody"));

        var bound = string.Join(", ", ob.Bound.Select(p => p.Value));
        if (incident.Perpetrator is not { } perp)
        {
            checks.Add(new Check(Aspect.Party, Outcome.Uncertain,
                $"attribution undetermined (actor \"{incident.PerpetratorActor ?? "none"}\" maps to no party); bound: {bound}"));
        }
        else
        {
            var isBound = ob.Bound.Contains(perp);
            checks.Add(new Check(Aspect.Party, isBound ? Outcome.Matches : Outcome.Fails,
                $"alleged perpetrator {perp}{(incident.Claimant is null ? "" : $" (claimed by {incident.Claimant})")} is {(isBound ? "" : "not ")}bound ({bound})"));
        }

        var prohibited = string.Join(", ", ob.Acts.Select(a => a.Code));
        if (incident.Act.IsUnknown)
        {
            checks.Add(new Check(Aspect.Act, Outcome.Uncertain, $"the kind of act was not reported (it may be one of the prohibited: {prohibited})"));
        }
        else
        {
            var actOk = (rule.ActMask & (1UL << incident.Act.Index)) != 0;
            checks.Add(new Check(Aspect.Act, actOk ? Outcome.Matches : Outcome.Fails,
                $"act {incident.Act.Code} is {(actOk ? "" : "not ")}prohibited ({prohibited})"));
        }

        var targets = rule.Targets;
        var targetsText = reading?.Targets is not null ? $"{targets} under the {reading.Party} reading" : targets.ToString();
        var targetOutcome = targets.Judge(incident.Target.Category);
        checks.Add(new Check(Aspect.Target, targetOutcome, targets.IsAll
            ? $"{incident.Target.Describe()}; every target is protected"
            : targetOutcome switch
            {
                Outcome.Matches => $"{incident.Target.Describe()} is protected ({targetsText})",
                Outcome.Fails => $"{incident.Target.Describe()} is not protected ({targetsText})",
                _ => $"{incident.Target.Describe()}: cannot tell whether it is protected ({targetsText})",
            }));

        checks.Add(ZoneCheck(rule, incident.Location, inside, straddles));

        if (rule.Window is not { } window)
        {
            checks.Add(new Check(Aspect.Window, Outcome.Fails, "no window: the phase never started"));
        }
        else
        {
            var rel = incident.Time.RelateTo(window);
            var whose = reading?.Window is not null ? $" (the {reading.Party} reading)" : "";
            var when = DescribeTime(incident.Time, agreement.TimeZone);
            var span = DescribeWindow(window, agreement.TimeZone);
            checks.Add(rel switch
            {
                Overlap.Inside => new Check(Aspect.Window, Outcome.Matches, $"{when} lies inside the window {span}{whose}"),
                Overlap.Outside => new Check(Aspect.Window, Outcome.Fails, $"{when} lies outside the window {span}{whose}"),
                _ => new Check(Aspect.Window, Outcome.Uncertain, $"{when} straddles an edge of the window {span}{whose}"),
            });
        }

        var verdict = checks.Any(c => c.Outcome == Outcome.Fails) ? Verdict.NotCovered
            : checks.Any(c => c.Outcome == Outcome.Uncertain) ? Verdict.PossibleViolation
            : Verdict.Violation;
        var confidence = incident.Grade.Weight;
        if (verdict == Verdict.PossibleViolation)
        {
            confidence /= 2;
        }
        return new Finding(incident.Id, agreement.Id, agreement.Version, ob.Id, ob.PhaseId, reading?.Party, verdict,
            Math.Round(confidence, 3), checks);
    }

    private Check ZoneCheck(in Rule rule, in IncidentLocation location, ulong[] inside, ulong[] straddles)
    {
        string Names(IEnumerable<int> zs) => string.Join(", ", zs.Select(z => Zones[z].Id.Value));
        bool Has(ulong[] bits, int z) => (bits[z >> 6] & (1UL << (z & 63))) != 0;
        var place = location.ToString();
        var inZones = rule.Include.Where(z => Has(inside, z)).ToArray();
        var edgeZones = rule.Include.Where(z => Has(straddles, z)).ToArray();
        var exIn = rule.Exclude.Where(z => Has(inside, z)).ToArray();
        var exEdge = rule.Exclude.Where(z => Has(straddles, z)).ToArray();
        var rel = RelateZones(rule, inside, straddles);
        var detail = rel switch
        {
            Overlap.Inside => $"{place} lies inside {Names(inZones)}" + (rule.Exclude.Length > 0 ? $" and outside the excluded {Names(rule.Exclude)}" : ""),
            Overlap.Outside when exIn.Length > 0 => $"{place} lies inside the excluded zone {Names(exIn)}",
            Overlap.Outside => $"{place} lies outside {Names(rule.Include)}",
            _ when edgeZones.Length > 0 && inZones.Length == 0 =>
                $"{place}{(location.RadiusMetres > 0 ? "'s uncertainty circle" : "")} reaches the edge of {Names(edgeZones)}",
            _ => $"{place}{(location.RadiusMetres > 0 ? "'s uncertainty circle" : "")} reaches the edge of the excluded zone {Names(exEdge)}",
        };
        return new Check(Aspect.Zone, rel switch { Overlap.Inside => Outcome.Matches, Overlap.Outside => Outcome.Fails, _ => Outcome.Uncertain }, detail);
    }

    /// <summary>The hot-path ruling of one rule: null when NotCovered, else the aspects that were uncertain.</summary>
    private static Uncertainty? Covers(
        in Rule rule, bool undetermined, ulong perpBit, TargetCategory target, long earliest, long latest,
        ReadOnlySpan<ulong> inside, ReadOnlySpan<ulong> straddles)
    {
        var uncertain = Uncertainty.None;
        if (undetermined)
        {
            uncertain |= Uncertainty.Party;
        }
        else if ((rule.PartyMask & perpBit) == 0)
        {
            return null;
        }
        var targetBit = 1UL << target.Index;
        if ((rule.TargetMatches & targetBit) == 0)
        {
            if ((rule.TargetUncertain & targetBit) == 0)
            {
                return null;
            }
            uncertain |= Uncertainty.Target;
        }
        switch (rule.Window!.Value.Relate(earliest, latest))
        {
            case Overlap.Outside:
                return null;
            case Overlap.Straddles:
                uncertain |= Uncertainty.Window;
                break;
        }
        switch (RelateZones(rule, inside, straddles))
        {
            case Overlap.Outside:
                return null;
            case Overlap.Straddles:
                uncertain |= Uncertainty.Zone;
                break;
        }
        return uncertain;
    }

    private static int FirstTouchedInclude(in Rule rule, ReadOnlySpan<ulong> inside, ReadOnlySpan<ulong> straddles)
    {
        foreach (var z in rule.Include)
        {
            if (((inside[z >> 6] | straddles[z >> 6]) & (1UL << (z & 63))) != 0)
            {
                return z;
            }
        }
        return -1;
    }

    private static Overlap RelateZones(in Rule rule, ReadOnlySpan<ulong> inside, ReadOnlySpan<ulong> straddles)
    {
        var inc = Overlap.Outside;
        foreach (var z in rule.Include)
        {
            var bit = 1UL << (z & 63);
            if ((inside[z >> 6] & bit) != 0)
            {
                inc = Overlap.Inside;
                break;
            }
            if ((straddles[z >> 6] & bit) != 0)
            {
                inc = Overlap.Straddles;
            }
        }
        if (inc == Overlap.Outside)
        {
            return Overlap.Outside;
        }
        foreach (var z in rule.Exclude)
        {
            var bit = 1UL << (z & 63);
            if ((inside[z >> 6] & bit) != 0)
            {
                return Overlap.Outside;
            }
            if ((straddles[z >> 6] & bit) != 0)
            {
                inc = Overlap.Straddles;
            }
        }
        return inc;
    }

    private (ulong[] Inside, ulong[] Straddles) LocateZones(in IncidentLocation location)
    {
        var inside = new ulong[ZoneWords];
        var straddles = new ulong[ZoneWords];
        Zones.LocateCircle(location, inside, straddles);
        return (inside, straddles);
    }

    private int VersionIndex(long earliestTicks)
    {
        var chosen = 0;
        for (var v = 0; v < _versions.Length; v++)
        {
            if (_versions[v].Effective is not { } e || e.UtcTicks <= earliestTicks)
            {
                chosen = v;
            }
        }
        return chosen;
    }

    private int PartyIndex(PartyCode p)
    {
        if (!_partyIndex.TryGetValue(p, out var i))
        {
            _partyIndex[p] = i = _partyIndex.Count;
        }
        return i;
    }

    private static int ZoneIndex(Dictionary<ZoneId, int> map, ZoneId id, string obligation) =>
        map.TryGetValue(id, out var i) ? i : throw new ArgumentException($"Obligation '{obligation}' names unknown zone '{id}'.");

    private static string Describe(PhaseStatus s) => s switch
    {
        PhaseStatus.InForce => "in force",
        PhaseStatus.Expired => "expired (it bound within its window)",
        PhaseStatus.Proposed => "only proposed",
        _ => "suspended",
    };

    /// <summary>An instant in the agreement's time zone with its offset, e.g. "2025-03-18 19:30 (+03:00)".</summary>
    internal static string Local(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        return local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + $" ({sign}{offset.Duration():hh\\:mm})";
    }

    private static string DescribeWindow(TimeWindow w, TimeZoneInfo zone) =>
        $"[{Local(w.Start, zone)}, {(w.End is { } e ? Local(e, zone) : "open")})";

    private static string DescribeTime(IncidentTime t, TimeZoneInfo zone)
    {
        if (t.Precision == TimePrecision.Instant)
        {
            return Local(t.Earliest, zone);
        }
        var local = TimeZoneInfo.ConvertTime(t.Earliest, zone);
        var unit = t.Precision.ToString().ToLowerInvariant();
        return $"{local:yyyy-MM-dd} ({unit} precision: [{Local(t.Earliest, zone)}, {Local(t.Latest, zone)}))";
    }

    /// <summary>Computes derived zones per version; returns the combined library and, per version, id to index.</summary>
    private static (ZoneLibrary, Dictionary<ZoneId, int>[]) DeriveZones(Agreement[] versions, ZoneLibrary baseZones, IReadOnlyDictionary<ZoneId, Geometry> lines)
    {
        var extra = new List<Zone>();
        var definitions = new Dictionary<ZoneId, DerivedZone>();
        var maps = new Dictionary<ZoneId, int>[versions.Length];
        var geometryOf = new Dictionary<ZoneId, Geometry>();
        for (var v = 0; v < versions.Length; v++)
        {
            var map = baseZones.Zones.Select((z, i) => (z.Id, i)).ToDictionary(x => x.Id, x => x.i);
            var local = new Dictionary<ZoneId, Geometry>();
            foreach (var d in versions[v].DerivedZones)
            {
                var operands = d.Operands.Select(op =>
                    local.TryGetValue(op, out var g) ? g
                    : baseZones.TryGet(op, out var z) ? z.Geometry
                    : lines.TryGetValue(op, out var line) ? line
                    : throw new ArgumentException($"Derived zone '{d.Id}' names unknown zone or line '{op}'.")).ToList();
                ZoneId key;
                if (definitions.TryGetValue(d.Id, out var earlier) && SameDefinition(earlier, d))
                {
                    key = d.Id;
                }
                else
                {
                    key = definitions.ContainsKey(d.Id) ? new ZoneId($"{d.Id}@v{versions[v].Version}") : d.Id;
                    definitions[key] = d;
                    var geometry = d.Compute(operands);
                    geometryOf[key] = geometry;
                    extra.Add(new Zone(key, d.Name, geometry, "derived", $"{d.Operation.ToString().ToLowerInvariant()} of {string.Join(", ", d.Operands)}{(d.Operation == DerivedZoneOperation.Buffer ? $" by {d.Kilometres} km" : "")}"));
                }
                local[d.Id] = geometryOf[key];
                map[d.Id] = baseZones.Count + extra.FindIndex(z => z.Id == key);
            }
            maps[v] = map;
        }
        return (extra.Count == 0 ? baseZones : baseZones.With(extra), maps);

        static bool SameDefinition(DerivedZone a, DerivedZone b) =>
            a.Operation == b.Operation && a.Kilometres.Equals(b.Kilometres) && a.Operands.SequenceEqual(b.Operands);
    }


    private readonly record struct Rule(
        int Version, int Obligation, int Reading, bool Binds, ulong PartyMask, ulong ActMask, TargetSet Targets,
        ulong TargetMatches, ulong TargetUncertain, int[] Include, int[] Exclude, TimeWindow? Window);

    /// <summary>A finding in compact form: incident position in the batch, rule number, verdict, uncertain aspects.</summary>
    /// <param name="Incident">Position of the incident in the batch.</param>
    /// <param name="Rule">The rule (see <see cref="DescribeRule"/>).</param>
    /// <param name="Verdict">Violation or PossibleViolation.</param>
    /// <param name="Uncertain">The aspects that were uncertain.</param>
    public readonly record struct CompactFinding(int Incident, int Rule, Verdict Verdict, Uncertainty Uncertain);
}

/// <summary>The aspects of a finding that were uncertain (flags).</summary>
[Flags]
public enum Uncertainty : byte
{
    /// <summary>Nothing uncertain.</summary>
    None = 0,
    /// <summary>Attribution undetermined.</summary>
    Party = 1,
    /// <summary>Target unknown.</summary>
    Target = 2,
    /// <summary>Place straddles a zone edge.</summary>
    Zone = 4,
    /// <summary>Time straddles a window edge.</summary>
    Window = 8,
    /// <summary>The kind of act was not reported.</summary>
    Act = 16,
}

/// <summary>The covered findings of a bulk run, in incident then rule order.</summary>
public sealed class BulkFindings
{
    internal BulkFindings(Adjudicator adjudicator, Adjudicator.CompactFinding[] findings)
    {
        Adjudicator = adjudicator;
        Findings = findings;
    }

    /// <summary>The adjudicator that produced them (for <see cref="Adjudicator.DescribeRule"/>).</summary>
    public Adjudicator Adjudicator { get; }

    /// <summary>Findings other than NotCovered.</summary>
    public IReadOnlyList<Adjudicator.CompactFinding> Findings { get; }

    /// <summary>Number of violations.</summary>
    public int Violations => Findings.Count(f => f.Verdict == Verdict.Violation);

    /// <summary>Number of possible violations.</summary>
    public int PossibleViolations => Findings.Count(f => f.Verdict == Verdict.PossibleViolation);
}

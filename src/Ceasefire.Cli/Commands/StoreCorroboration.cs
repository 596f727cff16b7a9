using System.Text.Json;
using System.Text.Json.Serialization;
using Ceasefire.Cli.Output;
using Ceasefire.Corroboration;
using Ceasefire.Findings;
using Ceasefire.Import.Corroboration;
using Ceasefire.Incidents;
using Ceasefire.Storage;

namespace Ceasefire.Cli.Commands;

/// <summary>What a corroboration run did.</summary>
/// <param name="Reports">Reports clustered.</param>
/// <param name="Result">Incidents, review queue and warnings.</param>
/// <param name="Incidents">The incidents as derived.</param>
/// <param name="Findings">Findings recorded (0 when the store holds no agreement).</param>
internal sealed record CorroborationRun(int Reports, ClusterResult Result, IReadOnlyList<CorroboratedIncident> Incidents, int Findings);

/// <summary>
/// Corroboration over the store: the current reports, the source registry, analysts' grades and decisions (all read
/// from the store) make incidents; the incidents are recorded and ruled, and their findings replace the agreement's
/// earlier findings. Every analyst action re-runs it, so incidents and findings always follow the decisions on the log.
/// </summary>
internal static class StoreCorroboration
{
    /// <summary>The stream of analysts' decisions about incidents.</summary>
    public const string DecisionStream = "incidents:decisions";

    /// <summary>The stream of analysts' grades of reports.</summary>
    public const string GradeStream = "grades";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Runs corroboration and records incidents (and findings when an agreement is recorded).</summary>
    public static async Task<CorroborationRun?> RunAsync(IStore store, string? agreementId, ClusterOptions options, string author, TextWriter err, CancellationToken ct)
    {
        var stored = await store.QueryReportsAsync(new ReportQuery(Limit: int.MaxValue), ct);
        var reports = stored.Select(r => new KeyedReport(r.Key, r.Report)).ToList();
        var byKey = stored.ToDictionary(r => r.Key, r => r.Report, StringComparer.Ordinal);
        var registry = await RegistryAsync(store, err, ct);
        if (registry is null)
        {
            return null;
        }
        var grades = await GradesAsync(store, ct);
        var decisions = await DecisionsAsync(store, ct);
        var result = IncidentClusterer.Cluster(reports, decisions, options, ct);
        var effective = byKey.ToDictionary(kv => kv.Key, kv => grades.TryGetValue(kv.Key, out var g) ? g : registry.DefaultGrade(kv.Value), StringComparer.Ordinal);
        var incidents = result.Incidents.Select(c => IncidentDerivation.Derive(c, byKey, registry, effective)).ToList();
        var snapshot = new IncidentSnapshot(
            incidents.Select(i => Stored(i, byKey, registry, effective)).ToList(),
            result.Review.Select(r => new StoredReviewItem(r.IncidentId, r.ReportKey, Math.Round(r.Score.Score, 4), r.Score.ToString())).ToList(),
            result.Warnings);
        await store.RecordIncidentsAsync(snapshot, author, ct);
        var findings = await RuleAsync(store, agreementId, incidents, author, err, ct);
        return findings is null ? null : new CorroborationRun(reports.Count, result, incidents, findings.Value);
    }

    /// <summary>Rules the incidents; a disputed incident is ruled once per accused side, and no side's finding is more than possible.</summary>
    private static async Task<int?> RuleAsync(IStore store, string? agreementId, IReadOnlyList<CorroboratedIncident> incidents, string author, TextWriter err, CancellationToken ct)
    {
        if (await StoreAdjudication.LoadAdjudicatorAsync(store, agreementId, err, ct, quietWhenNone: true) is not { } loaded)
        {
            return (await store.AgreementFilesAsync(ct)).Count == 0 ? 0 : null;
        }
        var (adjudicator, id, versions) = loaded;
        var sides = incidents.SelectMany(i => i.ForAdjudication().Select(x => (Incident: i, x.Side, Ruled: x.Incident))).ToList();
        var document = AdjudicateCommand.Rule(adjudicator, sides.Select(s => s.Ruled).ToList(), includeNeverBinding: false);
        var byId = sides.ToDictionary(s => s.Ruled.Id.Value, StringComparer.Ordinal);
        var findings = new List<StoredFinding>();
        foreach (var entry in document.Incidents)
        {
            var (incident, side, _) = byId[entry.Id];
            foreach (var f in entry.Findings)
            {
                if (!incident.Disputed)
                {
                    findings.Add(StoreAdjudication.Stored(entry.Id, 0, document.Agreement, f));
                    continue;
                }
                // Disputed attribution: each accused side is ruled as if it did it, and none is more than a possible
                // violation, with the reports on each side named.
                var others = incident.Attributions.Where(a => a != side).Select(a => $"{string.Join(", ", a.Claimants)} blame{(a.Claimants.Count == 1 ? "s" : "")} {a.Party?.Value} (reports {string.Join(", ", a.ReportKeys)})");
                var dispute = $" Attribution is disputed: {string.Join(", ", side!.Claimants)} blame{(side.Claimants.Count == 1 ? "s" : "")} {side.Party?.Value} (reports {string.Join(", ", side.ReportKeys)}); {string.Join("; ", others)}. This finding holds only if {side.Party?.Value} did it.";
                var verdict = f.Verdict == Verdict.Violation ? Verdict.PossibleViolation : f.Verdict;
                findings.Add(StoreAdjudication.Stored(entry.Id, 0, document.Agreement, f, FindingsDocument.VerdictCode(verdict),
                    (f.Verdict == Verdict.Violation ? f.Explanation.Replace("is a violation: every aspect matches", "is a possible violation: every aspect of the obligation matches", StringComparison.Ordinal) : f.Explanation) + dispute,
                    Math.Round(Math.Min(f.Confidence, side.Confidence) / (f.Verdict == Verdict.Violation ? 2 : 1), 4)));
            }
        }
        await store.RecordFindingsAsync(id, versions, findings, author, ct, FindingScope.Incidents);
        return findings.Count;
    }

    /// <summary>The latest source registry recorded in the store (empty when none); null after printing errors.</summary>
    public static async Task<SourceRegistry?> RegistryAsync(IStore store, TextWriter err, CancellationToken ct)
    {
        var docs = await store.DocumentsAsync("sources", ct);
        if (docs.Count == 0)
        {
            return SourceRegistry.Empty;
        }
        var latest = docs[^1];
        var read = SourcesFileReader.Parse(latest.Text, latest.Name);
        if (read.Value is null)
        {
            Inputs.Print(read.Problems, err);
        }
        return read.Value;
    }

    /// <summary>Analysts' grades, the latest per report.</summary>
    public static async Task<Dictionary<string, SourceGrade>> GradesAsync(IStore store, CancellationToken ct)
    {
        var grades = new Dictionary<string, SourceGrade>(StringComparer.Ordinal);
        await foreach (var e in store.ReadStreamsAsync(GradeStream, ct))
        {
            if (e.Stream != GradeStream)
            {
                continue;
            }
            var g = JsonSerializer.Deserialize<GradeEntry>(e.Data, Json)!;
            if (SourceGrade.TryParse(g.Grade, out var grade))
            {
                grades[g.Report] = grade;
            }
        }
        return grades;
    }

    /// <summary>Analysts' decisions, in the order they were made.</summary>
    public static async Task<List<AnalystDecision>> DecisionsAsync(IStore store, CancellationToken ct)
    {
        var list = new List<AnalystDecision>();
        await foreach (var e in store.ReadStreamsAsync(DecisionStream, ct))
        {
            var d = JsonSerializer.Deserialize<DecisionEntry>(e.Data, Json)!;
            list.Add(d.Kind switch
            {
                "merge" => new MergeDecision(d.Reports, e.Author, d.Reason, e.RecordedAt),
                "split" => new SplitDecision(d.Reports, e.Author, d.Reason, e.RecordedAt),
                "confirm" => new ConfirmDecision(d.Reports[0], e.Author, d.Reason, e.RecordedAt),
                "accept" or "reject" => new ReviewDecision(d.Reports[0], d.With!, d.Kind == "accept", e.Author, d.Reason, e.RecordedAt),
                _ => throw new InvalidDataException($"Log entry {e.Sequence}: decision of kind '{d.Kind}' is not known to this version."),
            });
        }
        return list;
    }

    /// <summary>Records an analyst's decision.</summary>
    public static Task<LogEntry> DecideAsync(IStore store, string kind, IReadOnlyList<string> reports, string? with, string reason, string author, CancellationToken ct) =>
        store.AppendAsync(DecisionStream, LogEntryTypes.IncidentDecided, JsonSerializer.Serialize(new DecisionEntry(kind, reports.ToList(), with, reason), Json), author, cancellationToken: ct);

    /// <summary>Records an analyst's grade of a report.</summary>
    public static Task<LogEntry> GradeAsync(IStore store, string report, SourceGrade grade, string reason, string author, CancellationToken ct) =>
        store.AppendAsync(GradeStream, LogEntryTypes.ReportGraded, JsonSerializer.Serialize(new GradeEntry(report, grade.ToString(), reason), Json), author, cancellationToken: ct);

    /// <summary>An incident as the store keeps it, with its derivation as JSON.</summary>
    private static StoredIncident Stored(CorroboratedIncident i, IReadOnlyDictionary<string, Incident> reports, SourceRegistry registry, IReadOnlyDictionary<string, SourceGrade> grades)
    {
        var detail = new IncidentDetail(
            i.Id, i.Disputed,
            i.Cluster.Members.Select(m =>
            {
                var r = reports[m.Key];
                return new MemberDetail(m.Key, m.Role, m.Score is { } s ? Math.Round(s.Score, 4) : null, m.Score?.ToString(), grades[m.Key].ToString(),
                    registry.SourcesOf(r).Select(x => $"{x.Name} ({x.Reliability}, {x.Type.ToString().ToLowerInvariant()}, group {x.Group})").ToList(),
                    r.Perpetrator?.Value, r.Claimant, r.Time.ToString(), r.Location.PlaceName, r.Act.Code, r.Casualties.ToString());
            }).ToList(),
            new TimeDetail(i.Time.Earliest, i.Time.Latest, i.Time.Precision.ToString().ToLowerInvariant()),
            new PlaceDetail(i.Location.Longitude, i.Location.Latitude, i.Location.RadiusMetres, i.Location.Precision.ToString().ToLowerInvariant(), i.Location.PlaceName, Math.Round(i.SpreadMetres, 1)),
            i.Act.Code, i.Target.Category.Code, i.Target.Describe(),
            i.Attributions.Select(a => new AttributionDetail(a.Party?.Value, a.ReportKeys, a.Claimants, Math.Round(a.Confidence, 4))).ToList(),
            new CasualtiesDetail(i.Casualties.Low, i.Casualties.Best, i.Casualties.High),
            i.SourceGroups, i.Grade.ToString(), Math.Round(i.Confidence, 4), i.Cluster.ConfirmedBy, i.Cluster.History, RegionOf(i, reports));
        return new StoredIncident(i.Id, i.Cluster.ReferenceKey, i.Cluster.Members.Select(m => m.Key).ToList(), i.Disputed,
            i.Attributions.Where(a => a.Party is not null).Select(a => a.Party!.Value.Value).ToList(), i.Time.Earliest.UtcTicks, i.Time.Latest.UtcTicks,
            i.Location.Longitude, i.Location.Latitude, i.Location.RadiusMetres, i.Act.Code, i.Target.Category.Code, i.Grade.ToString(), Math.Round(i.Confidence, 4),
            i.Cluster.ConfirmedBy, JsonSerializer.Serialize(detail, Json));
    }

    /// <summary>
    /// The first-level administrative region the incident's reports name most often (ACLED <c>admin1</c>, UCDP
    /// <c>adm_1</c>), or null when none does: what the dashboard charts findings by region with.
    /// </summary>
    private static string? RegionOf(CorroboratedIncident i, IReadOnlyDictionary<string, Incident> reports) =>
        i.Cluster.Members.Select(m => reports[m.Key].Attributes)
            .Select(a => a.TryGetValue("admin1", out var r) ? r : a.TryGetValue("adm_1", out var u) ? u : null)
            .Where(r => !string.IsNullOrWhiteSpace(r)).GroupBy(r => r!, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault();

    /// <summary>Reads a stored incident's derivation.</summary>
    public static IncidentDetail Detail(StoredIncident incident) => JsonSerializer.Deserialize<IncidentDetail>(incident.Detail, Json)!;

    private sealed record GradeEntry(string Report, string Grade, string Reason);

    private sealed record DecisionEntry(string Kind, List<string> Reports, string? With, string Reason);
}

/// <summary>An incident's derivation, as recorded and shown.</summary>
internal sealed record IncidentDetail(
    string Id, bool Disputed, IReadOnlyList<MemberDetail> Reports, TimeDetail Time, PlaceDetail Place, string Act, string Target, string TargetBasis,
    IReadOnlyList<AttributionDetail> Attributions, CasualtiesDetail Casualties, IReadOnlyList<string> SourceGroups, string Grade, double Confidence,
    string? ConfirmedBy, IReadOnlyList<string> History, string? Region = null);

/// <summary>A report of an incident.</summary>
internal sealed record MemberDetail(
    string Key, MemberRole Role, double? Score, string? ScoreDetail, string Grade, IReadOnlyList<string> Sources, string? Blames, string? Claimant,
    string Time, string? Place, string Act, string Casualties);

/// <summary>An incident's time.</summary>
internal sealed record TimeDetail(DateTimeOffset Earliest, DateTimeOffset Latest, string Precision);

/// <summary>An incident's place.</summary>
internal sealed record PlaceDetail(double Lon, double Lat, double RadiusM, string Precision, string? Name, double SpreadM);

/// <summary>One side of an attribution.</summary>
internal sealed record AttributionDetail(string? Party, IReadOnlyList<string> Reports, IReadOnlyList<string> Claimants, double Confidence);

/// <summary>Casualties as a range.</summary>
internal sealed record CasualtiesDetail(int? Low, int? Best, int? High);

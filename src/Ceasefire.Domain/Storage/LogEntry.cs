namespace Ceasefire.Storage;

/// <summary>
/// One entry of the append-only log: every write to the store (agreement version loaded, zone library loaded,
/// reports imported, findings computed, ...) is one entry, chained to the one before by <see cref="PreviousHash"/>.
/// </summary>
/// <param name="Sequence">Position in the log, 1, 2, 3, ... without gaps.</param>
/// <param name="Id">Unique id of the entry.</param>
/// <param name="Stream">What the entry is about (<c>agreement:ru-ua-2025</c>, <c>dataset:acled</c>, ...).</param>
/// <param name="Version">Position within the stream, 1, 2, ...; (stream, version) is unique (optimistic concurrency).</param>
/// <param name="Type">What happened (<see cref="LogEntryTypes"/>).</param>
/// <param name="Data">The payload, JSON text exactly as hashed.</param>
/// <param name="RecordedAt">When it was recorded (UTC, to the microsecond).</param>
/// <param name="Author">Who wrote it (user name, or the command).</param>
/// <param name="PreviousHash">Hash of the entry before (64 zeros for the first).</param>
/// <param name="Hash">SHA-256 of this entry's canonical form (<see cref="LogHash"/>), lower-case hex.</param>
/// <param name="Form">The canonical form the hash was computed by (<see cref="LogHash.CurrentForm"/> for new entries).</param>
public sealed record LogEntry(
    long Sequence, Guid Id, string Stream, long Version, string Type, string Data, DateTimeOffset RecordedAt,
    string Author, string PreviousHash, string Hash, int Form = LogHash.CurrentForm);

/// <summary>The entry types the system writes.</summary>
public static class LogEntryTypes
{
    /// <summary>A batch of reports received (imported or posted): payload has the dataset, the file and the reports.</summary>
    public const string ReportsReceived = "reports.received";

    /// <summary>An import finished: payload has the counts (read, new, changed, unchanged, rejected).</summary>
    public const string ImportCompleted = "import.completed";

    /// <summary>An agreement version was loaded: payload has its id, version, file name and the file's text.</summary>
    public const string AgreementVersionAdded = "agreement.version_added";

    /// <summary>A zone library was loaded: payload has the file name and its GeoJSON text.</summary>
    public const string ZoneFileLoaded = "zones.loaded";

    /// <summary>
    /// Findings were computed for an agreement: payload has the agreement, the versions applied and the findings;
    /// they replace that agreement's earlier findings in the read model (the earlier ones stay on the log).
    /// </summary>
    public const string FindingsComputed = "findings.computed";

    /// <summary>A source registry was loaded: payload has the file name and its YAML text.</summary>
    public const string SourcesLoaded = "sources.loaded";

    /// <summary>A claims file was loaded: payload has the file name and its YAML text.</summary>
    public const string ClaimsLoaded = "claims.loaded";

    /// <summary>A corroboration run: payload has every incident, the review queue and warnings (they replace the earlier ones).</summary>
    public const string IncidentsFormed = "incidents.formed";

    /// <summary>An analyst graded a report (Admiralty code), with the reason.</summary>
    public const string ReportGraded = "report.graded";

    /// <summary>An analyst merged, split or confirmed incidents, or decided a queued candidate, with the reason.</summary>
    public const string IncidentDecided = "incident.decided";

    /// <summary>A step of a formal complaint (filed, acknowledged, answered, ruled): the payload's <c>kind</c> says which.</summary>
    public const string ComplaintEvent = "complaint.event";

    /// <summary>Types that only the log keeps: read back by replaying their streams, never projected.</summary>
    public static readonly IReadOnlySet<string> LogOnly = new HashSet<string>(StringComparer.Ordinal) { ReportGraded, IncidentDecided, ComplaintEvent };
}

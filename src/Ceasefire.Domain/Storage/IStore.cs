using Ceasefire.Incidents;

namespace Ceasefire.Storage;

/// <summary>
/// The store: an append-only, hash-chained log of every write, and read models (tables of reports, ...) kept in step
/// with it in the same transaction and rebuildable from it. One contract, one adapter per database (SQLite is the
/// embedded default). Implementations are safe to use from one thread at a time.
/// </summary>
public interface IStore : IAsyncDisposable
{
    /// <summary>Creates or upgrades the schema; returns the schema version now in place.</summary>
    Task<int> MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a batch of reports from one dataset in one transaction: reports already stored with the same content
    /// are skipped, an edited report becomes a new version (the old one is kept), new reports are added; the batch
    /// is in or out as a whole.
    /// </summary>
    Task<ImportSummary> ImportReportsAsync(ReportImport import, IEnumerable<Incident> reports, IProgress<long>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>The current version of each report matching <paramref name="query"/>, oldest first.</summary>
    Task<IReadOnlyList<StoredReport>> QueryReportsAsync(ReportQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every version of one report, oldest first.</summary>
    Task<IReadOnlyList<StoredReport>> ReportHistoryAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Records an agreement file (one version); a file already recorded with the same text is not recorded again.</summary>
    Task<bool> AddAgreementAsync(string agreementId, int version, string fileName, string text, string author, CancellationToken cancellationToken = default);

    /// <summary>Records a zone file (GeoJSON text); a file already recorded with the same text is not recorded again.</summary>
    Task<bool> AddZoneFileAsync(string fileName, string text, string author, CancellationToken cancellationToken = default);

    /// <summary>Every agreement file recorded, oldest first.</summary>
    Task<IReadOnlyList<StoredDocument>> AgreementFilesAsync(CancellationToken cancellationToken = default);

    /// <summary>Every zone file recorded (the latest text of each name), oldest first.</summary>
    Task<IReadOnlyList<StoredDocument>> ZoneFilesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the findings computed for an agreement; they replace its earlier findings of the same
    /// <paramref name="scope"/> in the read model (findings on reports, or on incidents: ids starting <c>inc:</c>).
    /// </summary>
    Task<long> RecordFindingsAsync(string agreementId, IReadOnlyList<int> versions, IReadOnlyList<StoredFinding> findings, string author, CancellationToken cancellationToken = default, FindingScope scope = FindingScope.Reports);

    /// <summary>The current findings, filtered.</summary>
    Task<IReadOnlyList<StoredFinding>> QueryFindingsAsync(FindingQuery query, CancellationToken cancellationToken = default);

    /// <summary>Records a document of another kind (<c>sources</c>, <c>claims</c>); the same text under the same name is not recorded again.</summary>
    Task<bool> AddDocumentAsync(string kind, string fileName, string text, string author, CancellationToken cancellationToken = default);

    /// <summary>Every document of <paramref name="kind"/> recorded, oldest first.</summary>
    Task<IReadOnlyList<StoredDocument>> DocumentsAsync(string kind, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends one entry that only the log keeps (no read model): an analyst's decision, a grade, a step of a
    /// complaint (<see cref="LogEntryTypes.LogOnly"/>). With <paramref name="expectedVersion"/>, the stream must be at
    /// that version (0: empty), or <see cref="StreamConcurrencyException"/> is thrown and nothing is written.
    /// </summary>
    Task<LogEntry> AppendAsync(string stream, string type, string json, string author, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>The entries of every stream whose name starts with <paramref name="streamPrefix"/>, in log order.</summary>
    IAsyncEnumerable<LogEntry> ReadStreamsAsync(string streamPrefix, CancellationToken cancellationToken = default);

    /// <summary>Records the incidents of a corroboration run; they replace the earlier ones in the read model.</summary>
    Task<long> RecordIncidentsAsync(IncidentSnapshot snapshot, string author, CancellationToken cancellationToken = default);

    /// <summary>The current incidents, filtered, by id.</summary>
    Task<IReadOnlyList<StoredIncident>> QueryIncidentsAsync(IncidentQuery query, CancellationToken cancellationToken = default);

    /// <summary>The candidates waiting for an analyst, best score first.</summary>
    Task<IReadOnlyList<StoredReviewItem>> ReviewQueueAsync(CancellationToken cancellationToken = default);

    /// <summary>The sequence of the last log entry (0 when the log is empty): what caches compare to know the store changed.</summary>
    Task<long> LastSequenceAsync(CancellationToken cancellationToken = default);

    /// <summary>The log from <paramref name="fromSequence"/> on, in order.</summary>
    IAsyncEnumerable<LogEntry> ReadLogAsync(long fromSequence = 1, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends entries copied from another store's log as they are (sequence, id, stream, version, type, payload,
    /// time, author, hashes and hash form) and applies them to the read models, in one transaction: how
    /// <c>ceasefire migrate</c> moves a log between stores. The first entry must follow this log's last one and link to
    /// its hash, and every entry must hash to its recorded hash (<see cref="LogHash.Compute(LogEntry)"/>); otherwise
    /// <see cref="InvalidDataException"/> is thrown and nothing is written. Returns the entries appended.
    /// </summary>
    Task<long> AppendCopiedAsync(IReadOnlyList<LogEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>
    /// A SHA-256 of the read models in a form every adapter computes alike (<c>ReadModelDigest</c>): two stores
    /// holding the same log give the same digest.
    /// </summary>
    Task<string> ReadModelDigestAsync(CancellationToken cancellationToken = default);

    /// <summary>Recomputes the hash chain and says where it breaks.</summary>
    Task<ChainVerification> VerifyAsync(CancellationToken cancellationToken = default);

    /// <summary>Recreates the read models from the log and compares them with what was there.</summary>
    Task<RebuildResult> RebuildAsync(CancellationToken cancellationToken = default);
}

/// <summary>Where a batch of reports comes from and who imports it.</summary>
/// <param name="Dataset">Dataset or channel (<c>acled</c>, <c>ucdp</c>, <c>json</c>, <c>form</c>): report keys are <c>dataset:id</c>.</param>
/// <param name="File">The file name (or request) the reports came from.</param>
/// <param name="Author">Who imports them.</param>
/// <param name="RowsRejected">Rows the reader rejected (counted in the summary and on the log).</param>
public sealed record ReportImport(string Dataset, string File, string Author, int RowsRejected = 0);

/// <summary>What an import did.</summary>
/// <param name="Read">Reports offered.</param>
/// <param name="Added">New reports.</param>
/// <param name="Changed">Reports stored before with other content: a new version was added.</param>
/// <param name="Unchanged">Reports stored before with the same content: skipped.</param>
/// <param name="Rejected">Rows the reader rejected.</param>
/// <param name="LogEntries">Log entries written.</param>
public sealed record ImportSummary(long Read, long Added, long Changed, long Unchanged, long Rejected, long LogEntries);

/// <summary>A filter over reports; null members do not filter. Times are UTC; the window is half-open.</summary>
public sealed record ReportQuery(
    DateTimeOffset? From = null, DateTimeOffset? To = null, string? Perpetrator = null, string? Act = null, string? Dataset = null,
    string? Place = null, int Limit = 1000);

/// <summary>A report as stored: its key, version, content hash, the log entry that recorded it, and the report.</summary>
public sealed record StoredReport(string Key, int Version, string ContentHash, long LogSequence, string Dataset, Incident Report);

/// <summary>A document kept in the store (an agreement file, a zone file) and the log entry that recorded it.</summary>
public sealed record StoredDocument(string Name, string Text, long LogSequence);

/// <summary>
/// One finding as stored: the report (key and version) it rules on, the agreement, version, obligation, phase and
/// reading, the verdict and confidence, the failed and uncertain aspects, and the explanation.
/// </summary>
public sealed record StoredFinding(
    string ReportKey, int ReportVersion, string Agreement, int AgreementVersion, string Obligation, string Phase, string Reading,
    string Verdict, double Confidence, string Failed, string Uncertain, string Explanation);

/// <summary>What a set of findings rules on.</summary>
public enum FindingScope
{
    /// <summary>Reports, one by one (subject: the report key).</summary>
    Reports,

    /// <summary>Incidents made by corroboration (subject: the incident id, <c>inc:...</c>, with <c>#PARTY</c> per side of a dispute).</summary>
    Incidents,
}

/// <summary>A filter over findings; null members do not filter.</summary>
public sealed record FindingQuery(string? Agreement = null, string? Verdict = null, string? Reading = null, string? Obligation = null, string? ReportKey = null, int Limit = 1000);

/// <summary>
/// An incident as the store keeps it: id, reports, attribution, when and where, act and target, grade and confidence,
/// who confirmed it, and <paramref name="Detail"/>, the derivation in JSON (what the CLI and API show).
/// </summary>
/// <param name="Id">Incident id.</param>
/// <param name="ReferenceKey">The reference report.</param>
/// <param name="Members">Every report, the reference first.</param>
/// <param name="Disputed">True when the reports blame different parties.</param>
/// <param name="Accused">The parties blamed.</param>
/// <param name="Earliest">Start of its time (UTC ticks).</param>
/// <param name="Latest">End of its time (UTC ticks).</param>
/// <param name="Longitude">Longitude.</param>
/// <param name="Latitude">Latitude.</param>
/// <param name="RadiusMetres">Uncertainty radius.</param>
/// <param name="Act">Act kind code.</param>
/// <param name="Target">Target category code.</param>
/// <param name="Grade">Admiralty grade.</param>
/// <param name="Confidence">Confidence that it happened.</param>
/// <param name="ConfirmedBy">The analyst who confirmed it, if any.</param>
/// <param name="Detail">The full derivation, JSON.</param>
public sealed record StoredIncident(
    string Id, string ReferenceKey, IReadOnlyList<string> Members, bool Disputed, IReadOnlyList<string> Accused, long Earliest, long Latest,
    double Longitude, double Latitude, double RadiusMetres, string Act, string Target, string Grade, double Confidence, string? ConfirmedBy, string Detail);

/// <summary>A candidate waiting for an analyst: the report might belong to the incident.</summary>
/// <param name="IncidentId">The incident.</param>
/// <param name="ReportKey">The report.</param>
/// <param name="Score">Its score against the incident's reference report.</param>
/// <param name="Detail">How the score was made.</param>
public sealed record StoredReviewItem(string IncidentId, string ReportKey, double Score, string Detail);

/// <summary>What a corroboration run recorded.</summary>
/// <param name="Incidents">Every incident.</param>
/// <param name="Review">The review queue.</param>
/// <param name="Warnings">Analysts' decisions that could not be applied.</param>
public sealed record IncidentSnapshot(IReadOnlyList<StoredIncident> Incidents, IReadOnlyList<StoredReviewItem> Review, IReadOnlyList<string> Warnings);

/// <summary>A filter over incidents; null members do not filter.</summary>
public sealed record IncidentQuery(string? Id = null, bool? Disputed = null, string? Accused = null, string? ReportKey = null, DateTimeOffset? From = null, DateTimeOffset? To = null, int Limit = 1000);

/// <summary>Thrown when an append names the version a stream should be at and it is elsewhere: someone wrote first.</summary>
public sealed class StreamConcurrencyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StreamConcurrencyException(string stream, long expected, long actual)
        : base($"Stream '{stream}' is at version {actual}, not {expected}: someone else wrote to it first; read it again and retry.")
    {
        (Stream, Expected, Actual) = (stream, expected, actual);
    }

    /// <summary>The stream.</summary>
    public string Stream { get; }

    /// <summary>The version the writer expected.</summary>
    public long Expected { get; }

    /// <summary>The version it is at.</summary>
    public long Actual { get; }
}

/// <summary>The outcome of a rebuild.</summary>
/// <param name="EntriesReplayed">Log entries replayed.</param>
/// <param name="DigestBefore">SHA-256 over the read models before.</param>
/// <param name="DigestAfter">SHA-256 over the read models after.</param>
public sealed record RebuildResult(long EntriesReplayed, string DigestBefore, string DigestAfter)
{
    /// <summary>True when the rebuilt read models equal the ones that were there.</summary>
    public bool Identical => DigestBefore == DigestAfter;
}

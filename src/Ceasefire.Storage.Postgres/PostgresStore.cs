using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Ceasefire.Incidents;
using Npgsql;
using NpgsqlTypes;

using Ceasefire.Storage.Core;

namespace Ceasefire.Storage.Postgres;

/// <summary>
/// The store on PostgreSQL with PostGIS: the hash-chained log and the read models of <c>SqliteStore</c>, with the same
/// log entries byte for byte (payloads, encodings, hash form), plus PostGIS points and a spatial-and-time index.
/// Several processes may write to one database at once: the log stays gapless and its chain linear (optimistic
/// concurrency, see <see cref="AppendAsync"/>). Use one instance from one thread at a time; it draws connections
/// from its own pool, so an enumeration may run while other calls are made.
/// </summary>
public sealed class PostgresStore : IStore, IAccountStore
{
    /// <summary>
    /// A store holding at most this many reports has its report indexes built after a large import (one whose first
    /// block is full) rather than updated row by row, as on SQLite.
    /// </summary>
    public const int BulkLoadMaxExistingReports = 100_000;

    /// <summary>Attempts of a write that keeps losing the race for the log's next entry before the conflict is thrown.</summary>
    public const int MaxWriteAttempts = 50;

    /// <summary>The columns <see cref="Entry"/> reads, in its order.</summary>
    private const string SelectLog = "SELECT seq, id, stream, version, type, data, recorded_at, author, prev_hash, hash, encoding, hash_form FROM log";

    private readonly NpgsqlDataSource _db;
    private readonly TimeProvider _clock;

    private PostgresStore(NpgsqlDataSource db, TimeProvider clock)
    {
        _db = db;
        _clock = clock;
    }

    /// <summary>
    /// Opens the store in the database <paramref name="connectionString"/> names (a <c>postgres://</c> or
    /// <c>postgresql://</c> URI, or an Npgsql <c>key=value</c> string; see <see cref="PostgresConnectionString"/>) and
    /// brings its schema up to date (PostGIS and btree_gist are created if missing, which needs the right to). A hot
    /// standby (<c>pg_is_in_recovery()</c>) is read-only: its schema is only checked (see <see cref="MigrateAsync"/>),
    /// and its writes fail (SQLSTATE 25006, read-only transaction).
    /// </summary>
    /// <exception cref="ArgumentException">The connection string is not one.</exception>
    /// <exception cref="InvalidOperationException">A standby whose schema is not the one this build knows.</exception>
    public static async Task<PostgresStore> OpenAsync(string connectionString, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        var builder = new NpgsqlDataSourceBuilder(PostgresConnectionString.ToNpgsql(connectionString));
        builder.ConnectionStringBuilder.CommandTimeout = 0; // index builds after a large import take longer than 30 s
        var db = builder.Build();
        var store = new PostgresStore(db, clock ?? TimeProvider.System);
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await db.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return store;
    }

    /// <summary>True when the database was a hot standby (in recovery, read-only) when the store was opened.</summary>
    public bool IsStandby { get; private set; }

    /// <inheritdoc />
    /// <remarks>
    /// On a hot standby nothing is written and no lock taken: the schema must already be the one this build knows
    /// (migrations reach a standby by replication from its primary), else <see cref="InvalidOperationException"/>.
    /// </remarks>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var conn = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var recovery = new NpgsqlCommand("SELECT pg_is_in_recovery()", conn))
        {
            IsStandby = (bool)(await recovery.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        if (IsStandby)
        {
            return await CheckStandbySchemaAsync(conn, cancellationToken).ConfigureAwait(false);
        }
        // Two processes opening a new database at once: the second waits for the lock, then finds the schema in place.
        await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(conn, tx, $"SELECT pg_advisory_xact_lock({PostgresMigrations.MigrationLock})", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(conn, tx, "SET LOCAL client_min_messages = warning; CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL)", cancellationToken).ConfigureAwait(false);
        int current;
        await using (var get = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_version", conn, tx))
        {
            current = (int)(await get.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        for (var v = current; v < PostgresMigrations.All.Length; v++)
        {
            await ExecuteAsync(conn, tx, PostgresMigrations.All[v], cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(conn, tx, $"INSERT INTO schema_version (version) VALUES ({v + 1})", cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return PostgresMigrations.All.Length;
    }

    private static async Task<int> CheckStandbySchemaAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        // Two queries: a query naming schema_version cannot even be planned where the table does not exist.
        bool exists;
        await using (var check = new NpgsqlCommand("SELECT to_regclass('schema_version') IS NOT NULL", conn))
        {
            exists = (bool)(await check.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }
        var version = 0;
        if (exists)
        {
            await using var read = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_version", conn);
            version = (int)(await read.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }
        var needed = PostgresMigrations.All.Length;
        if (version < needed)
        {
            throw new InvalidOperationException(
                $"The standby's schema is version {version}, this build needs {needed}: migrate the primary first (ceasefire init --store postgres://PRIMARY) and let the standby replay it.");
        }
        if (version > needed)
        {
            throw new InvalidOperationException(
                $"The standby's schema is version {version}, newer than this build knows ({needed}): run a newer build of ceasefire.");
        }
        return version;
    }

    /// <inheritdoc />
    /// <remarks>
    /// One transaction. Imports (and rebuilds) take turns, holding an advisory lock to the end: each decides new, changed
    /// and unchanged against the versions the one before committed, and two bulk loads never wait for each other's
    /// table locks (a bulk load drops and rebuilds the report indexes). The reports are encoded on all cores while this
    /// thread writes the block before with binary COPY (its log entry, then its read-model rows). Other writes go on
    /// meanwhile; readers of <c>reports</c> wait for a bulk load to commit.
    /// </remarks>
    public async Task<ImportSummary> ImportReportsAsync(ReportImport import, IEnumerable<Incident> reports, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(import);
        ArgumentNullException.ThrowIfNull(reports);
        await using var conn = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(conn, tx, $"SELECT pg_advisory_xact_lock({PostgresMigrations.BulkWriteLock})", cancellationToken).ConfigureAwait(false);
        // A few reports at hand (a report posted to the API) need the heads of their own keys only, not the whole
        // dataset's, and can never fill a block, so never bulk-load: a post costs the same however large the store.
        string[]? few = reports is IReadOnlyCollection<Incident> { Count: < LogPayloads.ReportsPerEntry } small
            ? small.Select(r => $"{import.Dataset}:{r.Id.Value}").Distinct(StringComparer.Ordinal).ToArray()
            : null;
        var heads = await LoadHeadsAsync(conn, tx, import.Dataset, few, cancellationToken).ConfigureAwait(false);
        var existing = long.MaxValue;
        if (few is null)
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM (SELECT 1 FROM reports LIMIT {BulkLoadMaxExistingReports + 1}) r", conn, tx);
            existing = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        var log = new LogWriter(this, conn, tx, retryFirstAppend: true);
        var projector = new PostgresProjector(conn, tx);
        long read = 0, added = 0, changed = 0, unchanged = 0, entries = 0;
        var stream = $"dataset:{import.Dataset}";
        var entry = new ArrayBufferWriter<byte>(2 << 20); // one buffer for every entry

        // Two stages, as on SQLite: the encoder reads, encodes and decides the reports block by block on all cores
        // while this thread writes the block before, in order. A failure on either side stops both, and the
        // transaction is rolled back.
        var encoder = new ReportBlockEncoder(import.Dataset, EntryPrefix(import), heads);
        var channel = Channel.CreateBounded<EncodedBlock>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var block in encoder.Encode(reports, stop.Token))
                {
                    await channel.Writer.WriteAsync(block, stop.Token).ConfigureAwait(false);
                }
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
                throw;
            }
        }, stop.Token);
        try
        {
            await foreach (var block in channel.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                if (read == 0 && block.Read == LogPayloads.ReportsPerEntry && existing <= BulkLoadMaxExistingReports)
                {
                    await projector.BeginBulkAsync(cancellationToken).ConfigureAwait(false);
                }
                read += block.Read;
                (added, changed, unchanged) = (added + block.Added, changed + block.Changed, unchanged + block.Unchanged);
                if (block.Live.Length > 0)
                {
                    block.WriteStored(entry);
                    var sequence = await log.AppendStoredAsync(stream, LogEntryTypes.ReportsReceived, entry.WrittenMemory, PayloadCodec.Deflate, block.PayloadDigest, import.Author, cancellationToken).ConfigureAwait(false);
                    await projector.ApplyReportsAsync(sequence, stream, block.Rows, cancellationToken).ConfigureAwait(false);
                    entries++;
                }
                encoder.Return(block);
                progress?.Report(read);
            }
        }
        catch when (producer.IsFaulted || producer.IsCanceled)
        {
            // The producer's own exception (below) says what went wrong.
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            throw;
        }
        await producer.ConfigureAwait(false);
        await projector.EndAsync(cancellationToken).ConfigureAwait(false);

        var summary = new ImportSummary(read, added, changed, unchanged, import.RowsRejected, entries + 1);
        var done = JsonSerializer.Serialize(new { dataset = import.Dataset, file = import.File, read, added, changed, unchanged, rejected = import.RowsRejected });
        var completed = await log.AppendAsync(stream, LogEntryTypes.ImportCompleted, done, import.Author, cancellationToken).ConfigureAwait(false);
        await projector.ApplyAsync(completed, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        progress?.Report(read);
        return summary;
    }

    /// <summary>A <c>reports.received</c> payload up to its array's opening bracket: <c>{"dataset":...,"file":...,"reports":[</c>.</summary>
    private static byte[] EntryPrefix(ReportImport import)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, IncidentJson.UncheckedWriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("dataset", import.Dataset);
            w.WriteString("file", import.File);
            w.WriteStartArray("reports");
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredReport>> QueryReportsAsync(ReportQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder("""
            SELECT r.key, r.version, r.content_hash, r.log_seq, r.dataset, r.payload_offset, r.payload_length
            FROM reports r WHERE r.current
            """);
        var cmd = new NpgsqlCommand();
        if (query.From is { } from)
        {
            sql.Append(" AND r.latest > @from");
            cmd.Parameters.Add(new NpgsqlParameter<long>("from", from.UtcTicks));
        }
        if (query.To is { } to)
        {
            sql.Append(" AND r.earliest < @to");
            cmd.Parameters.Add(new NpgsqlParameter<long>("to", to.UtcTicks));
        }
        if (query.Perpetrator is { } p)
        {
            sql.Append(" AND r.perpetrator = @p");
            cmd.Parameters.Add(new NpgsqlParameter<string>("p", p));
        }
        if (query.Act is { } a)
        {
            sql.Append(" AND r.act = @a");
            cmd.Parameters.Add(new NpgsqlParameter<string>("a", a));
        }
        if (query.Dataset is { } d)
        {
            sql.Append(" AND r.dataset = @d");
            cmd.Parameters.Add(new NpgsqlParameter<string>("d", d));
        }
        if (query.Place is { } place)
        {
            // SQLite's LIKE ignores case; ILIKE does too.
            sql.Append(" AND r.place ILIKE @place");
            cmd.Parameters.Add(new NpgsqlParameter<string>("place", $"%{place}%"));
        }
        sql.Append(" ORDER BY r.earliest, r.key LIMIT @limit");
        cmd.Parameters.Add(new NpgsqlParameter<int>("limit", query.Limit));
        cmd.CommandText = sql.ToString();
        return await ReadReportsAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredReport>> ReportHistoryAsync(string key, CancellationToken cancellationToken = default)
    {
        var cmd = new NpgsqlCommand("SELECT key, version, content_hash, log_seq, dataset, payload_offset, payload_length FROM reports WHERE key = @k ORDER BY version");
        cmd.Parameters.Add(new NpgsqlParameter<string>("k", key));
        return await ReadReportsAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<bool> AddAgreementAsync(string agreementId, int version, string fileName, string text, string author, CancellationToken cancellationToken = default) =>
        AddDocumentAsync(DocumentEntry.Agreement(agreementId, version, fileName, text), author, cancellationToken);

    /// <inheritdoc />
    public Task<bool> AddZoneFileAsync(string fileName, string text, string author, CancellationToken cancellationToken = default) =>
        AddDocumentAsync(DocumentEntry.Zones(fileName, text), author, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredDocument>> AgreementFilesAsync(CancellationToken cancellationToken = default) => DocumentsAsync("agreement", cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredDocument>> ZoneFilesAsync(CancellationToken cancellationToken = default) => DocumentsAsync("zones", cancellationToken);

    /// <inheritdoc />
    public Task<bool> AddDocumentAsync(string kind, string fileName, string text, string author, CancellationToken cancellationToken = default) =>
        AddDocumentAsync(DocumentEntry.Other(kind, fileName, text), author, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Optimistic concurrency between processes: the entry takes the sequence after the last committed one; when
    /// another writer took it (or the stream's next version) first, the unique index says so (SQLSTATE 23505) and the
    /// whole write is tried again on the new head, with <paramref name="expectedVersion"/> checked again, up to
    /// <see cref="MaxWriteAttempts"/> times.
    /// </remarks>
    public async Task<LogEntry> AppendAsync(string stream, string type, string json, string author, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        LogPayloads.CheckAppended(stream, type, json);
        return await WriteAsync(async (conn, tx, ct) =>
        {
            var log = new LogWriter(this, conn, tx);
            if (expectedVersion is { } expected)
            {
                var actual = await StreamVersionAsync(conn, tx, stream, ct).ConfigureAwait(false);
                if (actual != expected)
                {
                    throw new StreamConcurrencyException(stream, expected, actual);
                }
                // The entry becomes version expected + 1 whatever the stream holds by the time it is written: a writer
                // that got there in between makes it a unique violation, and the next attempt reports the conflict.
                log.StreamIsAt(stream, expected);
            }
            return await log.AppendAsync(stream, type, json, author, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LogEntry> ReadStreamsAsync(string streamPrefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamPrefix);
        await using var conn = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"{SelectLog} WHERE starts_with(stream, @p) ORDER BY seq", conn);
        cmd.Parameters.Add(new NpgsqlParameter<string>("p", streamPrefix));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return Entry(reader);
        }
    }

    /// <inheritdoc />
    public async Task<long> RecordIncidentsAsync(IncidentSnapshot snapshot, string author, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        // A run over a large dataset makes hundreds of thousands of incidents: one entry per block of them (the first
        // replaces the earlier run's, the others add to it), all in one transaction.
        var incidents = snapshot.Incidents.Chunk(LogPayloads.ReportsPerEntry).ToList();
        var review = snapshot.Review.Chunk(LogPayloads.ReportsPerEntry * 4).ToList();
        var blocks = Math.Max(1, Math.Max(incidents.Count, review.Count));
        var payloads = Enumerable.Range(0, blocks).Select(i => JsonSerializer.Serialize(
            new IncidentsPayload(i < incidents.Count ? incidents[i] : [], i < review.Count ? review[i] : [], i == 0 ? snapshot.Warnings : [], Replace: i == 0), LogPayloads.Json)).ToList();
        return await WriteAsync(async (conn, tx, ct) =>
        {
            var projector = new PostgresProjector(conn, tx);
            var log = new LogWriter(this, conn, tx);
            long sequence = 0;
            foreach (var payload in payloads)
            {
                var entry = await log.AppendAsync("incidents", LogEntryTypes.IncidentsFormed, payload, author, ct).ConfigureAwait(false);
                await projector.ApplyAsync(entry, ct).ConfigureAwait(false);
                sequence = entry.Sequence;
            }
            await projector.EndAsync(ct).ConfigureAwait(false);
            return sequence;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredIncident>> QueryIncidentsAsync(IncidentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder("SELECT id, reference_key, members, disputed, accused, earliest, latest, lon, lat, radius_m, act, target, grade, confidence, confirmed_by, detail FROM incidents i WHERE true");
        await using var conn = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand { Connection = conn };
        if (query.Id is { } id)
        {
            sql.Append(" AND i.id = @id");
            cmd.Parameters.Add(new NpgsqlParameter<string>("id", id));
        }
        if (query.Disputed is { } disputed)
        {
            sql.Append(" AND i.disputed = @disputed");
            cmd.Parameters.Add(new NpgsqlParameter<bool>("disputed", disputed));
        }
        if (query.Accused is { } accused)
        {
            sql.Append(" AND ('|' || i.accused || '|') ILIKE @accused"); // SQLite's LIKE ignores case
            cmd.Parameters.Add(new NpgsqlParameter<string>("accused", $"%|{accused}|%"));
        }
        if (query.ReportKey is { } key)
        {
            sql.Append(" AND i.id IN (SELECT incident_id FROM incident_reports WHERE report_key = @key)");
            cmd.Parameters.Add(new NpgsqlParameter<string>("key", key));
        }
        if (query.From is { } from)
        {
            sql.Append(" AND i.latest > @from");
            cmd.Parameters.Add(new NpgsqlParameter<long>("from", from.UtcTicks));
        }
        if (query.To is { } to)
        {
            sql.Append(" AND i.earliest < @to");
            cmd.Parameters.Add(new NpgsqlParameter<long>("to", to.UtcTicks));
        }
        sql.Append(" ORDER BY i.earliest, i.id LIMIT @limit");
        cmd.Parameters.Add(new NpgsqlParameter<int>("limit", query.Limit));
        cmd.CommandText = sql.ToString();
        var list = new List<StoredIncident>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new StoredIncident(r.GetString(0), r.GetString(1), JsonSerializer.Deserialize<List<string>>(r.GetString(2))!, r.GetBoolean(3),
                r.GetString(4).Split('|', StringSplitOptions.RemoveEmptyEntries), r.GetInt64(5), r.GetInt64(6), r.GetDouble(7), r.GetDouble(8), r.GetDouble(9),
                r.GetString(10), r.GetString(11), r.GetString(12), r.GetDouble(13), r.IsDBNull(14) ? null : r.GetString(14), r.GetString(15)));
        }
        return list;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredReviewItem>> ReviewQueueAsync(CancellationToken cancellationToken = default)
    {
        await using var conn = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT incident_id, report_key, score, detail FROM review_queue ORDER BY score DESC, incident_id, report_key", conn);
        var list = new List<StoredReviewItem>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new StoredReviewItem(r.GetString(0), r.GetString(1), r.GetDouble(2), r.GetString(3)));
        }
        return list;
    }

    /// <inheritdoc />
    public async Task<long> RecordFindingsAsync(string agreementId, IReadOnlyList<int> versions, IReadOnlyList<StoredFinding> findings, string author, CancellationToken cancellationToken = default, FindingScope scope = FindingScope.Reports)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var chunks = findings.Chunk(LogPayloads.ReportsPerEntry).ToList();
        if (chunks.Count == 0)
        {
            chunks.Add([]);
        }
        // Each block's payload is written, compressed and digested on all cores before the transaction; the writer then
        // stores the entries and their rows, applying the payloads it holds (a replay reads them back from the log).
        var scopeName = scope == FindingScope.Incidents ? "incidents" : "reports";
        var payloads = chunks.AsParallel().AsOrdered().WithCancellation(cancellationToken).Select((chunk, i) =>
        {
            var payload = new FindingsPayload(agreementId, versions, i == 0, chunk, scopeName);
            var utf8 = JsonSerializer.SerializeToUtf8Bytes(payload, LogPayloads.Json);
            var (stored, encoding) = PayloadCodec.ForStorage(utf8);
            return (Payload: payload, Stored: stored, Encoding: encoding, Digest: LogHash.PayloadDigest(utf8));
        }).ToList();
        return await WriteAsync(async (conn, tx, ct) =>
        {
            var log = new LogWriter(this, conn, tx);
            var projector = new PostgresProjector(conn, tx);
            long entries = 0;
            foreach (var p in payloads)
            {
                var sequence = await log.AppendStoredAsync($"findings:{agreementId}", LogEntryTypes.FindingsComputed, p.Stored, p.Encoding, p.Digest, author, ct).ConfigureAwait(false);
                await projector.ApplyFindingsAsync(p.Payload, sequence, ct).ConfigureAwait(false);
                entries++;
            }
            await projector.EndAsync(ct).ConfigureAwait(false);
            return entries;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredFinding>> QueryFindingsAsync(FindingQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder("""
            SELECT report_key, report_version, agreement, agreement_version, obligation, phase, reading, verdict, confidence, failed, uncertain, explanation
            FROM findings WHERE true
            """);
        await using var conn = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand { Connection = conn };
        foreach (var (column, value) in new[] { ("agreement", query.Agreement), ("verdict", query.Verdict), ("reading", query.Reading), ("obligation", query.Obligation), ("report_key", query.ReportKey) })
        {
            if (value is not null)
            {
                sql.Append($" AND {column} = @{column}");
                cmd.Parameters.Add(new NpgsqlParameter<string>(column, value));
            }
        }
        sql.Append(" ORDER BY report_key, obligation, reading LIMIT @limit");
        cmd.Parameters.Add(new NpgsqlParameter<int>("limit", query.Limit));
        cmd.CommandText = sql.ToString();
        var list = new List<StoredFinding>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new StoredFinding(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4), reader.GetString(5),
                reader.GetString(6), reader.GetString(7), reader.GetDouble(8), reader.GetString(9), reader.GetString(10), reader.GetString(11)));
        }
        return list;
    }

    private Task<bool> AddDocumentAsync(DocumentEntry d, string author, CancellationToken cancellationToken) =>
        WriteAsync(async (conn, tx, ct) =>
        {
            await using (var exists = new NpgsqlCommand("SELECT count(*) FROM documents WHERE kind = @k AND name = @n AND content_hash = @h", conn, tx))
            {
                exists.Parameters.Add(new NpgsqlParameter<string>("k", d.Kind));
                exists.Parameters.Add(new NpgsqlParameter<string>("n", d.Name));
                exists.Parameters.Add(new NpgsqlParameter<string>("h", d.TextHash));
                if ((long)(await exists.ExecuteScalarAsync(ct).ConfigureAwait(false))! > 0)
                {
                    return false;
                }
            }
            var entry = await new LogWriter(this, conn, tx).AppendAsync(d.Stream, d.Type, d.Json, author, ct).ConfigureAwait(false);
            var projector = new PostgresProjector(conn, tx);
            await projector.ApplyAsync(entry, ct).ConfigureAwait(false);
            await projector.EndAsync(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredDocument>> DocumentsAsync(string kind, CancellationToken cancellationToken = default)
    {
        // The latest text of each name.
        await using var conn = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("""
            SELECT d.name, d.text, d.log_seq FROM documents d
            WHERE d.kind = @k AND d.log_seq = (SELECT max(log_seq) FROM documents e WHERE e.kind = d.kind AND e.name = d.name)
            ORDER BY d.log_seq
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter<string>("k", kind));
        var list = new List<StoredDocument>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new StoredDocument(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }
        return list;
    }

    /// <inheritdoc />
    public async Task<long> LastSequenceAsync(CancellationToken cancellationToken = default)
    {
        await using var conn = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT coalesce(max(seq), 0) FROM log", conn);
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LogEntry> ReadLogAsync(long fromSequence = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var conn = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"{SelectLog} WHERE seq >= @from ORDER BY seq", conn);
        cmd.Parameters.Add(new NpgsqlParameter<long>("from", fromSequence));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return Entry(reader);
        }
    }

    /// <inheritdoc />
    public async Task<ChainVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        // Streamed: a large log is never held in memory. A payload whose stored bytes no longer decode (a compressed
        // payload edited in place) breaks the chain at its entry, unless an earlier entry already broke it.
        (long Sequence, long Count, string Reason)? undecodable = null;
        var result = await ChainVerification.CheckAsync(Entries(), cancellationToken).ConfigureAwait(false);
        return result.Intact && undecodable is { } u
            ? new ChainVerification(u.Count, u.Sequence, $"entry {u.Sequence} was changed: {u.Reason}")
            : result;

        async IAsyncEnumerable<LogEntry> Entries()
        {
            await using var conn = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var cmd = new NpgsqlCommand($"{SelectLog} ORDER BY seq", conn);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            long count = 0;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                count++;
                LogEntry entry;
                try
                {
                    entry = Entry(reader);
                }
                catch (InvalidDataException e)
                {
                    undecodable = (reader.GetInt64(0), count, e.Message);
                    yield break;
                }
                yield return entry;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// One transaction, taking turns with imports: the read models are emptied (TRUNCATE) and the log is replayed through a cursor, a few entries
    /// at a time, into them; the report indexes are built once, after the replay.
    /// </remarks>
    public async Task<RebuildResult> RebuildAsync(CancellationToken cancellationToken = default)
    {
        await using var conn = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(conn, tx, $"SELECT pg_advisory_xact_lock({PostgresMigrations.BulkWriteLock})", cancellationToken).ConfigureAwait(false);
        var before = await PostgresProjector.DigestAsync(conn, tx, cancellationToken).ConfigureAwait(false);
        var projector = new PostgresProjector(conn, tx);
        await projector.ClearAsync(cancellationToken).ConfigureAwait(false);
        await projector.BeginBulkAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(conn, tx, $"DECLARE replay NO SCROLL CURSOR FOR {SelectLog} ORDER BY seq", cancellationToken).ConfigureAwait(false);
        long replayed = 0;
        var batch = new List<LogEntry>();
        while (true)
        {
            batch.Clear();
            await using (var fetch = new NpgsqlCommand("FETCH 16 FROM replay", conn, tx))
            await using (var reader = await fetch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    batch.Add(Entry(reader));
                }
            }
            if (batch.Count == 0)
            {
                break;
            }
            foreach (var entry in batch)
            {
                await projector.ApplyAsync(entry, cancellationToken).ConfigureAwait(false);
                replayed++;
            }
        }
        await ExecuteAsync(conn, tx, "CLOSE replay", cancellationToken).ConfigureAwait(false);
        await projector.EndAsync(cancellationToken).ConfigureAwait(false);
        var after = await PostgresProjector.DigestAsync(conn, tx, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new RebuildResult(replayed, before, after);
    }

    /// <inheritdoc />
    public async Task<string> ReadModelDigestAsync(CancellationToken cancellationToken = default)
    {
        await using var conn = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        var digest = await ReadModelDigest.ComputeAsync(async (table, columns, order, ct) =>
        {
            // Text keys in byte order (COLLATE "C"), as SQLite's BINARY orders them.
            var byteOrder = string.Join(", ", order.Split(", ").Select(c => c is "version" ? c : $"{c} COLLATE \"C\""));
            var cmd = new NpgsqlCommand($"SELECT {columns} FROM {table} ORDER BY {byteOrder}", conn, tx);
            return await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return digest;
    }

    /// <inheritdoc />
    public async Task<long> AppendCopiedAsync(IReadOnlyList<LogEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return 0;
        }
        await using var conn = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Takes turns with imports and rebuilds; a concurrent single append loses on the log's primary key and rolls
        // this copy back whole.
        await ExecuteAsync(conn, tx, $"SELECT pg_advisory_xact_lock({PostgresMigrations.BulkWriteLock})", cancellationToken).ConfigureAwait(false);
        long last;
        string previous;
        await using (var head = new NpgsqlCommand("SELECT seq, hash FROM log ORDER BY seq DESC LIMIT 1", conn, tx))
        await using (var r = await head.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            (last, previous) = await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? (r.GetInt64(0), r.GetString(1)) : (0L, LogHash.Genesis);
        }
        var projector = new PostgresProjector(conn, tx);
        if (last == 0)
        {
            await projector.BeginBulkAsync(cancellationToken).ConfigureAwait(false); // an empty store: indexes built once, after the copy
        }
        foreach (var e in entries)
        {
            var (stored, encoding) = LogCopy.Check(e, last, previous);
            await using (var insert = new NpgsqlCommand("""
                INSERT INTO log (seq, id, stream, version, type, data, encoding, hash_form, recorded_at, author, prev_hash, hash)
                VALUES (@seq, @id, @stream, @version, @type, @data, @encoding, @form, @at, @author, @prev, @hash)
                """, conn, tx))
            {
                insert.Parameters.Add(new NpgsqlParameter<long>("seq", e.Sequence));
                insert.Parameters.Add(new NpgsqlParameter<Guid>("id", e.Id));
                insert.Parameters.Add(new NpgsqlParameter<string>("stream", e.Stream));
                insert.Parameters.Add(new NpgsqlParameter<long>("version", e.Version));
                insert.Parameters.Add(new NpgsqlParameter<string>("type", e.Type));
                insert.Parameters.Add(new NpgsqlParameter<byte[]>("data", stored));
                insert.Parameters.Add(new NpgsqlParameter<string>("encoding", encoding));
                insert.Parameters.Add(new NpgsqlParameter<int>("form", e.Form));
                insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("at", e.RecordedAt.ToUniversalTime()));
                insert.Parameters.Add(new NpgsqlParameter<string>("author", e.Author));
                insert.Parameters.Add(new NpgsqlParameter<string>("prev", e.PreviousHash));
                insert.Parameters.Add(new NpgsqlParameter<string>("hash", e.Hash));
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await projector.ApplyAsync(e, cancellationToken).ConfigureAwait(false);
            (last, previous) = (e.Sequence, e.Hash);
        }
        await projector.EndAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return entries.Count;
    }

    /// <inheritdoc />
    public async Task<bool> AddAccountAsync(Account account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var conn = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO accounts (name, password_hash, role, party, created_at, disabled) VALUES (@n, @h, @r, @p, @c, @d)
            ON CONFLICT (name) DO NOTHING
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter<string>("n", account.Name));
        cmd.Parameters.Add(new NpgsqlParameter<string>("h", account.PasswordHash));
        cmd.Parameters.Add(new NpgsqlParameter<string>("r", account.Role.ToString().ToLowerInvariant()));
        cmd.Parameters.Add(new NpgsqlParameter("p", NpgsqlDbType.Text) { Value = (object?)account.Party ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter<string>("c", FormatCreatedAt(account.CreatedAt)));
        cmd.Parameters.Add(new NpgsqlParameter<bool>("d", account.Disabled));
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<Account?> AccountAsync(string name, CancellationToken cancellationToken = default) =>
        (await ReadAccountsAsync("WHERE name = @n", name, cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    /// <inheritdoc />
    public Task<IReadOnlyList<Account>> AccountsAsync(CancellationToken cancellationToken = default) => ReadAccountsAsync("", null, cancellationToken);

    private async Task<IReadOnlyList<Account>> ReadAccountsAsync(string where, string? name, CancellationToken ct)
    {
        await using var conn = await _db.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT name, password_hash, role, party, created_at, disabled FROM accounts {where} ORDER BY name", conn);
        if (name is not null)
        {
            cmd.Parameters.Add(new NpgsqlParameter<string>("n", name));
        }
        var list = new List<Account>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(new Account(r.GetString(0), r.GetString(1), Enum.Parse<Role>(r.GetString(2), ignoreCase: true), r.IsDBNull(3) ? null : r.GetString(3),
                ParseCreatedAt(r.GetString(4)), r.GetBoolean(5)));
        }
        return list;
    }

    /// <inheritdoc />
    public async Task AddApiKeyAsync(ApiKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var conn = await _db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("INSERT INTO api_keys (key_hash, id, name, role, party, created_at, revoked) VALUES (@h, @i, @n, @r, @p, @c, @v)", conn);
        cmd.Parameters.Add(new NpgsqlParameter<string>("h", key.KeyHash));
        cmd.Parameters.Add(new NpgsqlParameter<string>("i", key.Id));
        cmd.Parameters.Add(new NpgsqlParameter<string>("n", key.Name));
        cmd.Parameters.Add(new NpgsqlParameter<string>("r", key.Role.ToString().ToLowerInvariant()));
        cmd.Parameters.Add(new NpgsqlParameter("p", NpgsqlDbType.Text) { Value = (object?)key.Party ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter<string>("c", FormatCreatedAt(key.CreatedAt)));
        cmd.Parameters.Add(new NpgsqlParameter<bool>("v", key.Revoked));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ApiKey?> ApiKeyAsync(string keyHash, CancellationToken cancellationToken = default) =>
        (await ReadApiKeysAsync("WHERE key_hash = @h", keyHash, cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKey>> ApiKeysAsync(CancellationToken cancellationToken = default) => ReadApiKeysAsync("", null, cancellationToken);

    private async Task<IReadOnlyList<ApiKey>> ReadApiKeysAsync(string where, string? keyHash, CancellationToken ct)
    {
        await using var conn = await _db.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT key_hash, id, name, role, party, created_at, revoked FROM api_keys {where} ORDER BY id COLLATE \"C\"", conn);
        if (keyHash is not null)
        {
            cmd.Parameters.Add(new NpgsqlParameter<string>("h", keyHash));
        }
        var list = new List<ApiKey>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(new ApiKey(r.GetString(1), r.GetString(0), r.GetString(2), Enum.Parse<Role>(r.GetString(3), ignoreCase: true), r.IsDBNull(4) ? null : r.GetString(4),
                ParseCreatedAt(r.GetString(5)), r.GetBoolean(6)));
        }
        return list;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _db.DisposeAsync();

    /// <summary>Creation times are kept as SQLite keeps them (ISO 8601, UTC, 100 ns), so they come back exactly.</summary>
    private static string FormatCreatedAt(DateTimeOffset t) => t.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseCreatedAt(string s) => DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction of its own and commits it; when another writer took the log's
    /// next entry or a stream's next version first, or the server reports a serialization failure or a deadlock,
    /// runs it again from the start on a new transaction (a short, growing, jittered pause between attempts).
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var conn = await _db.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
            try
            {
                var result = await work(conn, tx, ct).ConfigureAwait(false);
                await tx.CommitAsync(ct).ConfigureAwait(false);
                return result;
            }
            catch (PostgresException e) when (IsLostRace(e) && attempt < MaxWriteAttempts)
            {
                // Disposing the transaction rolls it back.
            }
            await Task.Delay(Backoff(attempt), ct).ConfigureAwait(false);
        }
    }

    /// <summary>True when <paramref name="e"/> says another writer got there first: trying again on the new head may succeed.</summary>
    internal static bool IsLostRace(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected ||
        (e.SqlState == PostgresErrorCodes.UniqueViolation && e.TableName == "log" && e.ConstraintName is "log_pkey" or "log_stream_version_key");

    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 + (Math.Min(attempt, 10) * 5)));

    private async Task<IReadOnlyList<StoredReport>> ReadReportsAsync(NpgsqlCommand cmd, CancellationToken ct)
    {
        await using var _ = cmd;
        await using var conn = await _db.OpenConnectionAsync(ct).ConfigureAwait(false);
        cmd.Connection = conn;
        var rows = new List<(string Key, int Version, string Hash, long Seq, string Dataset, long Offset, int Length)>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                rows.Add((reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4), reader.GetInt64(5), reader.GetInt32(6)));
            }
        }
        if (rows.Count == 0)
        {
            return [];
        }
        // Each report's JSON lies inside the log entry that recorded it: each entry is read and decoded once for all
        // its reports; entries are decoded (inflated, their reports parsed) on all cores, a few dozen at a time, while
        // the next ones arrive.
        var bySequence = rows.Select((r, i) => (r, i)).GroupBy(x => x.r.Seq).ToDictionary(g => g.Key, g => g.ToList());
        var list = new StoredReport[rows.Count];
        var decoder = new ReportDecoder((i, report) =>
        {
            var r = rows[i];
            list[i] = new StoredReport(r.Key, r.Version, r.Hash, r.Seq, r.Dataset, report);
        }, ct);
        await using (var entries = new NpgsqlCommand("SELECT seq, encoding, data FROM log WHERE seq = ANY(@s)", conn))
        {
            entries.Parameters.Add(new NpgsqlParameter<long[]>("s", bySequence.Keys.ToArray()));
            await using var reader = await entries.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var seq = reader.GetInt64(0);
                decoder.Add(seq, reader.GetString(1), reader.GetFieldValue<byte[]>(2), bySequence[seq].Select(x => (x.i, (int)x.r.Offset, x.r.Length)).ToList());
            }
        }
        decoder.Flush();
        return list;
    }

    /// <summary>A log entry from a row of <see cref="SelectLog"/>.</summary>
    private static LogEntry Entry(NpgsqlDataReader reader)
    {
        var seq = reader.GetInt64(0);
        var data = Encoding.UTF8.GetString(PayloadCodec.Decode(reader.GetFieldValue<byte[]>(5), reader.GetString(10), seq));
        return new(seq, reader.GetGuid(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4), data,
            new DateTimeOffset(reader.GetFieldValue<DateTime>(6), TimeSpan.Zero), reader.GetString(7), reader.GetString(8), reader.GetString(9), reader.GetInt32(11));
    }

    /// <summary>The current version and content hash of each report of <paramref name="dataset"/>, or of those of <paramref name="keys"/> alone.</summary>
    private static async Task<Dictionary<string, (int Version, ContentHash Hash)>> LoadHeadsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string dataset, string[]? keys, CancellationToken ct)
    {
        var heads = new Dictionary<string, (int, ContentHash)>(StringComparer.Ordinal);
        await using var cmd = new NpgsqlCommand(keys is null
            ? "SELECT key, version, content_hash FROM reports WHERE dataset = @d AND current"
            : "SELECT key, version, content_hash FROM reports WHERE key = ANY(@k) AND dataset = @d AND current", conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string>("d", dataset));
        if (keys is not null)
        {
            cmd.Parameters.Add(new NpgsqlParameter<string[]>("k", keys));
        }
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            heads[reader.GetString(0)] = (reader.GetInt32(1), ContentHash.Parse(reader.GetString(2)));
        }
        return heads;
    }

    private static async Task<long> StreamVersionAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string stream, CancellationToken ct)
    {
        await using var v = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM log WHERE stream = @s", conn, tx);
        v.Parameters.Add(new NpgsqlParameter<string>("s", stream));
        return (long)(await v.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Appends entries inside one transaction, continuing the chain from the last committed entry. The log's primary
    /// key (seq) and its unique (stream, version) make a second writer that read the same head fail rather than fork
    /// the chain or leave a gap.
    /// </summary>
    /// <param name="store">The store (its clock).</param>
    /// <param name="conn">The transaction's connection.</param>
    /// <param name="tx">The transaction.</param>
    /// <param name="retryFirstAppend">
    /// When the first entry of the transaction loses the race (another writer committed the next sequence or version
    /// since the head was read), take it again on the new head, under a savepoint, rather than fail the transaction: the
    /// import's way, whose reports cannot be read twice. Later entries cannot lose: the first one holds the next
    /// sequence until the transaction ends, so other writers wait for it and then try again themselves.
    /// </param>
    private sealed class LogWriter(PostgresStore store, NpgsqlConnection conn, NpgsqlTransaction tx, bool retryFirstAppend = false)
    {
        private long _seq = -1;
        private string _previous = LogHash.Genesis;
        private readonly Dictionary<string, long> _streamVersions = new(StringComparer.Ordinal);

        /// <summary>Takes <paramref name="version"/> as the stream's version (the next entry of the stream is the one after it) without reading it.</summary>
        public void StreamIsAt(string stream, long version) => _streamVersions[stream] = version;

        public async Task<LogEntry> AppendAsync(string stream, string type, string data, string author, CancellationToken ct)
        {
            var utf8 = Encoding.UTF8.GetBytes(data);
            var (stored, encoding) = PayloadCodec.ForStorage(utf8);
            var (seq, id, version, at, previous, hash) = await AppendCoreAsync(stream, type, stored, encoding, LogHash.PayloadDigest(utf8), author, ct).ConfigureAwait(false);
            return new LogEntry(seq, id, stream, version, type, data, at, author, previous, hash);
        }

        /// <summary>
        /// Appends an entry whose payload is already in stored form (<paramref name="encoding"/>) with the digest of its
        /// JSON; returns its sequence.
        /// </summary>
        public async Task<long> AppendStoredAsync(string stream, string type, ReadOnlyMemory<byte> stored, string encoding, string payloadDigest, string author, CancellationToken ct) =>
            (await AppendCoreAsync(stream, type, stored, encoding, payloadDigest, author, ct).ConfigureAwait(false)).Sequence;

        private async Task<(long Sequence, Guid Id, long Version, DateTimeOffset At, string Previous, string Hash)> AppendCoreAsync(
            string stream, string type, ReadOnlyMemory<byte> stored, string encoding, string payloadDigest, string author, CancellationToken ct)
        {
            var guarded = retryFirstAppend && _seq < 0;
            for (var attempt = 1; ; attempt++)
            {
                if (_seq < 0)
                {
                    await using var last = new NpgsqlCommand("SELECT seq, hash FROM log ORDER BY seq DESC LIMIT 1", conn, tx);
                    await using var r = await last.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    (_seq, _previous) = await r.ReadAsync(ct).ConfigureAwait(false) ? (r.GetInt64(0), r.GetString(1)) : (0L, LogHash.Genesis);
                }
                if (!_streamVersions.TryGetValue(stream, out var version))
                {
                    version = await StreamVersionAsync(conn, tx, stream, ct).ConfigureAwait(false);
                }
                version++;
                var seq = _seq + 1;
                var id = Guid.NewGuid();
                var at = TruncateToMicroseconds(store._clock.GetUtcNow());
                var previous = _previous;
                var hash = LogHash.Compute(seq, id, stream, version, type, payloadDigest, at, author, previous);
                if (guarded)
                {
                    await tx.SaveAsync("log_head", ct).ConfigureAwait(false);
                }
                try
                {
                    await using var copy = await conn.BeginBinaryImportAsync("""
                        COPY log (seq, id, stream, version, type, data, encoding, hash_form, recorded_at, author, prev_hash, hash) FROM STDIN (FORMAT BINARY)
                        """, ct).ConfigureAwait(false);
                    await copy.StartRowAsync(ct).ConfigureAwait(false);
                    await copy.WriteAsync(seq, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                    await copy.WriteAsync(id, NpgsqlDbType.Uuid, ct).ConfigureAwait(false);
                    await copy.WriteAsync(stream, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                    await copy.WriteAsync(version, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                    await copy.WriteAsync(type, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                    await copy.WriteAsync(stored, NpgsqlDbType.Bytea, ct).ConfigureAwait(false);
                    await copy.WriteAsync(encoding, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                    await copy.WriteAsync(LogHash.CurrentForm, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
                    await copy.WriteAsync(at, NpgsqlDbType.TimestampTz, ct).ConfigureAwait(false);
                    await copy.WriteAsync(author, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                    await copy.WriteAsync(previous, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                    await copy.WriteAsync(hash, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                    await copy.CompleteAsync(ct).ConfigureAwait(false);
                }
                catch (PostgresException e) when (guarded && IsLostRace(e) && attempt < MaxWriteAttempts)
                {
                    await tx.RollbackAsync("log_head", ct).ConfigureAwait(false);
                    (_seq, _previous) = (-1, LogHash.Genesis);
                    _streamVersions.Clear();
                    await Task.Delay(Backoff(attempt), ct).ConfigureAwait(false);
                    continue;
                }
                if (guarded)
                {
                    await tx.ReleaseAsync("log_head", ct).ConfigureAwait(false);
                }
                _streamVersions[stream] = version;
                _seq = seq;
                _previous = hash;
                return (seq, id, version, at, previous, hash);
            }
        }

        private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % 10, TimeSpan.Zero);
    }
}

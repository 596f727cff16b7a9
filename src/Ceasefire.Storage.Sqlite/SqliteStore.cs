using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ceasefire.Incidents;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using SQLitePCL;

using Ceasefire.Storage.Core;

namespace Ceasefire.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file holding the hash-chained log and the read models. Every write appends log
/// entries and applies them to the read models in the same transaction (<see cref="Projector"/>), so the read models
/// can always be rebuilt from the log. Use from one thread at a time; open one store per file.
/// </summary>
public sealed class SqliteStore : IStore, IAccountStore
{
    /// <summary>Reports per log entry of an import.</summary>
    public const int ReportsPerEntry = LogPayloads.ReportsPerEntry;

    private readonly SqliteConnection _connection;
    private readonly TimeProvider _clock;

    private SqliteStore(SqliteConnection connection, TimeProvider clock)
    {
        _connection = connection;
        _clock = clock;
    }

    /// <summary>The database file.</summary>
    public string Path => _connection.DataSource;

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/> and brings its schema up to date.</summary>
    public static async Task<SqliteStore> OpenAsync(string path, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var pragma = connection.CreateCommand())
        {
            // Large pages suit multi-megabyte log payloads (a new file only); a rollback journal suits big append-only
            // imports (WAL would write every page twice: to the WAL, then back at the checkpoint) and is as
            // crash-safe; a large page cache keeps the report index of a million-row import in memory.
            pragma.CommandText = "PRAGMA page_size=65536; PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; " +
                "PRAGMA busy_timeout=5000; PRAGMA cache_size=-262144;";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        var store = new SqliteStore(connection, clock ?? TimeProvider.System);
        await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        return store;
    }

    /// <inheritdoc />
    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var create = Command(tx, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        long current;
        await using (var get = Command(tx, "SELECT coalesce(max(version), 0) FROM schema_version"))
        {
            current = (long)(await get.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        for (var v = (int)current; v < Migrations.All.Length; v++)
        {
            await using var migrate = Command(tx, Migrations.All[v] + $"; INSERT INTO schema_version (version) VALUES ({v + 1});");
            await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return Migrations.All.Length;
    }

    /// <summary>
    /// A store holding at most this many reports has its report indexes rebuilt after a large import (one whose first
    /// block is full) rather than updated row by row: rebuilding them over this many rows costs about a tenth of a
    /// second, updating them for a million rows several seconds.
    /// </summary>
    public const int BulkLoadMaxExistingReports = 100_000;

    /// <inheritdoc />
    public async Task<ImportSummary> ImportReportsAsync(ReportImport import, IEnumerable<Incident> reports, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(import);
        ArgumentNullException.ThrowIfNull(reports);
        await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
        var heads = await LoadHeadsAsync(tx, import.Dataset, cancellationToken).ConfigureAwait(false);
        long existing;
        await using (var count = Command(tx, "SELECT count(*) FROM reports"))
        {
            existing = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        var log = new LogWriter(this, tx);
        using var projector = new Projector(tx);
        long read = 0, added = 0, changed = 0, unchanged = 0, entries = 0;
        var stream = $"dataset:{import.Dataset}";
        var prefix = EntryPrefix(import);
        var entry = new ArrayBufferWriter<byte>(2 << 20); // one buffer for every entry

        // Two stages: the encoder reads, encodes and decides the reports block by block on all cores while this
        // thread writes the block before (log entry, then read model), in order. A failure on either side stops
        // both, and the transaction is rolled back.
        var encoder = new ReportBlockEncoder(import.Dataset, prefix, heads);
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
                if (read == 0 && block.Read == ReportsPerEntry && existing <= BulkLoadMaxExistingReports)
                {
                    projector.BeginBulk();
                }
                read += block.Read;
                (added, changed, unchanged) = (added + block.Added, changed + block.Changed, unchanged + block.Unchanged);
                if (block.Live.Length > 0)
                {
                    block.WriteStored(entry);
                    var sequence = await log.AppendStoredAsync(stream, LogEntryTypes.ReportsReceived, entry.WrittenMemory, PayloadCodec.Deflate, block.PayloadDigest, import.Author, cancellationToken).ConfigureAwait(false);
                    projector.ApplyReports(sequence, stream, block.Rows);
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
        projector.EndBulk();

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
            FROM reports r WHERE r.current = 1
            """);
        await using var cmd = _connection.CreateCommand();
        if (query.From is { } from)
        {
            sql.Append(" AND r.latest > $from");
            cmd.Parameters.AddWithValue("$from", from.UtcTicks);
        }
        if (query.To is { } to)
        {
            sql.Append(" AND r.earliest < $to");
            cmd.Parameters.AddWithValue("$to", to.UtcTicks);
        }
        if (query.Perpetrator is { } p)
        {
            sql.Append(" AND r.perpetrator = $p");
            cmd.Parameters.AddWithValue("$p", p);
        }
        if (query.Act is { } a)
        {
            sql.Append(" AND r.act = $a");
            cmd.Parameters.AddWithValue("$a", a);
        }
        if (query.Dataset is { } d)
        {
            sql.Append(" AND r.dataset = $d");
            cmd.Parameters.AddWithValue("$d", d);
        }
        if (query.Place is { } place)
        {
            sql.Append(" AND r.place LIKE $place");
            cmd.Parameters.AddWithValue("$place", $"%{place}%");
        }
        sql.Append(" ORDER BY r.earliest, r.key LIMIT $limit");
        cmd.Parameters.AddWithValue("$limit", query.Limit);
        cmd.CommandText = sql.ToString();
        return await ReadReportsAsync(cmd, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredReport>> ReportHistoryAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT key, version, content_hash, log_seq, dataset, payload_offset, payload_length FROM reports WHERE key = $k ORDER BY version";
        cmd.Parameters.AddWithValue("$k", key);
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
    public async Task<LogEntry> AppendAsync(string stream, string type, string json, string author, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        LogPayloads.CheckAppended(stream, type, json);
        await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
        if (expectedVersion is { } expected)
        {
            await using var v = Command(tx, "SELECT coalesce(max(version), 0) FROM log WHERE stream = $s");
            v.Parameters.AddWithValue("$s", stream);
            var actual = (long)(await v.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            if (actual != expected)
            {
                throw new StreamConcurrencyException(stream, expected, actual);
            }
        }
        var entry = await new LogWriter(this, tx).AppendAsync(stream, type, json, author, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return entry;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LogEntry> ReadStreamsAsync(string streamPrefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamPrefix);
        await using var cmd = _connection.CreateCommand();
        cmd.CommandText = $"{SelectLog} WHERE substr(stream, 1, length($p)) = $p ORDER BY seq";
        cmd.Parameters.AddWithValue("$p", streamPrefix);
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
        await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
        using var projector = new Projector(tx);
        var log = new LogWriter(this, tx);
        // A run over a large dataset makes hundreds of thousands of incidents: one entry per block of them (the first
        // replaces the earlier run's, the others add to it), all in one transaction.
        var incidents = snapshot.Incidents.Chunk(ReportsPerEntry).ToList();
        var review = snapshot.Review.Chunk(ReportsPerEntry * 4).ToList();
        var blocks = Math.Max(1, Math.Max(incidents.Count, review.Count));
        long sequence = 0;
        for (var i = 0; i < blocks; i++)
        {
            var payload = new IncidentsPayload(i < incidents.Count ? incidents[i] : [], i < review.Count ? review[i] : [], i == 0 ? snapshot.Warnings : [], Replace: i == 0);
            var entry = await log.AppendAsync("incidents", LogEntryTypes.IncidentsFormed, JsonSerializer.Serialize(payload, LogPayloads.Json), author, cancellationToken).ConfigureAwait(false);
            await projector.ApplyAsync(entry, cancellationToken).ConfigureAwait(false);
            sequence = entry.Sequence;
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return sequence;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredIncident>> QueryIncidentsAsync(IncidentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder("SELECT id, reference_key, members, disputed, accused, earliest, latest, lon, lat, radius_m, act, target, grade, confidence, confirmed_by, detail FROM incidents i WHERE 1 = 1");
        await using var cmd = _connection.CreateCommand();
        if (query.Id is { } id)
        {
            sql.Append(" AND i.id = $id");
            cmd.Parameters.AddWithValue("$id", id);
        }
        if (query.Disputed is { } disputed)
        {
            sql.Append(" AND i.disputed = $disputed");
            cmd.Parameters.AddWithValue("$disputed", disputed ? 1 : 0);
        }
        if (query.Accused is { } accused)
        {
            sql.Append(" AND ('|' || i.accused || '|') LIKE $accused");
            cmd.Parameters.AddWithValue("$accused", $"%|{accused}|%");
        }
        if (query.ReportKey is { } key)
        {
            sql.Append(" AND i.id IN (SELECT incident_id FROM incident_reports WHERE report_key = $key)");
            cmd.Parameters.AddWithValue("$key", key);
        }
        if (query.From is { } from)
        {
            sql.Append(" AND i.latest > $from");
            cmd.Parameters.AddWithValue("$from", from.UtcTicks);
        }
        if (query.To is { } to)
        {
            sql.Append(" AND i.earliest < $to");
            cmd.Parameters.AddWithValue("$to", to.UtcTicks);
        }
        sql.Append(" ORDER BY i.earliest, i.id LIMIT $limit");
        cmd.Parameters.AddWithValue("$limit", query.Limit);
        cmd.CommandText = sql.ToString();
        var list = new List<StoredIncident>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new StoredIncident(r.GetString(0), r.GetString(1), JsonSerializer.Deserialize<List<string>>(r.GetString(2))!, r.GetInt32(3) == 1,
                r.GetString(4).Split('|', StringSplitOptions.RemoveEmptyEntries), r.GetInt64(5), r.GetInt64(6), r.GetDouble(7), r.GetDouble(8), r.GetDouble(9),
                r.GetString(10), r.GetString(11), r.GetString(12), r.GetDouble(13), r.IsDBNull(14) ? null : r.GetString(14), r.GetString(15)));
        }
        return list;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredReviewItem>> ReviewQueueAsync(CancellationToken cancellationToken = default)
    {
        await using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT incident_id, report_key, score, detail FROM review_queue ORDER BY score DESC, incident_id, report_key";
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
        await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
        var log = new LogWriter(this, tx);
        using var projector = new Projector(tx);
        long entries = 0;
        var chunks = findings.Chunk(ReportsPerEntry).ToList();
        if (chunks.Count == 0)
        {
            chunks.Add([]);
        }
        for (var i = 0; i < chunks.Count; i++)
        {
            var data = JsonSerializer.Serialize(new FindingsPayload(agreementId, versions, i == 0, chunks[i], scope == FindingScope.Incidents ? "incidents" : "reports"), LogPayloads.Json);
            var entry = await log.AppendAsync($"findings:{agreementId}", LogEntryTypes.FindingsComputed, data, author, cancellationToken).ConfigureAwait(false);
            await projector.ApplyAsync(entry, cancellationToken).ConfigureAwait(false);
            entries++;
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return entries;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredFinding>> QueryFindingsAsync(FindingQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder("""
            SELECT report_key, report_version, agreement, agreement_version, obligation, phase, reading, verdict, confidence, failed, uncertain, explanation
            FROM findings WHERE 1 = 1
            """);
        await using var cmd = _connection.CreateCommand();
        foreach (var (column, value) in new[] { ("agreement", query.Agreement), ("verdict", query.Verdict), ("reading", query.Reading), ("obligation", query.Obligation), ("report_key", query.ReportKey) })
        {
            if (value is not null)
            {
                sql.Append($" AND {column} = ${column}");
                cmd.Parameters.AddWithValue("$" + column, value);
            }
        }
        sql.Append(" ORDER BY report_key, obligation, reading LIMIT $limit");
        cmd.Parameters.AddWithValue("$limit", query.Limit);
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

    private async Task<bool> AddDocumentAsync(DocumentEntry d, string author, CancellationToken ct)
    {
        await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct).ConfigureAwait(false);
        await using (var exists = Command(tx, "SELECT count(*) FROM documents WHERE kind = $k AND name = $n AND content_hash = $h"))
        {
            exists.Parameters.AddWithValue("$k", d.Kind);
            exists.Parameters.AddWithValue("$n", d.Name);
            exists.Parameters.AddWithValue("$h", d.TextHash);
            if ((long)(await exists.ExecuteScalarAsync(ct).ConfigureAwait(false))! > 0)
            {
                return false;
            }
        }
        var entry = await new LogWriter(this, tx).AppendAsync(d.Stream, d.Type, d.Json, author, ct).ConfigureAwait(false);
        using (var projector = new Projector(tx))
        {
            await projector.ApplyAsync(entry, ct).ConfigureAwait(false);
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredDocument>> DocumentsAsync(string kind, CancellationToken cancellationToken = default)
    {
        // The latest text of each name.
        await using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            SELECT d.name, d.text, d.log_seq FROM documents d
            WHERE d.kind = $k AND d.log_seq = (SELECT max(log_seq) FROM documents e WHERE e.kind = d.kind AND e.name = d.name)
            ORDER BY d.log_seq
            """;
        cmd.Parameters.AddWithValue("$k", kind);
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
        await using var cmd = _connection.CreateCommand();
        cmd.CommandText = "SELECT coalesce(max(seq), 0) FROM log";
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LogEntry> ReadLogAsync(long fromSequence = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var cmd = _connection.CreateCommand();
        cmd.CommandText = $"{SelectLog} WHERE seq >= $from ORDER BY seq";
        cmd.Parameters.AddWithValue("$from", fromSequence);
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
            await using var cmd = _connection.CreateCommand();
            cmd.CommandText = $"{SelectLog} ORDER BY seq";
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
    public Task<string> ReadModelDigestAsync(CancellationToken cancellationToken = default) =>
        ReadModelDigest.ComputeAsync(async (table, columns, order, ct) =>
        {
            var cmd = _connection.CreateCommand();
            cmd.CommandText = $"SELECT {columns} FROM {table} ORDER BY {order}";
            return await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<long> AppendCopiedAsync(IReadOnlyList<LogEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return 0;
        }
        await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
        long last;
        string previous;
        await using (var head = Command(tx, "SELECT seq, hash FROM log ORDER BY seq DESC LIMIT 1"))
        await using (var r = await head.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            (last, previous) = await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? (r.GetInt64(0), r.GetString(1)) : (0L, LogHash.Genesis);
        }
        using var projector = new Projector(tx);
        if (last == 0)
        {
            projector.BeginBulk(); // an empty store: indexes built once, after the copy
        }
        foreach (var e in entries)
        {
            var (stored, encoding) = LogCopy.Check(e, last, previous);
            await using (var insert = Command(tx, """
                INSERT INTO log (seq, id, stream, version, type, data, recorded_at, author, prev_hash, hash, encoding, hash_form)
                VALUES ($seq, $id, $stream, $version, $type, $data, $at, $author, $prev, $hash, $encoding, $form)
                """))
            {
                insert.Parameters.AddWithValue("$seq", e.Sequence);
                insert.Parameters.AddWithValue("$id", e.Id.ToString("D"));
                insert.Parameters.AddWithValue("$stream", e.Stream);
                insert.Parameters.AddWithValue("$version", e.Version);
                insert.Parameters.AddWithValue("$type", e.Type);
                insert.Parameters.AddWithValue("$data", stored);
                insert.Parameters.AddWithValue("$at", LogHash.FormatTime(e.RecordedAt));
                insert.Parameters.AddWithValue("$author", e.Author);
                insert.Parameters.AddWithValue("$prev", e.PreviousHash);
                insert.Parameters.AddWithValue("$hash", e.Hash);
                insert.Parameters.AddWithValue("$encoding", encoding);
                insert.Parameters.AddWithValue("$form", e.Form);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await projector.ApplyAsync(e, cancellationToken).ConfigureAwait(false);
            (last, previous) = (e.Sequence, e.Hash);
        }
        projector.EndBulk();
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return entries.Count;
    }

    /// <inheritdoc />
    public async Task<RebuildResult> RebuildAsync(CancellationToken cancellationToken = default)
    {
        await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken).ConfigureAwait(false);
        var before = await Projector.DigestAsync(tx, cancellationToken).ConfigureAwait(false);
        using var projector = new Projector(tx);
        await projector.ClearAsync(cancellationToken).ConfigureAwait(false);
        projector.BeginBulk(); // the read models are empty: indexes are built once, after the replay
        long replayed = 0;
        // Streamed: the log is read entry by entry while the read models (other tables) are written.
        await using (var cmd = Command(tx, $"{SelectLog} ORDER BY seq"))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                await projector.ApplyAsync(Entry(reader), cancellationToken).ConfigureAwait(false);
                replayed++;
            }
        }
        projector.EndBulk();
        var after = await Projector.DigestAsync(tx, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new RebuildResult(replayed, before, after);
    }

    /// <inheritdoc />
    public async Task<bool> AddAccountAsync(Account account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var cmd = _connection.CreateCommand();
        cmd.CommandText = "INSERT OR IGNORE INTO accounts (name, password_hash, role, party, created_at, disabled) VALUES ($n, $h, $r, $p, $c, $d)";
        cmd.Parameters.AddWithValue("$n", account.Name);
        cmd.Parameters.AddWithValue("$h", account.PasswordHash);
        cmd.Parameters.AddWithValue("$r", account.Role.ToString().ToLowerInvariant());
        cmd.Parameters.AddWithValue("$p", (object?)account.Party ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$c", account.CreatedAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        cmd.Parameters.AddWithValue("$d", account.Disabled ? 1 : 0);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<Account?> AccountAsync(string name, CancellationToken cancellationToken = default) =>
        (await ReadAccountsAsync("WHERE name = $n", name, cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    /// <inheritdoc />
    public Task<IReadOnlyList<Account>> AccountsAsync(CancellationToken cancellationToken = default) => ReadAccountsAsync("", null, cancellationToken);

    private async Task<IReadOnlyList<Account>> ReadAccountsAsync(string where, string? name, CancellationToken ct)
    {
        await using var cmd = _connection.CreateCommand();
        cmd.CommandText = $"SELECT name, password_hash, role, party, created_at, disabled FROM accounts {where} ORDER BY name";
        if (name is not null)
        {
            cmd.Parameters.AddWithValue("$n", name);
        }
        var list = new List<Account>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(new Account(r.GetString(0), r.GetString(1), Enum.Parse<Role>(r.GetString(2), ignoreCase: true), r.IsDBNull(3) ? null : r.GetString(3),
                DateTimeOffset.Parse(r.GetString(4), System.Globalization.CultureInfo.InvariantCulture), r.GetInt32(5) == 1));
        }
        return list;
    }

    /// <inheritdoc />
    public async Task AddApiKeyAsync(ApiKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var cmd = _connection.CreateCommand();
        cmd.CommandText = "INSERT INTO api_keys (key_hash, id, name, role, party, created_at, revoked) VALUES ($h, $i, $n, $r, $p, $c, $v)";
        cmd.Parameters.AddWithValue("$h", key.KeyHash);
        cmd.Parameters.AddWithValue("$i", key.Id);
        cmd.Parameters.AddWithValue("$n", key.Name);
        cmd.Parameters.AddWithValue("$r", key.Role.ToString().ToLowerInvariant());
        cmd.Parameters.AddWithValue("$p", (object?)key.Party ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$c", key.CreatedAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        cmd.Parameters.AddWithValue("$v", key.Revoked ? 1 : 0);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ApiKey?> ApiKeyAsync(string keyHash, CancellationToken cancellationToken = default) =>
        (await ReadApiKeysAsync("WHERE key_hash = $h", keyHash, cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKey>> ApiKeysAsync(CancellationToken cancellationToken = default) => ReadApiKeysAsync("", null, cancellationToken);

    private async Task<IReadOnlyList<ApiKey>> ReadApiKeysAsync(string where, string? keyHash, CancellationToken ct)
    {
        await using var cmd = _connection.CreateCommand();
        cmd.CommandText = $"SELECT key_hash, id, name, role, party, created_at, revoked FROM api_keys {where} ORDER BY id";
        if (keyHash is not null)
        {
            cmd.Parameters.AddWithValue("$h", keyHash);
        }
        var list = new List<ApiKey>();
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(new ApiKey(r.GetString(1), r.GetString(0), r.GetString(2), Enum.Parse<Role>(r.GetString(3), ignoreCase: true), r.IsDBNull(4) ? null : r.GetString(4),
                DateTimeOffset.Parse(r.GetString(5), System.Globalization.CultureInfo.InvariantCulture), r.GetInt32(6) == 1));
        }
        return list;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private async Task<IReadOnlyList<StoredReport>> ReadReportsAsync(SqliteCommand cmd, CancellationToken ct)
    {
        var rows = new List<(string Key, int Version, string Hash, long Seq, string Dataset, long Offset, int Length)>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                rows.Add((reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4), reader.GetInt64(5), reader.GetInt32(6)));
            }
        }
        // Each report's JSON lies inside the log entry that recorded it. An uncompressed entry is read with incremental
        // blob I/O (the reports' bytes only); a compressed one is read whole and inflated once for all its reports.
        // Reading is this connection's (one thread); inflating and parsing run on all cores, a few dozen entries at a time.
        var list = new StoredReport[rows.Count];
        var decoder = new ReportDecoder((i, report) =>
        {
            var r = rows[i];
            list[i] = new StoredReport(r.Key, r.Version, r.Hash, r.Seq, r.Dataset, report);
        }, ct);
        foreach (var group in rows.Select((r, i) => (r, i)).GroupBy(x => x.r.Seq))
        {
            string encoding;
            await using (var enc = _connection.CreateCommand())
            {
                enc.CommandText = "SELECT encoding FROM log WHERE seq = $s";
                enc.Parameters.AddWithValue("$s", group.Key);
                encoding = (string)(await enc.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            }
            using var blob = new SqliteBlob(_connection, "log", "data", group.Key, readOnly: true);
            if (encoding != PayloadCodec.Identity)
            {
                var stored = new byte[blob.Length];
                blob.ReadExactly(stored);
                decoder.Add(group.Key, encoding, stored, group.Select(x => (x.i, (int)x.r.Offset, x.r.Length)).ToList());
            }
            else
            {
                // The reports' bytes one after another; each report starts where the one before ends.
                var bytes = new byte[group.Sum(x => x.r.Length)];
                var reports = new List<(int, int, int)>();
                var at = 0;
                foreach (var (r, i) in group)
                {
                    blob.Seek(r.Offset, SeekOrigin.Begin);
                    blob.ReadExactly(bytes.AsSpan(at, r.Length));
                    reports.Add((i, at, r.Length));
                    at += r.Length;
                }
                decoder.Add(group.Key, PayloadCodec.Identity, bytes, reports);
            }
        }
        decoder.Flush();
        return list;
    }

    /// <summary>The columns <see cref="Entry"/> reads, in its order.</summary>
    private const string SelectLog = "SELECT seq, id, stream, version, type, data, recorded_at, author, prev_hash, hash, encoding, hash_form FROM log";

    /// <summary>A log entry from a row of <see cref="SelectLog"/>.</summary>
    private static LogEntry Entry(SqliteDataReader reader)
    {
        var seq = reader.GetInt64(0);
        return new(seq, Guid.Parse(reader.GetString(1)), reader.GetString(2), reader.GetInt64(3), reader.GetString(4),
            Data(reader, seq), DateTimeOffset.Parse(reader.GetString(6), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal),
            reader.GetString(7), reader.GetString(8), reader.GetString(9), reader.GetInt32(11));
    }

    /// <summary>A log entry's payload JSON, decoded from its stored bytes (a BLOB; TEXT if someone rewrote it with SQL).</summary>
    private static string Data(SqliteDataReader reader, long seq)
    {
        var stored = reader.GetFieldType(5) == typeof(byte[]) ? reader.GetFieldValue<byte[]>(5) : Encoding.UTF8.GetBytes(reader.GetString(5));
        return Encoding.UTF8.GetString(PayloadCodec.Decode(stored, reader.GetString(10), seq));
    }

    private async Task<Dictionary<string, (int Version, ContentHash Hash)>> LoadHeadsAsync(SqliteTransaction tx, string dataset, CancellationToken ct)
    {
        var heads = new Dictionary<string, (int, ContentHash)>(StringComparer.Ordinal);
        await using var cmd = Command(tx, "SELECT key, version, content_hash FROM reports WHERE dataset = $d AND current = 1");
        cmd.Parameters.AddWithValue("$d", dataset);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            heads[reader.GetString(0)] = (reader.GetInt32(1), ContentHash.Parse(reader.GetString(2)));
        }
        return heads;
    }

    private SqliteCommand Command(SqliteTransaction tx, string sql)
    {
        var cmd = _connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd;
    }

    /// <summary>Appends entries inside one transaction, continuing the chain from the last stored entry.</summary>
    private sealed class LogWriter(SqliteStore store, SqliteTransaction tx)
    {
        private long _seq = -1;
        private string _previous = LogHash.Genesis;
        private readonly Dictionary<string, long> _streamVersions = new(StringComparer.Ordinal);

        public async Task<LogEntry> AppendAsync(string stream, string type, string data, string author, CancellationToken ct)
        {
            var utf8 = Encoding.UTF8.GetBytes(data);
            // Large payloads (findings of a whole dataset) are stored compressed; small ones stay readable with sqlite3.
            var (stored, encoding) = PayloadCodec.ForStorage(utf8);
            var (seq, id, version, at, previous, hash) = await AppendCoreAsync(stream, type, stored, encoding, LogHash.PayloadDigest(utf8), author, ct).ConfigureAwait(false);
            return new LogEntry(seq, id, stream, version, type, data, at, author, previous, hash);
        }

        /// <summary>
        /// Appends an entry whose payload is already stored form (<paramref name="encoding"/>) with the digest of its
        /// JSON; returns its sequence.
        /// </summary>
        public async Task<long> AppendStoredAsync(string stream, string type, ReadOnlyMemory<byte> stored, string encoding, string payloadDigest, string author, CancellationToken ct) =>
            (await AppendCoreAsync(stream, type, stored, encoding, payloadDigest, author, ct).ConfigureAwait(false)).Sequence;

        private async Task<(long Sequence, Guid Id, long Version, DateTimeOffset At, string Previous, string Hash)> AppendCoreAsync(
            string stream, string type, ReadOnlyMemory<byte> stored, string encoding, string payloadDigest, string author, CancellationToken ct)
        {
            if (_seq < 0)
            {
                await using var last = store.Command(tx, "SELECT seq, hash FROM log ORDER BY seq DESC LIMIT 1");
                await using var r = await last.ExecuteReaderAsync(ct).ConfigureAwait(false);
                (_seq, _previous) = await r.ReadAsync(ct).ConfigureAwait(false) ? (r.GetInt64(0), r.GetString(1)) : (0L, LogHash.Genesis);
            }
            if (!_streamVersions.TryGetValue(stream, out var version))
            {
                await using var v = store.Command(tx, "SELECT coalesce(max(version), 0) FROM log WHERE stream = $s");
                v.Parameters.AddWithValue("$s", stream);
                version = (long)(await v.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            }
            version++;
            _streamVersions[stream] = version;
            var seq = _seq + 1;
            var id = Guid.NewGuid();
            var at = TruncateToMicroseconds(store._clock.GetUtcNow());
            var previous = _previous;
            var hash = LogHash.Compute(seq, id, stream, version, type, payloadDigest, at, author, previous);
            var db = store._connection.Handle!;
            Check(raw.sqlite3_prepare_v2(db, """
                INSERT INTO log (seq, id, stream, version, type, data, recorded_at, author, prev_hash, hash, encoding, hash_form)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                """, out var insert), db);
            using (insert)
            {
                raw.sqlite3_bind_int64(insert, 1, seq);
                raw.sqlite3_bind_text(insert, 2, id.ToString("D"));
                raw.sqlite3_bind_text(insert, 3, stream);
                raw.sqlite3_bind_int64(insert, 4, version);
                raw.sqlite3_bind_text(insert, 5, type);
                raw.sqlite3_bind_blob(insert, 6, stored.Span);
                raw.sqlite3_bind_text(insert, 7, LogHash.FormatTime(at));
                raw.sqlite3_bind_text(insert, 8, author);
                raw.sqlite3_bind_text(insert, 9, previous);
                raw.sqlite3_bind_text(insert, 10, hash);
                raw.sqlite3_bind_text(insert, 11, encoding);
                raw.sqlite3_bind_int(insert, 12, LogHash.CurrentForm);
                if (raw.sqlite3_step(insert) != raw.SQLITE_DONE)
                {
                    throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), raw.sqlite3_errcode(db));
                }
            }
            _seq = seq;
            _previous = hash;
            return (seq, id, version, at, previous, hash);
        }

        private static void Check(int rc, sqlite3 db)
        {
            if (rc != raw.SQLITE_OK)
            {
                throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc);
            }
        }

        private static DateTimeOffset TruncateToMicroseconds(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % 10, TimeSpan.Zero);
    }
}

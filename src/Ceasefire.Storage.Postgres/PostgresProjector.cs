using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

using Ceasefire.Storage.Core;

namespace Ceasefire.Storage.Postgres;

/// <summary>
/// Applies log entries to the read models, as <c>Ceasefire.Storage.Sqlite.Projector</c> does on SQLite (the same rows,
/// plus PostGIS points). The same code serves every write and <c>rebuild</c>, so the read models are a function of the
/// log. One projector per transaction; <see cref="EndAsync"/> must run before the transaction commits.
/// </summary>
internal sealed class PostgresProjector(NpgsqlConnection conn, NpgsqlTransaction tx)
{
    private static readonly string[] ReadModelTables = ["findings", "documents", "reports", "incidents", "incident_reports", "review_queue"];

    /// <summary>
    /// Every table of the read models with the columns the digest reads (points as their EWKB) and their key order:
    /// the digest covers every column of every row.
    /// </summary>
    private static readonly (string Table, string Columns, string Order)[] DigestTables =
    [
        ("reports", "key, version, content_hash, dataset, log_seq, earliest, latest, lon, lat, ST_AsEWKB(geom), act, perpetrator, place, payload_offset, payload_length, current", "key, version"),
        ("documents", "kind, name, content_hash, text, log_seq", "kind, name, content_hash"),
        ("findings", "agreement, report_key, report_version, agreement_version, obligation, phase, reading, verdict, confidence, failed, uncertain, explanation, log_seq", "agreement, report_key, obligation, reading"),
        ("incidents", "id, reference_key, members, disputed, accused, earliest, latest, lon, lat, ST_AsEWKB(geom), radius_m, act, target, grade, confidence, confirmed_by, detail, log_seq", "id"),
        ("incident_reports", "report_key, incident_id", "report_key, incident_id"),
        ("review_queue", "incident_id, report_key, score, detail", "incident_id, report_key"),
    ];

    /// <summary>Versions after the first, whose earlier versions stop being current when the projector ends.</summary>
    private readonly List<(string Key, int Version)> _retirements = [];

    private bool _bulk;

    /// <summary>The buffer report rows are formatted into (binary COPY format), reused for every entry.</summary>
    private BinaryCopyRows? _rows;

    /// <summary>
    /// Drops the report indexes so that the rows of a large load are only appended; <see cref="EndAsync"/> builds them
    /// again (one sort or one build each instead of an insert per row). Inside the transaction only.
    /// </summary>
    public async Task BeginBulkAsync(CancellationToken ct)
    {
        if (!_bulk)
        {
            await ExecuteAsync(PostgresMigrations.DropReportIndexes, ct).ConfigureAwait(false);
            _bulk = true;
        }
    }

    /// <summary>
    /// Ends the projection: builds the report indexes again after <see cref="BeginBulkAsync"/>, then marks the
    /// versions superseded by the reports applied as no longer current (what SQLite does row by row; the read model
    /// ends the same, and no one sees it in between: the transaction is not committed yet).
    /// </summary>
    public async Task EndAsync(CancellationToken ct)
    {
        if (_bulk)
        {
            _bulk = false;
            await ExecuteAsync(PostgresMigrations.ReportIndexes, ct).ConfigureAwait(false);
        }
        if (_retirements.Count == 0)
        {
            return;
        }
        await using var retire = new NpgsqlCommand("""
            UPDATE reports r SET current = false
            FROM unnest(@keys, @versions) AS s(key, version)
            WHERE r.key = s.key AND r.version < s.version AND r.current
            """, conn, tx);
        retire.Parameters.Add(new NpgsqlParameter<string[]>("keys", _retirements.Select(r => r.Key).ToArray()));
        retire.Parameters.Add(new NpgsqlParameter<int[]>("versions", _retirements.Select(r => r.Version).ToArray()));
        await retire.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        _retirements.Clear();
    }

    public async Task ApplyAsync(LogEntry entry, CancellationToken ct)
    {
        switch (entry.Type)
        {
            case LogEntryTypes.ReportsReceived:
                await ApplyReportsAsync(entry.Sequence, entry.Stream, LogPayloads.ParseReports(Encoding.UTF8.GetBytes(entry.Data)), ct).ConfigureAwait(false);
                break;
            case LogEntryTypes.ImportCompleted:
                break; // counts only: nothing to project
            case LogEntryTypes.AgreementVersionAdded:
            case LogEntryTypes.ZoneFileLoaded:
            case LogEntryTypes.SourcesLoaded:
            case LogEntryTypes.ClaimsLoaded:
                await ApplyDocumentAsync(entry, ct).ConfigureAwait(false);
                break;
            case LogEntryTypes.FindingsComputed:
                await ApplyFindingsAsync(entry, ct).ConfigureAwait(false);
                break;
            case LogEntryTypes.IncidentsFormed:
                await ApplyIncidentsAsync(entry, ct).ConfigureAwait(false);
                break;
            case var type when LogEntryTypes.LogOnly.Contains(type):
                break; // kept by the log alone; read by replaying the stream
            default:
                throw new InvalidDataException($"Log entry {entry.Sequence} has type '{entry.Type}', which this version does not know.");
        }
    }

    /// <summary>Empties every read-model table (the log is untouched).</summary>
    public Task ClearAsync(CancellationToken ct) => ExecuteAsync($"TRUNCATE {string.Join(", ", ReadModelTables)}", ct);

    /// <summary>SHA-256 over every row of every read-model table, in key order.</summary>
    public static async Task<string> DigestAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (table, columns, order) in DigestTables)
        {
            await using var cmd = new NpgsqlCommand($"SELECT {columns} FROM {table} ORDER BY {order}", conn, tx);
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            sha.AppendData(Encoding.UTF8.GetBytes(table + "\n"));
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var text = reader.IsDBNull(i) ? "\u2400" : reader.GetValue(i) switch
                    {
                        byte[] bytes => Convert.ToHexStringLower(bytes),
                        var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
                    };
                    sha.AppendData(Encoding.UTF8.GetBytes(text + "\u001f"));
                }
                sha.AppendData("\n"u8);
            }
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>
    /// Applies a <c>reports.received</c> entry: its rows in one binary COPY, formatted by <see cref="BinaryCopyRows"/>.
    /// The write path passes the rows it has just encoded; a rebuild passes the rows read back from the entry's payload.
    /// Either way the same rows are written.
    /// </summary>
    public async Task ApplyReportsAsync(long sequence, string stream, IReadOnlyList<ReceivedReport> rows, CancellationToken ct)
    {
        var dataset = DatasetOf(stream);
        var copy = _rows ??= new BinaryCopyRows();
        copy.Begin();
        Span<byte> hex = stackalloc byte[ContentHash.HexLength];
        Span<byte> point = stackalloc byte[PointEwkb.Length];
        foreach (var r in rows)
        {
            if (r.Version > 1)
            {
                _retirements.Add((r.Key, r.Version));
            }
            copy.StartRow(16);
            copy.Text(r.Key);
            copy.Int32(r.Version);
            r.Hash.WriteHex(hex);
            copy.Utf8(hex);
            copy.Text(dataset);
            copy.Int64(sequence);
            copy.Int64(r.Earliest);
            copy.Int64(r.Latest);
            copy.Double(r.Longitude);
            copy.Double(r.Latitude);
            PointEwkb.Write(point, r.Longitude, r.Latitude);
            copy.Bytes(point);
            copy.Text(r.Act);
            copy.TextOrNull(r.Perpetrator);
            copy.TextOrNull(r.Place);
            copy.Int64(r.Offset);
            copy.Int32(r.Length);
            copy.Boolean(true);
        }
        copy.End();
        var raw = await conn.BeginRawBinaryCopyAsync("""
            COPY reports (key, version, content_hash, dataset, log_seq, earliest, latest, lon, lat, geom, act, perpetrator, place, payload_offset, payload_length, current)
            FROM STDIN (FORMAT BINARY)
            """, ct).ConfigureAwait(false);
        await using (raw.ConfigureAwait(false))
        {
            await raw.WriteAsync(copy.Written, ct).ConfigureAwait(false);
        }
    }

    private static Task WriteOptionalAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, NpgsqlDbType.Text, ct);

    private static string DatasetOf(string stream) =>
        // The dataset is the stream's name after "dataset:" (the payload says the same).
        stream.StartsWith("dataset:", StringComparison.Ordinal) ? stream["dataset:".Length..] : stream;

    private async Task ApplyDocumentAsync(LogEntry entry, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(entry.Data);
        var root = doc.RootElement;
        var text = root.GetProperty("text").GetString()!;
        await using var cmd = new NpgsqlCommand(
            "INSERT INTO documents (kind, name, content_hash, text, log_seq) VALUES (@k, @n, @h, @t, @s) ON CONFLICT DO NOTHING", conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string>("k", root.GetProperty("kind").GetString()!));
        cmd.Parameters.Add(new NpgsqlParameter<string>("n", root.GetProperty("name").GetString()!));
        cmd.Parameters.Add(new NpgsqlParameter<string>("h", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))));
        cmd.Parameters.Add(new NpgsqlParameter<string>("t", text));
        cmd.Parameters.Add(new NpgsqlParameter<long>("s", entry.Sequence));
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private Task ApplyFindingsAsync(LogEntry entry, CancellationToken ct) =>
        ApplyFindingsAsync(JsonSerializer.Deserialize<FindingsPayload>(entry.Data, LogPayloads.Json) ?? throw new InvalidDataException($"Log entry {entry.Sequence} holds no findings."),
            entry.Sequence, ct);

    /// <summary>Applies a <c>findings.computed</c> entry from its payload (the write path has it in hand; a replay reads it from the entry).</summary>
    public async Task ApplyFindingsAsync(FindingsPayload payload, long sequence, CancellationToken ct)
    {
        if (payload.Replace)
        {
            await using var delete = new NpgsqlCommand(payload.Scope switch
            {
                null => "DELETE FROM findings WHERE agreement = @a",
                "incidents" => "DELETE FROM findings WHERE agreement = @a AND report_key LIKE 'inc:%'",
                _ => "DELETE FROM findings WHERE agreement = @a AND report_key NOT LIKE 'inc:%'",
            }, conn, tx);
            delete.Parameters.Add(new NpgsqlParameter<string>("a", payload.Agreement));
            await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        if (payload.Findings.Count == 0)
        {
            return;
        }
        // One statement for the entry's findings (at most a block of them); a repeated key fails it, as on SQLite.
        var f = payload.Findings;
        await using var insert = new NpgsqlCommand("""
            INSERT INTO findings (agreement, report_key, report_version, agreement_version, obligation, phase, reading, verdict, confidence, failed, uncertain, explanation, log_seq)
            SELECT @a, k, rv, av, o, p, r, v, c, f, u, e, @s FROM unnest(@k, @rv, @av, @o, @p, @r, @v, @c, @f, @u, @e) AS x(k, rv, av, o, p, r, v, c, f, u, e)
            """, conn, tx);
        insert.Parameters.Add(new NpgsqlParameter<string>("a", payload.Agreement));
        insert.Parameters.Add(new NpgsqlParameter<long>("s", sequence));
        insert.Parameters.Add(new NpgsqlParameter<string[]>("k", f.Select(x => x.ReportKey).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<int[]>("rv", f.Select(x => x.ReportVersion).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<int[]>("av", f.Select(x => x.AgreementVersion).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<string[]>("o", f.Select(x => x.Obligation).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<string[]>("p", f.Select(x => x.Phase).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<string[]>("r", f.Select(x => x.Reading).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<string[]>("v", f.Select(x => x.Verdict).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<double[]>("c", f.Select(x => x.Confidence).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<string[]>("f", f.Select(x => x.Failed).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<string[]>("u", f.Select(x => x.Uncertain).ToArray()));
        insert.Parameters.Add(new NpgsqlParameter<string[]>("e", f.Select(x => x.Explanation).ToArray()));
        await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private async Task ApplyIncidentsAsync(LogEntry entry, CancellationToken ct)
    {
        var snapshot = JsonSerializer.Deserialize<IncidentsPayload>(entry.Data, LogPayloads.Json) ?? throw new InvalidDataException($"Log entry {entry.Sequence} holds no incidents.");
        if (snapshot.Replace)
        {
            await ExecuteAsync("DELETE FROM incidents; DELETE FROM incident_reports; DELETE FROM review_queue;", ct).ConfigureAwait(false);
        }
        if (snapshot.Incidents.Count > 0)
        {
            await using (var copy = await conn.BeginBinaryImportAsync("""
                COPY incidents (id, reference_key, members, disputed, accused, earliest, latest, lon, lat, geom, radius_m, act, target, grade, confidence, confirmed_by, detail, log_seq)
                FROM STDIN (FORMAT BINARY)
                """, ct).ConfigureAwait(false))
            {
                foreach (var i in snapshot.Incidents)
                {
                    await copy.StartRowAsync(ct).ConfigureAwait(false);
                    await copy.WriteAsync(i.Id, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                    await copy.WriteAsync(i.ReferenceKey, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                    await copy.WriteAsync(JsonSerializer.Serialize(i.Members), NpgsqlDbType.Text, ct).ConfigureAwait(false);
                    await copy.WriteAsync(i.Disputed, NpgsqlDbType.Boolean, ct).ConfigureAwait(false);
                    await copy.WriteAsync(string.Join('|', i.Accused), NpgsqlDbType.Text, ct).ConfigureAwait(false);
                    await copy.WriteAsync(i.Earliest, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                    await copy.WriteAsync(i.Latest, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                    await copy.WriteAsync(i.Longitude, NpgsqlDbType.Double, ct).ConfigureAwait(false);
                    await copy.WriteAsync(i.Latitude, NpgsqlDbType.Double, ct).ConfigureAwait(false);
                    await copy.WriteAsync(PointEwkb.Of(i.Longitude, i.Latitude), NpgsqlDbType.Bytea, ct).ConfigureAwait(false);
                    await copy.WriteAsync(i.RadiusMetres, NpgsqlDbType.Double, ct).ConfigureAwait(false);
                    await copy.WriteAsync(i.Act, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                    await copy.WriteAsync(i.Target, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                    await copy.WriteAsync(i.Grade, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                    await copy.WriteAsync(i.Confidence, NpgsqlDbType.Double, ct).ConfigureAwait(false);
                    await WriteOptionalAsync(copy, i.ConfirmedBy, ct).ConfigureAwait(false);
                    await copy.WriteAsync(i.Detail, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                    await copy.WriteAsync(entry.Sequence, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
                }
                await copy.CompleteAsync(ct).ConfigureAwait(false);
            }
            await using (var copy = await conn.BeginBinaryImportAsync("COPY incident_reports (report_key, incident_id) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false))
            {
                foreach (var i in snapshot.Incidents)
                {
                    foreach (var key in i.Members)
                    {
                        await copy.StartRowAsync(ct).ConfigureAwait(false);
                        await copy.WriteAsync(key, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                        await copy.WriteAsync(i.Id, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                    }
                }
                await copy.CompleteAsync(ct).ConfigureAwait(false);
            }
        }
        if (snapshot.Review.Count > 0)
        {
            // SQLite's INSERT OR REPLACE, row by row: the last of the rows for one (incident, report) wins.
            var review = new Dictionary<(string, string), StoredReviewItem>();
            foreach (var r in snapshot.Review)
            {
                review[(r.IncidentId, r.ReportKey)] = r;
            }
            await using var upsert = new NpgsqlCommand("""
                INSERT INTO review_queue (incident_id, report_key, score, detail)
                SELECT * FROM unnest(@i, @k, @s, @d)
                ON CONFLICT (incident_id, report_key) DO UPDATE SET score = excluded.score, detail = excluded.detail
                """, conn, tx);
            upsert.Parameters.Add(new NpgsqlParameter<string[]>("i", review.Values.Select(r => r.IncidentId).ToArray()));
            upsert.Parameters.Add(new NpgsqlParameter<string[]>("k", review.Values.Select(r => r.ReportKey).ToArray()));
            upsert.Parameters.Add(new NpgsqlParameter<double[]>("s", review.Values.Select(r => r.Score).ToArray()));
            upsert.Parameters.Add(new NpgsqlParameter<string[]>("d", review.Values.Select(r => r.Detail).ToArray()));
            await upsert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SQLitePCL;

using Ceasefire.Storage.Core;

namespace Ceasefire.Storage.Sqlite;

/// <summary>
/// Applies log entries to the read models. The same code serves every write and <c>rebuild</c>, so the read models
/// are a function of the log. One projector per transaction; its prepared commands are reused for every row.
/// </summary>
internal sealed class Projector(SqliteTransaction tx) : IDisposable
{
    private static readonly string[] ReadModelTables = ["findings", "documents", "reports", "incidents", "incident_reports", "review_queue"];

    private SqliteCommand? _insertFinding;

    private sqlite3_stmt? _insertReport;
    private sqlite3_stmt? _retireReport;

    /// <summary>Retirements waiting for the key index (bulk mode), in the order met.</summary>
    private List<(string Key, int Version)>? _deferredRetirements;

    /// <summary>True between <see cref="BeginBulk"/> and <see cref="EndBulk"/>.</summary>
    public bool Bulk => _deferredRetirements is not null;

    /// <summary>
    /// Drops the report indexes so that the rows of a large load are only appended; <see cref="EndBulk"/> builds the
    /// indexes again (one sort each instead of a B-tree insert per row) and then retires the superseded versions.
    /// The read model ends the same as row by row; inside the transaction only.
    /// </summary>
    public void BeginBulk()
    {
        if (Bulk)
        {
            return;
        }
        Execute(Migrations.DropReportIndexes);
        _deferredRetirements = [];
    }

    /// <summary>Ends <see cref="BeginBulk"/>: builds the report indexes and applies the deferred retirements.</summary>
    public void EndBulk()
    {
        if (_deferredRetirements is not { } deferred)
        {
            return;
        }
        _deferredRetirements = null;
        Execute(Migrations.ReportIndexes);
        foreach (var (key, version) in deferred)
        {
            Retire(key, version);
        }
    }

    public async Task ApplyAsync(LogEntry entry, CancellationToken ct)
    {
        switch (entry.Type)
        {
            case LogEntryTypes.ReportsReceived:
                ApplyReports(entry.Sequence, entry.Stream, LogPayloads.ParseReports(Encoding.UTF8.GetBytes(entry.Data)));
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
                ApplyIncidents(entry);
                break;
            case var type when LogEntryTypes.LogOnly.Contains(type):
                break; // kept by the log alone; read by replaying the stream
            default:
                throw new InvalidDataException($"Log entry {entry.Sequence} has type '{entry.Type}', which this version does not know.");
        }
    }

    public async Task ClearAsync(CancellationToken ct)
    {
        foreach (var table in ReadModelTables)
        {
            await using var cmd = tx.Connection!.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"DELETE FROM {table}";
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>SHA-256 over every row of every read-model table, in key order.</summary>
    public static async Task<string> DigestAsync(SqliteTransaction tx, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (table, order) in new[]
        {
            ("reports", "key, version"), ("documents", "kind, name, content_hash"), ("findings", "agreement, report_key, obligation, reading"),
            ("incidents", "id"), ("incident_reports", "report_key, incident_id"), ("review_queue", "incident_id, report_key"),
        })
        {
            await using var cmd = tx.Connection!.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"SELECT * FROM {table} ORDER BY {order}";
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            sha.AppendData(Encoding.UTF8.GetBytes(table + "\n"));
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    sha.AppendData(Encoding.UTF8.GetBytes((reader.IsDBNull(i) ? "\u2400" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)) + "\u001f"));
                }
                sha.AppendData("\n"u8);
            }
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>
    /// Applies a <c>reports.received</c> entry. The write path passes the rows it has just encoded; a rebuild passes
    /// null and the rows are read back from the entry's payload. Either way the same rows are written.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public void ApplyReports(long sequence, string stream, IReadOnlyList<ReceivedReport> rows)
    {
        var db = tx.Connection!.Handle!;
        if (_insertReport is null)
        {
            // The hot path of imports: a raw prepared statement bound by position (ADO.NET's per-row overhead is
            // larger than SQLite's own work here).
            Check(raw.sqlite3_prepare_v2(db, """
                INSERT INTO reports (key, version, content_hash, dataset, log_seq, earliest, latest, lon, lat, act, perpetrator, place, payload_offset, payload_length, current)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 1)
                """, out _insertReport), db);
        }
        var s = _insertReport!;
        var h = s.DangerousGetHandle(); // the loop binds through NativeSqlite: see there
        NativeSqlite.BindText(h, 4, DatasetOf(stream));
        NativeSqlite.BindInt64(h, 5, sequence);
        Span<byte> hex = stackalloc byte[ContentHash.HexLength];
        foreach (var r in rows)
        {
            if (r.Version > 1)
            {
                if (_deferredRetirements is { } deferred)
                {
                    deferred.Add((r.Key, r.Version));
                }
                else
                {
                    Retire(r.Key, r.Version);
                }
            }
            // Bindings outlive sqlite3_reset, so the columns shared by the block are bound once.
            NativeSqlite.BindText(h, 1, r.Key);
            NativeSqlite.BindInt(h, 2, r.Version);
            r.Hash.WriteHex(hex);
            NativeSqlite.BindText(h, 3, hex);
            NativeSqlite.BindInt64(h, 6, r.Earliest);
            NativeSqlite.BindInt64(h, 7, r.Latest);
            NativeSqlite.BindDouble(h, 8, r.Longitude);
            NativeSqlite.BindDouble(h, 9, r.Latitude);
            NativeSqlite.BindText(h, 10, r.Act);
            NativeSqlite.BindText(h, 11, r.Perpetrator);
            NativeSqlite.BindText(h, 12, r.Place);
            NativeSqlite.BindInt64(h, 13, r.Offset);
            NativeSqlite.BindInt(h, 14, r.Length);
            var rc = NativeSqlite.Step(h);
            NativeSqlite.Reset(h);
            if (rc != raw.SQLITE_DONE)
            {
                throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc);
            }
        }
    }

    /// <summary>Marks every version of <paramref name="key"/> before <paramref name="version"/> as no longer current.</summary>
    private void Retire(string key, int version)
    {
        var db = tx.Connection!.Handle!;
        if (_retireReport is null)
        {
            Check(raw.sqlite3_prepare_v2(db, "UPDATE reports SET current = 0 WHERE key = ?1 AND version < ?2 AND current = 1", out _retireReport), db);
        }
        raw.sqlite3_bind_text(_retireReport, 1, key);
        raw.sqlite3_bind_int(_retireReport, 2, version);
        Step(_retireReport, db);
    }

    private void Execute(string sql)
    {
        using var cmd = tx.Connection!.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static string DatasetOf(string stream) =>
        // The dataset is the stream's name after "dataset:" (the payload says the same).
        stream.StartsWith("dataset:", StringComparison.Ordinal) ? stream["dataset:".Length..] : stream;

    private static void BindOptional(sqlite3_stmt s, int index, string? value)
    {
        if (value is null)
        {
            raw.sqlite3_bind_null(s, index);
        }
        else
        {
            BindText(s, index, value);
        }
    }

    /// <summary>Binds text as UTF-8 without allocating (SQLite copies it).</summary>
    private static void BindText(sqlite3_stmt s, int index, string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (max <= 512)
        {
            Span<byte> utf8 = stackalloc byte[512];
            raw.sqlite3_bind_text(s, index, utf8[..Encoding.UTF8.GetBytes(value, utf8)]);
        }
        else
        {
            raw.sqlite3_bind_text(s, index, Encoding.UTF8.GetBytes(value));
        }
    }

    private static void Step(sqlite3_stmt s, sqlite3 db)
    {
        var rc = raw.sqlite3_step(s);
        raw.sqlite3_reset(s);
        if (rc != raw.SQLITE_DONE)
        {
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc);
        }
    }

    private static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc);
        }
    }

    /// <summary>Finalises the raw statements.</summary>
    public void Dispose()
    {
        _insertReport?.Dispose();
        _retireReport?.Dispose();
        _insertFinding?.Dispose();
    }

    private async Task ApplyDocumentAsync(LogEntry entry, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(entry.Data);
        var root = doc.RootElement;
        var text = root.GetProperty("text").GetString()!;
        await using var cmd = tx.Connection!.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT OR IGNORE INTO documents (kind, name, content_hash, text, log_seq) VALUES ($k, $n, $h, $t, $s)";
        cmd.Parameters.AddWithValue("$k", root.GetProperty("kind").GetString());
        cmd.Parameters.AddWithValue("$n", root.GetProperty("name").GetString());
        cmd.Parameters.AddWithValue("$h", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
        cmd.Parameters.AddWithValue("$t", text);
        cmd.Parameters.AddWithValue("$s", entry.Sequence);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private async Task ApplyFindingsAsync(LogEntry entry, CancellationToken ct)
    {
        var payload = JsonSerializer.Deserialize<FindingsPayload>(entry.Data, LogPayloads.Json) ?? throw new InvalidDataException($"Log entry {entry.Sequence} holds no findings.");
        if (payload.Replace)
        {
            await using var delete = tx.Connection!.CreateCommand();
            delete.Transaction = tx;
            delete.CommandText = payload.Scope switch
            {
                null => "DELETE FROM findings WHERE agreement = $a",
                "incidents" => "DELETE FROM findings WHERE agreement = $a AND report_key LIKE 'inc:%'",
                _ => "DELETE FROM findings WHERE agreement = $a AND report_key NOT LIKE 'inc:%'",
            };
            delete.Parameters.AddWithValue("$a", payload.Agreement);
            await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        _insertFinding ??= Prepare("""
            INSERT INTO findings (agreement, report_key, report_version, agreement_version, obligation, phase, reading, verdict, confidence, failed, uncertain, explanation, log_seq)
            VALUES ($a, $k, $rv, $av, $o, $p, $r, $v, $c, $f, $u, $e, $s)
            """, "$a", "$k", "$rv", "$av", "$o", "$p", "$r", "$v", "$c", "$f", "$u", "$e", "$s");
        foreach (var f in payload.Findings)
        {
            var p = _insertFinding.Parameters;
            p[0].Value = payload.Agreement;
            p[1].Value = f.ReportKey;
            p[2].Value = f.ReportVersion;
            p[3].Value = f.AgreementVersion;
            p[4].Value = f.Obligation;
            p[5].Value = f.Phase;
            p[6].Value = f.Reading;
            p[7].Value = f.Verdict;
            p[8].Value = f.Confidence;
            p[9].Value = f.Failed;
            p[10].Value = f.Uncertain;
            p[11].Value = f.Explanation;
            p[12].Value = entry.Sequence;
            _insertFinding.ExecuteNonQuery();
        }
    }

    private void ApplyIncidents(LogEntry entry)
    {
        var snapshot = JsonSerializer.Deserialize<IncidentsPayload>(entry.Data, LogPayloads.Json) ?? throw new InvalidDataException($"Log entry {entry.Sequence} holds no incidents.");
        if (snapshot.Replace)
        {
            Execute("DELETE FROM incidents; DELETE FROM incident_reports; DELETE FROM review_queue;");
        }
        using var incident = Prepare("""
            INSERT INTO incidents (id, reference_key, members, disputed, accused, earliest, latest, lon, lat, radius_m, act, target, grade, confidence, confirmed_by, detail, log_seq)
            VALUES ($id, $ref, $members, $disputed, $accused, $earliest, $latest, $lon, $lat, $radius, $act, $target, $grade, $confidence, $confirmed, $detail, $seq)
            """, "$id", "$ref", "$members", "$disputed", "$accused", "$earliest", "$latest", "$lon", "$lat", "$radius", "$act", "$target", "$grade", "$confidence", "$confirmed", "$detail", "$seq");
        using var member = Prepare("INSERT INTO incident_reports (report_key, incident_id) VALUES ($k, $i)", "$k", "$i");
        foreach (var i in snapshot.Incidents)
        {
            object?[] values = [i.Id, i.ReferenceKey, JsonSerializer.Serialize(i.Members), i.Disputed ? 1 : 0, string.Join('|', i.Accused), i.Earliest, i.Latest,
                i.Longitude, i.Latitude, i.RadiusMetres, i.Act, i.Target, i.Grade, i.Confidence, (object?)i.ConfirmedBy ?? DBNull.Value, i.Detail, entry.Sequence];
            for (var k = 0; k < values.Length; k++)
            {
                incident.Parameters[k].Value = values[k];
            }
            incident.ExecuteNonQuery();
            foreach (var key in i.Members)
            {
                member.Parameters[0].Value = key;
                member.Parameters[1].Value = i.Id;
                member.ExecuteNonQuery();
            }
        }
        using var review = Prepare("INSERT OR REPLACE INTO review_queue (incident_id, report_key, score, detail) VALUES ($i, $k, $s, $d)", "$i", "$k", "$s", "$d");
        foreach (var r in snapshot.Review)
        {
            review.Parameters[0].Value = r.IncidentId;
            review.Parameters[1].Value = r.ReportKey;
            review.Parameters[2].Value = r.Score;
            review.Parameters[3].Value = r.Detail;
            review.ExecuteNonQuery();
        }
    }

    private SqliteCommand Prepare(string sql, params string[] names)
    {
        var cmd = tx.Connection!.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var n in names)
        {
            cmd.Parameters.Add(new SqliteParameter { ParameterName = n });
        }
        cmd.Prepare();
        return cmd;
    }
}

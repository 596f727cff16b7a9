using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Ceasefire.Storage.Sqlite;

/// <summary>
/// Applies log entries to the read models. The same code serves every write and <c>rebuild</c>, so the read models
/// are a function of the log. One projector per transaction; its prepared commands are reused for every row.
/// </summary>
/// <summary>The payload of a <c>findings.computed</c> entry.</summary>
internal sealed record FindingsPayload(string Agreement, IReadOnlyList<int> Versions, bool Replace, IReadOnlyList<StoredFinding> Findings);

internal sealed class Projector(SqliteTransaction tx)
{
    private static readonly string[] ReadModelTables = ["findings", "documents", "reports", "report_heads"];

    /// <summary>JSON options of payloads the store writes itself (snake_case).</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private SqliteCommand? _insertFinding;

    private SqliteCommand? _insertReport;
    private SqliteCommand? _upsertHead;

    public async Task ApplyAsync(LogEntry entry, CancellationToken ct)
    {
        switch (entry.Type)
        {
            case LogEntryTypes.ReportsReceived:
                await ApplyReportsAsync(entry, ct).ConfigureAwait(false);
                break;
            case LogEntryTypes.ImportCompleted:
                break; // counts only: nothing to project
            case LogEntryTypes.AgreementVersionAdded:
            case LogEntryTypes.ZoneFileLoaded:
                await ApplyDocumentAsync(entry, ct).ConfigureAwait(false);
                break;
            case LogEntryTypes.FindingsComputed:
                await ApplyFindingsAsync(entry, ct).ConfigureAwait(false);
                break;
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
        foreach (var (table, order) in new[] { ("reports", "key, version"), ("report_heads", "key"), ("documents", "kind, name, content_hash"), ("findings", "agreement, report_key, obligation, reading") })
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

    private async Task ApplyReportsAsync(LogEntry entry, CancellationToken ct)
    {
        _insertReport ??= Prepare("""
            INSERT INTO reports (key, version, content_hash, dataset, log_seq, earliest, latest, lon, lat, act, perpetrator, place, payload)
            VALUES ($key, $version, $hash, $dataset, $seq, $earliest, $latest, $lon, $lat, $act, $perpetrator, $place, $payload)
            """, "$key", "$version", "$hash", "$dataset", "$seq", "$earliest", "$latest", "$lon", "$lat", "$act", "$perpetrator", "$place", "$payload");
        _upsertHead ??= Prepare("""
            INSERT INTO report_heads (key, dataset, version, content_hash) VALUES ($key, $dataset, $version, $hash)
            ON CONFLICT (key) DO UPDATE SET version = excluded.version, content_hash = excluded.content_hash
            """, "$key", "$dataset", "$version", "$hash");
        using var doc = JsonDocument.Parse(entry.Data);
        var dataset = doc.RootElement.GetProperty("dataset").GetString()!;
        foreach (var item in doc.RootElement.GetProperty("reports").EnumerateArray())
        {
            var report = item.GetProperty("report");
            var time = report.GetProperty("time");
            var location = report.GetProperty("location");
            var key = item.GetProperty("key").GetString()!;
            var version = item.GetProperty("version").GetInt32();
            var hash = item.GetProperty("content_hash").GetString()!;
            var p = _insertReport.Parameters;
            p[0].Value = key;
            p[1].Value = version;
            p[2].Value = hash;
            p[3].Value = dataset;
            p[4].Value = entry.Sequence;
            p[5].Value = DateTimeOffset.Parse(time.GetProperty("earliest").GetString()!, System.Globalization.CultureInfo.InvariantCulture).UtcTicks;
            p[6].Value = DateTimeOffset.Parse(time.GetProperty("latest").GetString()!, System.Globalization.CultureInfo.InvariantCulture).UtcTicks;
            p[7].Value = location.GetProperty("lon").GetDouble();
            p[8].Value = location.GetProperty("lat").GetDouble();
            p[9].Value = report.GetProperty("act").GetString();
            p[10].Value = report.TryGetProperty("perpetrator", out var perp) ? perp.GetString() : DBNull.Value;
            p[11].Value = location.TryGetProperty("place", out var place) ? place.GetString() : DBNull.Value;
            p[12].Value = report.GetRawText();
            _insertReport.ExecuteNonQuery(); // synchronous: SQLite is in-process; an async call per row only adds overhead
            var h = _upsertHead.Parameters;
            h[0].Value = key;
            h[1].Value = dataset;
            h[2].Value = version;
            h[3].Value = hash;
            _upsertHead.ExecuteNonQuery();
        }
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
        var payload = JsonSerializer.Deserialize<FindingsPayload>(entry.Data, Json) ?? throw new InvalidDataException($"Log entry {entry.Sequence} holds no findings.");
        if (payload.Replace)
        {
            await using var delete = tx.Connection!.CreateCommand();
            delete.Transaction = tx;
            delete.CommandText = "DELETE FROM findings WHERE agreement = $a";
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

using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ceasefire.Storage.Core;

/// <summary>
/// The digest of the read models that every adapter computes alike (<see cref="IStore.ReadModelDigestAsync"/>), so
/// that two stores holding the same log can be shown to hold the same read models (<c>ceasefire migrate</c>): for each
/// table of <see cref="Tables"/>, its name, then each row in the order given (text compared byte by byte, as SQLite's
/// BINARY and PostgreSQL's "C" collation compare it), each value as text (integers in decimal, reals in their
/// shortest round-trip form, booleans as 1 or 0, null as U+2400) followed by U+001F, each row by a line feed.
/// Columns that only say where a store keeps something (offsets of a report inside its entry) are left out.
/// </summary>
internal static class ReadModelDigest
{
    /// <summary>The tables, their columns, and the order of their rows (a key of each).</summary>
    public static readonly IReadOnlyList<(string Table, string Columns, string Order)> Tables =
    [
        ("reports", "key, version, content_hash, dataset, log_seq, earliest, latest, lon, lat, act, perpetrator, place, current", "key, version"),
        ("documents", "kind, name, content_hash, text, log_seq", "kind, name, content_hash"),
        ("findings", "agreement, report_key, report_version, agreement_version, obligation, phase, reading, verdict, confidence, failed, uncertain, explanation, log_seq",
            "agreement, report_key, obligation, reading"),
        ("incidents", "id, reference_key, members, disputed, accused, earliest, latest, lon, lat, radius_m, act, target, grade, confidence, confirmed_by, detail, log_seq", "id"),
        ("incident_reports", "report_key, incident_id", "report_key, incident_id"),
        ("review_queue", "incident_id, report_key, score, detail", "incident_id, report_key"),
    ];

    /// <summary>
    /// Computes the digest from <paramref name="query"/>, which runs <c>SELECT columns FROM table ORDER BY order</c>
    /// (with the adapter's byte-order collation) and returns its reader.
    /// </summary>
    public static async Task<string> ComputeAsync(Func<string, string, string, CancellationToken, Task<DbDataReader>> query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (table, columns, order) in Tables)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(table + "\n"));
            await using var reader = await query(table, columns, order, ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    sha.AppendData(Encoding.UTF8.GetBytes(Text(reader, i) + "\u001f"));
                }
                sha.AppendData("\n"u8);
            }
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static string Text(DbDataReader reader, int i)
    {
        if (reader.IsDBNull(i))
        {
            return "\u2400";
        }
        return reader.GetValue(i) switch
        {
            string s => s,
            long l => l.ToString(CultureInfo.InvariantCulture),
            int n => n.ToString(CultureInfo.InvariantCulture),
            short n => n.ToString(CultureInfo.InvariantCulture),
            bool b => b ? "1" : "0",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            float f => ((double)f).ToString("R", CultureInfo.InvariantCulture),
            var other => throw new InvalidDataException($"The read-model digest has no text form for a {other.GetType().Name} (column {reader.GetName(i)})."),
        };
    }
}

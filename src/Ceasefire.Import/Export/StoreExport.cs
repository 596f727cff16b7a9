using System.Globalization;
using System.Text;
using System.Text.Json;
using Ceasefire.Storage;

namespace Ceasefire.Import.Export;

/// <summary>
/// The store's reports and findings as files for spreadsheets and GIS tools: what <c>ceasefire export</c> writes and the
/// web serves under <c>/api/exports</c>. Stateless and thread-safe.
/// </summary>
public static class StoreExport
{
    /// <summary>The header of <see cref="FindingsCsv"/>.</summary>
    public const string FindingsCsvHeader = "report_key,report_version,earliest_utc,latest_utc,time_precision,longitude,latitude,radius_m,place,act,target,perpetrator,claimant,agreement,agreement_version,obligation,phase,reading,verdict,confidence,failed,uncertain,explanation";

    /// <summary>
    /// One CSV row (RFC 4180, LF line breaks) per finding on a report, with the report's facts; findings whose report is
    /// not in <paramref name="reports"/> are left out.
    /// </summary>
    /// <param name="reports">The reports (current versions).</param>
    /// <param name="findings">Findings on reports.</param>
    public static string FindingsCsv(IReadOnlyList<StoredReport> reports, IReadOnlyList<StoredFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(findings);
        var byKey = reports.ToDictionary(r => r.Key);
        var sb = new StringBuilder(FindingsCsvHeader).Append('\n');
        foreach (var f in findings)
        {
            if (!byKey.TryGetValue(f.ReportKey, out var r))
            {
                continue;
            }
            var i = r.Report;
            sb.AppendJoin(',', CsvField(f.ReportKey), f.ReportVersion.ToString(CultureInfo.InvariantCulture), i.Time.Earliest.ToString("O", CultureInfo.InvariantCulture),
                i.Time.Latest.ToString("O", CultureInfo.InvariantCulture), i.Time.Precision.ToString().ToLowerInvariant(),
                i.Location.Longitude.ToString("R", CultureInfo.InvariantCulture), i.Location.Latitude.ToString("R", CultureInfo.InvariantCulture),
                i.Location.RadiusMetres.ToString("R", CultureInfo.InvariantCulture), CsvField(i.Location.PlaceName), i.Act.Code, i.Target.Category.Code,
                i.Perpetrator?.Value ?? "", CsvField(i.Claimant), CsvField(f.Agreement), f.AgreementVersion.ToString(CultureInfo.InvariantCulture),
                CsvField(f.Obligation), CsvField(f.Phase), CsvField(f.Reading), f.Verdict, f.Confidence.ToString("0.###", CultureInfo.InvariantCulture),
                CsvField(f.Failed), CsvField(f.Uncertain), CsvField(f.Explanation));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>
    /// RFC 7946 FeatureCollection: one Point per report (longitude, latitude; SRID 4326), with the report's facts and,
    /// per obligation and reading, its verdict (<c>finding:OBLIGATION:READING</c>) and the most serious verdict.
    /// </summary>
    /// <param name="reports">The reports (current versions).</param>
    /// <param name="findings">Findings on reports.</param>
    public static string ReportsGeoJson(IReadOnlyList<StoredReport> reports, IReadOnlyList<StoredFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(findings);
        var byReport = findings.GroupBy(f => f.ReportKey).ToDictionary(g => g.Key, g => g.ToList());
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("type", "FeatureCollection");
            w.WriteStartArray("features");
            foreach (var r in reports)
            {
                var i = r.Report;
                w.WriteStartObject();
                w.WriteString("type", "Feature");
                w.WriteString("id", r.Key);
                w.WriteStartObject("geometry");
                w.WriteString("type", "Point");
                w.WriteStartArray("coordinates");
                w.WriteNumberValue(Math.Round(i.Location.Longitude, 7));
                w.WriteNumberValue(Math.Round(i.Location.Latitude, 7));
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteStartObject("properties");
                w.WriteString("report_key", r.Key);
                w.WriteNumber("report_version", r.Version);
                w.WriteString("earliest_utc", i.Time.Earliest.ToString("O", CultureInfo.InvariantCulture));
                w.WriteString("latest_utc", i.Time.Latest.ToString("O", CultureInfo.InvariantCulture));
                w.WriteString("time_precision", i.Time.Precision.ToString().ToLowerInvariant());
                w.WriteNumber("radius_m", i.Location.RadiusMetres);
                w.WriteString("place", i.Location.PlaceName ?? "");
                w.WriteString("act", i.Act.Code);
                w.WriteString("target", i.Target.Category.Code);
                w.WriteString("perpetrator", i.Perpetrator?.Value ?? "");
                w.WriteString("claimant", i.Claimant ?? "");
                var mine = byReport.GetValueOrDefault(r.Key) ?? [];
                w.WriteString("worst_verdict", WorstVerdict(mine.Select(f => f.Verdict)) ?? "");
                foreach (var f in mine)
                {
                    w.WriteString($"finding:{f.Obligation}:{f.Reading}", f.Verdict);
                }
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The most serious of <paramref name="verdicts"/>: violation, then possible_violation, then not_covered; null when there are none.</summary>
    /// <param name="verdicts">Verdict codes as the store keeps them.</param>
    public static string? WorstVerdict(IEnumerable<string> verdicts)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        string? worst = null;
        foreach (var v in verdicts)
        {
            if (worst is null || Severity(v) < Severity(worst))
            {
                worst = v;
            }
        }
        return worst;
    }

    /// <summary>0 for violation, 1 for possible_violation, 2 for anything else (not_covered).</summary>
    /// <param name="verdict">A verdict code.</param>
    public static int Severity(string? verdict) => verdict switch
    {
        "violation" => 0,
        "possible_violation" => 1,
        _ => 2,
    };

    /// <summary>A CSV field: quoted (quotes doubled) when it holds a comma, a quote or a line break; null is empty.</summary>
    /// <param name="s">The value.</param>
    public static string CsvField(string? s)
    {
        s ??= "";
        return s.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ceasefire.Findings;
using Ceasefire.Incidents;
using Ceasefire.Time;

namespace Ceasefire.Cli.Output;

/// <summary>
/// The findings file <c>ceasefire adjudicate</c> writes and <c>ceasefire explain</c> reads: each incident's facts and
/// every finding with its checks. Property names are snake_case.
/// </summary>
internal sealed record FindingsDocument(
    string Agreement, IReadOnlyList<int> Versions, string GeneratedBy, IReadOnlyList<IncidentFindings> Incidents)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IncidentFindings Describe(Incident i, IReadOnlyList<Finding> findings, TimeZoneInfo zone) => new(
        i.Id.Value,
        Describe(i.Time, zone),
        i.Time.Earliest, i.Time.Latest, i.Time.Precision.ToString().ToLowerInvariant(),
        i.Location.Longitude, i.Location.Latitude, i.Location.RadiusMetres, i.Location.PlaceName,
        i.Act.Code, i.Target.Category.Code, i.Target.Describe(),
        i.Perpetrator?.Value, i.PerpetratorActor, i.Claimant, i.Source, i.Grade.ToString(), i.Links,
        findings.Select(f => new FindingEntry(f.ObligationId, f.PhaseId, f.AgreementVersion, f.ReadingLabel, f.Verdict, f.Confidence,
            f.Explain(), f.Checks.Select(c => new CheckEntry(c.Aspect.ToString().ToLowerInvariant(), c.Outcome.ToString().ToLowerInvariant(), c.Detail)).ToList())).ToList());

    /// <summary>The time in the agreement's zone: "2025-03-28 10:20 +03:00" or "2025-04-17 (day, Europe/Moscow)".</summary>
    public static string Describe(IncidentTime t, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(t.Earliest, zone);
        return t.Precision switch
        {
            TimePrecision.Instant => local.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture),
            TimePrecision.Hour => local.ToString("yyyy-MM-dd HH:00 zzz", CultureInfo.InvariantCulture) + " (hour)",
            _ => local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + $" ({t.Precision.ToString().ToLowerInvariant()}, {zone.Id})",
        };
    }

    public void WriteJson(string path)
    {
        using var stream = File.Create(path);
        JsonSerializer.Serialize(stream, this, Json);
    }

    public static FindingsDocument ReadJson(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<FindingsDocument>(stream, Json) ?? throw new InvalidDataException($"{path} holds no findings.");
    }

    /// <summary>One row per finding: incident, obligation, reading, verdict, confidence, failed and uncertain aspects, explanation.</summary>
    public void WriteCsv(string path)
    {
        using var w = new StreamWriter(path, false, new UTF8Encoding(false));
        w.WriteLine("incident_id,agreement,version,obligation,phase,reading,verdict,confidence,failed,uncertain,explanation");
        foreach (var i in Incidents)
        {
            foreach (var f in i.Findings)
            {
                w.WriteLine(string.Join(',',
                    Csv(i.Id), Csv(Agreement), f.Version.ToString(CultureInfo.InvariantCulture), Csv(f.Obligation), Csv(f.Phase), Csv(f.Reading),
                    VerdictCode(f.Verdict), f.Confidence.ToString("0.###", CultureInfo.InvariantCulture),
                    Csv(string.Join('|', f.Checks.Where(c => c.Outcome == "fails").Select(c => c.Aspect))),
                    Csv(string.Join('|', f.Checks.Where(c => c.Outcome == "uncertain").Select(c => c.Aspect))),
                    Csv(f.Explanation)));
            }
        }
    }

    /// <summary>The verdict as written in files and the store: violation, possible_violation, not_covered.</summary>
    public static string VerdictCode(Verdict v) => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString());

    internal static string Csv(string? s) => Import.Export.StoreExport.CsvField(s);
}

internal sealed record IncidentFindings(
    string Id, string Time, DateTimeOffset Earliest, DateTimeOffset Latest, string TimePrecision,
    double Longitude, double Latitude, double RadiusMetres, string? Place,
    string Act, string Target, string TargetBasis, string? Perpetrator, string? Actor, string? Claimant, string? Source,
    string Grade, IReadOnlyList<string> Links, IReadOnlyList<FindingEntry> Findings);

internal sealed record FindingEntry(
    string Obligation, string Phase, int Version, string Reading, Verdict Verdict, double Confidence, string Explanation,
    IReadOnlyList<CheckEntry> Checks);

internal sealed record CheckEntry(string Aspect, string Outcome, string Detail);

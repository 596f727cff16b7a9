using System.Text.Json;
using Ceasefire.Storage;

namespace Ceasefire.Web.Apis;

// The JSON shapes of the API. Property names become snake_case (the app's naming policy); absent values are null.

/// <summary>A report as the API shows it.</summary>
internal sealed record ReportView(
    string Key, int Version, string Dataset, ReportTimeView Time, ReportLocationView Location, string Act, string Target, string? Perpetrator,
    string? Claimant, string? Source, string Grade, string? Notes, CasualtiesView Casualties, string? IncidentId, string? WorstVerdict)
{
    /// <summary>The view of a stored report.</summary>
    public static ReportView Of(StoredReport r, string? incidentId, string? worstVerdict)
    {
        ArgumentNullException.ThrowIfNull(r);
        var i = r.Report;
        return new ReportView(r.Key, r.Version, r.Dataset,
            new ReportTimeView(i.Time.Earliest.ToUniversalTime(), i.Time.Latest.ToUniversalTime(), JsonNamingPolicy.SnakeCaseLower.ConvertName(i.Time.Precision.ToString())),
            new ReportLocationView(i.Location.Longitude, i.Location.Latitude, i.Location.RadiusMetres, JsonNamingPolicy.SnakeCaseLower.ConvertName(i.Location.Precision.ToString()), i.Location.PlaceName),
            i.Act.Code, i.Target.Category.Code, i.Perpetrator?.Value, i.Claimant, i.Source, i.Grade.ToString(), i.Notes,
            new CasualtiesView(i.Casualties.Low, i.Casualties.Best, i.Casualties.High), incidentId, worstVerdict);
    }
}

/// <summary>When: earliest and latest instant (UTC) and the precision the source gave.</summary>
internal sealed record ReportTimeView(DateTimeOffset Earliest, DateTimeOffset Latest, string Precision);

/// <summary>Where: longitude and latitude (degrees, SRID 4326), uncertainty radius in metres, precision and place name.</summary>
internal sealed record ReportLocationView(double Lon, double Lat, double RadiusM, string Precision, string? Place);

/// <summary>Casualties as a range; null when unknown.</summary>
internal sealed record CasualtiesView(int? Low, int? Best, int? High);

/// <summary>One stored version of a report.</summary>
internal sealed record ReportVersionView(int Version, string ContentHash, long LogSequence);

/// <summary>A report with its versions and findings.</summary>
internal sealed record ReportDetailView(ReportView Report, IReadOnlyList<ReportVersionView> Versions, IReadOnlyList<FindingView> Findings);

/// <summary>What a posted report became.</summary>
/// <param name="Key">Its key (<c>form:ID</c>).</param>
/// <param name="Version">Its current version.</param>
/// <param name="Status">added, changed (a new version) or unchanged.</param>
internal sealed record ReportCreatedView(string Key, int Version, string Status);

/// <summary>A page of items and the cursor of the next page (null on the last page).</summary>
internal sealed record PageView<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>A finding: the ruling on one subject (report key or incident id) against one obligation under one reading.</summary>
internal sealed record FindingView(
    string Subject, int SubjectVersion, string Agreement, int AgreementVersion, string Obligation, string Phase, string Reading, string Verdict,
    double Confidence, IReadOnlyList<string> Failed, IReadOnlyList<string> Uncertain, string Explanation)
{
    /// <summary>The view of a stored finding.</summary>
    public static FindingView Of(StoredFinding f)
    {
        ArgumentNullException.ThrowIfNull(f);
        return new FindingView(f.ReportKey, f.ReportVersion, f.Agreement, f.AgreementVersion, f.Obligation, f.Phase, f.Reading, f.Verdict, f.Confidence,
            Split(f.Failed), Split(f.Uncertain), f.Explanation);
    }

    private static string[] Split(string s) => s.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>An incident: reports merged into one event, with its attribution, time, place, grade and derivation.</summary>
internal sealed record IncidentView(
    string Id, string ReferenceKey, IReadOnlyList<string> Members, bool Disputed, IReadOnlyList<string> Accused, IncidentTimeView Time,
    IncidentLocationView Location, string Act, string Target, string Grade, double Confidence, string? ConfirmedBy, JsonElement? Detail)
{
    /// <summary>The view of a stored incident (its derivation parsed; null when it is not JSON).</summary>
    public static IncidentView Of(StoredIncident i)
    {
        ArgumentNullException.ThrowIfNull(i);
        JsonElement? detail = null;
        try
        {
            using var doc = JsonDocument.Parse(i.Detail);
            detail = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
        }
        return new IncidentView(i.Id, i.ReferenceKey, i.Members, i.Disputed, i.Accused,
            new IncidentTimeView(new DateTimeOffset(i.Earliest, TimeSpan.Zero), new DateTimeOffset(i.Latest, TimeSpan.Zero)),
            new IncidentLocationView(i.Longitude, i.Latitude, i.RadiusMetres), i.Act, i.Target, i.Grade, i.Confidence, i.ConfirmedBy, detail);
    }
}

/// <summary>An incident's time (UTC).</summary>
internal sealed record IncidentTimeView(DateTimeOffset Earliest, DateTimeOffset Latest);

/// <summary>An incident's place (degrees, SRID 4326) and uncertainty radius in metres.</summary>
internal sealed record IncidentLocationView(double Lon, double Lat, double RadiusM);

/// <summary>An incident with its findings (on the incident, and on each side of a dispute: <c>ID#PARTY</c>).</summary>
internal sealed record IncidentDetailView(IncidentView Incident, IReadOnlyList<FindingView> Findings);

/// <summary>The map of a view: incidents one by one, or (for a view with many) clusters on a grid.</summary>
internal sealed record MapView(IReadOnlyList<MapIncidentView>? Incidents, IReadOnlyList<MapClusterView>? Clusters);

/// <summary>An incident on the map.</summary>
internal sealed record MapIncidentView(string Id, double Lon, double Lat, bool Disputed, string? WorstVerdict, string Act);

/// <summary>A grid cell's incidents: their mean position, count and most serious verdict.</summary>
internal sealed record MapClusterView(double Lon, double Lat, int Count, string? WorstVerdict);

/// <summary>What an import upload did.</summary>
internal sealed record ImportSummaryView(long Read, long Added, long Changed, long Unchanged, long Rejected, IReadOnlyList<RejectionView> Rejections);

/// <summary>One reason a record was rejected: its line, field and message.</summary>
internal sealed record RejectionView(int Line, string Field, string Message);

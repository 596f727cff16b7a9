using Ceasefire.Import.Json;
using Ceasefire.Import.Text;
using Ceasefire.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Ceasefire.Web.Apis;

/// <summary>
/// <c>/api/reports</c>: list (filters, stable cursor), one report with its versions and findings, and a report posted in
/// our JSON report format (recorded in dataset <c>form</c>).
/// </summary>
internal static class ReportsApi
{
    /// <summary>Largest posted report: 1 MiB.</summary>
    public const int MaxReportBytes = 1 << 20;

    /// <summary>The dataset posted reports are recorded in.</summary>
    public const string FormDataset = "form";

    public static void Map(RouteGroupBuilder api)
    {
        var reports = api.MapGroup("/reports").WithTags("Reports");
        reports.MapGet("", ListAsync).WithName("ListReports").RequireAuthorization(Policies.Public)
            .WithSummary("Reports (current versions), ordered by earliest time then key, filtered by time, bounding box, party, act, dataset and worst verdict; paged with a stable cursor.");
        reports.MapGet("/{**key}", GetAsync).WithName("GetReport").RequireAuthorization(Policies.Public)
            .WithSummary("One report (key dataset:id, ':' allowed as it is or as %3A) with every stored version and its findings.");
        reports.MapPost("", PostAsync).WithName("CreateReport").RequireAuthorization(Policies.Monitor)
            .WithSummary("Records one report in our JSON report format (docs/report-format.md) in dataset 'form': added, changed (a new version) or unchanged.")
            .Accepts<object>("application/json");
    }

    private static async Task<Results<Ok<PageView<ReportView>>, ValidationProblem>> ListAsync(
        HttpRequest request, StoreAccess store, CancellationToken ct,
        [FromQuery] string? from = null, [FromQuery] string? to = null, [FromQuery] string? bbox = null, [FromQuery] string? party = null,
        [FromQuery] string? act = null, [FromQuery] string? dataset = null, [FromQuery] string? verdict = null, [FromQuery] string? cursor = null,
        [FromQuery] string? limit = null)
    {
        var errors = new RequestErrors();
        errors.OnlyKnown(request, "from", "to", "bbox", "party", "act", "dataset", "verdict", "cursor", "limit");
        var fromTime = errors.Time("from", from);
        var toTime = errors.Time("to", to);
        var box = errors.Bbox("bbox", bbox);
        var partyCode = errors.Party("party", party);
        var actCode = errors.Act("act", act);
        var datasetName = errors.Identifier("dataset", dataset, "a dataset name");
        var verdictCode = errors.Verdict("verdict", verdict);
        var after = Cursor.DecodeTimeKey(cursor, errors);
        var size = errors.Limit(limit);
        if (errors.Any)
        {
            return errors.Problem();
        }
        var cache = request.HttpContext.RequestServices.GetRequiredService<ReadModelCache>();
        var page = await store.UseAsync(async s =>
        {
            var (worst, _, incidentOfReport) = await cache.GetAsync(s, ct).ConfigureAwait(false);
            var (items, next) = await TimePaging.PageAsync(
                (since, n) => s.QueryReportsAsync(new ReportQuery(since, toTime, partyCode, actCode, datasetName, Limit: n), ct),
                r => new TimeKey(r.Report.Time.Earliest.UtcTicks, r.Key),
                r => (box is null || box.Contains(r.Report.Location.Longitude, r.Report.Location.Latitude))
                    && (verdictCode is null || worst.GetValueOrDefault(r.Key) == verdictCode),
                fromTime, after, size, filtered: box is not null || verdictCode is not null).ConfigureAwait(false);
            return new PageView<ReportView>(
                items.Select(r => ReportView.Of(r, incidentOfReport.GetValueOrDefault(r.Key), worst.GetValueOrDefault(r.Key))).ToList(),
                next is { } k ? Cursor.Encode(k) : null);
        }, ct).ConfigureAwait(false);
        return TypedResults.Ok(page);
    }

    private static async Task<Results<Ok<ReportDetailView>, ProblemHttpResult, ValidationProblem>> GetAsync(HttpRequest request, string key, StoreAccess store, CancellationToken ct)
    {
        key = Uri.UnescapeDataString(key);
        var errors = new RequestErrors();
        errors.OnlyKnown(request);
        errors.Identifier("key", key, "a report key");
        if (errors.Any)
        {
            return errors.Problem();
        }
        var view = await store.UseAsync(async s =>
        {
            var history = await s.ReportHistoryAsync(key, ct).ConfigureAwait(false);
            if (history.Count == 0)
            {
                return null;
            }
            var findings = await s.QueryFindingsAsync(new FindingQuery(ReportKey: key, Limit: int.MaxValue), ct).ConfigureAwait(false);
            var incidents = await s.QueryIncidentsAsync(new IncidentQuery(ReportKey: key, Limit: 1), ct).ConfigureAwait(false);
            var current = history[^1];
            return new ReportDetailView(
                ReportView.Of(current, incidents.FirstOrDefault()?.Id, Import.Export.StoreExport.WorstVerdict(findings.Select(f => f.Verdict))),
                history.Select(h => new ReportVersionView(h.Version, h.ContentHash, h.LogSequence)).ToList(),
                findings.Select(FindingView.Of).ToList());
        }, ct).ConfigureAwait(false);
        return view is null
            ? NotFound("report", $"The store holds no report '{RequestErrors.Show(key)}'.")
            : TypedResults.Ok(view);
    }

    private static async Task<Results<Created<ReportCreatedView>, ValidationProblem, ProblemHttpResult>> PostAsync(HttpRequest request, StoreAccess store, CancellationToken ct)
    {
        var errors = new RequestErrors();
        errors.OnlyKnown(request);
        if (errors.Any)
        {
            return errors.Problem();
        }
        if (!IsJson(request.ContentType))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: $"Post the report as application/json, not '{RequestErrors.Show(request.ContentType ?? "(none)")}'.");
        }
        var body = await Body.ReadAsync(request, MaxReportBytes, ct).ConfigureAwait(false);
        if (body is null)
        {
            return Body.TooLarge(MaxReportBytes);
        }
        using var stream = new MemoryStream(body, writable: false);
        var read = ReportJsonReader.ReadIncidents(stream, "request.json", new ReportReadOptions { Layout = ReportJsonLayout.Document, Encoding = InputEncoding.Utf8 }, ct);
        if (read.Errors.Count > 0)
        {
            var problem = new RequestErrors();
            foreach (var e in read.Errors)
            {
                problem.Add(string.IsNullOrEmpty(e.Field) ? "$" : e.Field, e.Line > 0 ? $"{e.Message} (line {e.Line}, column {e.Column}; {e.Code})" : $"{e.Message} ({e.Code})");
            }
            return problem.Problem("The report is not valid.");
        }
        if (read.Value.Count != 1)
        {
            return RequestErrors.One("$", $"Post exactly one report (a report object); this body holds {read.Value.Count}.");
        }
        var incident = read.Value[0];
        var (summary, history) = await store.WriteAsync(async s =>
        {
            var summary = await s.ImportReportsAsync(new ReportImport(FormDataset, "POST /api/reports", request.HttpContext.User.Identity?.Name ?? "api"), [incident], null, ct).ConfigureAwait(false);
            var key = $"{FormDataset}:{incident.Id.Value}";
            return (summary, await s.ReportHistoryAsync(key, ct).ConfigureAwait(false));
        }, ct).ConfigureAwait(false);
        var current = history[^1];
        var status = summary.Added > 0 ? "added" : summary.Changed > 0 ? "changed" : "unchanged";
        return TypedResults.Created($"/api/reports/{Uri.EscapeDataString(current.Key)}", new ReportCreatedView(current.Key, current.Version, status));
    }

    internal static bool IsJson(string? contentType) =>
        contentType is not null && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            || (contentType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && contentType.Split(';')[0].EndsWith("+json", StringComparison.OrdinalIgnoreCase)));

    internal static ProblemHttpResult NotFound(string what, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No such {what}", detail: detail);
}

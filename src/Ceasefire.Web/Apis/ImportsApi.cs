using Ceasefire.Import;
using Ceasefire.Import.Export;
using Ceasefire.Import.Text;
using Ceasefire.Incidents;
using Ceasefire.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ceasefire.Web.Apis;

/// <summary>
/// <c>/api/imports</c> (a file posted as the raw body, read by the same readers as <c>ceasefire import</c>) and
/// <c>/api/exports</c> (the same files as <c>ceasefire export</c>).
/// </summary>
internal static class ImportsApi
{
    /// <summary>Rejections listed in the summary (all are counted).</summary>
    public const int ListedRejections = 100;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/imports", ImportAsync).WithTags("Imports").WithName("ImportReports").RequireAuthorization(Policies.Analyst)
            .WithSummary("Imports a file of reports posted as the raw body (format acled, ucdp, json or geojson; encoding utf-8, utf-16, windows-1251 or windows-1252): valid records are recorded, bad ones counted and listed (the first 100).")
            .Accepts<string>("text/csv", "application/json", "application/geo+json", "application/x-ndjson", "application/octet-stream");
        api.MapGet("/exports/findings.csv", FindingsCsvAsync).WithTags("Exports").WithName("ExportFindingsCsv").RequireAuthorization(Policies.Public)
            .WithSummary("Every finding on a report as CSV, one row per finding with the report's facts (as ceasefire export --format csv).")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");
        api.MapGet("/exports/reports.geojson", ReportsGeoJsonAsync).WithTags("Exports").WithName("ExportReportsGeoJson").RequireAuthorization(Policies.Public)
            .WithSummary("Every report as a GeoJSON point with its verdicts (as ceasefire export --format geojson).")
            .Produces(StatusCodes.Status200OK, contentType: "application/geo+json");
    }

    private static async Task<Results<Ok<ImportSummaryView>, ValidationProblem, ProblemHttpResult>> ImportAsync(
        HttpRequest request, StoreAccess store, CancellationToken ct,
        [FromQuery] string? format = null, [FromQuery] string? encoding = null, [FromQuery(Name = "time_zone")] string? timeZone = null)
    {
        var errors = new RequestErrors();
        errors.OnlyKnown(request, "format", "encoding", "time_zone");
        if (format is null)
        {
            errors.Add("format", $"Give the file's format: {string.Join(", ", ReportFiles.Formats)}.");
        }
        var fmt = errors.OneOf("format", format, "acled", [.. ReportFiles.Formats]);
        if (!InputEncoding.TryGet(encoding ?? "utf-8", out var enc))
        {
            errors.Add("encoding", InputEncoding.UnknownNameMessage(RequestErrors.Show(encoding!)));
        }
        TimeZoneInfo? tz = TimeZoneInfo.Utc;
        if (timeZone is not null && (!RequestErrors.IsIdentifier(timeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out tz)))
        {
            errors.Add("time_zone", $"'{RequestErrors.Show(timeZone)}' is not a time zone: use an IANA name such as Europe/Kyiv, or UTC.");
        }
        if (errors.Any)
        {
            return errors.Problem();
        }
        var extension = fmt switch { "acled" or "ucdp" => ".csv", "geojson" => ".geojson", _ => IsLines(request.ContentType) ? ".jsonl" : ".json" };
        var directory = Directory.CreateTempSubdirectory("ceasefire-upload-");
        try
        {
            var path = Path.Combine(directory.FullName, "upload" + extension);
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                if (!await Body.CopyAsync(request, file, Limits.MaxRequestBodyBytes, ct).ConfigureAwait(false))
                {
                    return Body.TooLarge(Limits.MaxRequestBodyBytes);
                }
            }
            var intake = new Intake();
            ImportSummary summary;
            try
            {
                summary = await store.WriteAsync(s => s.ImportReportsAsync(new ReportImport(fmt, "upload" + extension, request.HttpContext.User.Identity?.Name ?? "api"),
                    intake.Accept(ReportFiles.Read(fmt, path, enc!, tz!, ct)), null, ct), ct).ConfigureAwait(false);
            }
            catch (FileProblemException e)
            {
                var problem = new RequestErrors();
                foreach (var error in e.Errors)
                {
                    problem.Add("body", error.Line > 0 ? $"line {error.Line}: {error.Message} ({error.Code})" : $"{error.Message} ({error.Code})");
                }
                return problem.Problem("The file cannot be imported; nothing was recorded.");
            }
            return TypedResults.Ok(new ImportSummaryView(summary.Read + intake.Rejected, summary.Added, summary.Changed, summary.Unchanged, intake.Rejected, intake.Rejections));
        }
        finally
        {
            try
            {
                directory.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static bool IsLines(string? contentType) =>
        contentType is not null && (contentType.Contains("ndjson", StringComparison.OrdinalIgnoreCase) || contentType.Contains("jsonl", StringComparison.OrdinalIgnoreCase)
            || contentType.Contains("json-seq", StringComparison.OrdinalIgnoreCase));

    private static async Task<IResult> FindingsCsvAsync(HttpRequest request, StoreAccess store, CancellationToken ct)
    {
        var errors = new RequestErrors();
        errors.OnlyKnown(request);
        if (errors.Any)
        {
            return errors.Problem();
        }
        var (reports, findings) = await ReadAllAsync(store, ct).ConfigureAwait(false);
        return TypedResults.Text(StoreExport.FindingsCsv(reports, findings), "text/csv; charset=utf-8");
    }

    private static async Task<IResult> ReportsGeoJsonAsync(HttpRequest request, StoreAccess store, CancellationToken ct)
    {
        var errors = new RequestErrors();
        errors.OnlyKnown(request);
        if (errors.Any)
        {
            return errors.Problem();
        }
        var (reports, findings) = await ReadAllAsync(store, ct).ConfigureAwait(false);
        return TypedResults.Text(StoreExport.ReportsGeoJson(reports, findings), "application/geo+json; charset=utf-8");
    }

    /// <summary>Every report, and every finding on a report (incidents are not exported here, as in the CLI).</summary>
    private static Task<(IReadOnlyList<StoredReport>, IReadOnlyList<StoredFinding>)> ReadAllAsync(StoreAccess store, CancellationToken ct) =>
        store.UseAsync<(IReadOnlyList<StoredReport>, IReadOnlyList<StoredFinding>)>(async s =>
        {
            var reports = await s.QueryReportsAsync(new ReportQuery(Limit: int.MaxValue), ct).ConfigureAwait(false);
            var findings = (await s.QueryFindingsAsync(new FindingQuery(Limit: int.MaxValue), ct).ConfigureAwait(false))
                .Where(f => !ReadModels.IsIncident(f.ReportKey)).ToList();
            return (reports, findings);
        }, ct);

    /// <summary>Passes accepted incidents on, counts and lists rejected records, and abandons the import on a file problem.</summary>
    private sealed class Intake
    {
        private readonly List<RejectionView> _rejections = [];

        public int Rejected { get; private set; }

        public IReadOnlyList<RejectionView> Rejections => _rejections;

        public IEnumerable<Incident> Accept(IEnumerable<InputRecord> records)
        {
            foreach (var r in records)
            {
                switch (r.Kind)
                {
                    case InputRecordKind.Incident:
                        yield return r.Incident!;
                        break;
                    case InputRecordKind.Rejected:
                        Rejected++;
                        foreach (var e in r.Errors)
                        {
                            if (_rejections.Count < ListedRejections)
                            {
                                _rejections.Add(new RejectionView(e.Line, e.Field, e.Message));
                            }
                        }
                        break;
                    case InputRecordKind.Problem:
                        // Thrown inside the store's import, so its transaction rolls back: nothing is recorded.
                        throw new FileProblemException(r.Errors);
                }
            }
        }
    }

    private sealed class FileProblemException(IReadOnlyList<Import.Errors.ImportError> errors) : Exception(errors[0].Message)
    {
        public IReadOnlyList<Import.Errors.ImportError> Errors { get; } = errors;
    }
}

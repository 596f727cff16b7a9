using Ceasefire.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ceasefire.Web.Apis;

/// <summary><c>/api/findings</c>: the recorded findings with their explanations.</summary>
internal static class FindingsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/findings", ListAsync).WithTags("Findings").WithName("ListFindings").RequireAuthorization(Policies.Public)
            .WithSummary("Findings (on reports, on incidents, or all), ordered by subject, obligation, reading and agreement, filtered by agreement, verdict, reading, obligation and subject; paged with a stable cursor.");
    }

    private static async Task<Results<Ok<PageView<FindingView>>, ValidationProblem>> ListAsync(
        HttpRequest request, StoreAccess store, CancellationToken ct,
        [FromQuery] string? agreement = null, [FromQuery] string? verdict = null, [FromQuery] string? reading = null, [FromQuery] string? obligation = null,
        [FromQuery] string? subject = null, [FromQuery] string? of = null, [FromQuery] string? cursor = null, [FromQuery] string? limit = null)
    {
        var errors = new RequestErrors();
        errors.OnlyKnown(request, "agreement", "verdict", "reading", "obligation", "subject", "of", "cursor", "limit");
        var agreementId = errors.Identifier("agreement", agreement, "an agreement id");
        var verdictCode = errors.Verdict("verdict", verdict);
        var readingName = errors.Identifier("reading", reading, "a reading (a party code, or 'text')");
        var obligationId = errors.Identifier("obligation", obligation, "an obligation id");
        var subjectKey = errors.Identifier("subject", subject, "a report key or incident id");
        var scope = errors.OneOf("of", of, "all", "reports", "incidents", "all");
        var after = Cursor.Decode(cursor, 4, errors);
        var size = errors.Limit(limit);
        if (errors.Any)
        {
            return errors.Problem();
        }
        var all = await store.UseAsync(s => s.QueryFindingsAsync(new FindingQuery(agreementId, verdictCode, readingName, obligationId, subjectKey, int.MaxValue), ct), ct).ConfigureAwait(false);
        var ordered = all
            .Where(f => scope == "all" || ReadModels.IsIncident(f.ReportKey) == (scope == "incidents"))
            .Select(f => (Key: new[] { f.ReportKey, f.Obligation, f.Reading, f.Agreement }, Finding: f))
            .Where(x => after is null || Compare(x.Key, after) > 0)
            .OrderBy(x => x.Key, Comparer<string[]>.Create(Compare))
            .Take(size + 1)
            .ToList();
        var next = ordered.Count > size ? Cursor.Encode(ordered[size - 1].Key) : null;
        return TypedResults.Ok(new PageView<FindingView>(ordered.Take(size).Select(x => FindingView.Of(x.Finding)).ToList(), next));
    }

    private static int Compare(string[] a, string[] b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            var c = string.CompareOrdinal(a[i], b[i]);
            if (c != 0)
            {
                return c;
            }
        }
        return 0;
    }
}

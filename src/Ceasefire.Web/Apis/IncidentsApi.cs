using Ceasefire.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ceasefire.Web.Apis;

/// <summary><c>/api/incidents</c>: the incidents of the last corroboration run, and one with its findings.</summary>
internal static class IncidentsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var incidents = api.MapGroup("/incidents").WithTags("Incidents");
        incidents.MapGet("", ListAsync).WithName("ListIncidents").RequireAuthorization(Policies.Public)
            .WithSummary("Incidents, ordered by earliest time then id, filtered by time, bounding box, accused party and dispute; paged with a stable cursor.");
        incidents.MapGet("/{**id}", GetAsync).WithName("GetIncident").RequireAuthorization(Policies.Public)
            .WithSummary("One incident (id inc:dataset:id) with its findings, and for a disputed incident the findings on each accused side (id#PARTY).");
    }

    private static async Task<Results<Ok<PageView<IncidentView>>, ValidationProblem>> ListAsync(
        HttpRequest request, StoreAccess store, CancellationToken ct,
        [FromQuery] string? from = null, [FromQuery] string? to = null, [FromQuery] string? bbox = null, [FromQuery] string? accused = null,
        [FromQuery] string? disputed = null, [FromQuery] string? cursor = null, [FromQuery] string? limit = null)
    {
        var errors = new RequestErrors();
        errors.OnlyKnown(request, "from", "to", "bbox", "accused", "disputed", "cursor", "limit");
        var fromTime = errors.Time("from", from);
        var toTime = errors.Time("to", to);
        var box = errors.Bbox("bbox", bbox);
        var accusedParty = errors.Party("accused", accused);
        var isDisputed = errors.Bool("disputed", disputed);
        var after = Cursor.DecodeTimeKey(cursor, errors);
        var size = errors.Limit(limit);
        if (errors.Any)
        {
            return errors.Problem();
        }
        var page = await store.UseAsync(async s =>
        {
            var (items, next) = await TimePaging.PageAsync(
                (since, n) => s.QueryIncidentsAsync(new IncidentQuery(Disputed: isDisputed, Accused: accusedParty, From: since, To: toTime, Limit: n), ct),
                i => new TimeKey(i.Earliest, i.Id),
                i => box is null || box.Contains(i.Longitude, i.Latitude),
                fromTime, after, size, filtered: box is not null).ConfigureAwait(false);
            return new PageView<IncidentView>(items.Select(IncidentView.Of).ToList(), next is { } k ? Cursor.Encode(k) : null);
        }, ct).ConfigureAwait(false);
        return TypedResults.Ok(page);
    }

    private static async Task<Results<Ok<IncidentDetailView>, ProblemHttpResult, ValidationProblem>> GetAsync(HttpRequest request, string id, StoreAccess store, CancellationToken ct)
    {
        id = Uri.UnescapeDataString(id);
        var errors = new RequestErrors();
        errors.OnlyKnown(request);
        errors.Identifier("id", id, "an incident id");
        if (errors.Any)
        {
            return errors.Problem();
        }
        var view = await store.UseAsync(async s =>
        {
            var found = await s.QueryIncidentsAsync(new IncidentQuery(Id: id, Limit: 1), ct).ConfigureAwait(false);
            if (found.Count == 0)
            {
                return null;
            }
            var incident = found[0];
            var findings = new List<StoredFinding>(await s.QueryFindingsAsync(new FindingQuery(ReportKey: id, Limit: int.MaxValue), ct).ConfigureAwait(false));
            if (incident.Disputed)
            {
                foreach (var party in incident.Accused)
                {
                    findings.AddRange(await s.QueryFindingsAsync(new FindingQuery(ReportKey: $"{id}#{party}", Limit: int.MaxValue), ct).ConfigureAwait(false));
                }
            }
            return new IncidentDetailView(IncidentView.Of(incident), findings.Select(FindingView.Of).ToList());
        }, ct).ConfigureAwait(false);
        return view is null
            ? ReportsApi.NotFound("incident", $"The store holds no incident '{RequestErrors.Show(id)}'.")
            : TypedResults.Ok(view);
    }
}

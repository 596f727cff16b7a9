using Ceasefire.Storage;
using Ceasefire.Web.Apis;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ceasefire.Web;

/// <summary>The JSON API under <c>/api</c>: one static class per capability in <c>Apis/</c>.</summary>
internal static class Api
{
    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/health", async (StoreAccess store, CancellationToken ct) =>
        {
            var reports = await store.UseAsync(async s => (await s.QueryReportsAsync(new ReportQuery(Limit: 1), ct)).Count, ct);
            return Results.Ok(new { status = "ok", has_reports = reports > 0 });
        }).RequireAuthorization(Policies.Public).WithName("Health").WithSummary("Whether the server and its store answer.");
        ReportsApi.Map(api);
        IncidentsApi.Map(api);
        FindingsApi.Map(api);
        MapApi.Map(api);
        AgreementsApi.Map(api);
        ClaimsApi.Map(api);
        ImportsApi.Map(api);
    }
}

using Ceasefire.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ceasefire.Web.Apis;

/// <summary>
/// <c>/api/map</c>: what the dashboard's map draws for a view: the incidents one by one, or, when the view holds more
/// than <see cref="MaxIncidents"/>, clusters on a grid of about <see cref="GridCells"/> x <see cref="GridCells"/> cells
/// over the bounding box, so that the answer stays small whatever the store holds.
/// </summary>
internal static class MapApi
{
    /// <summary>The most incidents returned one by one.</summary>
    public const int MaxIncidents = 2000;

    /// <summary>Grid cells along each side of the bounding box when clustering.</summary>
    public const int GridCells = 64;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/map", GetAsync).WithTags("Map").WithName("GetMap").RequireAuthorization(Policies.Public)
            .WithSummary($"The incidents of a view (bounding box and time), each with its worst verdict; over 2,000 incidents, clusters on a 64 x 64 grid instead.");
    }

    private static async Task<Results<Ok<MapView>, ValidationProblem>> GetAsync(
        HttpRequest request, StoreAccess store, CancellationToken ct,
        [FromQuery] string? bbox = null, [FromQuery] string? from = null, [FromQuery] string? to = null)
    {
        var errors = new RequestErrors();
        errors.OnlyKnown(request, "bbox", "from", "to");
        var box = errors.Bbox("bbox", bbox);
        var fromTime = errors.Time("from", from);
        var toTime = errors.Time("to", to);
        if (errors.Any)
        {
            return errors.Problem();
        }
        var view = box ?? BoundingBox.World;
        var (incidents, worst) = await store.UseAsync(async s =>
        {
            var all = await s.QueryIncidentsAsync(new IncidentQuery(From: fromTime, To: toTime, Limit: int.MaxValue), ct).ConfigureAwait(false);
            var inView = all.Where(i => view.Contains(i.Longitude, i.Latitude)).ToList();
            var worst = inView.Count == 0 ? [] : await ReadModels.WorstVerdictsAsync(s, incidents: true, ct).ConfigureAwait(false);
            return (inView, worst);
        }, ct).ConfigureAwait(false);
        if (incidents.Count <= MaxIncidents)
        {
            return TypedResults.Ok(new MapView(
                incidents.Select(i => new MapIncidentView(i.Id, i.Longitude, i.Latitude, i.Disputed, worst.GetValueOrDefault(i.Id), i.Act)).ToList(), null));
        }
        return TypedResults.Ok(new MapView(null, Cluster(incidents, view, worst)));
    }

    /// <summary>Incidents gathered per grid cell over <paramref name="view"/>: mean position, count, worst verdict.</summary>
    internal static List<MapClusterView> Cluster(IReadOnlyList<StoredIncident> incidents, BoundingBox view, IReadOnlyDictionary<string, string> worst)
    {
        var width = Math.Max(view.MaxLon - view.MinLon, 1e-9) / GridCells;
        var height = Math.Max(view.MaxLat - view.MinLat, 1e-9) / GridCells;
        var cells = new Dictionary<int, (double Lon, double Lat, int Count, string? Worst)>();
        foreach (var i in incidents)
        {
            var x = Math.Clamp((int)((i.Longitude - view.MinLon) / width), 0, GridCells - 1);
            var y = Math.Clamp((int)((i.Latitude - view.MinLat) / height), 0, GridCells - 1);
            var cell = y * GridCells + x;
            var v = worst.GetValueOrDefault(i.Id);
            cells[cell] = cells.TryGetValue(cell, out var c)
                ? (c.Lon + i.Longitude, c.Lat + i.Latitude, c.Count + 1, Import.Export.StoreExport.Severity(v) < Import.Export.StoreExport.Severity(c.Worst) || c.Worst is null ? v ?? c.Worst : c.Worst)
                : (i.Longitude, i.Latitude, 1, v);
        }
        return cells.OrderBy(c => c.Key)
            .Select(c => new MapClusterView(Math.Round(c.Value.Lon / c.Value.Count, 6), Math.Round(c.Value.Lat / c.Value.Count, 6), c.Value.Count, c.Value.Worst))
            .ToList();
    }
}

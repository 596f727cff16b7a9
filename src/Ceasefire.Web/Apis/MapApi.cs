using Ceasefire.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Ceasefire.Web.Apis;

/// <summary>
/// <c>/api/map</c>: what the dashboard's map draws for a view: the incidents one by one, or, when the view holds more
/// than <see cref="MaxIncidents"/>, clusters on a grid of about <see cref="GridCells"/> x <see cref="GridCells"/> cells
/// over the bounding box, so that the answer stays small whatever the store holds.
/// </summary>
internal static class MapApi
{
    /// <summary>The map index over the store's incidents, rebuilt when the log grows.</summary>
    internal sealed class MapCache(StoreAccess store)
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private (long Sequence, MapIndex Index)? _current;

        public async Task<MapIndex> GetAsync(CancellationToken ct)
        {
            var sequence = await store.UseAsync(s => s.LastSequenceAsync(ct), ct).ConfigureAwait(false);
            if (_current is { } c && c.Sequence == sequence)
            {
                return c.Index;
            }
            await _gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                if (_current is { } again && again.Sequence == sequence)
                {
                    return again.Index;
                }
                var index = await store.UseAsync(async s =>
                {
                    var incidents = await s.QueryIncidentsAsync(new IncidentQuery(Limit: int.MaxValue), ct).ConfigureAwait(false);
                    var worst = await ReadModels.WorstVerdictsAsync(s, incidents: true, ct).ConfigureAwait(false);
                    return MapIndex.Build(incidents.Select(i => new MapPoint(i.Id, i.Longitude, i.Latitude, i.Earliest, i.Latest,
                        MapVerdicts.Code(worst.GetValueOrDefault(i.Id)), i.Disputed, i.Act)));
                }, ct).ConfigureAwait(false);
                _current = (sequence, index);
                return index;
            }
            finally
            {
                _gate.Release();
            }
        }
    }

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
        // The map index follows the store: rebuilt when the log has grown since it was built.
        var index = await request.HttpContext.RequestServices.GetRequiredService<MapCache>().GetAsync(ct).ConfigureAwait(false);
        var geo = new GeoBox(view.MinLon, view.MinLat, view.MaxLon, view.MaxLat);
        var (fromTicks, toTicks) = (fromTime?.UtcTicks ?? DateTimeOffset.MinValue.UtcTicks + TimeSpan.TicksPerDay, toTime?.UtcTicks ?? DateTimeOffset.MaxValue.UtcTicks - TimeSpan.TicksPerDay);
        if (index.PointsIn(geo, fromTicks, toTicks, MaxIncidents) is { } points)
        {
            return TypedResults.Ok(new MapView(
                points.OrderBy(p => p.Id, StringComparer.Ordinal).Select(p => new MapIncidentView(p.Id, p.Longitude, p.Latitude, p.Disputed, MapVerdicts.Name(p.Verdict), p.Act)).ToList(), null));
        }
        return TypedResults.Ok(new MapView(null, index.Aggregate(geo, fromTicks, toTicks, GridCells)
            .Select(c => new MapClusterView(c.Longitude, c.Latitude, c.Count, MapVerdicts.Name(c.Verdict))).ToList()));
    }
}

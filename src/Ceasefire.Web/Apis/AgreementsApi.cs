using System.Text;
using System.Text.Json;
using Ceasefire.Agreements;
using Ceasefire.Import.GeoJson;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Ceasefire.Web.Apis;

/// <summary><c>/api/agreements</c> and <c>/api/zones</c>: the agreements recorded in the store, and their zones as GeoJSON.</summary>
internal static class AgreementsApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/agreements", AgreementsAsync).WithTags("Agreements").WithName("ListAgreements").RequireAuthorization(Policies.Public)
            .WithSummary("Every agreement recorded in the store with every version: parties, phases (status, window, preconditions), obligations (bound parties, acts, targets, zones, window, readings).");
        api.MapGet("/zones", ZonesAsync).WithTags("Agreements").WithName("GetZones").RequireAuthorization(Policies.Public)
            .WithSummary("Every zone (and line) of the store's zone files as one GeoJSON FeatureCollection (RFC 7946; properties zone_id, name, kind, source).")
            .Produces(StatusCodes.Status200OK, contentType: "application/geo+json");
    }

    private static async Task<Results<Ok<List<AgreementView>>, ValidationProblem>> AgreementsAsync(HttpRequest request, StoreAccess store, CancellationToken ct)
    {
        var errors = new RequestErrors();
        errors.OnlyKnown(request);
        if (errors.Any)
        {
            return errors.Problem();
        }
        var (versions, _) = await store.UseAsync(s => StoreDocuments.AgreementsAsync(s, ct), ct).ConfigureAwait(false);
        return TypedResults.Ok(versions.GroupBy(v => v.Id)
            .Select(g => new AgreementView(g.Key, g.OrderBy(v => v.Version).Select(AgreementVersionView.Of).ToList()))
            .ToList());
    }

    private static async Task<IResult> ZonesAsync(HttpRequest request, StoreAccess store, CancellationToken ct)
    {
        var errors = new RequestErrors();
        errors.OnlyKnown(request);
        if (errors.Any)
        {
            return errors.Problem();
        }
        var (files, _) = await store.UseAsync(s => StoreDocuments.ZoneFilesAsync(s, ct), ct).ConfigureAwait(false);
        var features = files.SelectMany(f => f.File.Zones.Select(z => new GeoJsonFeature(z.Geometry, new Dictionary<string, object?>
            {
                ["zone_id"] = z.Id.Value, ["name"] = z.Name, ["kind"] = z.Kind, ["source"] = z.Source ?? f.Name,
            }, z.Id.Value))
            .Concat(f.File.Lines.Select(l => new GeoJsonFeature(l.Value, new Dictionary<string, object?>
            {
                ["zone_id"] = l.Key.Value, ["name"] = l.Key.Value, ["kind"] = "line", ["source"] = f.Name,
            }, l.Key.Value))));
        return TypedResults.Text(GeoJsonWriter.ToJson(features), "application/geo+json", Encoding.UTF8);
    }
}

/// <summary>An agreement and its versions, oldest first.</summary>
internal sealed record AgreementView(string Id, IReadOnlyList<AgreementVersionView> Versions);

/// <summary>One version of an agreement.</summary>
internal sealed record AgreementVersionView(
    int Version, string Title, DateTimeOffset? Effective, string TimeZone, string? Source, double? ComplaintResponsePeriodHours,
    IReadOnlyList<PartyView> Parties, IReadOnlyList<PhaseView> Phases, IReadOnlyList<ObligationView> Obligations, IReadOnlyList<DerivedZoneView> DerivedZones)
{
    public static AgreementVersionView Of(Agreement a) => new(a.Version, a.Title, a.Effective, a.TimeZone.Id, a.Source, a.ComplaintResponsePeriod?.TotalHours,
        a.Parties.Select(p => new PartyView(p.Code.Value, Code(p.Role.ToString()), p.Names)).ToList(),
        a.Phases.Select(p => new PhaseView(p.Id, p.Name, Code(p.Status.ToString()), p.Window?.Start, p.Window?.End, p.Binds,
            p.Preconditions.Select(c => new PreconditionView(c.Text, c.DemandedBy.Value, Code(c.Status.ToString()), c.Source)).ToList(), p.Notes)).ToList(),
        a.Obligations.Select(o => new ObligationView(o.Id, o.PhaseId, o.Clause, o.Bound.Select(b => b.Value).ToList(), o.Acts.Select(x => x.Code).ToList(),
            Targets(o.Targets), o.IncludeZones.Select(z => z.Value).ToList(), o.ExcludeZones.Select(z => z.Value).ToList(), o.Window?.Start, o.Window?.End,
            o.Readings.Select(r => new ReadingView(r.Party.Value, r.Window?.Start, r.Window?.End, r.Targets is { } t ? Targets(t) : null, r.Source)).ToList())).ToList(),
        a.DerivedZones.Select(d => new DerivedZoneView(d.Id.Value, d.Name, Code(d.Operation.ToString()), d.Operands.Select(z => z.Value).ToList(), d.Kilometres)).ToList());

    /// <summary>The target list: category codes, or ["all"].</summary>
    private static List<string> Targets(TargetSet t) => t.IsAll ? ["all"] : t.Categories.Select(c => c.Code).ToList();

    private static string Code(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}

/// <summary>A party: code, role and names by language.</summary>
internal sealed record PartyView(string Code, string Role, IReadOnlyDictionary<string, string> Names);

/// <summary>A phase: status, window (start inclusive, end exclusive, null end = open), whether it binds, preconditions.</summary>
internal sealed record PhaseView(string Id, string Name, string Status, DateTimeOffset? Start, DateTimeOffset? End, bool Binds, IReadOnlyList<PreconditionView> Preconditions, string? Notes);

/// <summary>A precondition a party demanded, and its status.</summary>
internal sealed record PreconditionView(string Text, string DemandedBy, string Status, string? Source);

/// <summary>An obligation: who is bound, which acts against which targets, where (zones included and excluded), when, and each party's reading.</summary>
internal sealed record ObligationView(
    string Id, string Phase, string Clause, IReadOnlyList<string> Bound, IReadOnlyList<string> Acts, IReadOnlyList<string> Targets,
    IReadOnlyList<string> Zones, IReadOnlyList<string> ExcludedZones, DateTimeOffset? Start, DateTimeOffset? End, IReadOnlyList<ReadingView> Readings);

/// <summary>A party's reading: its own window and/or targets (null: the obligation's).</summary>
internal sealed record ReadingView(string Party, DateTimeOffset? Start, DateTimeOffset? End, IReadOnlyList<string>? Targets, string? Source);

/// <summary>A zone the agreement derives from others (a buffer, a union, ...).</summary>
internal sealed record DerivedZoneView(string Id, string Name, string Operation, IReadOnlyList<string> Operands, double Kilometres);

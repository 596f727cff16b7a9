using Ceasefire.Agreements;
using Ceasefire.Geo;
using Ceasefire.Incidents;
using Ceasefire.Parties;
using Ceasefire.Taxonomy;
using Ceasefire.Time;
using Ceasefire.Zones;
using NetTopologySuite.Geometries;

namespace Ceasefire.Tests.Support;

/// <summary>Builders for zones, agreements and incidents used across tests.</summary>
internal static class Build
{
    public static readonly PartyCode RU = new("RU");
    public static readonly PartyCode UA = new("UA");

    public static Polygon Square(double minX, double minY, double maxX, double maxY, params (double, double, double, double)[] holes)
    {
        var f = Wgs84.Factory;
        LinearRing Ring(double a, double b, double c, double d) =>
            f.CreateLinearRing([new(a, b), new(c, b), new(c, d), new(a, d), new(a, b)]);
        return f.CreatePolygon(Ring(minX, minY, maxX, maxY), holes.Select(h => Ring(h.Item1, h.Item2, h.Item3, h.Item4)).ToArray());
    }

    public static Zone Zone(string id, Geometry g) => new(new ZoneId(id), id, g);

    public static ActKind Act(string code) => ActKinds.TryParse(code, out var a) ? a : throw new ArgumentException(code);

    public static TargetCategory Target(string code) => TargetCategories.TryParse(code, out var t) ? t : throw new ArgumentException(code);

    public static DateTimeOffset Utc(int month, int day, int hour = 0, int minute = 0) => new(2025, month, day, hour, minute, 0, TimeSpan.Zero);

    public static Obligation Obligation(
        string id = "o1", string phase = "p1", PartyCode[]? bound = null, string[]? acts = null, TargetSet? targets = null,
        string[]? include = null, string[]? exclude = null, TimeWindow? window = null, Reading[]? readings = null) =>
        new(id, phase, "clause", bound ?? [RU, UA], (acts ?? ["air_drone_strike", "shelling_artillery_missile"]).Select(Act).ToList(),
            targets ?? TargetSet.Of([Target("energy.transmission"), Target("energy.power_generation")]),
            (include ?? ["Z"]).Select(z => new ZoneId(z)).ToList(), (exclude ?? []).Select(z => new ZoneId(z)).ToList(), window, readings ?? []);

    public static Agreement Agreement(
        IEnumerable<Obligation> obligations, TimeWindow? phaseWindow = null, PhaseStatus status = PhaseStatus.InForce, int version = 1,
        DateTimeOffset? effective = null, IEnumerable<DerivedZone>? derived = null, IEnumerable<Phase>? phases = null) =>
        new("test", version, "Test agreement", effective, TimeZoneInfo.Utc,
            [new Party(RU, PartyRole.Signatory, new Dictionary<string, string>()), new Party(UA, PartyRole.Signatory, new Dictionary<string, string>())],
            (phases ?? [new Phase("p1", "Phase one", status, phaseWindow ?? new TimeWindow(Utc(3, 18), Utc(4, 17)), [])]).ToList(),
            obligations.ToList(), (derived ?? []).ToList());

    public static Incident Incident(
        string id = "i1", IncidentTime? time = null, double lon = 5, double lat = 5, double radiusMetres = 0, string act = "air_drone_strike",
        string target = "energy.transmission", PartyCode? perpetrator = null, bool undetermined = false, string grade = "B2") =>
        new(new IncidentId(id), time ?? IncidentTime.At(Utc(3, 20, 12)),
            new IncidentLocation(lon, lat, radiusMetres > 0 ? LocationPrecision.Settlement : LocationPrecision.Exact, radiusMetres),
            Act(act), target == "unknown" ? TargetInference.None : TargetInference.StatedAs(Target(target), target),
            undetermined ? null : perpetrator ?? RU, "actor", "claimant", "source",
            SourceGrade.TryParse(grade, out var g) ? g : SourceGrade.Unassessed);
}

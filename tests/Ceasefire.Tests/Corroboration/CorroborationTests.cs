using Ceasefire.Corroboration;
using Ceasefire.Geo;
using Ceasefire.Incidents;
using Ceasefire.Parties;
using Ceasefire.Time;
using static Ceasefire.Tests.Support.Build;

namespace Ceasefire.Tests.Corroboration;

public sealed class CandidateSearchTests
{
    private static CandidatePoints Points(params (long Start, long End, double Lat, double Lon, double Radius)[] p) =>
        new(p.Select(x => x.Start).ToArray(), p.Select(x => x.End).ToArray(), p.Select(x => x.Lat).ToArray(), p.Select(x => x.Lon).ToArray(), p.Select(x => x.Radius).ToArray());

    [Fact]
    public void Distance_IsTheGreatCircleOnPostgisSphere()
    {
        // One degree of latitude on a sphere of radius R is R * pi / 180.
        Assert.Equal(CandidateSearch.EarthRadiusMetres * Math.PI / 180, CandidateSearch.DistanceMetres(50, 30, 51, 30), 6);
        Assert.Equal(0, CandidateSearch.DistanceMetres(50, 30, 50, 30));
    }

    [Fact]
    public void Pairs_WithinTheWindowAreFoundOnceAndEdgesAreInclusive()
    {
        var fiveKmNorth = 5_000 / (CandidateSearch.EarthRadiusMetres * Math.PI / 180);
        var pairs = CandidateSearch.Find(Points(
            (0, 0, 50, 30, 0),
            (86_400, 86_400, 50, 30, 0),                    // exactly 24 h later, same place: a pair
            (86_401, 86_401, 50, 30, 0),                    // 1 s more than 24 h after the first: pairs only with the second
            (0, 0, 50 + fiveKmNorth * 0.999999, 30, 0),     // just inside 5 km of the first
            (0, 0, 50 + fiveKmNorth * 1.0001, 30, 0)));     // just beyond 5 km of the first (but within 5 km of the fourth)
        Assert.Equal([(0, 1), (0, 3), (1, 2), (1, 3), (3, 4)], pairs.Pairs.Order().ToList());
    }

    [Fact]
    public void Precision_WidensTheWindow()
    {
        // 12 km apart and two days apart: no pair as exact points; a pair when one has a 10 km radius and covers a week.
        var far = 12_000 / (CandidateSearch.EarthRadiusMetres * Math.PI / 180);
        Assert.Equal(0, CandidateSearch.Find(Points((0, 0, 48, 37, 0), (2 * 86_400, 2 * 86_400, 48 + far, 37, 0))).Count);
        Assert.Equal(1, CandidateSearch.Find(Points((0, 7 * 86_400, 48, 37, 10_000), (2 * 86_400, 2 * 86_400, 48 + far, 37, 0))).Count);
    }

    [Fact]
    public void RandomPoints_MatchBruteForce()
    {
        var random = new Random(7);
        var n = 3_000;
        var p = Enumerable.Range(0, n).Select(_ =>
        {
            var start = random.Next(0, 10 * 86_400);
            var wide = random.Next(10) == 0;
            return ((long)start, (long)start + (wide ? random.Next(0, 8 * 86_400) : 0), 47 + random.NextDouble() * 0.6, 36 + random.NextDouble() * 0.8,
                random.Next(5) switch { 0 => 5_000.0, 1 => 25_000.0, _ => 0.0 });
        }).ToArray();
        var found = CandidateSearch.Find(Points(p)).Pairs.Order().ToList();
        var expected = new List<(int, int)>();
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                var gap = Math.Max(0, Math.Max(p[j].Item1 - p[i].Item2, p[i].Item1 - p[j].Item2));
                if (gap <= 86_400 && CandidateSearch.DistanceMetres(p[i].Item3, p[i].Item4, p[j].Item3, p[j].Item4) <= 5_000 + p[i].Item5 + p[j].Item5)
                {
                    expected.Add((i, j));
                }
            }
        }
        Assert.NotEmpty(expected);
        Assert.Equal(expected, found);
    }

    [Fact]
    public void Antimeridian_And_HighLatitudes_AreSearchedAcross()
    {
        var pairs = CandidateSearch.Find(Points((0, 0, 65, 179.99, 0), (0, 0, 65, -179.99, 0), (0, 0, 89.99, 0, 0), (0, 0, 89.99, 180, 0)));
        Assert.Equal([(0, 1), (2, 3)], pairs.Pairs.Order().ToList());
    }
}

public sealed class ClusteringTests
{
    private static readonly TimeZoneInfo Kyiv = TimeZoneInfo.Utc;

    private static KeyedReport Report(string key, DateTimeOffset at, double lat, double lon, string act = "shelling_artillery_missile", PartyCode? blamed = null,
        string? place = null, string source = "Reuters", TimePrecision precision = TimePrecision.Instant, double radius = 0, Casualties casualties = default) =>
        new(key, new Incident(new IncidentId(key), precision == TimePrecision.Day ? IncidentTime.Day(DateOnly.FromDateTime(at.UtcDateTime), Kyiv) : IncidentTime.At(at),
            new IncidentLocation(lon, lat, radius > 0 ? LocationPrecision.Settlement : LocationPrecision.Exact, radius, place), Act(act), TargetInference.None,
            blamed, null, source, source, default, [], null, casualties));

    [Fact]
    public void TwoReportsOfOneStrike_AreMergedWithTheirScore()
    {
        var result = IncidentClusterer.Cluster([
            Report("a:1", Utc(3, 21, 0, 20), 51.19139, 35.27056, "remote_explosive", RU, "Sudzha"),
            Report("b:1", Utc(3, 21, 6, 0), 51.1920, 35.2710, "shelling_artillery_missile", UA, "Суджа"),
            Report("c:1", Utc(3, 28, 7, 20), 51.19139, 35.27056, place: "Sudzha")]);
        Assert.Equal(2, result.Incidents.Count);
        var sudzha = result.Incidents.Single(i => i.Members.Count == 2);
        Assert.Equal("inc:a:1", sudzha.Id);
        Assert.Equal(MemberRole.Reference, sudzha.Members[0].Role);
        var matched = sudzha.Members[1];
        Assert.Equal(("b:1", MemberRole.Matched), (matched.Key, matched.Role));
        Assert.Equal(0.6, matched.Score!.Value.Act);  // same family, different kind
        Assert.Equal(1, matched.Score.Value.Place);     // Sudzha = Суджа
        Assert.Equal(1, result.CandidatePairs);
    }

    [Fact]
    public void IncompatibleActs_AreNeverMerged()
    {
        var result = IncidentClusterer.Cluster([
            Report("a:1", Utc(3, 21, 0), 50, 30, "shelling_artillery_missile"),
            Report("a:2", Utc(3, 21, 1), 50, 30, "peaceful_protest")]);
        Assert.Equal(2, result.Incidents.Count);
        Assert.Empty(result.Review);
    }

    [Fact]
    public void DenseFrontLine_DoesNotChainIntoOneIncident()
    {
        // A report every 3 km along 60 km of front and every 6 hours for 5 days: each is a candidate of its
        // neighbours, so single linkage would make one incident of all 420. Linkage against a reference report keeps
        // every incident within 24 h and 5 km of its reference.
        var reports = new List<KeyedReport>();
        var step = 3_000 / (CandidateSearch.EarthRadiusMetres * Math.PI / 180 * Math.Cos(48 * Math.PI / 180));
        for (var t = 0; t < 20; t++)
        {
            for (var x = 0; x < 21; x++)
            {
                reports.Add(Report($"f:{t}-{x}", Utc(3, 20).AddHours(6 * t), 48, 37 + (x * step)));
            }
        }
        var result = IncidentClusterer.Cluster(reports);
        var byKey = reports.ToDictionary(r => r.Key, r => r.Report);
        Assert.True(result.Incidents.Count > 40, $"{result.Incidents.Count} incidents");
        Assert.True(result.LargestIncident <= 12, $"largest {result.LargestIncident}");
        foreach (var incident in result.Incidents)
        {
            var reference = byKey[incident.ReferenceKey];
            foreach (var m in incident.Members)
            {
                var r = byKey[m.Key];
                Assert.True(Math.Abs((r.Time.Earliest - reference.Time.Earliest).TotalHours) <= 24);
                Assert.True(CandidateSearch.DistanceMetres(r.Location.Latitude, r.Location.Longitude, reference.Location.Latitude, reference.Location.Longitude) <= 5_000);
            }
        }
        Assert.Equal(reports.Count, result.Incidents.Sum(i => i.Members.Count));
    }

    [Fact]
    public void MiddlingScores_AreQueuedForAnAnalyst_AndTheDecisionIsApplied()
    {
        // 20 h and 4 km apart, no place names: time 0.17, space 0.2, act 1, place 0.5 -> 0.43 + ... below merge, above review.
        var near = 4_000 / (CandidateSearch.EarthRadiusMetres * Math.PI / 180);
        List<KeyedReport> reports = [Report("a:1", Utc(3, 21, 0), 48, 37), Report("a:2", Utc(3, 21, 14), 48 + near, 37)];
        var result = IncidentClusterer.Cluster(reports);
        Assert.Equal(2, result.Incidents.Count);
        var item = Assert.Single(result.Review);
        Assert.Equal(("inc:a:1", "a:2"), (item.IncidentId, item.ReportKey));
        Assert.InRange(item.Score.Score, 0.5, 0.75);

        var accepted = IncidentClusterer.Cluster(reports, [new ReviewDecision("a:2", "a:1", true, "alice", "same crater in imagery", Utc(3, 22))]);
        var merged = Assert.Single(accepted.Incidents);
        Assert.Equal(MemberRole.Analyst, merged.Members[1].Role);
        Assert.Contains("alice accepted a:2 as a report of this incident: same crater in imagery", merged.History.Single());
        Assert.Empty(accepted.Review);

        var rejected = IncidentClusterer.Cluster(reports, [new ReviewDecision("a:2", "a:1", false, "bob", "different strike", Utc(3, 22))]);
        Assert.Equal(2, rejected.Incidents.Count);
        Assert.Empty(rejected.Review);
    }

    [Fact]
    public void MergeAndSplit_KeepWhoWhenAndWhy()
    {
        List<KeyedReport> reports = [
            Report("a:1", Utc(3, 21, 0), 48, 37, place: "Pokrovsk"),
            Report("a:2", Utc(3, 21, 1), 48.001, 37, place: "Pokrovsk"),
            Report("a:3", Utc(3, 25, 0), 48.3, 37.5)];
        var auto = IncidentClusterer.Cluster(reports);
        Assert.Equal(2, auto.Incidents.Count);

        var decisions = new List<AnalystDecision>
        {
            new MergeDecision(["a:2", "a:3"], "alice", "one artillery campaign, per the mission's patrol log", Utc(3, 26)),
            new SplitDecision(["a:1"], "bob", "the 00:00 report is the earlier shelling", Utc(3, 27)),
        };
        var result = IncidentClusterer.Cluster(reports, decisions);
        Assert.Equal(2, result.Incidents.Count);
        var split = result.Incidents.Single(i => i.Id == "inc:a:1");
        Assert.Equal(["a:1"], split.Members.Select(m => m.Key));
        Assert.Contains("bob split these reports off inc:a:2: the 00:00 report is the earlier shelling", split.History.Single());
        var rest = result.Incidents.Single(i => i.Id != "inc:a:1");
        Assert.Equal("inc:a:2", rest.Id); // the reference left; the earliest remaining report is the new reference
        Assert.Equal(["a:2", "a:3"], rest.Members.Select(m => m.Key));
        Assert.Equal(2, rest.History.Count);
        Assert.Contains("alice merged inc:a:3 into this incident: one artillery campaign", rest.History[0]);
        Assert.Contains("bob split off a:1", rest.History[1]);

        var unknown = IncidentClusterer.Cluster(reports, [new MergeDecision(["a:1", "zz:9"], "alice", "x", Utc(3, 26))]);
        Assert.Contains(unknown.Warnings, w => w.Contains("zz:9", StringComparison.Ordinal));
    }

    [Fact]
    public void MirrorImageDispute_GivesOneIncidentWithBothSides()
    {
        // Sudzha, 21 March 2025: Russia's MoD blames Ukraine, Ukraine's General Staff blames Russia, for one blast.
        var sources = new SourceRegistry([
            new Source("ru-mod", "Ministry of Defence of Russia", [], SourceType.Party, 'D', "ru-mod", RU),
            new Source("ua-gs", "General Staff of the Armed Forces of Ukraine", [], SourceType.Party, 'D', "ua-gs", UA)]);
        List<KeyedReport> reports = [
            Report("s:3", Utc(3, 20, 21, 20), 51.19139, 35.27056, "remote_explosive", UA, "Sudzha", "Ministry of Defence of Russia", casualties: new Casualties(0, 0, 0)),
            Report("s:4", Utc(3, 21, 0), 51.19139, 35.27056, "shelling_artillery_missile", RU, "Суджа", "General Staff of the Armed Forces of Ukraine", TimePrecision.Day, 5_000)];
        var result = IncidentClusterer.Cluster(reports);
        var cluster = Assert.Single(result.Incidents);
        var incident = IncidentDerivation.Derive(cluster, reports.ToDictionary(r => r.Key, r => r.Report), sources);
        Assert.True(incident.Disputed);
        Assert.Equal([(PartyCode?)RU, UA], incident.Attributions.Select(a => a.Party));
        Assert.Equal(["s:4"], incident.Attributions[0].ReportKeys);
        Assert.Equal(["s:3"], incident.Attributions[1].ReportKeys);
        var forRuling = incident.ForAdjudication();
        Assert.Equal(["inc:s:3#RU", "inc:s:3#UA"], forRuling.Select(x => x.Incident.Id.Value));
        Assert.Equal([(PartyCode?)RU, UA], forRuling.Select(x => x.Incident.Perpetrator));
        Assert.Equal(2, incident.SourceGroups.Count);
        Assert.NotEqual(1, incident.Grade.Credibility); // disputed: not "confirmed"
        Assert.Equal(0.0, incident.SpreadMetres);       // the exact report anchors the place
        Assert.Equal(LocationPrecision.Exact, incident.Location.Precision);
    }
}

public sealed class GradingTests
{
    private static readonly SourceRegistry Registry = new([
        new Source("reuters", "Reuters", ["Рейтер"], SourceType.Wire, 'B', "reuters"),
        new Source("gbfr", "Global Banking & Finance Review", [], SourceType.Outlet, 'C', "reuters"),
        new Source("fidelity", "Fidelity News", [], SourceType.Outlet, 'C', "reuters"),
        new Source("upravda", "Ukrainska Pravda", [], SourceType.Outlet, 'C', "upravda"),
        new Source("ru-mod", "Ministry of Defence of Russia", ["Минобороны России"], SourceType.Party, 'D', "ru-mod", RU),
        new Source("osce-team", "Mission patrol team 3", [], SourceType.Monitor, 'A', "osce-team")]);

    private static Incident From(string source, string grade = "", string id = "x", Casualties casualties = default) =>
        new(new IncidentId(id), IncidentTime.At(Utc(3, 20)), new IncidentLocation(30, 50, LocationPrecision.Exact), Act("air_drone_strike"), TargetInference.None,
            RU, null, source, source, SourceGrade.TryParse(grade, out var g) ? g : default, [], null, casualties);

    [Theory]
    [InlineData("Mission patrol team 3", "A2")]
    [InlineData("Reuters", "B3")]
    [InlineData("Ukrainska Pravda", "C3")]
    [InlineData("Минобороны России", "D4")]
    [InlineData("Some Telegram channel", "F6")]
    [InlineData("Reuters via Global Banking & Finance Review", "B3")]
    public void DefaultGrade_ComesFromTheSourceAndItsType(string source, string grade) =>
        Assert.Equal(grade, Registry.DefaultGrade(From(source)).ToString());

    [Fact]
    public void AGradeTheReportCarries_Wins() => Assert.Equal("C2", Registry.DefaultGrade(From("Reuters", "C2")).ToString());

    [Fact]
    public void SyndicatedCopies_CountAsOneSource()
    {
        var reports = new[] { From("Reuters", id: "1"), From("Global Banking & Finance Review", id: "2"), From("Fidelity News; Reuters", id: "3") };
        Assert.Equal(["reuters"], Registry.IndependentGroups(reports));
        var cluster = new IncidentCluster("inc:1", [new("1", MemberRole.Reference), new("2", MemberRole.Matched), new("3", MemberRole.Matched)], null, []);
        var incident = IncidentDerivation.Derive(cluster, reports.ToDictionary(r => r.Id.Value), Registry);
        Assert.Equal(["reuters"], incident.SourceGroups);
        Assert.Equal(3, incident.Grade.Credibility); // one source, however many copies: not confirmed
        Assert.Equal(new SourceGrade('B', 3).Weight, incident.Confidence, 9);

        var corroborated = reports.Append(From("Ukrainska Pravda", id: "4")).ToDictionary(r => r.Id.Value);
        var two = IncidentDerivation.Derive(cluster with { Members = [.. cluster.Members, new("4", MemberRole.Matched)] }, corroborated, Registry);
        Assert.Equal(["reuters", "upravda"], two.SourceGroups);
        Assert.Equal(new SourceGrade('B', 1), two.Grade); // two independent sources agree: confirmed
        Assert.Equal(1 - ((1 - new SourceGrade('B', 3).Weight) * (1 - new SourceGrade('C', 3).Weight)), two.Confidence, 9);
    }

    [Fact]
    public void AnalystOverride_ReplacesTheDefault()
    {
        var report = From("Минобороны России");
        var cluster = new IncidentCluster("inc:x", [new("x", MemberRole.Reference)], null, []);
        var incident = IncidentDerivation.Derive(cluster, new Dictionary<string, Incident> { ["x"] = report }, Registry, new Dictionary<string, SourceGrade> { ["x"] = new('D', 2) });
        Assert.Equal(new SourceGrade('D', 2), incident.Grade);
    }

    [Fact]
    public void Time_IsTheIntersectionWhenReportsOverlap_ElseTheirSpan()
    {
        Incident At(string id, IncidentTime t) => new(new IncidentId(id), t, new IncidentLocation(30, 50, LocationPrecision.Exact), Act("air_drone_strike"), TargetInference.None, RU, null, "Reuters", "Reuters", default);
        IncidentCluster Two() => new("inc:a", [new("a", MemberRole.Reference), new("b", MemberRole.Matched)], null, []);
        var day = IncidentTime.Day(new DateOnly(2025, 3, 21), TimeZoneInfo.Utc);
        var narrowed = IncidentDerivation.Derive(Two(), new Dictionary<string, Incident> { ["a"] = At("a", day), ["b"] = At("b", IncidentTime.At(Utc(3, 21, 6))) }, Registry);
        Assert.Equal(IncidentTime.At(Utc(3, 21, 6)), narrowed.Time);
        var span = IncidentDerivation.Derive(Two(), new Dictionary<string, Incident> { ["a"] = At("a", IncidentTime.At(Utc(3, 21, 0))), ["b"] = At("b", IncidentTime.At(Utc(3, 21, 12))) }, Registry);
        Assert.Equal((Utc(3, 21, 0), Utc(3, 21, 12), TimePrecision.Day), (span.Time.Earliest, span.Time.Latest, span.Time.Precision));
        var touching = IncidentDerivation.Derive(Two(), new Dictionary<string, Incident> { ["a"] = At("a", day), ["b"] = At("b", IncidentTime.Day(new DateOnly(2025, 3, 22), TimeZoneInfo.Utc)) }, Registry);
        Assert.Equal((Utc(3, 21), Utc(3, 23), TimePrecision.Week), (touching.Time.Earliest, touching.Time.Latest, touching.Time.Precision));
    }

    [Fact]
    public void Casualties_AreARange()
    {
        var a = From("Reuters", id: "a", casualties: new Casualties(2, 3, 4));
        var b = From("Reuters", id: "b", casualties: new Casualties(1, 5, 9));
        var c = From("Reuters", id: "c", casualties: new Casualties(null, 4, null));
        var cluster = new IncidentCluster("inc:a", [new("a", MemberRole.Reference), new("b", MemberRole.Matched), new("c", MemberRole.Matched)], null, []);
        var incident = IncidentDerivation.Derive(cluster, new Dictionary<string, Incident> { ["a"] = a, ["b"] = b, ["c"] = c }, Registry);
        Assert.Equal(new Casualties(1, 4, 9), incident.Casualties);
    }
}

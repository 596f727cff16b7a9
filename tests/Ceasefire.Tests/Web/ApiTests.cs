using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ceasefire.Storage;
using Ceasefire.Web;
using Ceasefire.Web.Apis;

namespace Ceasefire.Tests.Web;

/// <summary>
/// The REST API over HTTP: the real application on a free port over the demo store. Happy paths for every endpoint,
/// and malformed input for each (bad JSON, wrong types, unknown fields, huge bodies, bad cursors, injection strings):
/// always a 4xx problem document naming the parameter or JSON path, never a 500.
/// </summary>
public sealed class ApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Problem = "application/problem+json";
    private readonly HttpClient _http = fixture.Client;

    // ---- reports ----

    [Fact]
    public async Task Reports_List_ReturnsDemoReportsWithIncidentAndWorstVerdict()
    {
        var page = await GetJson("/api/reports?dataset=acled");
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(8, items.Count);
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_cursor").ValueKind);
        var first = items[0];
        Assert.Equal("acled:CFM-2025-0001", first.GetProperty("key").GetString());
        Assert.Equal("acled", first.GetProperty("dataset").GetString());
        Assert.Equal(45.45, first.GetProperty("location").GetProperty("lat").GetDouble());
        Assert.Equal("RU Ministry of Defence", first.GetProperty("claimant").GetString());
        Assert.Equal("D2", first.GetProperty("grade").GetString());
        foreach (var name in new[] { "version", "time", "act", "target", "perpetrator", "source", "notes", "casualties", "incident_id", "worst_verdict" })
        {
            Assert.True(first.TryGetProperty(name, out _), name);
        }
        Assert.True(first.GetProperty("time").TryGetProperty("precision", out _));
        Assert.True(first.GetProperty("location").TryGetProperty("radius_m", out _));
        Assert.StartsWith("inc:", first.GetProperty("incident_id").GetString());
        Assert.Contains(items, r => r.GetProperty("worst_verdict").GetString() is "violation" or "possible_violation");
        // Ordered by earliest time, then key.
        var order = items.Select(r => (r.GetProperty("time").GetProperty("earliest").GetDateTimeOffset(), r.GetProperty("key").GetString()!)).ToList();
        Assert.Equal(order.OrderBy(o => o.Item1).ThenBy(o => o.Item2, StringComparer.Ordinal), order);
    }

    [Fact]
    public async Task Reports_FilterByPartyAndTime_ReturnsOnlyMatchingReports()
    {
        var ru = (await GetJson("/api/reports?dataset=acled&party=RU")).GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(ru);
        Assert.All(ru, r => Assert.Equal("RU", r.GetProperty("perpetrator").GetString()));
        var all = (await GetJson("/api/reports?dataset=acled")).GetProperty("items").GetArrayLength();
        Assert.True(ru.Count < all);

        var from = DateTimeOffset.Parse("2025-03-25T00:00:00Z");
        var to = DateTimeOffset.Parse("2025-04-01T00:00:00Z");
        var window = (await GetJson("/api/reports?dataset=acled&from=2025-03-25T00:00:00Z&to=2025-04-01")).GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(window);
        Assert.True(window.Count < all);
        Assert.All(window, r =>
        {
            Assert.True(r.GetProperty("time").GetProperty("latest").GetDateTimeOffset() > from);
            Assert.True(r.GetProperty("time").GetProperty("earliest").GetDateTimeOffset() < to);
        });

        var sudzha = (await GetJson("/api/reports?dataset=acled&bbox=35,51,35.5,51.5")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, sudzha.Count);
        Assert.All(sudzha, r => Assert.Equal("Sudzha", r.GetProperty("location").GetProperty("place").GetString()));

        var violations = (await GetJson("/api/reports?verdict=violation")).GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(violations);
        Assert.All(violations, r => Assert.Equal("violation", r.GetProperty("worst_verdict").GetString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("&bbox=30,44,41,53")]
    [InlineData("&verdict=not_covered")]
    public async Task Reports_PagingWithCursor_ReturnsEveryReportExactlyOnce(string filter)
    {
        var expected = (await GetJson("/api/reports?limit=1000" + filter)).GetProperty("items").EnumerateArray().Select(r => r.GetProperty("key").GetString()!).ToList();
        Assert.NotEmpty(expected);
        foreach (var size in new[] { 1, 2, 3 })
        {
            var seen = new List<string>();
            string? cursor = null;
            var pages = 0;
            do
            {
                var page = await GetJson($"/api/reports?limit={size}{filter}" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
                var items = page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("key").GetString()!).ToList();
                Assert.True(items.Count <= size);
                seen.AddRange(items);
                cursor = page.GetProperty("next_cursor").GetString();
                Assert.True(++pages <= expected.Count + 1, "paging does not end");
            }
            while (cursor is not null);
            Assert.Equal(expected, seen);
        }
    }

    [Theory]
    [InlineData("/api/reports/acled:CFM-2025-0003")]
    [InlineData("/api/reports/acled%3ACFM-2025-0003")]
    public async Task Reports_Get_KeyWithColon_ReturnsReportVersionsAndFindings(string url)
    {
        var doc = await GetJson(url);
        Assert.Equal("acled:CFM-2025-0003", doc.GetProperty("report").GetProperty("key").GetString());
        var version = Assert.Single(doc.GetProperty("versions").EnumerateArray());
        Assert.Equal(1, version.GetProperty("version").GetInt32());
        Assert.False(string.IsNullOrEmpty(version.GetProperty("content_hash").GetString()));
        Assert.True(version.GetProperty("log_sequence").GetInt64() > 0);
        var findings = doc.GetProperty("findings").EnumerateArray().ToList();
        Assert.NotEmpty(findings);
        Assert.All(findings, f =>
        {
            Assert.Equal("acled:CFM-2025-0003", f.GetProperty("subject").GetString());
            Assert.Equal(JsonValueKind.Array, f.GetProperty("failed").ValueKind);
            Assert.False(string.IsNullOrEmpty(f.GetProperty("explanation").GetString()));
        });
    }

    [Fact]
    public async Task Reports_Get_UnknownKey_Is404Problem()
    {
        var response = await _http.GetAsync("/api/reports/acled:NO-SUCH");
        await AssertProblem(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Reports_Post_ThenGet_AddedUnchangedThenChangedAsNewVersion()
    {
        var report = ReportJson("API-0001", 49.9935);
        var created = await _http.PostAsync("/api/reports", Json(report));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await Parse(created);
        Assert.Equal("form:API-0001", body.GetProperty("key").GetString());
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        Assert.Equal("added", body.GetProperty("status").GetString());
        Assert.NotNull(created.Headers.Location);

        var fetched = await GetJson(created.Headers.Location!.ToString());
        Assert.Equal("form", fetched.GetProperty("report").GetProperty("dataset").GetString());
        Assert.Equal("Kharkiv", fetched.GetProperty("report").GetProperty("location").GetProperty("place").GetString());
        Assert.Equal("RU", fetched.GetProperty("report").GetProperty("perpetrator").GetString());

        var again = await _http.PostAsync("/api/reports", Json(report));
        Assert.Equal("unchanged", (await Parse(again)).GetProperty("status").GetString());

        var edited = await _http.PostAsync("/api/reports", Json(ReportJson("API-0001", 49.99)));
        var editedBody = await Parse(edited);
        Assert.Equal("changed", editedBody.GetProperty("status").GetString());
        Assert.Equal(2, editedBody.GetProperty("version").GetInt32());
        Assert.Equal(2, (await GetJson("/api/reports/form:API-0001")).GetProperty("versions").GetArrayLength());

        var listed = (await GetJson("/api/reports?dataset=form")).GetProperty("items").EnumerateArray().Select(r => r.GetProperty("key").GetString()).ToList();
        Assert.Contains("form:API-0001", listed);
    }

    [Fact]
    public async Task Reports_Post_LatitudeOutOfRange_Is400NamingTheJsonPath()
    {
        var response = await _http.PostAsync("/api/reports", Json(ReportJson("API-0002", 95)));
        var problem = await AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("$.location.lat", out var messages), problem.ToString());
        Assert.Contains("95", messages[0].GetString());
    }

    [Theory]
    [InlineData("{\"id\": \"X\", \"time\": ", "$")]
    [InlineData("not json at all", "$")]
    [InlineData("{\"id\": 42, \"time\": {\"at\": \"2025-03-28T10:20:00Z\"}, \"location\": {\"lon\": 36.2, \"lat\": 49.9}, \"act\": \"air_drone_strike\"}", "$.id")]
    [InlineData("{\"id\": \"X\", \"time\": {\"at\": \"2025-03-28T10:20:00Z\"}, \"location\": {\"lon\": \"east\", \"lat\": 49.9}, \"act\": \"air_drone_strike\"}", "$.location.lon")]
    [InlineData("{\"id\": \"X\", \"time\": {\"at\": \"2025-03-28T10:20:00Z\"}, \"location\": {\"lon\": 36.2, \"lat\": 49.9}, \"act\": \"air_drone_strike\", \"lattitude\": 1}", "$.lattitude")]
    [InlineData("{\"id\": \"X\", \"time\": {\"at\": \"yesterday\"}, \"location\": {\"lon\": 36.2, \"lat\": 49.9}, \"act\": \"air_drone_strike\"}", "$.time.at")]
    [InlineData("{\"id\": \"<script>alert(1)</script>\", \"time\": {\"at\": \"2025-03-28T10:20:00Z\"}, \"location\": {\"lon\": 36.2, \"lat\": 49.9}, \"act\": \"' OR 1=1 --\"}", "$.act")]
    [InlineData("", "$")]
    public async Task Reports_Post_MalformedBody_Is400ProblemNamingThePath(string body, string path)
    {
        var response = await _http.PostAsync("/api/reports", new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await AssertProblem(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.EnumerateObject().Any(e => e.Name == path || e.Name.StartsWith(path + ".", StringComparison.Ordinal) || (path == "$" && e.Name.StartsWith('$'))),
            $"expected an error at {path}: {problem}");
    }

    [Fact]
    public async Task Reports_Post_TwoReports_Is400()
    {
        var body = $"{{\"reports\": [{ReportJson("API-0003", 49.9)}, {ReportJson("API-0004", 49.9)}]}}";
        await AssertProblem(await _http.PostAsync("/api/reports", Json(body)), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Reports_Post_HugeBody_Is413Problem()
    {
        var huge = "{\"id\": \"X\", \"notes\": \"" + new string('a', 2 << 20) + "\"}";
        await AssertProblem(await _http.PostAsync("/api/reports", Json(huge)), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Reports_Post_NotJson_Is415Problem()
    {
        await AssertProblem(await _http.PostAsync("/api/reports", new StringContent("id=1", Encoding.UTF8, "application/x-www-form-urlencoded")), HttpStatusCode.UnsupportedMediaType);
    }

    // ---- incidents ----

    [Fact]
    public async Task Incidents_Sudzha_IsDisputedWithBothSidesAndFindingsPerSide()
    {
        var disputed = (await GetJson("/api/incidents?disputed=true")).GetProperty("items").EnumerateArray().ToList();
        var sudzha = Assert.Single(disputed, i => i.GetProperty("members").EnumerateArray().Any(m => m.GetString() == "acled:CFM-2025-0003"));
        Assert.True(sudzha.GetProperty("disputed").GetBoolean());
        var accused = sudzha.GetProperty("accused").EnumerateArray().Select(a => a.GetString()).ToHashSet();
        Assert.Contains("RU", accused);
        Assert.Contains("UA", accused);
        Assert.Contains("acled:CFM-2025-0004", sudzha.GetProperty("members").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(JsonValueKind.Object, sudzha.GetProperty("detail").ValueKind);
        Assert.True(sudzha.GetProperty("location").TryGetProperty("radius_m", out _));

        var id = sudzha.GetProperty("id").GetString()!;
        var detail = await GetJson("/api/incidents/" + id);
        Assert.Equal(id, detail.GetProperty("incident").GetProperty("id").GetString());
        var subjects = detail.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("subject").GetString()).ToHashSet();
        Assert.Contains($"{id}#RU", subjects);
        Assert.Contains($"{id}#UA", subjects);
        // Disputed attribution: no side's finding is more than possible.
        Assert.DoesNotContain(detail.GetProperty("findings").EnumerateArray(), f => f.GetProperty("verdict").GetString() == "violation");

        var encoded = await GetJson("/api/incidents/" + Uri.EscapeDataString(id));
        Assert.Equal(id, encoded.GetProperty("incident").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Incidents_FilterAndPaging_ReturnEveryIncidentOnce()
    {
        var all = (await GetJson("/api/incidents")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
        Assert.True(all.Count >= 2);
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await GetJson("/api/incidents?limit=1" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal(all, seen);

        var ua = (await GetJson("/api/incidents?accused=UA")).GetProperty("items").EnumerateArray().ToList();
        Assert.NotEmpty(ua);
        Assert.All(ua, i => Assert.Contains("UA", i.GetProperty("accused").EnumerateArray().Select(a => a.GetString())));
        Assert.Empty((await GetJson("/api/incidents?bbox=0,0,1,1")).GetProperty("items").EnumerateArray());
        Assert.Empty((await GetJson("/api/incidents?from=2030-01-01")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Incidents_Get_Unknown_Is404Problem()
    {
        await AssertProblem(await _http.GetAsync("/api/incidents/inc:nothing"), HttpStatusCode.NotFound);
    }

    // ---- findings ----

    [Fact]
    public async Task Findings_FilterScopeAndPaging()
    {
        var all = (await GetJson("/api/findings?limit=1000")).GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(all, f => f.GetProperty("subject").GetString()!.StartsWith("inc:", StringComparison.Ordinal));
        Assert.Contains(all, f => f.GetProperty("subject").GetString()!.StartsWith("acled:", StringComparison.Ordinal));
        foreach (var name in new[] { "subject", "subject_version", "agreement", "agreement_version", "obligation", "phase", "reading", "verdict", "confidence", "failed", "uncertain", "explanation" })
        {
            Assert.True(all[0].TryGetProperty(name, out _), name);
        }
        Assert.All((await GetJson("/api/findings?of=incidents&limit=1000")).GetProperty("items").EnumerateArray(),
            f => Assert.StartsWith("inc:", f.GetProperty("subject").GetString()));
        Assert.All((await GetJson("/api/findings?of=reports&verdict=violation")).GetProperty("items").EnumerateArray(),
            f => Assert.Equal("violation", f.GetProperty("verdict").GetString()));
        var reading = all[0].GetProperty("reading").GetString();
        Assert.All((await GetJson($"/api/findings?reading={reading}&limit=1000")).GetProperty("items").EnumerateArray(),
            f => Assert.Equal(reading, f.GetProperty("reading").GetString()));
        Assert.All((await GetJson("/api/findings?subject=acled:CFM-2025-0001")).GetProperty("items").EnumerateArray(),
            f => Assert.Equal("acled:CFM-2025-0001", f.GetProperty("subject").GetString()));

        var seen = 0;
        var keys = new HashSet<string>();
        string? cursor = null;
        do
        {
            var page = await GetJson("/api/findings?limit=7" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            foreach (var f in page.GetProperty("items").EnumerateArray())
            {
                seen++;
                Assert.True(keys.Add($"{f.GetProperty("subject")}|{f.GetProperty("obligation")}|{f.GetProperty("reading")}|{f.GetProperty("agreement")}"));
            }
            cursor = page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);
        Assert.Equal(all.Count, seen);
    }

    // ---- map ----

    [Fact]
    public async Task Map_SmallView_ListsIncidentsWithWorstVerdict()
    {
        var map = await GetJson("/api/map?bbox=22,44,41,53&from=2025-03-01&to=2025-05-01");
        Assert.Equal(JsonValueKind.Null, map.GetProperty("clusters").ValueKind);
        var incidents = map.GetProperty("incidents").EnumerateArray().ToList();
        Assert.NotEmpty(incidents);
        Assert.Contains(incidents, i => i.GetProperty("disputed").GetBoolean());
        Assert.Contains(incidents, i => i.GetProperty("worst_verdict").ValueKind == JsonValueKind.String);
        foreach (var name in new[] { "id", "lon", "lat", "act" })
        {
            Assert.True(incidents[0].TryGetProperty(name, out _), name);
        }
        Assert.Empty((await GetJson("/api/map?bbox=0,0,1,1")).GetProperty("incidents").EnumerateArray());
    }

    [Fact]
    public void Map_ManyIncidents_AreClusteredOnTheGrid()
    {
        // What /api/map answers with over MaxIncidents: the map index's grid over the view.
        var worst = new Dictionary<string, string> { ["inc:x:0"] = "not_covered", ["inc:x:2"] = "violation", ["inc:x:1"] = "possible_violation" };
        var index = MapIndex.Build(Enumerable.Range(0, MapApi.MaxIncidents + 1)
            .Select(n => new MapPoint($"inc:x:{n}", 30 + (n % 2) * 5, 50, 0, 1, MapVerdicts.Code(worst.GetValueOrDefault($"inc:x:{n}")), false, "air_drone_strike")));
        Assert.Null(index.PointsIn(new GeoBox(29, 49, 41, 51), 0, 2, MapApi.MaxIncidents));
        var clusters = index.Aggregate(new GeoBox(29, 49, 41, 51), 0, 2, MapApi.GridCells)
            .Select(c => (Lon: c.Longitude, c.Count, WorstVerdict: MapVerdicts.Name(c.Verdict))).ToList();
        Assert.Equal(2, clusters.Count);
        Assert.Equal(MapApi.MaxIncidents + 1, clusters.Sum(c => c.Count));
        Assert.Equal("violation", clusters.Single(c => c.Lon == 30).WorstVerdict);
        Assert.Equal("possible_violation", clusters.Single(c => c.Lon == 35).WorstVerdict);
    }

    // ---- agreements, zones ----

    [Fact]
    public async Task Agreements_ListVersionsWithPartiesPhasesAndObligations()
    {
        var agreements = (await GetJson("/api/agreements")).EnumerateArray().ToList();
        var agreement = Assert.Single(agreements);
        var version = agreement.GetProperty("versions")[0];
        Assert.False(string.IsNullOrEmpty(version.GetProperty("title").GetString()));
        Assert.Equal("Europe/Moscow", version.GetProperty("time_zone").GetString());
        var parties = version.GetProperty("parties").EnumerateArray().Select(p => p.GetProperty("code").GetString()).ToList();
        Assert.Contains("RU", parties);
        Assert.Contains("UA", parties);
        Assert.NotEmpty(version.GetProperty("phases").EnumerateArray());
        var obligation = version.GetProperty("obligations")[0];
        foreach (var name in new[] { "id", "phase", "clause", "bound", "acts", "targets", "zones", "readings" })
        {
            Assert.True(obligation.TryGetProperty(name, out _), name);
        }
        Assert.Contains(version.GetProperty("obligations").EnumerateArray(), o => o.GetProperty("readings").GetArrayLength() > 0);
    }

    [Fact]
    public async Task Zones_AreOneGeoJsonFeatureCollection()
    {
        var response = await _http.GetAsync("/api/zones");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType!.MediaType);
        var doc = await Parse(response);
        Assert.Equal("FeatureCollection", doc.GetProperty("type").GetString());
        var features = doc.GetProperty("features").EnumerateArray().ToList();
        Assert.NotEmpty(features);
        Assert.All(features, f =>
        {
            Assert.False(string.IsNullOrEmpty(f.GetProperty("properties").GetProperty("zone_id").GetString()));
            Assert.True(f.GetProperty("properties").TryGetProperty("name", out _));
        });
        Assert.Contains(features, f => f.GetProperty("geometry").GetProperty("type").GetString() is "Polygon" or "MultiPolygon");
    }

    // ---- claims, complaints ----

    [Fact]
    public async Task Claims_SeriesWithTotals_NeverSummingRunningTotals()
    {
        var series = (await GetJson("/api/claims")).EnumerateArray().ToList();
        Assert.NotEmpty(series);
        var cumulative = series.First(s => s.GetProperty("cumulative").GetBoolean());
        var claims = cumulative.GetProperty("claims").EnumerateArray().ToList();
        var total = cumulative.GetProperty("total");
        Assert.Equal("latest_running_total", total.GetProperty("basis").GetString());
        Assert.Equal(claims.OrderBy(c => c.GetProperty("as_of").GetDateTimeOffset()).Last().GetProperty("count").GetInt64(), total.GetProperty("count").GetInt64());
        foreach (var name in new[] { "claimant", "accused", "subject", "period" })
        {
            Assert.True(cumulative.TryGetProperty(name, out _), name);
        }
        foreach (var name in new[] { "as_of", "count", "qualifier", "breakdown", "source", "url" })
        {
            Assert.True(claims[0].TryGetProperty(name, out _), name);
        }
    }

    [Fact]
    public async Task Complaints_StatusAtTheGivenTime()
    {
        var now = await GetJson("/api/complaints");
        var complaint = Assert.Single(now.GetProperty("complaints").EnumerateArray(), c => c.GetProperty("id").GetString() == "C-0001");
        Assert.Equal("C-0001", complaint.GetProperty("id").GetString());
        Assert.Equal("filed", complaint.GetProperty("status").GetString());
        var filedAt = complaint.GetProperty("filed_at").GetDateTimeOffset();
        var later = await GetJson("/api/complaints?at=" + Uri.EscapeDataString(filedAt.AddDays(4).ToString("O")));
        Assert.Equal("no_answer_by_deadline", Assert.Single(later.GetProperty("complaints").EnumerateArray(), c => c.GetProperty("id").GetString() == "C-0001").GetProperty("status").GetString());
        Assert.Empty((await GetJson("/api/complaints?at=2020-01-01")).GetProperty("complaints").EnumerateArray());
    }

    // ---- imports, exports ----

    [Fact]
    public async Task Imports_AcledCsvWithOneBadRow_RecordsTheGoodOneAndCountsTheBadOne()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "samples", "march-2025", "incidents.csv"));
        var good = lines[1].Replace("CFM-2025-0001", "UPL-0001", StringComparison.Ordinal);
        var bad = lines[2].Replace("CFM-2025-0002", "UPL-0002", StringComparison.Ordinal).Replace("48.4647", "north", StringComparison.Ordinal);
        var csv = string.Join('\n', lines[0], good, bad) + "\n";
        var response = await _http.PostAsync("/api/imports?format=acled&encoding=utf-8", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = await Parse(response);
        Assert.Equal(2, summary.GetProperty("read").GetInt64());
        Assert.Equal(1, summary.GetProperty("added").GetInt64());
        Assert.Equal(1, summary.GetProperty("rejected").GetInt64());
        var rejection = Assert.Single(summary.GetProperty("rejections").EnumerateArray());
        Assert.Equal(3, rejection.GetProperty("line").GetInt32());
        Assert.Equal("latitude", rejection.GetProperty("field").GetString());
        Assert.Equal("acled:UPL-0001", (await GetJson("/api/reports/acled:UPL-0001")).GetProperty("report").GetProperty("key").GetString());

        var again = await Parse(await _http.PostAsync("/api/imports?format=acled", new StringContent(csv, Encoding.UTF8, "text/csv")));
        Assert.Equal(1, again.GetProperty("unchanged").GetInt64());
    }

    [Fact]
    public async Task Imports_JsonReports_AreRecorded()
    {
        var body = $"{{\"reports\": [{ReportJson("UPL-J1", 49.9)}]}}";
        var summary = await Parse(await _http.PostAsync("/api/imports?format=json", Json(body)));
        Assert.Equal(1, summary.GetProperty("added").GetInt64());
        Assert.Equal(0, summary.GetProperty("rejected").GetInt64());
    }

    [Theory]
    [InlineData("/api/imports", "format")]
    [InlineData("/api/imports?format=xls", "format")]
    [InlineData("/api/imports?format=acled&encoding=klingon", "encoding")]
    [InlineData("/api/imports?format=acled&time_zone=Mars/Olympus", "time_zone")]
    [InlineData("/api/imports?format=acled&format=json", "format")]
    [InlineData("/api/imports?format=acled&colour=red", "colour")]
    public async Task Imports_BadParameters_Are400NamingTheParameter(string url, string parameter)
    {
        var problem = await AssertProblem(await _http.PostAsync(url, new StringContent("a,b\n1,2\n", Encoding.UTF8, "text/csv")), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Fact]
    public async Task Imports_NotAnAcledFile_Is400AndRecordsNothing()
    {
        var before = (await GetJson("/api/reports?limit=1000")).GetProperty("items").GetArrayLength();
        var problem = await AssertProblem(await _http.PostAsync("/api/imports?format=acled", new StringContent("{\"this\": \"is json\"}", Encoding.UTF8, "text/csv")), HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _), problem.ToString());
        Assert.Equal(before, (await GetJson("/api/reports?limit=1000")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Exports_FindingsCsvAndReportsGeoJson_Parse()
    {
        var csv = await _http.GetAsync("/api/exports/findings.csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var text = await csv.Content.ReadAsStringAsync();
        Assert.StartsWith(Ceasefire.Import.Export.StoreExport.FindingsCsvHeader + "\n", text, StringComparison.Ordinal);
        Assert.Contains("acled:CFM-2025-0001,", text, StringComparison.Ordinal);

        var geo = await _http.GetAsync("/api/exports/reports.geojson");
        Assert.Equal("application/geo+json", geo.Content.Headers.ContentType!.MediaType);
        var doc = await Parse(geo);
        Assert.Equal("FeatureCollection", doc.GetProperty("type").GetString());
        var feature = doc.GetProperty("features").EnumerateArray().First(f => f.GetProperty("id").GetString() == "acled:CFM-2025-0001");
        Assert.Equal(40.6667, feature.GetProperty("geometry").GetProperty("coordinates")[0].GetDouble());
    }

    // ---- malformed parameters everywhere ----

    [Theory]
    [InlineData("/api/reports?from=yesterday", "from")]
    [InlineData("/api/reports?to=2025-13-45", "to")]
    [InlineData("/api/reports?bbox=1,2,3", "bbox")]
    [InlineData("/api/reports?bbox=50,0,40,10", "bbox")]
    [InlineData("/api/reports?bbox=a,b,c,d", "bbox")]
    [InlineData("/api/reports?party=' OR 1=1 --", "party")]
    [InlineData("/api/reports?party=<script>alert(1)</script>", "party")]
    [InlineData("/api/reports?act=' OR 1=1 --", "act")]
    [InlineData("/api/reports?dataset=acled' OR '1'='1", "dataset")]
    [InlineData("/api/reports?dataset=<script>alert(1)</script>", "dataset")]
    [InlineData("/api/reports?verdict=guilty", "verdict")]
    [InlineData("/api/reports?cursor=not-a-cursor!", "cursor")]
    [InlineData("/api/reports?cursor=WyJ4Il0", "cursor")]
    [InlineData("/api/reports?cursor=' OR 1=1 --", "cursor")]
    [InlineData("/api/reports?limit=1001", "limit")]
    [InlineData("/api/reports?limit=0", "limit")]
    [InlineData("/api/reports?limit=ten", "limit")]
    [InlineData("/api/reports?limit=-5", "limit")]
    [InlineData("/api/reports?colour=red", "colour")]
    [InlineData("/api/reports/acled:' OR 1=1 --", "key")]
    [InlineData("/api/reports/<script>alert(1)</script>", "key")]
    [InlineData("/api/incidents?disputed=maybe", "disputed")]
    [InlineData("/api/incidents?accused=' OR 1=1 --", "accused")]
    [InlineData("/api/incidents?bbox=0,0,0", "bbox")]
    [InlineData("/api/incidents?cursor=%%%", "cursor")]
    [InlineData("/api/incidents?limit=100000", "limit")]
    [InlineData("/api/incidents/inc:<script>", "id")]
    [InlineData("/api/findings?verdict=' OR 1=1 --", "verdict")]
    [InlineData("/api/findings?agreement=<script>alert(1)</script>", "agreement")]
    [InlineData("/api/findings?obligation=x' OR 1=1 --", "obligation")]
    [InlineData("/api/findings?reading=UA; DROP TABLE findings", "reading")]
    [InlineData("/api/findings?subject=' OR 1=1 --", "subject")]
    [InlineData("/api/findings?of=everything", "of")]
    [InlineData("/api/findings?cursor=WyJhIiwiYiJd", "cursor")]
    [InlineData("/api/map?bbox=-200,0,0,10", "bbox")]
    [InlineData("/api/map?from=<script>", "from")]
    [InlineData("/api/complaints?at=' OR 1=1 --", "at")]
    [InlineData("/api/agreements?id=1", "id")]
    [InlineData("/api/zones?x=1", "x")]
    [InlineData("/api/claims?x=1", "x")]
    [InlineData("/api/exports/findings.csv?x=1", "x")]
    public async Task MalformedParameters_Are400ProblemNamingTheParameter(string url, string parameter)
    {
        var response = await _http.GetAsync(url);
        var problem = await AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), $"{url}: {problem}");
    }

    [Fact]
    public async Task UnknownRoute_Is404Problem()
    {
        var response = await _http.GetAsync("/api/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(Problem, response.Content.Headers.ContentType!.MediaType);
    }

    // ---- OpenAPI ----

    [Fact]
    public async Task OpenApi_ListsEveryApiRoute()
    {
        var doc = await GetJson("/openapi/v1.json");
        var paths = doc.GetProperty("paths").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        foreach (var (path, method) in new[]
        {
            ("/api/health", "get"), ("/api/reports", "get"), ("/api/reports", "post"), ("/api/reports/{key}", "get"), ("/api/incidents", "get"),
            ("/api/incidents/{id}", "get"), ("/api/findings", "get"), ("/api/map", "get"), ("/api/agreements", "get"), ("/api/zones", "get"),
            ("/api/claims", "get"), ("/api/complaints", "get"), ("/api/imports", "post"), ("/api/exports/findings.csv", "get"),
            ("/api/exports/reports.geojson", "get"),
        })
        {
            Assert.True(paths.TryGetValue(path, out var item), $"{path} missing from {string.Join(", ", paths.Keys)}");
            Assert.True(item.TryGetProperty(method, out var operation), $"{method} {path}");
            Assert.True(operation.TryGetProperty("operationId", out _), $"{method} {path} has no name");
            Assert.True(operation.TryGetProperty("summary", out _), $"{method} {path} has no summary");
        }
        var listReports = paths["/api/reports"].GetProperty("get").GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Contains("bbox", listReports);
        Assert.Contains("cursor", listReports);
    }

    // ---- helpers ----

    private static string ReportJson(string id, double lat) => $$"""
        {
          "id": "{{id}}",
          "time": { "at": "2025-03-28T10:20:00+03:00" },
          "location": { "lon": 36.2304, "lat": {{lat.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "precision": "settlement", "radius_km": 5, "place": "Kharkiv" },
          "act": "shelling_artillery_missile",
          "target": "energy.transmission",
          "perpetrator": "RU",
          "claimant": "Ministry of Energy of Ukraine",
          "source": "Suspilne",
          "grade": "B2",
          "notes": "A missile hit the 110 kV substation.",
          "casualties": { "low": 0, "best": 1, "high": 2 }
        }
        """;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<JsonElement> GetJson(string url)
    {
        var response = await _http.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await Parse(response);
    }

    private static async Task<JsonElement> Parse(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    private static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal(Problem, response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal((int)status, doc.RootElement.GetProperty("status").GetInt32());
        return doc.RootElement.Clone();
    }
}

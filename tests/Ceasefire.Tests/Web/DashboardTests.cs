using System.Net;
using System.Text.Json;
using Ceasefire.Cli.Commands;
using Ceasefire.Storage.Sqlite;
using Ceasefire.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Ceasefire.Tests.Web;

/// <summary>
/// The real app (<see cref="WebApp"/>) on a free loopback port over a store holding the March 2025 demo scenario, and
/// Debian's Chromium driven by Playwright. Shared by the dashboard tests; never skipped: without Chromium they fail and
/// say how to install it.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    /// <summary>The password of the monitor account the form test signs in with.</summary>
    public const string MonitorPassword = "field monitor password";

    /// <summary>The password of the two liaison accounts (liaison-ua, liaison-ru).</summary>
    public const string LiaisonPassword = "party liaison password";

    /// <summary>Debian's Chromium (<c>apt-get install chromium</c>); CEASEFIRE_CHROMIUM names another.</summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("CEASEFIRE_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private readonly string _dir = Directory.CreateTempSubdirectory("ceasefire-dash-").FullName;
    private WebApplication? _app;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";

    /// <summary>Where the screenshots go (printed by each test that saves one).</summary>
    public static string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The dashboard tests need Chromium at {ChromiumPath}: install Debian's package (apt-get install -y chromium; " +
                ".ci/run does) or set CEASEFIRE_CHROMIUM to a Chromium executable.");
        }
        if (!File.Exists(Path.Combine(WebApp.WebRoot, "lib", "maplibre-gl", "maplibre-gl.mjs")))
        {
            throw new InvalidOperationException($"The dashboard's libraries are missing from {WebApp.WebRoot}/lib: the build of Ceasefire.Web runs npm ci and client/copy-libs.mjs; is npm installed?");
        }
        var db = Path.Combine(_dir, "store.db");
        await using (var store = await SqliteStore.OpenAsync(db))
        {
            var code = await FindingsCommands.LoadDemoAsync(store, TextWriter.Null, CancellationToken.None);
            await store.AddAccountAsync(new Ceasefire.Storage.Account("monitor3", Ceasefire.Web.Credentials.HashPassword("monitor3", MonitorPassword),
                Ceasefire.Storage.Role.Monitor, null, DateTimeOffset.UtcNow));
            foreach (var party in new[] { "UA", "RU" })
            {
                var name = "liaison-" + party.ToLowerInvariant();
                await store.AddAccountAsync(new Ceasefire.Storage.Account(name, Ceasefire.Web.Credentials.HashPassword(name, LiaisonPassword),
                    Ceasefire.Storage.Role.Liaison, party, DateTimeOffset.UtcNow));
            }
            Assert.Equal(0, code);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _app = WebApp.Build(new WebAppOptions(db, IPAddress.Loopback, 0));
        await _app.StartAsync();
        BaseUrl = _app.Urls.First().TrimEnd('/');

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--enable-unsafe-swiftshader"],
        });
        Directory.CreateDirectory(Screenshots);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The dashboard in a real browser: the issue's "done when" for the web UI, over the demo scenario.</summary>
public sealed class DashboardTests(DashboardFixture fixture, ITestOutputHelper output) : IClassFixture<DashboardFixture>
{
    private const float Timeout = 30_000;

    [Fact]
    public async Task Dashboard_WorksOffline_ServesItsOwnLibrariesAndDrawsTheBaseMap()
    {
        var (context, page) = await OpenAsync();
        var requests = new List<string>();
        page.Request += (_, r) => requests.Add(r.Url);
        var response = await page.GotoAsync(fixture.BaseUrl + "/");
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        // No inline script and nothing from elsewhere: the page lives under default-src 'self'.
        Assert.Contains("default-src 'self'", (await response.AllHeadersAsync())["content-security-policy"]);

        // The strings come from i18n/en.json, the map from lib/ (npm), the base layer from data/ (Natural Earth).
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Ceasefire Monitor", new() { Timeout = Timeout });
        await page.WaitForFunctionAsync("() => window.cfm && window.cfm.map && window.cfm.map.loaded() && window.cfm.renderedBaseCountries().length >= 2", null, new() { Timeout = Timeout });
        var countries = await page.EvaluateAsync<string[]>("() => window.cfm.renderedBaseCountries()");
        Assert.Contains("Ukraine", countries);
        Assert.Contains("Russia", countries);
        await page.WaitForTimeoutAsync(500);
        await ShotAsync(page, "offline-base-map");

        var foreign = requests.Where(u => !u.StartsWith(fixture.BaseUrl, StringComparison.Ordinal) && !u.StartsWith("blob:", StringComparison.Ordinal) && !u.StartsWith("data:", StringComparison.Ordinal)).ToList();
        Assert.True(foreign.Count == 0, "requests left the machine: " + string.Join(", ", foreign));
        await context.CloseAsync();
    }

    [Fact]
    public async Task Dashboard_LoadsTheDemo_MapShowsZonesAndIncidentsColouredByFinding()
    {
        var (context, page) = await OpenAsync();
        await page.GotoAsync(fixture.BaseUrl + "/");
        await WaitReadyAsync(page, 0);

        var zones = await page.EvaluateAsync<string[]>("() => window.cfm.renderedZoneIds()");
        Assert.NotEmpty(zones);
        var drawn = await page.EvaluateAsync<string[]>("() => window.cfm.renderedIncidentIds()");
        var served = await page.EvaluateAsync<string[]>("() => (window.cfm.state.mapItems || []).map(i => String(i.id)).sort()");
        Assert.NotEmpty(served);
        Assert.Equal(served, drawn); // every incident /api/map returned for the view is drawn

        // The demo: 7 incidents, one of them (Sudzha, 21 March) with disputed attribution, and some violations.
        var rows = page.Locator("#incident-list button[data-incident-id]");
        Assert.Equal(7, await rows.CountAsync());
        Assert.Equal(1, await page.Locator("#incident-list .badge.disputed").CountAsync());
        Assert.True(await page.Locator("#incident-list .badge.violation").CountAsync() > 0);
        var colours = await page.EvaluateAsync<string[]>("() => window.cfm.map.queryRenderedFeatures({layers: ['incidents']}).map(f => f.properties.worst_verdict)");
        Assert.Contains("violation", colours);
        var chart = await page.EvaluateAsync<JsonElement>("() => window.cfm.chartData");
        Assert.True(chart.GetProperty("datasets").GetArrayLength() > 0, "the chart of findings per party per day is empty");
        // By phase: the energy moratorium's; by region: Kursk holds three of the demo's incidents with findings.
        var phases = await page.EvaluateAsync<JsonElement>("() => window.cfm.phaseChartData");
        Assert.True(phases.TryGetProperty("energy-moratorium", out var moratorium), phases.ToString());
        Assert.True(moratorium.GetProperty("violation").GetInt32() > 0);
        var regions = await page.EvaluateAsync<JsonElement>("() => window.cfm.regionChartData");
        Assert.True(regions.TryGetProperty("Kursk", out var kursk), regions.ToString());
        Assert.True(kursk.GetProperty("violation").GetInt32() + kursk.GetProperty("possible_violation").GetInt32() >= 3);
        Assert.DoesNotContain(", 0 findings", await page.Locator("#status").InnerTextAsync());
        await ShotAsync(page, "dashboard-demo");
        await context.CloseAsync();
    }

    [Fact]
    public async Task TimeFilter_NarrowedTo19March_ShowsOnlyThatDaysIncidents()
    {
        var (context, page) = await OpenAsync();
        await page.GotoAsync(fixture.BaseUrl + "/");
        var refreshes = await WaitReadyAsync(page, 0);
        var rows = page.Locator("#incident-list button[data-incident-id]");
        var before = await rows.CountAsync();
        var drawnBefore = (await page.EvaluateAsync<string[]>("() => window.cfm.renderedIncidentIds()")).Length;

        await page.FillAsync("#f-from", "2025-03-18");
        await page.FillAsync("#f-to", "2025-03-19");
        await page.DispatchEventAsync("#f-to", "change");
        await WaitReadyAsync(page, refreshes);
        await page.WaitForTimeoutAsync(300); // a change event from each input: let the last refresh settle
        refreshes = await WaitReadyAsync(page, 0);

        var after = await rows.CountAsync();
        var drawnAfter = (await page.EvaluateAsync<string[]>("() => window.cfm.renderedIncidentIds()")).Length;
        Assert.True(after > 0 && after < before, $"{before} incidents before, {after} after narrowing to 18-19 March");
        Assert.True(drawnAfter > 0 && drawnAfter < drawnBefore, $"{drawnBefore} drawn before, {drawnAfter} after");
        Assert.Equal(2, after); // Kavkazskaya and Dnipropetrovsk oblast, 19 March
        await ShotAsync(page, "time-filter-19-march");

        // The verdict filter narrows what is shown too, and resetting brings everything back.
        await page.SelectOptionAsync("#f-verdict", "violation");
        refreshes = await WaitReadyAsync(page, refreshes);
        Assert.True(await rows.CountAsync() <= after);
        await page.ClickAsync("button[type=reset]");
        await WaitReadyAsync(page, refreshes);
        Assert.Equal(before, await rows.CountAsync());
        await context.CloseAsync();
    }

    [Fact]
    public async Task Incident_OpenedFromTheMapAndTheList_ShowsReportsSidesAndEachFindingsExplanation()
    {
        var (context, page) = await OpenAsync();
        await page.GotoAsync(fixture.BaseUrl + "/");
        await WaitReadyAsync(page, 0);

        // Click an incident on the map itself.
        var point = await page.EvaluateAsync<JsonElement>("""
            () => {
              const f = window.cfm.map.queryRenderedFeatures({layers: ['incidents']})[0];
              const p = window.cfm.map.project(f.geometry.coordinates);
              const r = window.cfm.map.getCanvas().getBoundingClientRect();
              return { id: f.properties.id, x: r.left + p.x, y: r.top + p.y };
            }
            """);
        await page.Mouse.ClickAsync(point.GetProperty("x").GetSingle(), point.GetProperty("y").GetSingle());
        await Assertions.Expect(page.Locator("#incident-panel")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("#incident-heading")).ToBeVisibleAsync(new() { Timeout = Timeout });
        Assert.Contains($"/incident/", page.Url);

        // Back to the list with the keyboard, then open the disputed incident from its row with the keyboard.
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator("#incident-list-section")).ToBeVisibleAsync();
        var disputed = page.Locator("#incident-list button[data-incident-id]", new() { Has = page.Locator(".badge.disputed") });
        await disputed.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var panel = page.Locator("#incident-panel");
        await Assertions.Expect(panel.Locator(".finding").First).ToBeVisibleAsync(new() { Timeout = Timeout });

        Assert.True(await panel.Locator("tr[data-report-key]").CountAsync() >= 2, "the disputed incident has the reports of both sides");
        Assert.True(await panel.Locator(".side-card").CountAsync() >= 2, "each side of the dispute is shown");
        var finding = panel.Locator(".finding").First;
        var explanation = finding.Locator("details.explanation");
        await explanation.Locator("summary").ClickAsync();
        Assert.True(await explanation.EvaluateAsync<bool>("d => d.open"));
        var text = await explanation.InnerTextAsync();
        Assert.True(text.Trim().Length > "Explanation".Length + 10, "the explanation is empty: " + text);
        await ShotAsync(page, "incident-disputed-explanation");
        await context.CloseAsync();
    }

    [Fact]
    public async Task Complaints_ALiaisonFilesForItsParty_TheOtherPartysLiaisonCannotSeeItUnpublished()
    {
        var (context, page) = await OpenAsync();
        await page.GotoAsync(fixture.BaseUrl + "/#/complaints");
        await Assertions.Expect(page.Locator("#complaints-note")).ToContainTextAsync("Sign in", new() { Timeout = Timeout });

        async Task SignInAsync(string name)
        {
            await page.FillAsync("#signin-name", name);
            await page.FillAsync("#signin-password", DashboardFixture.LiaisonPassword);
            await page.ClickAsync("#signin-submit");
            await Assertions.Expect(page.Locator("#signin-who")).ToContainTextAsync(name, new() { Timeout = Timeout });
        }

        await SignInAsync("liaison-ua");
        await page.SelectOptionAsync("#c-accused", "RU");
        await page.FillAsync("#c-reports", "acled:CFM-2025-0002");
        await page.FillAsync("#c-text", "Drones struck railway traction power in Dnipropetrovsk Oblast on 19 March 2025.");
        await page.ClickAsync("#c-submit");
        await Assertions.Expect(page.Locator("#complaint-result")).ToContainTextAsync("RU must answer", new() { Timeout = Timeout });
        var id = await page.Locator("#complaints-table tbody tr").Last.GetAttributeAsync("data-complaint-id");
        Assert.False(string.IsNullOrEmpty(id));
        await ShotAsync(page, "complaint-filed-by-ua");

        // The accused party's liaison: the complaint is not published to it until the mission acknowledges it.
        await page.ClickAsync("#signout");
        await SignInAsync("liaison-ru");
        await Assertions.Expect(page.Locator("#complaints-note")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator($"#complaints-table tr[data-complaint-id='{id}']")).ToHaveCountAsync(0, new() { Timeout = Timeout });
        await ShotAsync(page, "complaint-hidden-from-ru");
        await context.CloseAsync();
    }

    [Fact]
    public async Task ReportForm_MonitorFilesAReport_ServerMessagesShowNextToFieldsThenItAppears()
    {
        var (context, page) = await OpenAsync();
        await page.GotoAsync(fixture.BaseUrl + "/#/file");
        // Signed out, the form says who may file; a wrong password is refused in the page; then the monitor signs in.
        await Assertions.Expect(page.Locator("#signin-who")).ToContainTextAsync("Public view", new() { Timeout = Timeout });
        await page.FillAsync("#signin-name", "monitor3");
        await page.FillAsync("#signin-password", "wrong password");
        await page.ClickAsync("#signin-submit");
        await Assertions.Expect(page.Locator("#signin-error")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await page.FillAsync("#signin-password", DashboardFixture.MonitorPassword);
        await page.ClickAsync("#signin-submit");
        await Assertions.Expect(page.Locator("#signin-who")).ToContainTextAsync("monitor3 (monitor)", new() { Timeout = Timeout });
        var id = "CFM-TEST-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await page.FillAsync("#r-id", id);
        await page.SelectOptionAsync("#r-time-kind", "at");
        await page.FillAsync("#r-time-at", "2025-03-28T10:20");
        await page.SelectOptionAsync("#r-time-zone", "Europe/Kyiv");
        await page.FillAsync("#r-lon", "36.2304");
        await page.FillAsync("#r-lat", "95"); // out of range: the server says so, next to the latitude
        await page.SelectOptionAsync("#r-precision", "settlement");
        await page.FillAsync("#r-place", "Kharkiv");
        await page.SelectOptionAsync("#r-act", "shelling_artillery_missile");
        await page.SelectOptionAsync("#r-target", "energy.transmission");
        await page.SelectOptionAsync("#r-perpetrator", "RU");
        await page.FillAsync("#r-claimant", "Monitor team 3");
        await page.FillAsync("#r-source", "Field monitor");
        await page.FillAsync("#r-grade", "B2");
        await page.FillAsync("#r-notes", "A missile hit the 110 kV substation; the district lost power.");
        await page.ClickAsync("#r-submit");

        var latError = page.Locator("[data-path='location.lat'] .field-error");
        await Assertions.Expect(latError).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("#r-lat")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#form-summary")).ToBeVisibleAsync();
        await ShotAsync(page, "report-form-validation");

        await page.FillAsync("#r-lat", "49.9935");
        await page.ClickAsync("#r-submit");
        var result = page.Locator("#form-result");
        await Assertions.Expect(result).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(page.Locator("#report-form .field-error")).ToHaveCountAsync(0);
        var key = await result.GetAttributeAsync("data-key");
        Assert.False(string.IsNullOrEmpty(key));
        Assert.Contains(id, key);
        await ShotAsync(page, "report-form-filed");

        // The analyst's view: the report is in the reports list. The list is asked for with the log sequence the filing
        // reached, so that no web server answers it from a standby that lacks the report (docs/deployment.md).
        var listRequest = page.WaitForRequestAsync(r => r.Method == "GET" && r.Url.Contains("/api/reports", StringComparison.Ordinal));
        await page.ClickAsync("nav a[data-nav=reports]");
        var sent = (await listRequest).Headers;
        Assert.True(sent.TryGetValue("x-ceasefire-min-sequence", out var minSequence), "the reports list was asked for without the log sequence of the filing");
        Assert.True(long.Parse(minSequence!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        var row = page.Locator($"#reports-table tr[data-report-key='{key}']");
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(row).ToContainTextAsync("Kharkiv");
        await ShotAsync(page, "reports-list-with-filed-report");
        await context.CloseAsync();
    }

    [Fact]
    public async Task Agreements_ShowPhasesObligationsReadingsAndVersions()
    {
        var (context, page) = await OpenAsync();
        await page.GotoAsync(fixture.BaseUrl + "/#/agreements");
        var obligation = page.Locator("#agreement-detail [data-obligation='energy-strikes']");
        await Assertions.Expect(obligation).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(obligation).ToContainTextAsync("Readings");
        await Assertions.Expect(page.Locator("#agreement-detail [data-phase='energy-moratorium']")).ToBeVisibleAsync();
        await ShotAsync(page, "agreement");
        await context.CloseAsync();
    }

    [Fact]
    public async Task Dashboard_OnATablet_StacksTheListUnderTheMap()
    {
        var (context, page) = await OpenAsync(new ViewportSize { Width = 820, Height = 1180 });
        await page.GotoAsync(fixture.BaseUrl + "/");
        await page.WaitForFunctionAsync("() => window.cfm && window.cfm.map && window.cfm.map.loaded()", null, new() { Timeout = Timeout });
        var map = await page.Locator(".map-wrap").BoundingBoxAsync();
        var side = await page.Locator("aside.side").BoundingBoxAsync();
        Assert.NotNull(map);
        Assert.NotNull(side);
        Assert.True(side.Y >= map.Y + map.Height - 1, $"the list ({side.Y}) is not under the map ({map.Y}+{map.Height})");
        Assert.True(map.Width > 700, $"the map is {map.Width} px wide on a tablet");
        await page.WaitForTimeoutAsync(500);
        await ShotAsync(page, "tablet");
        await context.CloseAsync();
    }

    private async Task<(IBrowserContext, IPage)> OpenAsync(ViewportSize? viewport = null)
    {
        var context = await fixture.Browser.NewContextAsync(new() { ViewportSize = viewport ?? new ViewportSize { Width = 1400, Height = 1000 } });
        var page = await context.NewPageAsync();
        page.Console += (_, m) =>
        {
            if (m.Type is "error" or "warning")
            {
                output.WriteLine($"console {m.Type}: {m.Text}");
            }
        };
        page.PageError += (_, e) => output.WriteLine("page error: " + e);
        return (context, page);
    }

    /// <summary>Waits until the dashboard has finished a refresh after <paramref name="after"/>; fails with the page's status if it reported an error.</summary>
    private static async Task<int> WaitReadyAsync(IPage page, int after)
    {
        try
        {
            await page.WaitForFunctionAsync(
                "n => document.body.dataset.state === 'error' || (document.body.dataset.state === 'ready' && Number(document.body.dataset.refreshes || 0) > n)",
                after, new() { Timeout = Timeout });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the dashboard did not finish loading; status: {await page.Locator("#status").InnerTextAsync()}");
        }
        if (await page.EvaluateAsync<string>("() => document.body.dataset.state") == "error")
        {
            Assert.Fail($"the dashboard reported an error: {await page.Locator("#status").InnerTextAsync()}");
        }
        return int.Parse(await page.EvaluateAsync<string>("() => document.body.dataset.refreshes"), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task ShotAsync(IPage page, string name)
    {
        var path = Path.Combine(DashboardFixture.Screenshots, name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine("screenshot: " + path);
        Console.WriteLine("screenshot: " + path);
    }
}

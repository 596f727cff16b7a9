using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ceasefire.Storage;
using Ceasefire.Storage.Sqlite;
using Ceasefire.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Ceasefire.Tests.Web;

/// <summary>Sessions, API keys, roles, antiforgery and login throttling, over HTTP against a real Kestrel.</summary>
public sealed class AuthTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ceasefire-auth-").FullName;
    private WebApplication? _app;
    private string _base = "";
    private string _monitorKey = "";
    private string _analystKey = "";

    public async Task InitializeAsync()
    {
        var db = Path.Combine(_dir, "store.db");
        await using (var store = await SqliteStore.OpenAsync(db))
        {
            await store.AddAccountAsync(new Account("alice", Credentials.HashPassword("alice", "correct horse battery"), Role.Analyst, null, DateTimeOffset.UtcNow));
            await store.AddAccountAsync(new Account("olena", Credentials.HashPassword("olena", "liaison password 1"), Role.Liaison, "UA", DateTimeOffset.UtcNow));
            var (monitor, monitorRecord) = Credentials.NewApiKey("field team 3", Role.Monitor, null, DateTimeOffset.UtcNow);
            var (analyst, analystRecord) = Credentials.NewApiKey("analysis bot", Role.Analyst, null, DateTimeOffset.UtcNow);
            await store.AddApiKeyAsync(monitorRecord);
            await store.AddApiKeyAsync(analystRecord);
            (_monitorKey, _analystKey) = (monitor, analyst);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _app = WebApp.Build(new WebAppOptions(db, IPAddress.Loopback, 0));
        // Probes with each policy: the real endpoints name theirs the same way.
        _app.MapPost("/api/probe/monitor", () => Results.Ok(new { ok = true })).RequireAuthorization(Policies.Monitor);
        _app.MapGet("/api/probe/analyst", () => Results.Ok(new { ok = true })).RequireAuthorization(Policies.Analyst);
        await _app.StartAsync();
        _base = _app.Urls.First();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private HttpClient Client(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), UseCookies = true }) { BaseAddress = new Uri(_base) };

    private static async Task AssertProblem(HttpResponseMessage r, HttpStatusCode status)
    {
        Assert.Equal(status, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await r.Content.ReadAsStringAsync());
        Assert.Equal((int)status, doc.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Anonymous_IsPublic_AndWritesNeedAnAccount()
    {
        using var c = Client();
        var session = await c.GetFromJsonAsync<JsonElement>("/api/session");
        Assert.Equal("public", session.GetProperty("role").GetString());
        await AssertProblem(await c.PostAsync("/api/probe/monitor", null), HttpStatusCode.Unauthorized);
        await AssertProblem(await c.GetAsync("/api/probe/analyst"), HttpStatusCode.Unauthorized);
        var health = await c.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("nosniff", health.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", health.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("default-src 'self'", health.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task ApiKeys_CarryTheirRole()
    {
        using var c = Client();
        var monitor = new HttpRequestMessage(HttpMethod.Post, "/api/probe/monitor");
        monitor.Headers.Add("X-Api-Key", _monitorKey);
        Assert.Equal(HttpStatusCode.OK, (await c.SendAsync(monitor)).StatusCode);

        var forbidden = new HttpRequestMessage(HttpMethod.Get, "/api/probe/analyst");
        forbidden.Headers.TryAddWithoutValidation("Authorization", "ApiKey " + _monitorKey);
        await AssertProblem(await c.SendAsync(forbidden), HttpStatusCode.Forbidden);

        var analyst = new HttpRequestMessage(HttpMethod.Get, "/api/probe/analyst");
        analyst.Headers.TryAddWithoutValidation("Authorization", "ApiKey " + _analystKey);
        Assert.Equal(HttpStatusCode.OK, (await c.SendAsync(analyst)).StatusCode);

        var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/probe/analyst");
        wrong.Headers.Add("X-Api-Key", "cfm_not-a-key' OR 1=1 --");
        await AssertProblem(await c.SendAsync(wrong), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Session_SignInSetsASecureCookie_AndWritesNeedTheAntiforgeryToken()
    {
        var cookies = new CookieContainer();
        using var c = Client(cookies);
        var login = await c.PostAsJsonAsync("/api/session", new { name = "alice", password = "correct horse battery" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var setCookie = login.Headers.GetValues("Set-Cookie").Single(h => h.StartsWith(Auth.CookieName, StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        var me = await c.GetFromJsonAsync<JsonElement>("/api/session");
        Assert.Equal(("alice", "analyst"), (me.GetProperty("name").GetString(), me.GetProperty("role").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/api/probe/analyst")).StatusCode);

        // A write with the cookie alone (what a hostile page can make a browser send) is refused.
        await AssertProblem(await c.PostAsync("/api/probe/monitor", null), HttpStatusCode.BadRequest);
        var token = (await c.GetFromJsonAsync<JsonElement>("/api/session/antiforgery")).GetProperty("token").GetString();
        var write = new HttpRequestMessage(HttpMethod.Post, "/api/probe/monitor");
        write.Headers.Add(Auth.AntiforgeryHeader, token);
        Assert.Equal(HttpStatusCode.OK, (await c.SendAsync(write)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await c.DeleteAsync("/api/session")).StatusCode);
        Assert.Equal("public", (await c.GetFromJsonAsync<JsonElement>("/api/session")).GetProperty("role").GetString());
    }

    [Fact]
    public async Task Liaison_HasItsParty_AndIsNotAMonitor()
    {
        using var c = Client();
        Assert.Equal(HttpStatusCode.OK, (await c.PostAsJsonAsync("/api/session", new { name = "olena", password = "liaison password 1" })).StatusCode);
        var me = await c.GetFromJsonAsync<JsonElement>("/api/session");
        Assert.Equal(("liaison", "UA"), (me.GetProperty("role").GetString(), me.GetProperty("party").GetString()));
        await AssertProblem(await c.GetAsync("/api/probe/analyst"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task FailedLogins_AreThrottled()
    {
        using var c = Client();
        for (var i = 0; i < LoginThrottle.MaxFailures; i++)
        {
            await AssertProblem(await c.PostAsJsonAsync("/api/session", new { name = "alice", password = "guess " + i }), HttpStatusCode.Unauthorized);
        }
        var blocked = await c.PostAsJsonAsync("/api/session", new { name = "alice", password = "correct horse battery" });
        await AssertProblem(blocked, HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(blocked.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        // Malformed sign-in bodies are problems, not errors.
        await AssertProblem(await c.PostAsync("/api/session", new StringContent("{\"name\": 3", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        await AssertProblem(await c.PostAsync("/api/session", new StringContent("{\"name\":\"a\",\"password\":\"b\",\"admin\":true}", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
    }
}

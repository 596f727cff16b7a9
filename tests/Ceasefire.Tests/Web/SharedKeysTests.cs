using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ceasefire.Storage;
using Ceasefire.Storage.Sqlite;
using Ceasefire.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Ceasefire.Tests.Web;

/// <summary>
/// Several web servers behind one proxy (docs/deployment.md): with one key directory (<c>--keys-dir</c>), a session
/// opened on one server is honoured by another, and its antiforgery token too; a server with keys of its own does not
/// honour it.
/// </summary>
public sealed class SharedKeysTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ceasefire-keys-").FullName;
    private readonly List<WebApplication> _apps = [];

    private string Db => Path.Combine(_dir, "store.db");

    public async Task InitializeAsync()
    {
        await using var store = await SqliteStore.OpenAsync(Db);
        await store.AddAccountAsync(new Account("alice", Credentials.HashPassword("alice", "correct horse battery"), Role.Analyst, null, DateTimeOffset.UtcNow));
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<Uri> StartAsync(string keys)
    {
        var app = WebApp.Build(new WebAppOptions(Db, IPAddress.Loopback, 0) { KeysDirectory = Path.Combine(_dir, keys) });
        // A write probe (the real write endpoints take the same policy and the same antiforgery check).
        app.MapPost("/api/probe/monitor", () => Results.Ok(new { ok = true })).RequireAuthorization(Policies.Monitor);
        await app.StartAsync();
        _apps.Add(app);
        return new Uri(app.Urls.First());
    }

    [Fact]
    public async Task SessionOpenedOnOneServer_IsHonouredByAnotherWithTheSameKeys_NotByOneWithItsOwn()
    {
        var first = await StartAsync("shared");
        var second = await StartAsync("shared");
        var stranger = await StartAsync("own");
        Assert.Contains(Directory.EnumerateFiles(Path.Combine(_dir, "shared")), f => f.EndsWith(".xml", StringComparison.Ordinal));

        using var browser = new HttpClient(new HttpClientHandler { UseCookies = false });
        var login = await browser.PostAsJsonAsync(new Uri(first, "/api/session"), new { name = "alice", password = "correct horse battery" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var cookie = string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));

        async Task<string?> RoleAt(Uri server)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, "/api/session"));
            request.Headers.Add("Cookie", cookie);
            using var response = await browser.SendAsync(request);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("role").GetString();
        }

        Assert.Equal("analyst", await RoleAt(first));
        Assert.Equal("analyst", await RoleAt(second));
        Assert.Equal("public", await RoleAt(stranger));

        // A write with the session needs the antiforgery token: one from the first server is good on the second.
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(first, "/api/session/antiforgery"));
        tokenRequest.Headers.Add("Cookie", cookie);
        using var tokenResponse = await browser.SendAsync(tokenRequest);
        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        var token = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
        var cookies = cookie;
        if (tokenResponse.Headers.TryGetValues("Set-Cookie", out var more))
        {
            cookies = string.Join("; ", new[] { cookie }.Concat(more.Select(c => c.Split(';')[0])));
        }
        using var withoutToken = new HttpRequestMessage(HttpMethod.Post, new Uri(second, "/api/probe/monitor"));
        withoutToken.Headers.Add("Cookie", cookies);
        using var refused = await browser.SendAsync(withoutToken);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        using var write = new HttpRequestMessage(HttpMethod.Post, new Uri(second, "/api/probe/monitor"));
        write.Headers.Add("Cookie", cookies);
        write.Headers.Add(Auth.AntiforgeryHeader, token);
        using var written = await browser.SendAsync(write);
        Assert.Equal(HttpStatusCode.OK, written.StatusCode);
    }
}

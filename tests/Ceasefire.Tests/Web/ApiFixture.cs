using System.Net;
using Ceasefire.Cli.Commands;
using Ceasefire.Complaints;
using Ceasefire.Parties;
using Ceasefire.Storage;
using Ceasefire.Storage.Sqlite;
using Ceasefire.Web;
using Microsoft.AspNetCore.Builder;

namespace Ceasefire.Tests.Web;

/// <summary>
/// The real web application on a free loopback port over a store holding the March 2025 demo scenario (agreement,
/// zones, reports, findings, incidents, claims) and one complaint; shared by the tests of a class.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ceasefire-api-").FullName;
    private WebApplication? _app;

    /// <summary>A client with an administrator's API key (every endpoint answers it).</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The server's address.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>An API key per role (the UA liaison's for the liaison), and null for the public.</summary>
    public Dictionary<Role, string?> Keys { get; } = new();

    public string StorePath => Path.Combine(_dir, "store.db");

    public async Task InitializeAsync()
    {
        await using (var store = await SqliteStore.OpenAsync(StorePath))
        {
            Assert.Equal(0, await FindingsCommands.LoadDemoAsync(store, TextWriter.Null, CancellationToken.None));
            var filed = new ComplaintDesk(TimeProvider.System).File(new ComplaintId("C-0001"), new PartyCode("UA"), new PartyCode("RU"),
                ["acled:CFM-2025-0002"], null, "Strike on railway traction power.", "ua.liaison");
            await store.AppendAsync("complaint:C-0001", LogEntryTypes.ComplaintEvent, ComplaintEvents.ToJson(filed.LastEvent), "ua.liaison", 0);
            var ruFiled = new ComplaintDesk(TimeProvider.System).File(new ComplaintId("C-0002"), new PartyCode("RU"), new PartyCode("GB"),
                ["acled:CFM-2025-0001"], null, "A complaint between other parties.", "ru.liaison");
            await store.AppendAsync("complaint:C-0002", LogEntryTypes.ComplaintEvent, ComplaintEvents.ToJson(ruFiled.LastEvent), "ru.liaison", 0);
            Keys[Role.Public] = null;
            foreach (var role in new[] { Role.Liaison, Role.Monitor, Role.Analyst, Role.Admin })
            {
                var (key, record) = Credentials.NewApiKey($"test {role}", role, role == Role.Liaison ? "UA" : null, DateTimeOffset.UtcNow);
                await store.AddApiKeyAsync(record);
                Keys[role] = key;
            }
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _app = WebApp.Build(new WebAppOptions(StorePath, IPAddress.Loopback, 0));
        await _app.StartAsync();
        Address = new Uri(_app.Urls.First());
        Client = For(Role.Admin);
    }

    /// <summary>A client acting with <paramref name="role"/>'s key (none for the public).</summary>
    public HttpClient For(Role role)
    {
        var client = new HttpClient { BaseAddress = Address };
        if (Keys[role] is { } key)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }
        return client;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}

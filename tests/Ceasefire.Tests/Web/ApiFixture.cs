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

    public HttpClient Client { get; private set; } = null!;

    public string StorePath => Path.Combine(_dir, "store.db");

    public async Task InitializeAsync()
    {
        await using (var store = await SqliteStore.OpenAsync(StorePath))
        {
            Assert.Equal(0, await FindingsCommands.LoadDemoAsync(store, TextWriter.Null, CancellationToken.None));
            var filed = new ComplaintDesk(TimeProvider.System).File(new ComplaintId("C-0001"), new PartyCode("UA"), new PartyCode("RU"),
                ["acled:CFM-2025-0002"], null, "Strike on railway traction power.", "ua.liaison");
            await store.AppendAsync("complaint:C-0001", LogEntryTypes.ComplaintEvent, ComplaintEvents.ToJson(filed.LastEvent), "ua.liaison", 0);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _app = WebApp.Build(new WebAppOptions(StorePath, IPAddress.Loopback, 0));
        await _app.StartAsync();
        Client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
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

using Ceasefire.Cli;
using Ceasefire.Cli.Commands;
using Ceasefire.Storage;
using Ceasefire.Storage.Sqlite;
using Ceasefire.Stores;

namespace Ceasefire.Tests.Storage;

/// <summary>
/// Moving a log between stores (<see cref="IStore.AppendCopiedAsync"/>, <c>ceasefire migrate</c>): from a SQLite store
/// holding the demo scenario into the store under test, and back into another SQLite file. Run against each adapter.
/// </summary>
public abstract class LogCopyContractTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ceasefire-copy-").FullName;

    /// <summary>The store under test, empty at first, as <c>--store</c> would name it.</summary>
    protected abstract StoreLocation Target { get; }

    private StoreLocation Source => StoreLocation.Parse(Path.Combine(_dir, "source.db"));

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<IStore> DemoSourceAsync()
    {
        var store = await Source.OpenAsync();
        Assert.Equal(0, await FindingsCommands.LoadDemoAsync(store, TextWriter.Null, CancellationToken.None));
        await ((IAccountStore)store).AddAccountAsync(new Account("olena", "hash-of-a-password", Role.Liaison, "UA", new DateTimeOffset(2025, 3, 20, 9, 0, 0, TimeSpan.Zero)));
        await ((IAccountStore)store).AddApiKeyAsync(new ApiKey("cfm_ab12", new string('c', 64), "field team 3", Role.Monitor, null, new DateTimeOffset(2025, 3, 21, 9, 0, 0, TimeSpan.Zero)));
        return store;
    }

    [Fact]
    public async Task Migrate_DemoStore_CopiesTheLog_BothEndsVerify_ReadModelsIdentical_AndBackAgain()
    {
        await using var source = await DemoSourceAsync();
        await using var target = await Target.OpenAsync();
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Ok, await MigrateCommand.RunAsync(source, Source, target, Target, output, CancellationToken.None));
        Assert.Contains("Read models identical", output.ToString(), StringComparison.Ordinal);

        Assert.Equal(await source.LastSequenceAsync(), await target.LastSequenceAsync());
        Assert.Equal(await source.ReadModelDigestAsync(), await target.ReadModelDigestAsync());
        Assert.Equal((await source.ReadLogAsync().ToListAsync()).Select(e => (e.Sequence, e.Id, e.Hash, e.Data)),
            (await target.ReadLogAsync().ToListAsync()).Select(e => (e.Sequence, e.Id, e.Hash, e.Data)));
        // The read models answer the same: reports, findings, incidents.
        Assert.Equal((await source.QueryReportsAsync(new ReportQuery(Limit: 10_000))).Select(r => (r.Key, r.Version, r.ContentHash, r.LogSequence)),
            (await target.QueryReportsAsync(new ReportQuery(Limit: 10_000))).Select(r => (r.Key, r.Version, r.ContentHash, r.LogSequence)));
        Assert.Equal((await source.QueryFindingsAsync(new FindingQuery())).Select(f => f.ToString()),
            (await target.QueryFindingsAsync(new FindingQuery())).Select(f => f.ToString()));
        Assert.Equal((await source.QueryIncidentsAsync(new IncidentQuery())).Select(i => (i.Id, i.Members.Count)),
            (await target.QueryIncidentsAsync(new IncidentQuery())).Select(i => (i.Id, i.Members.Count)));
        var accounts = (IAccountStore)target;
        Assert.Equal("UA", (await accounts.AccountAsync("olena"))!.Party);
        Assert.Equal("field team 3", (await accounts.ApiKeyAsync(new string('c', 64)))!.Name);

        // And back, into a fresh SQLite file: the same digest again.
        var back = StoreLocation.Parse(Path.Combine(_dir, "back.db"));
        await using var backStore = await back.OpenAsync();
        Assert.Equal(ExitCodes.Ok, await MigrateCommand.RunAsync(target, Target, backStore, back, TextWriter.Null, CancellationToken.None));
        Assert.Equal(await source.ReadModelDigestAsync(), await backStore.ReadModelDigestAsync());
    }

    [Fact]
    public async Task Migrate_Interrupted_ResumesWhereItStopped()
    {
        await using var source = await DemoSourceAsync();
        await using var target = await Target.OpenAsync();
        var log = await source.ReadLogAsync().ToListAsync();
        Assert.True(log.Count > 6);
        Assert.Equal(5, await target.AppendCopiedAsync(log.Take(5).ToList()));
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Ok, await MigrateCommand.RunAsync(source, Source, target, Target, output, CancellationToken.None));
        Assert.Contains("resuming", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(log.Count, await target.LastSequenceAsync());
        Assert.True((await target.VerifyAsync()).Intact);
        Assert.Equal(await source.ReadModelDigestAsync(), await target.ReadModelDigestAsync());
    }

    [Fact]
    public async Task AppendCopied_EntryThatDoesNotHash_IsRefused_AndNothingIsWritten()
    {
        await using var source = await DemoSourceAsync();
        await using var target = await Target.OpenAsync();
        var log = await source.ReadLogAsync().ToListAsync();
        var tampered = log.Take(4).Select(e => e.Sequence == 3 ? e with { Data = e.Data.Replace("\"", "\" ", StringComparison.Ordinal) } : e).ToList();
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => target.AppendCopiedAsync(tampered));
        Assert.Contains("Entry 3", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await target.LastSequenceAsync());
        // A gap is refused too.
        await Assert.ThrowsAsync<InvalidDataException>(() => target.AppendCopiedAsync(log.Skip(1).Take(2).ToList()));
        Assert.Equal(0, await target.LastSequenceAsync());
    }

    [Fact]
    public async Task Migrate_IntoAStoreWithAnotherLog_IsRefused()
    {
        await using var source = await DemoSourceAsync();
        await using var target = await Target.OpenAsync();
        await target.AppendAsync("complaint:x", LogEntryTypes.ComplaintEvent, "{\"step\":\"filed\"}", "test");
        Assert.Equal(ExitCodes.ValidationFailed, await MigrateCommand.RunAsync(source, Source, target, Target, TextWriter.Null, CancellationToken.None));
        Assert.Equal(1, await target.LastSequenceAsync());
    }
}

/// <summary>Copying logs into a SQLite store.</summary>
public sealed class SqliteLogCopyTests : LogCopyContractTests
{
    private readonly string _targetDir = Directory.CreateTempSubdirectory("ceasefire-copy-target-").FullName;

    protected override StoreLocation Target => StoreLocation.Parse("sqlite:" + Path.Combine(_targetDir, "target.db"));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_targetDir, recursive: true);
    }
}

/// <summary>Copying logs into a PostgreSQL store, named by a postgres:// URI as a user names it; and back to SQLite.</summary>
public sealed class PostgresLogCopyTests : LogCopyContractTests
{
    private Support.TestDatabase? _db;

    protected override StoreLocation Target => StoreLocation.Parse(_db!.Uri);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _db = await Support.TestDatabase.CreateAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _db!.DisposeAsync();
    }
}

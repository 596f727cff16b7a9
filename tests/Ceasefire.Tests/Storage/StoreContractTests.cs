using System.Diagnostics;
using Ceasefire.Incidents;
using Ceasefire.Storage;
using Ceasefire.Storage.Sqlite;
using Ceasefire.Time;
using static Ceasefire.Tests.Support.Build;

namespace Ceasefire.Tests.Storage;

/// <summary>
/// The storage contract: what every store adapter must do, run against each adapter by a subclass that says how to
/// open a fresh store and how to run SQL behind its back.
/// </summary>
public abstract class StoreContractTests : IAsyncLifetime
{
    /// <summary>Opens the store under test (the same one every call; created empty by the first).</summary>
    protected abstract Task<IStore> OpenStoreAsync();

    /// <summary>Runs SQL on the store's database directly, as someone with the database tool would.</summary>
    protected abstract void Sql(string sql);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    protected static List<Incident> Reports(int n, string notes = "substation") =>
        Enumerable.Range(1, n).Select(i => Incident($"E{i}", IncidentTime.At(Utc(3, 20).AddMinutes(i)), lon: 30 + i * 0.001, lat: 48, target: "energy.transmission")
            with { }).Select(i => new Incident(i.Id, i.Time, i.Location, i.Act, i.Target, i.Perpetrator, i.PerpetratorActor, i.Claimant, i.Source, i.Grade, i.Links, notes)).ToList();

    protected static ReportImport Import(string file = "a.csv", int rejected = 0) => new("acled", file, "test", rejected);

    [Fact]
    public async Task Import_NewReports_AreStoredAndOnTheLog()
    {
        await using var store = await OpenStoreAsync();
        var summary = await store.ImportReportsAsync(Import(rejected: 2), Reports(25_000));
        var blocks = (25_000 + SqliteStore.ReportsPerEntry - 1) / SqliteStore.ReportsPerEntry;
        Assert.Equal(new ImportSummary(25_000, 25_000, 0, 0, 2, blocks + 1), summary);
        var stored = await store.QueryReportsAsync(new ReportQuery(Limit: 100_000));
        Assert.Equal(25_000, stored.Count);
        Assert.Equal("acled:E1", stored[0].Key);
        Assert.Equal(1, stored[0].Version);
        Assert.Equal("substation", stored[0].Report.Notes);
        Assert.Equal(IncidentTime.At(Utc(3, 20).AddMinutes(1)), stored[0].Report.Time);
        var log = await store.ReadLogAsync().ToListAsync();
        Assert.Equal(Enumerable.Repeat(LogEntryTypes.ReportsReceived, blocks).Append(LogEntryTypes.ImportCompleted), log.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(1, blocks + 1).Select(v => (long)v), log.Select(e => e.Version));
        Assert.True((await store.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Import_SameFileTwice_AddsNothingTheSecondTime()
    {
        await using var store = await OpenStoreAsync();
        await store.ImportReportsAsync(Import(), Reports(100));
        var again = await store.ImportReportsAsync(Import(), Reports(100));
        Assert.Equal(0, again.Added);
        Assert.Equal(0, again.Changed);
        Assert.Equal(100, again.Unchanged);
        Assert.Equal(1, again.LogEntries); // only the import.completed entry
        Assert.Equal(100, (await store.QueryReportsAsync(new ReportQuery())).Count);
    }

    [Fact]
    public async Task Import_EditedRowInANewerExport_BecomesANewVersionKeepingTheOld()
    {
        await using var store = await OpenStoreAsync();
        await store.ImportReportsAsync(Import("export-1.csv"), Reports(10));
        var newer = Reports(10);
        newer[3] = Reports(10, notes: "transformer substation, corrected")[3];
        var summary = await store.ImportReportsAsync(Import("export-2.csv"), newer);
        Assert.Equal((0L, 1L, 9L), (summary.Added, summary.Changed, summary.Unchanged));
        var history = await store.ReportHistoryAsync("acled:E4");
        Assert.Equal([1, 2], history.Select(h => h.Version));
        Assert.Equal(["substation", "transformer substation, corrected"], history.Select(h => h.Report.Notes));
        var current = await store.QueryReportsAsync(new ReportQuery());
        Assert.Equal(10, current.Count);
        Assert.Equal(2, current.Single(r => r.Key == "acled:E4").Version);
    }

    [Fact]
    public async Task Import_FailingMidway_LeavesNothingBehind()
    {
        await using var store = await OpenStoreAsync();
        await store.ImportReportsAsync(Import("first.csv"), Reports(5));
        static IEnumerable<Incident> Failing()
        {
            foreach (var r in Reports(30_000))
            {
                if (r.Id.Value == "E25000")
                {
                    throw new IOException("disk went away");
                }
                yield return r;
            }
        }
        await Assert.ThrowsAsync<IOException>(() => store.ImportReportsAsync(Import("second.csv"), Failing()));
        Assert.Equal(5, (await store.QueryReportsAsync(new ReportQuery(Limit: 100_000))).Count);
        Assert.Equal(2, await store.ReadLogAsync().CountAsync());
        Assert.True((await store.VerifyAsync()).Intact);
        var redo = await store.ImportReportsAsync(Import("second.csv"), Reports(30_000));
        Assert.Equal(29_995, redo.Added);
    }

    [Fact]
    public async Task Import_LargeWithAnIdRepeated_LaterRowIsTheNewVersionAndQueriesUseTheIndexes()
    {
        // 12,000 rows fill the first block (a bulk load: the report indexes are built after the rows); E7 comes
        // again, edited, at the end of the file: it must become version 2 and the only current version.
        await using var store = await OpenStoreAsync();
        var rows = Reports(12_000);
        rows.Add(Reports(7, notes: "power line")[6]);
        var summary = await store.ImportReportsAsync(Import(), rows);
        Assert.Equal(new ImportSummary(12_001, 12_000, 1, 0, 0, ((12_001 + SqliteStore.ReportsPerEntry - 1) / SqliteStore.ReportsPerEntry) + 1), summary);
        var history = await store.ReportHistoryAsync("acled:E7");
        Assert.Equal([1, 2], history.Select(r => r.Version));
        Assert.Equal(["substation", "power line"], history.Select(r => r.Report.Notes));
        var current = await store.QueryReportsAsync(new ReportQuery(Limit: 100_000));
        Assert.Equal(12_000, current.Count);
        Assert.Equal("power line", Assert.Single(current, r => r.Key == "acled:E7").Report.Notes);
        var rebuilt = await store.RebuildAsync();
        Assert.Equal(rebuilt.DigestBefore, rebuilt.DigestAfter);

        // A second, small import into the same store is written row by row and sees the same heads.
        var again = await store.ImportReportsAsync(Import("b.csv"), [Reports(8, notes: "power line")[7], rows[^1]]);
        Assert.Equal((0, 1, 1), (again.Added, again.Changed, again.Unchanged));
        Assert.Equal([1, 2], (await store.ReportHistoryAsync("acled:E8")).Select(r => r.Version));
        Assert.True((await store.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Append_WithTheWrongExpectedVersion_WritesNothing()
    {
        await using var store = await OpenStoreAsync();
        await store.AppendAsync("complaint:C-1", LogEntryTypes.ComplaintEvent, "{\"kind\":\"complaint_filed\"}", "liaison-ru", expectedVersion: 0);
        await store.AppendAsync("complaint:C-1", LogEntryTypes.ComplaintEvent, "{\"kind\":\"complaint_acknowledged\"}", "mission", expectedVersion: 1);
        var e = await Assert.ThrowsAsync<StreamConcurrencyException>(() =>
            store.AppendAsync("complaint:C-1", LogEntryTypes.ComplaintEvent, "{\"kind\":\"complaint_answered\"}", "liaison-ua", expectedVersion: 1));
        Assert.Equal((1, 2), (e.Expected, e.Actual));
        await store.AppendAsync("complaint:C-2", LogEntryTypes.ComplaintEvent, "{\"kind\":\"complaint_filed\"}", "liaison-ua");
        await store.AppendAsync("grades", LogEntryTypes.ReportGraded, "{}", "analyst");
        var complaints = await store.ReadStreamsAsync("complaint:").ToListAsync();
        Assert.Equal(["complaint:C-1", "complaint:C-1", "complaint:C-2"], complaints.Select(x => x.Stream));
        Assert.Equal([1L, 2, 1], complaints.Select(x => x.Version));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AppendAsync("x", LogEntryTypes.ReportsReceived, "{}", "a"));
        await Assert.ThrowsAnyAsync<System.Text.Json.JsonException>(() => store.AppendAsync("grades", LogEntryTypes.ReportGraded, "not json", "a"));
        Assert.True((await store.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Incidents_AreRecordedQueriedAndRebuilt()
    {
        await using var store = await OpenStoreAsync();
        StoredIncident Make(string id, string[] members, bool disputed, string[] accused, int day) =>
            new(id, members[0], members, disputed, accused, Utc(3, day).UtcTicks, Utc(3, day + 1).UtcTicks, 35.27, 51.19, 0, "remote_explosive", "energy.gas", "D3", 0.4, null, "{\"id\":\"" + id + "\"}");
        await store.RecordIncidentsAsync(new IncidentSnapshot(
            [Make("inc:a:1", ["a:1", "a:2"], true, ["RU", "UA"], 21), Make("inc:a:3", ["a:3"], false, ["UA"], 28)],
            [new StoredReviewItem("inc:a:3", "a:4", 0.6, "score 0.60")], []), "analyst");
        Assert.Equal(["inc:a:1"], (await store.QueryIncidentsAsync(new IncidentQuery(Disputed: true))).Select(i => i.Id));
        Assert.Equal(["inc:a:1"], (await store.QueryIncidentsAsync(new IncidentQuery(ReportKey: "a:2"))).Select(i => i.Id));
        Assert.Equal(["inc:a:1", "inc:a:3"], (await store.QueryIncidentsAsync(new IncidentQuery(Accused: "UA"))).Select(i => i.Id));
        Assert.Equal(["inc:a:3"], (await store.QueryIncidentsAsync(new IncidentQuery(From: Utc(3, 25)))).Select(i => i.Id));
        var one = Assert.Single(await store.QueryIncidentsAsync(new IncidentQuery(Id: "inc:a:1")));
        Assert.Equal(["a:1", "a:2"], one.Members);
        Assert.Equal(["RU", "UA"], one.Accused);
        Assert.Equal("a:4", Assert.Single(await store.ReviewQueueAsync()).ReportKey);

        // A later run replaces the earlier one.
        await store.RecordIncidentsAsync(new IncidentSnapshot([Make("inc:a:1", ["a:1", "a:2", "a:3"], true, ["RU", "UA"], 21)], [], []), "analyst");
        Assert.Single(await store.QueryIncidentsAsync(new IncidentQuery()));
        Assert.Empty(await store.ReviewQueueAsync());
        Assert.True((await store.RebuildAsync()).Identical);
    }

    [Fact]
    public async Task Incidents_OfALargeRun_AreRecordedInBlocksThatReplaceTheEarlierRunTogether()
    {
        await using var store = await OpenStoreAsync();
        static StoredIncident Make(int i) => new($"inc:a:{i}", $"a:{i}", [$"a:{i}"], false, ["RU"], Utc(3, 20).UtcTicks, Utc(3, 21).UtcTicks, 35, 50, 0, "shelling_artillery_missile", "unknown", "C3", 0.4, null, "{}");
        await store.RecordIncidentsAsync(new IncidentSnapshot([Make(-1)], [], []), "analyst");
        var before = await store.LastSequenceAsync();
        await store.RecordIncidentsAsync(new IncidentSnapshot(Enumerable.Range(0, 25_000).Select(Make).ToList(),
            Enumerable.Range(0, 45_000).Select(i => new StoredReviewItem($"inc:a:{i % 25_000}", $"b:{i}", 0.6, "")).ToList(), ["w"]), "analyst");
        Assert.Equal((25_000 + SqliteStore.ReportsPerEntry - 1) / SqliteStore.ReportsPerEntry, await store.LastSequenceAsync() - before); // a block of incidents an entry
        Assert.Equal(25_000, (await store.QueryIncidentsAsync(new IncidentQuery(Limit: 100_000))).Count);
        Assert.Empty(await store.QueryIncidentsAsync(new IncidentQuery(Id: "inc:a:-1")));
        Assert.Equal(45_000, (await store.ReviewQueueAsync()).Count);
        Assert.True((await store.RebuildAsync()).Identical);
    }

    [Fact]
    public async Task Log_RefusesUpdatesAndDeletes()
    {
        await using var store = await OpenStoreAsync();
        await store.ImportReportsAsync(Import(), Reports(3));
        var e = Assert.ThrowsAny<Exception>(() => Sql("DELETE FROM log WHERE seq = 1"));
        Assert.Contains("append-only", e.Message);
        e = Assert.ThrowsAny<Exception>(() => Sql("UPDATE log SET author = 'x' WHERE seq = 1"));
        Assert.Contains("append-only", e.Message);
    }

    [Fact]
    public async Task Rebuild_RecreatesIdenticalReadModels()
    {
        await using var store = await OpenStoreAsync();
        await store.ImportReportsAsync(Import("export-1.csv"), Reports(12_000));
        var newer = Reports(12_000);
        newer[7] = Reports(12_000, notes: "edited")[7];
        await store.ImportReportsAsync(Import("export-2.csv"), newer);
        var result = await store.RebuildAsync();
        Assert.True(result.Identical, $"{result.DigestBefore} != {result.DigestAfter}");
        var blocks = (12_000 + SqliteStore.ReportsPerEntry - 1) / SqliteStore.ReportsPerEntry;
        Assert.Equal(blocks + 1 + 2, result.EntriesReplayed); // the blocks + completed, then 1 (the edited report) + completed
        Assert.Equal(12_000, (await store.QueryReportsAsync(new ReportQuery(Limit: 20_000))).Count);
    }

    [Fact]
    public async Task Rebuild_AfterReadModelTampering_RestoresTheLogsTruth()
    {
        await using var store = await OpenStoreAsync();
        await store.ImportReportsAsync(Import(), Reports(10));
        Sql("UPDATE reports SET perpetrator = 'UA' WHERE key = 'acled:E1'");
        var result = await store.RebuildAsync();
        Assert.False(result.Identical);
        Assert.Equal("RU", (await store.QueryReportsAsync(new ReportQuery())).Single(r => r.Key == "acled:E1").Report.Perpetrator!.Value.Value);
        Assert.True((await store.RebuildAsync()).Identical);
    }


    [Fact]
    public async Task Documents_AreRecordedOnceAndFindingsReplaceTheEarlierOnes()
    {
        await using var store = await OpenStoreAsync();
        Assert.True(await store.AddAgreementAsync("a", 1, "a.yaml", "agreement: a", "test"));
        Assert.False(await store.AddAgreementAsync("a", 1, "a.yaml", "agreement: a", "test"));
        Assert.True(await store.AddAgreementAsync("a", 1, "a.yaml", "agreement: a # corrected", "test"));
        Assert.True(await store.AddZoneFileAsync("zones.geojson", "{}", "test"));
        var agreements = await store.AgreementFilesAsync();
        Assert.Equal("agreement: a # corrected", Assert.Single(agreements).Text);
        Assert.Single(await store.ZoneFilesAsync());

        StoredFinding F(string report, string verdict) => new(report, 1, "a", 1, "o1", "p1", "RU", verdict, 0.5, "", "", "explained");
        await store.RecordFindingsAsync("a", [1], [F("acled:E1", "violation"), F("acled:E2", "not_covered")], "test");
        await store.RecordFindingsAsync("a", [1], [F("acled:E1", "possible_violation")], "test");
        var findings = await store.QueryFindingsAsync(new FindingQuery(Agreement: "a"));
        Assert.Equal("possible_violation", Assert.Single(findings).Verdict);
        Assert.True((await store.VerifyAsync()).Intact);
        Assert.True((await store.RebuildAsync()).Identical);
        Assert.Equal("possible_violation", Assert.Single(await store.QueryFindingsAsync(new FindingQuery())).Verdict);
    }
}

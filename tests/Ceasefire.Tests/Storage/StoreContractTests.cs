using System.Diagnostics;
using Ceasefire.Incidents;
using Ceasefire.Storage;
using Ceasefire.Geo;
using Ceasefire.Storage.Core;
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

    /// <summary>The SQL that drops the guard refusing updates of log entries (what someone editing the log would run first).</summary>
    protected abstract string DropLogUpdateGuard { get; }

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
        var blocks = (25_000 + LogPayloads.ReportsPerEntry - 1) / LogPayloads.ReportsPerEntry;
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
        Assert.Equal(new ImportSummary(12_001, 12_000, 1, 0, 0, ((12_001 + LogPayloads.ReportsPerEntry - 1) / LogPayloads.ReportsPerEntry) + 1), summary);
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
        Assert.Equal((25_000 + LogPayloads.ReportsPerEntry - 1) / LogPayloads.ReportsPerEntry, await store.LastSequenceAsync() - before); // a block of incidents an entry
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
        var blocks = (12_000 + LogPayloads.ReportsPerEntry - 1) / LogPayloads.ReportsPerEntry;
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

    [Fact]
    public async Task Migrate_AgainOnAnUpToDateStore_ChangesNothing()
    {
        await using var store = await OpenStoreAsync();
        await store.ImportReportsAsync(Import(), Reports(3));
        var version = await store.MigrateAsync();
        Assert.True(version >= 1);
        Assert.Equal(version, await store.MigrateAsync());
        Assert.Equal(3, (await store.QueryReportsAsync(new ReportQuery())).Count);
    }

    [Fact]
    public async Task QueryReports_FiltersByTimePerpetratorActDatasetAndPlace_InTimeOrder()
    {
        await using var store = await OpenStoreAsync();
        static Incident Make(string id, int day, string act, Ceasefire.Parties.PartyCode perpetrator, string? place)
        {
            var i = Incident(id, IncidentTime.Hour(Utc(3, day)), act: act, perpetrator: perpetrator);
            return new Incident(i.Id, i.Time, new IncidentLocation(33, 47, LocationPrecision.Exact, null, place), i.Act, i.Target, i.Perpetrator, i.PerpetratorActor,
                i.Claimant, i.Source, i.Grade, i.Links, i.Notes);
        }
        await store.ImportReportsAsync(Import(), [
            Make("A", 21, "air_drone_strike", RU, "Kherson"), Make("B", 22, "shelling_artillery_missile", UA, "Nikopol"),
            Make("C", 20, "air_drone_strike", UA, null), Make("D", 25, "air_drone_strike", RU, "Kherson oblast")]);
        await store.ImportReportsAsync(new ReportImport("ucdp", "u.csv", "test"), [Make("A", 23, "air_drone_strike", RU, "Одеса")]);

        static string[] Keys(IReadOnlyList<StoredReport> r) => r.Select(x => x.Key).ToArray();
        Assert.Equal(["acled:C", "acled:A", "acled:B", "ucdp:A", "acled:D"], Keys(await store.QueryReportsAsync(new ReportQuery())));
        // Half-open: From keeps what ends after it; To keeps what starts before it.
        Assert.Equal(["acled:B", "ucdp:A"], Keys(await store.QueryReportsAsync(new ReportQuery(From: Utc(3, 21, 6), To: Utc(3, 25)))));
        Assert.Equal(["acled:A", "acled:B", "ucdp:A", "acled:D"], Keys(await store.QueryReportsAsync(new ReportQuery(From: Utc(3, 20, 6)))));
        Assert.Equal(["acled:B", "acled:C"], Keys(await store.QueryReportsAsync(new ReportQuery(Perpetrator: "UA"))).Order().ToArray());
        Assert.Equal(["acled:B"], Keys(await store.QueryReportsAsync(new ReportQuery(Act: "shelling_artillery_missile"))));
        Assert.Equal(["ucdp:A"], Keys(await store.QueryReportsAsync(new ReportQuery(Dataset: "ucdp"))));
        Assert.Equal(["acled:A", "acled:D"], Keys(await store.QueryReportsAsync(new ReportQuery(Place: "kherson"))));
        Assert.Equal(["acled:C", "acled:A"], Keys(await store.QueryReportsAsync(new ReportQuery(Limit: 2))));
        var a = Assert.Single(await store.QueryReportsAsync(new ReportQuery(Dataset: "ucdp")));
        Assert.Equal(("ucdp", 1, "Одеса"), (a.Dataset, a.Version, a.Report.Location.PlaceName));
        Assert.Equal(64, a.ContentHash.Length);
        Assert.Equal(3, a.LogSequence); // acled: entry 1 and its completion; then ucdp's entry
        Assert.Empty(await store.ReportHistoryAsync("acled:nobody"));
    }

    [Fact]
    public async Task Documents_OfEveryKind_AreKeptApartAndDeduplicated()
    {
        await using var store = await OpenStoreAsync();
        Assert.True(await store.AddAgreementAsync("a", 1, "a.yaml", "agreement: a", "test"));
        Assert.True(await store.AddAgreementAsync("a", 2, "a2.yaml", "agreement: a, version 2", "test"));
        Assert.True(await store.AddAgreementAsync("b", 1, "b.yaml", "agreement: b", "test"));
        Assert.Equal(["a v1", "a v2", "b v1"], (await store.AgreementFilesAsync()).Select(d => d.Name));

        Assert.True(await store.AddZoneFileAsync("zones.geojson", "{\"v\":1}", "test"));
        Assert.False(await store.AddZoneFileAsync("zones.geojson", "{\"v\":1}", "test"));
        Assert.True(await store.AddZoneFileAsync("other.geojson", "{\"o\":1}", "test"));
        Assert.True(await store.AddZoneFileAsync("zones.geojson", "{\"v\":2}", "test"));
        var zones = await store.ZoneFilesAsync();
        Assert.Equal(["other.geojson", "zones.geojson"], zones.Select(z => z.Name)); // the latest text of each name, oldest first
        Assert.Equal("{\"v\":2}", zones[1].Text);

        Assert.True(await store.AddDocumentAsync("sources", "sources.yaml", "sources: []", "test"));
        Assert.False(await store.AddDocumentAsync("sources", "sources.yaml", "sources: []", "test"));
        Assert.True(await store.AddDocumentAsync("claims", "claims.yaml", "claims: []", "test"));
        var sources = Assert.Single(await store.DocumentsAsync("sources"));
        Assert.Equal(("sources.yaml", "sources: []"), (sources.Name, sources.Text));
        Assert.Equal("claims: []", Assert.Single(await store.DocumentsAsync("claims")).Text);
        Assert.Empty(await store.DocumentsAsync("nothing"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.AddDocumentAsync("secrets", "s.txt", "x", "test"));

        var log = await store.ReadLogAsync().ToListAsync();
        Assert.Equal(sources.LogSequence, log.Single(e => e.Type == LogEntryTypes.SourcesLoaded).Sequence);
        Assert.Equal(["agreement:a", "agreement:a", "agreement:b", "zones", "zones", "zones", "sources", "claims"], log.Select(e => e.Stream));
        Assert.Equal([1L, 2, 1, 1, 2, 3, 1, 1], log.Select(e => e.Version));
        Assert.True((await store.VerifyAsync()).Intact);
        Assert.True((await store.RebuildAsync()).Identical);
        Assert.Equal("{\"v\":2}", (await store.ZoneFilesAsync())[1].Text);
    }

    [Fact]
    public async Task Findings_ReplaceOnlyTheirScope_AndAreFiltered()
    {
        await using var store = await OpenStoreAsync();
        StoredFinding F(string subject, string obligation, string reading, string verdict) =>
            new(subject, 1, "a", 2, obligation, "p1", reading, verdict, 0.75, "time", "zone", $"{subject} {obligation}");
        Assert.Equal(1, await store.RecordFindingsAsync("a", [1, 2], [F("acled:E1", "o1", "RU", "violation"), F("acled:E2", "o2", "UA", "not_covered")], "test"));
        Assert.Equal(1, await store.RecordFindingsAsync("a", [2], [F("inc:acled:E1", "o1", "RU", "violation")], "test", scope: FindingScope.Incidents));
        await store.RecordFindingsAsync("b", [1], [F("acled:E1", "o1", "RU", "possible_violation")], "test");

        // Reports of agreement a again: its incident findings and agreement b's stay.
        await store.RecordFindingsAsync("a", [2], [F("acled:E3", "o1", "RU", "violation")], "test");
        static string[] Subjects(IReadOnlyList<StoredFinding> f) => f.Select(x => $"{x.Agreement}/{x.ReportKey}").ToArray();
        Assert.Equal(["b/acled:E1", "a/acled:E3", "a/inc:acled:E1"], Subjects(await store.QueryFindingsAsync(new FindingQuery()))); // by subject
        var one = Assert.Single(await store.QueryFindingsAsync(new FindingQuery(Agreement: "a", ReportKey: "acled:E3")));
        Assert.Equal(F("acled:E3", "o1", "RU", "violation") with { }, one);
        Assert.Equal(["a/acled:E3", "a/inc:acled:E1"], Subjects(await store.QueryFindingsAsync(new FindingQuery(Verdict: "violation"))));
        Assert.Equal(["b/acled:E1"], Subjects(await store.QueryFindingsAsync(new FindingQuery(Agreement: "b", Reading: "RU", Obligation: "o1"))));
        Assert.Empty(await store.QueryFindingsAsync(new FindingQuery(Reading: "UA")));
        Assert.Single(await store.QueryFindingsAsync(new FindingQuery(Limit: 1)));

        // Incident findings replaced by none; a large set goes in blocks that replace together.
        Assert.Equal(1, await store.RecordFindingsAsync("a", [2], [], "test", scope: FindingScope.Incidents));
        Assert.Equal(["b/acled:E1", "a/acled:E3"], Subjects(await store.QueryFindingsAsync(new FindingQuery())));
        var many = Enumerable.Range(0, 2_500).Select(i => F($"acled:X{i:D5}", "o1", "RU", "violation")).ToList();
        Assert.Equal(3, await store.RecordFindingsAsync("a", [2], many, "test"));
        Assert.Equal(2_500, (await store.QueryFindingsAsync(new FindingQuery(Agreement: "a", Limit: 10_000))).Count);
        var streams = await store.ReadStreamsAsync("findings:a").ToListAsync();
        Assert.Equal(Enumerable.Range(1, 7).Select(v => (long)v), streams.Select(e => e.Version));
        Assert.True((await store.VerifyAsync()).Intact);
        Assert.True((await store.RebuildAsync()).Identical);
        Assert.Equal(2_501, (await store.QueryFindingsAsync(new FindingQuery(Limit: 10_000))).Count);
    }

    [Fact]
    public async Task Append_ReturnsTheEntryAsStored_AndStreamsAreReadByPrefixInLogOrder()
    {
        await using var store = await OpenStoreAsync();
        Assert.Equal(0, await store.LastSequenceAsync());
        Assert.Empty(await store.ReadLogAsync().ToListAsync());
        var first = await store.AppendAsync("complaint:C-1", LogEntryTypes.ComplaintEvent, "{\"kind\":\"complaint_filed\",\"text\":\"Удар по підстанції\"}", "liaison-ua");
        var grade = await store.AppendAsync("grades:acled:E1", LogEntryTypes.ReportGraded, "{\"grade\":\"B2\"}", "analyst");
        var second = await store.AppendAsync("complaint:C-10", LogEntryTypes.ComplaintEvent, "{\"kind\":\"complaint_filed\"}", "liaison-ru", expectedVersion: 0);
        var decided = await store.AppendAsync("decisions", LogEntryTypes.IncidentDecided, "{\"merge\":[\"inc:1\",\"inc:2\"]}", "analyst");
        Assert.Equal(4, await store.LastSequenceAsync());
        Assert.Equal((1L, 1L, LogHash.Genesis), (first.Sequence, first.Version, first.PreviousHash));
        Assert.Equal(first.Hash, grade.PreviousHash);
        Assert.Equal(LogHash.Compute(decided), decided.Hash);
        Assert.Equal(LogHash.CurrentForm, decided.Form);
        Assert.Equal(0, decided.RecordedAt.UtcTicks % 10); // microseconds

        var log = await store.ReadLogAsync().ToListAsync();
        Assert.Equal([first, grade, second, decided], log);
        Assert.Equal([second, decided], await store.ReadLogAsync(3).ToListAsync());
        Assert.Equal([first, second], await store.ReadStreamsAsync("complaint:").ToListAsync());
        Assert.Equal([second], await store.ReadStreamsAsync("complaint:C-10").ToListAsync());
        Assert.Equal([first, second], await store.ReadStreamsAsync("complaint:C-1").ToListAsync()); // a prefix, not a name
        Assert.Empty(await store.ReadStreamsAsync("Complaint:").ToListAsync());
        Assert.Equal(4, (await store.ReadStreamsAsync("").ToListAsync()).Count);
        await Assert.ThrowsAsync<StreamConcurrencyException>(() => store.AppendAsync("decisions", LogEntryTypes.IncidentDecided, "{}", "analyst", expectedVersion: 0));
        Assert.Equal(4, await store.LastSequenceAsync());
    }

    [Fact]
    public async Task Verify_EntryEditedBehindTheStoresBack_NamesIt()
    {
        await using var store = await OpenStoreAsync();
        await store.AddAgreementAsync("a", 1, "a.yaml", "agreement: a", "test");
        await store.AppendAsync("complaint:C-1", LogEntryTypes.ComplaintEvent, "{\"kind\":\"complaint_filed\"}", "liaison-ru");
        await store.AppendAsync("complaint:C-1", LogEntryTypes.ComplaintEvent, "{\"kind\":\"complaint_answered\"}", "liaison-ua");
        var verified = await store.VerifyAsync();
        Assert.Equal(new ChainVerification(3, null, null), verified);
        Sql(DropLogUpdateGuard);
        Sql("UPDATE log SET author = 'mallory' WHERE seq = 2");
        var result = await store.VerifyAsync();
        Assert.False(result.Intact);
        Assert.Equal(2, result.BrokenAt);
        Assert.Contains("entry 2", result.Reason);
        Assert.Contains("was changed", result.Reason);
    }

    [Fact]
    public async Task Incidents_KeepEveryField_AndTheReviewQueueIsBestFirst()
    {
        await using var store = await OpenStoreAsync();
        var a = new StoredIncident("inc:a:1", "a:1", ["a:1", "b:7"], true, ["RU", "UA"], Utc(3, 21).UtcTicks, Utc(3, 21, 6).UtcTicks, 35.27, 51.19, 2500,
            "remote_explosive", "energy.gas", "D3", 0.4, "analyst-1", "{\"why\":\"two sources\"}");
        var b = a with { Id = "inc:a:2", ReferenceKey = "a:2", Members = ["a:2"], Disputed = false, Accused = ["RU"], Earliest = Utc(3, 22).UtcTicks, Latest = Utc(3, 23).UtcTicks, ConfirmedBy = null };
        var sequence = await store.RecordIncidentsAsync(new IncidentSnapshot([b, a],
            [new StoredReviewItem("inc:a:1", "c:1", 0.55, "low"), new StoredReviewItem("inc:a:2", "c:2", 0.9, "high"), new StoredReviewItem("inc:a:1", "c:3", 0.7, "mid")], ["w1"]), "analyst");
        Assert.Equal(await store.LastSequenceAsync(), sequence);
        var stored = await store.QueryIncidentsAsync(new IncidentQuery());
        Assert.Equal(["inc:a:1", "inc:a:2"], stored.Select(i => i.Id)); // by time
        var got = stored[0];
        Assert.Equal((a.Id, a.ReferenceKey, a.Disputed, a.Earliest, a.Latest, a.Longitude, a.Latitude, a.RadiusMetres, a.Act, a.Target, a.Grade, a.Confidence, a.ConfirmedBy, a.Detail),
            (got.Id, got.ReferenceKey, got.Disputed, got.Earliest, got.Latest, got.Longitude, got.Latitude, got.RadiusMetres, got.Act, got.Target, got.Grade, got.Confidence, got.ConfirmedBy, got.Detail));
        Assert.Equal(a.Members, got.Members);
        Assert.Equal(a.Accused, got.Accused);
        Assert.Null(stored[1].ConfirmedBy);
        Assert.Equal(["inc:a:1"], (await store.QueryIncidentsAsync(new IncidentQuery(To: Utc(3, 22)))).Select(i => i.Id));
        Assert.Equal(["inc:a:1"], (await store.QueryIncidentsAsync(new IncidentQuery(Limit: 1))).Select(i => i.Id));
        Assert.Equal(["inc:a:2"], (await store.QueryIncidentsAsync(new IncidentQuery(Disputed: false))).Select(i => i.Id));
        Assert.Equal(["inc:a:1"], (await store.QueryIncidentsAsync(new IncidentQuery(ReportKey: "b:7"))).Select(i => i.Id));
        Assert.Empty(await store.QueryIncidentsAsync(new IncidentQuery(Accused: "R")));
        Assert.Equal(["c:2", "c:3", "c:1"], (await store.ReviewQueueAsync()).Select(r => r.ReportKey));
        Assert.Equal(new StoredReviewItem("inc:a:2", "c:2", 0.9, "high"), (await store.ReviewQueueAsync())[0]);
        var entry = Assert.Single(await store.ReadStreamsAsync("incidents").ToListAsync());
        Assert.Equal(LogEntryTypes.IncidentsFormed, entry.Type);
        Assert.Contains("\"w1\"", entry.Data);
        Assert.True((await store.RebuildAsync()).Identical);
    }

    [Fact]
    public async Task Accounts_AndApiKeys_AreKeptOutsideTheLog()
    {
        await using var store = await OpenStoreAsync();
        var accounts = (IAccountStore)store;
        var created = new DateTimeOffset(2025, 3, 20, 8, 30, 15, 123, TimeSpan.Zero).AddTicks(4567);
        Assert.True(await accounts.AddAccountAsync(new Account("zoe", "hash-z", Role.Analyst, null, created)));
        Assert.True(await accounts.AddAccountAsync(new Account("anna", "hash-a", Role.Liaison, "UA", created.AddHours(1), Disabled: true)));
        Assert.False(await accounts.AddAccountAsync(new Account("zoe", "other", Role.Admin, null, created)));
        Assert.Equal(new Account("zoe", "hash-z", Role.Analyst, null, created), await accounts.AccountAsync("zoe"));
        Assert.Equal(new Account("anna", "hash-a", Role.Liaison, "UA", created.AddHours(1), Disabled: true), await accounts.AccountAsync("anna"));
        Assert.Null(await accounts.AccountAsync("nobody"));
        Assert.Equal(["anna", "zoe"], (await accounts.AccountsAsync()).Select(a => a.Name));

        var key = new ApiKey("cfk_abc", new string('e', 64), "field tablet", Role.Monitor, null, created);
        await accounts.AddApiKeyAsync(key);
        await accounts.AddApiKeyAsync(new ApiKey("cfk_def", new string('f', 64), "liaison", Role.Liaison, "RU", created, Revoked: true));
        Assert.Equal(key, await accounts.ApiKeyAsync(new string('e', 64)));
        Assert.Equal(new ApiKey("cfk_def", new string('f', 64), "liaison", Role.Liaison, "RU", created, Revoked: true), await accounts.ApiKeyAsync(new string('f', 64)));
        Assert.Null(await accounts.ApiKeyAsync(new string('0', 64)));
        await Assert.ThrowsAnyAsync<Exception>(() => accounts.AddApiKeyAsync(key)); // the same key twice
        Assert.Equal(0, await store.LastSequenceAsync());
    }
}

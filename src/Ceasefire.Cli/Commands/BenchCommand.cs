using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ceasefire.Adjudication;
using Ceasefire.Agreements;
using Ceasefire.Cli.Bench;
using Ceasefire.Cli.Output;
using Ceasefire.Corroboration;
using Ceasefire.Import.Acled;
using Ceasefire.Import.Errors;
using Ceasefire.Incidents;
using Ceasefire.Storage;

namespace Ceasefire.Cli.Commands;

/// <summary>
/// <c>ceasefire bench adjudicate</c> and <c>bench corroborate</c>: time our engine on the reference workload and, given
/// a PostgreSQL connection, PostGIS on the same data in the same run; <c>bench import</c>: the store against
/// <c>sqlite3 .import</c>.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure the hot paths on a reference workload (figures a user can reproduce).");
        bench.Subcommands.Add(CreateAdjudicate());
        bench.Subcommands.Add(CreateImport());
        bench.Subcommands.Add(CreateMap());
        bench.Subcommands.Add(CreateCorroborate());
        return bench;
    }

    private static Command CreateAdjudicate()
    {
        var events = new Option<FileInfo>("--events") { Description = "Events CSV (ACLED format; bench gen_data.py output).", Required = true };
        var zones = new Option<FileInfo>("--zones") { Description = "Zones GeoJSON (property zone_id).", Required = true };
        var obligations = new Option<FileInfo>("--obligations") { Description = "Agreement file of the workload's obligations (made by bench/obligations-to-agreement.py).", Required = true };
        var postgres = new Option<string?>("--postgres") { Description = "Npgsql connection string: also run PostGIS on the same data." };
        var json = new Option<bool>("--json") { Description = "Print the figures as one JSON object." };
        var runs = new Option<int>("--runs") { Description = "Timed engine runs; the fastest is reported (the first also warms up).", DefaultValueFactory = _ => 3 };
        var expect = new Option<long?>("--expect-matches") { Description = "Exit with a failure code unless the engine finds exactly this many matches." };
        var command = new Command("adjudicate",
            "Time the adjudicator (and PostGIS) on a workload. With --store (a PostgreSQL database or a SQLite file), time the whole path through " +
            "the store instead: import the events if the store holds none, read them back, rule them, and write the findings back.")
        { events, zones, obligations, postgres, json, runs, expect };
        command.SetAction(async (parse, ct) =>
        {
            var asJson = parse.GetValue(json);
            var log = asJson ? Console.Error : Console.Out;
            foreach (var f in new[] { parse.GetValue(events)!, parse.GetValue(zones)!, parse.GetValue(obligations)! })
            {
                if (!f.Exists)
                {
                    Console.Error.WriteLine($"error: {f.FullName} not found.");
                    return ExitCodes.NotFound;
                }
            }
            if (parse.GetResult(StoreOptions.Store) is { Implicit: false })
            {
                return await AdjudicateThroughStoreAsync(parse, parse.GetValue(events)!, parse.GetValue(zones)!, parse.GetValue(obligations)!, asJson, parse.GetValue(expect), ct);
            }
            var sw = Stopwatch.StartNew();
            var loaded = Inputs.Load([parse.GetValue(obligations)!], [parse.GetValue(zones)!], repairZones: true, Console.Error);
            if (loaded is null)
            {
                return ExitCodes.ValidationFailed;
            }
            var zonesSeconds = sw.Elapsed.TotalSeconds;
            sw.Restart();
            var adjudicator = new Adjudicator(loaded.Versions, loaded.Zones, loaded.Lines);
            var compileSeconds = sw.Elapsed.TotalSeconds;
            log.WriteLine($"zones and agreement loaded in {zonesSeconds:0.000} s; adjudicator compiled ({adjudicator.RuleCount} rules, {adjudicator.Zones.Count} zones) in {compileSeconds:0.000} s");

            sw.Restart();
            var read = IncidentFiles.ReadBatch(parse.GetValue(events)!.FullName, loaded.Versions[0].TimeZone);
            var parseSeconds = sw.Elapsed.TotalSeconds;
            Inputs.Print(read.Problems, Console.Error, 10);
            log.WriteLine($"parsed {read.Batch.Count:N0} events ({read.Rejected} rejected) in {parseSeconds:0.000} s");

            var best = double.MaxValue;
            var firstRun = 0.0;
            BulkFindings? result = null;
            for (var run = 0; run < Math.Max(1, parse.GetValue(runs)); run++)
            {
                sw.Restart();
                result = adjudicator.AdjudicateBulk(read.Batch);
                var t = sw.Elapsed.TotalSeconds;
                best = Math.Min(best, t);
                firstRun = run == 0 ? t : firstRun;
                log.WriteLine($"engine run {run + 1}: {t:0.000} s, {result.Findings.Count:N0} matches ({result.Violations:N0} violations, {result.PossibleViolations:N0} possible)");
            }
            var matches = result!.Findings.Count;

            double? pgSeconds = null;
            long? pgMatches = null;
            PostgisBenchResult? pg = null;
            if (parse.GetValue(postgres) is { } conn)
            {
                var obligationsCsv = Path.Combine(Path.GetTempPath(), $"ceasefire-bench-obligations-{Environment.ProcessId}.csv");
                WriteObligationsCsv(loaded.Versions[0], obligationsCsv);
                try
                {
                    pg = await PostgisBench.RunAsync(conn, parse.GetValue(events)!.FullName, parse.GetValue(zones)!.FullName, obligationsCsv,
                        line => log.WriteLine($"postgis: {line}"), ct);
                }
                catch (Npgsql.NpgsqlException e)
                {
                    Console.Error.WriteLine($"error: PostgreSQL: {e.Message}");
                    return ExitCodes.StoreUnavailable;
                }
                finally
                {
                    File.Delete(obligationsCsv);
                }
                pgSeconds = pg.SubdividedJoinSeconds;
                pgMatches = pg.SubdividedMatches;
            }

            if (asJson)
            {
                var figures = new Dictionary<string, object?>
                {
                    ["events"] = read.Batch.Count,
                    ["parse_seconds"] = Math.Round(parseSeconds, 4),
                    ["engine_seconds"] = Math.Round(best, 4),
                    ["engine_first_run_seconds"] = Math.Round(firstRun, 4),
                    ["matches"] = matches,
                    ["violations"] = result.Violations,
                    ["possible_violations"] = result.PossibleViolations,
                    ["zones_load_seconds"] = Math.Round(zonesSeconds, 4),
                    ["compile_seconds"] = Math.Round(compileSeconds, 4),
                    ["postgis_seconds"] = pgSeconds is null ? null : Math.Round(pgSeconds.Value, 4),
                    ["postgis_matches"] = pgMatches,
                    ["postgis_load_seconds"] = pg is null ? null : Math.Round(pg.LoadSeconds, 4),
                    ["postgis_zone_pieces"] = pg?.ZonePieces,
                    ["postgis_version"] = pg?.PostgisVersion,
                    ["ratio"] = pgSeconds is null ? null : Math.Round(pgSeconds.Value / best, 2),
                    ["processors"] = Environment.ProcessorCount,
                };
                Console.WriteLine(JsonSerializer.Serialize(figures));
            }
            else
            {
                Console.WriteLine();
                Console.WriteLine($"engine:  {best:0.000} s (best of {parse.GetValue(runs)}; first, cold run {firstRun:0.000} s) for {read.Batch.Count:N0} events x {adjudicator.RuleCount} rules, {matches:N0} matches (parse {parseSeconds:0.000} s)");
                if (pg is not null)
                {
                    Console.WriteLine($"PostGIS: {pg.SubdividedJoinSeconds:0.000} s with ST_Subdivide(256) ({pg.ZonePieces} pieces), {pg.SubdividedMatches:N0} matches (load {pg.LoadSeconds:0.0} s; PostgreSQL {pg.ServerVersion}, PostGIS {pg.PostgisVersion})");
                    Console.WriteLine($"ratio:   PostGIS / engine = {pg.SubdividedJoinSeconds / best:0.0}x; matches {(pg.SubdividedMatches == matches ? "agree" : "DIFFER")}");
                }
            }
            if (parse.GetValue(expect) is { } expected && expected != matches)
            {
                Console.Error.WriteLine($"error: expected {expected:N0} matches, found {matches:N0}.");
                return ExitCodes.BenchmarkMismatch;
            }
            if (pgMatches is { } p && p != matches)
            {
                Console.Error.WriteLine($"error: PostGIS found {p:N0} matches, the engine {matches:N0}.");
                return ExitCodes.BenchmarkMismatch;
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// <c>bench adjudicate --store S</c>: the path a mission takes when the store holds the data. Stages, each timed:
    /// recording the agreement and zones; importing the events (only when the store holds no reports of the dataset);
    /// reading every current report back; ruling them (the engine's bulk path, then an explanation for each finding);
    /// writing the findings back (one log entry per block, read model replaced).
    /// </summary>
    private static async Task<int> AdjudicateThroughStoreAsync(ParseResult parse, FileInfo events, FileInfo zones, FileInfo obligations, bool asJson, long? expect, CancellationToken ct)
    {
        var log = asJson ? Console.Error : Console.Out;
        var location = StoreOptions.Location(parse);
        if (location is null)
        {
            return ExitCodes.ValidationFailed;
        }
        await using var store = await StoreOptions.OpenAsync(location, ct);
        if (store is null)
        {
            return ExitCodes.StoreUnavailable;
        }
        var total = Stopwatch.StartNew();
        var sw = Stopwatch.StartNew();
        var loaded = await StoreAdjudication.RecordAgreementsAsync(store, [obligations], [zones], "bench", Console.Error, ct);
        if (loaded is null)
        {
            return ExitCodes.ValidationFailed;
        }
        var adjudicator = new Adjudicator(loaded.Versions, loaded.Zones, loaded.Lines);
        var agreementSeconds = sw.Elapsed.TotalSeconds;
        log.WriteLine($"agreement and zones recorded, adjudicator compiled ({adjudicator.RuleCount} rules) in {agreementSeconds:0.000} s");

        double? importSeconds = null;
        if ((await store.QueryReportsAsync(new ReportQuery(Dataset: "acled", Limit: 1), ct)).Count == 0)
        {
            sw.Restart();
            var rejected = 0;
            var summary = await store.ImportReportsAsync(new ReportImport("acled", events.Name, "bench"), Accepted(), null, ct);
            importSeconds = sw.Elapsed.TotalSeconds;
            log.WriteLine($"imported {summary.Added:N0} reports ({rejected} rejected) in {importSeconds:0.000} s ({summary.Added / importSeconds:N0} rows/s)");

            IEnumerable<Incident> Accepted()
            {
                foreach (var r in ImportCommand.Read("acled", events.FullName, Import.Text.InputEncoding.Utf8, TimeZoneInfo.Utc, ct))
                {
                    if (r.Kind == Import.Text.InputRecordKind.Incident)
                    {
                        yield return r.Incident!;
                    }
                    else if (r.Kind == Import.Text.InputRecordKind.Rejected)
                    {
                        rejected++;
                    }
                    else if (r.Kind == Import.Text.InputRecordKind.Problem)
                    {
                        throw new InvalidDataException(r.Errors[0].ToString());
                    }
                }
            }
        }
        else
        {
            log.WriteLine("the store holds the dataset already: not imported again");
        }

        sw.Restart();
        var stored = await store.QueryReportsAsync(new ReportQuery(Limit: int.MaxValue), ct);
        var incidents = new Incident[stored.Count];
        for (var i = 0; i < incidents.Length; i++)
        {
            incidents[i] = stored[i].Report.WithId(new IncidentId(stored[i].Key));
        }
        var readSeconds = sw.Elapsed.TotalSeconds;
        log.WriteLine($"read {incidents.Length:N0} reports back in {readSeconds:0.000} s");

        sw.Restart();
        var bulk = adjudicator.AdjudicateBulk(IncidentBatch.Of(incidents));
        var engineSeconds = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var agreement = loaded.Versions[0].Id;
        var findings = new StoredFinding[bulk.Findings.Count];
        Parallel.For(0, findings.Length, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var match = bulk.Findings[i];
            var incident = incidents[match.Incident];
            var f = FindingsDocument.Describe(incident, [adjudicator.Explain(incident, match.Rule)], adjudicator.VersionAt(incident.Time.Earliest).TimeZone).Findings[0];
            findings[i] = StoreAdjudication.Stored(stored[match.Incident].Key, stored[match.Incident].Version, agreement, f);
        });
        var explainSeconds = sw.Elapsed.TotalSeconds;
        log.WriteLine($"ruled in {engineSeconds:0.000} s (engine: {findings.Length:N0} findings, {bulk.Violations:N0} violations, {bulk.PossibleViolations:N0} possible), explained in {explainSeconds:0.000} s");

        sw.Restart();
        await store.RecordFindingsAsync(agreement, loaded.Versions.Select(v => v.Version).ToList(), findings, "bench", ct);
        var writeSeconds = sw.Elapsed.TotalSeconds;
        var totalSeconds = total.Elapsed.TotalSeconds;
        log.WriteLine($"wrote {findings.Length:N0} findings back in {writeSeconds:0.000} s");
        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["store"] = location.Kind.ToString().ToLowerInvariant(),
                ["reports"] = incidents.Length,
                ["findings"] = findings.Length,
                ["violations"] = bulk.Violations,
                ["possible_violations"] = bulk.PossibleViolations,
                ["agreement_seconds"] = Math.Round(agreementSeconds, 4),
                ["import_seconds"] = importSeconds is null ? null : Math.Round(importSeconds.Value, 4),
                ["read_seconds"] = Math.Round(readSeconds, 4),
                ["engine_seconds"] = Math.Round(engineSeconds, 4),
                ["explain_seconds"] = Math.Round(explainSeconds, 4),
                ["write_seconds"] = Math.Round(writeSeconds, 4),
                ["total_seconds"] = Math.Round(totalSeconds, 4),
                ["processors"] = Environment.ProcessorCount,
            }));
        }
        else
        {
            Console.WriteLine($"store {location}: read {readSeconds:0.000} s, rule {engineSeconds:0.000} s + explain {explainSeconds:0.000} s, write {writeSeconds:0.000} s" +
                $"{(importSeconds is { } imp ? $" (import first: {imp:0.000} s)" : "")}; {findings.Length:N0} findings for {incidents.Length:N0} reports; total {totalSeconds:0.000} s");
        }
        if (expect is { } expected && expected != findings.Length)
        {
            Console.Error.WriteLine($"error: expected {expected:N0} matches, found {findings.Length:N0}.");
            return ExitCodes.BenchmarkMismatch;
        }
        return ExitCodes.Ok;
    }

    private static Command CreateMap()
    {
        var events = new Option<FileInfo>("--events") { Description = "Events CSV (ACLED format; bench gen_data.py output).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the figures as one JSON object." };
        var queries = new Option<int>("--queries") { Description = "City-size queries to time.", DefaultValueFactory = _ => 2_000 };
        var command = new Command("map", "Time the map's queries in-process: city-size views over 7 days (points) and a country-wide view over 30 days (aggregated).") { events, json, queries };
        command.SetAction((parse, ct) =>
        {
            var file = parse.GetValue(events)!;
            if (!file.Exists)
            {
                Console.Error.WriteLine($"error: {file.FullName} not found.");
                return Task.FromResult(ExitCodes.NotFound);
            }
            var asJson = parse.GetValue(json);
            var log = asJson ? Console.Error : Console.Out;
            var batch = Import.Acled.AcledReader.ReadBatch(file.FullName, new Import.Acled.AcledReadOptions(), ct).Value;
            var points = new Web.MapPoint[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                points[i] = new Web.MapPoint(batch.Ids[i], batch.Longitudes[i], batch.Latitudes[i], batch.Earliest[i], batch.Latest[i], (byte)(batch.Acts[i] % 3), batch.Acts[i] % 17 == 0, "");
            }
            var sw = Stopwatch.StartNew();
            var index = Web.MapIndex.Build(points);
            var buildSeconds = sw.Elapsed.TotalSeconds;
            var random = new Random(2025);
            var week = TimeSpan.FromDays(7).Ticks;
            var times = new List<double>();
            long returned = 0;
            for (var q = 0; q < parse.GetValue(queries) + 100; q++)
            {
                // A city-size view (0.5 x 0.35 degrees) centred on a random event, over the 7 days from its day.
                var p = points[random.Next(points.Length)];
                var box = new Web.GeoBox(p.Longitude - 0.25, p.Latitude - 0.175, p.Longitude + 0.25, p.Latitude + 0.175);
                var from = p.Earliest - (p.Earliest % TimeSpan.TicksPerDay);
                sw.Restart();
                var found = index.PointsIn(box, from, from + week, 100_000)!;
                var bytes = JsonSerializer.SerializeToUtf8Bytes(found);
                var ms = sw.Elapsed.TotalMilliseconds;
                if (q >= 100)
                {
                    times.Add(ms); // the first hundred warm up
                    returned += found.Count;
                }
            }
            times.Sort();
            var country = new Web.GeoBox(22, 44, 41, 53);
            var countryTimes = new List<double>();
            var size = 0;
            var clusters = 0;
            for (var q = 0; q < 25; q++)
            {
                var from = new DateTimeOffset(2025, 1 + (q % 5), 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;
                sw.Restart();
                var agg = index.Aggregate(country, from, from + TimeSpan.FromDays(30).Ticks);
                var bytes = JsonSerializer.SerializeToUtf8Bytes(agg);
                countryTimes.Add(sw.Elapsed.TotalMilliseconds);
                size = Math.Max(size, bytes.Length);
                clusters = Math.Max(clusters, agg.Count);
            }
            countryTimes.Sort();
            var figures = new Dictionary<string, object?>
            {
                ["points"] = points.Length,
                ["build_seconds"] = Math.Round(buildSeconds, 3),
                ["city_queries"] = times.Count,
                ["city_median_ms"] = Math.Round(times[times.Count / 2], 3),
                ["city_p95_ms"] = Math.Round(times[(int)(times.Count * 0.95)], 3),
                ["city_mean_points"] = times.Count == 0 ? 0 : returned / times.Count,
                ["country_median_ms"] = Math.Round(countryTimes[countryTimes.Count / 2], 3),
                ["country_max_bytes"] = size,
                ["country_max_clusters"] = clusters,
            };
            if (asJson)
            {
                Console.WriteLine(JsonSerializer.Serialize(figures));
            }
            else
            {
                foreach (var (k, v) in figures)
                {
                    log.WriteLine($"{k}: {v}");
                }
            }
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    private static Command CreateImport()
    {
        var events = new Option<FileInfo>("--events") { Description = "Events CSV (ACLED format; bench gen_data.py output).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the figures as one JSON object." };
        var keep = new Option<string?>("--keep-store") { Description = "Write the store here and keep it (default: a temporary file, deleted)." };
        var postgres = new Option<string?>("--postgres")
        {
            Description = "PostgreSQL server (postgres:// URI or Npgsql key=value string): import into a fresh PostgreSQL store (a new database, " +
                "dropped afterwards) instead of SQLite, and time a plain binary COPY of the same rows into a bare table.",
        };
        var command = new Command("import", "Time importing events into a fresh store (validation and the log included): SQLite against sqlite3 .import, or PostgreSQL against a bare binary COPY.") { events, json, keep, postgres };
        command.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(events)!;
            if (!file.Exists)
            {
                Console.Error.WriteLine($"error: {file.FullName} not found.");
                return ExitCodes.NotFound;
            }
            if (parse.GetValue(postgres) is { } server)
            {
                return await ImportIntoPostgresAsync(file, server, parse.GetValue(json), ct);
            }
            var asJson = parse.GetValue(json);
            var log = asJson ? Console.Error : Console.Out;
            var dir = Directory.CreateTempSubdirectory("ceasefire-bench-import-").FullName;
            var storePath = parse.GetValue(keep) ?? Path.Combine(dir, "bench.db");
            try
            {
                // The path `ceasefire import` takes: streamed from the file (strict UTF-8 decoding, validation,
                // classification) into the store (log and read models), in one transaction.
                var sw = Stopwatch.StartNew();
                var rejected = 0;
                ImportSummary summary;
                await using (var store = await Storage.Sqlite.SqliteStore.OpenAsync(storePath, cancellationToken: ct))
                {
                    summary = await store.ImportReportsAsync(new ReportImport("acled", file.Name, "bench"), Accepted(file, () => rejected++, ct), null, ct);
                }
                var seconds = sw.Elapsed.TotalSeconds;
                log.WriteLine($"imported {summary.Added:N0} reports ({rejected} rejected) in {seconds:0.000} s, {summary.LogEntries} log entries");
                log.WriteLine($"runtime: {GC.GetTotalAllocatedBytes() / 1e9:0.00} GB allocated, {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} collections (gen 0/1/2), " +
                    $"{GC.GetTotalPauseDuration().TotalSeconds:0.000} s paused; {System.Runtime.JitInfo.GetCompiledMethodCount():N0} methods compiled in {System.Runtime.JitInfo.GetCompilationTime().TotalSeconds:0.000} s");
                var sqliteSeconds = SqliteCliImport(file.FullName, Path.Combine(dir, "plain.db"));
                var rows = summary.Read;
                var figures = new Dictionary<string, object?>
                {
                    ["rows"] = rows,
                    ["seconds"] = Math.Round(seconds, 4),
                    ["rows_per_second"] = Math.Round(rows / seconds),
                    ["sqlite_import_seconds"] = sqliteSeconds is null ? null : Math.Round(sqliteSeconds.Value, 4),
                    ["sqlite_import_rows_per_second"] = sqliteSeconds is null ? null : Math.Round(rows / sqliteSeconds.Value),
                };
                if (asJson)
                {
                    Console.WriteLine(JsonSerializer.Serialize(figures));
                }
                else
                {
                    Console.WriteLine($"store:          {rows / seconds:N0} rows/s ({rows:N0} rows in {seconds:0.000} s, validation, log and read models included)");
                    Console.WriteLine(sqliteSeconds is null
                        ? "sqlite3 .import: not measured (the sqlite3 tool is not installed)"
                        : $"sqlite3 .import: {rows / sqliteSeconds.Value:N0} rows/s ({sqliteSeconds:0.000} s into a bare table)");
                }
                return ExitCodes.Ok;
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(dir, recursive: true);
            }
        });
        return command;
    }

    /// <summary>
    /// The reports of <paramref name="file"/> as <c>ceasefire import</c> reads them (strict UTF-8, validation,
    /// classification), streamed; rejected rows are counted through <paramref name="rejected"/>.
    /// </summary>
    private static IEnumerable<Incident> Accepted(FileInfo file, Action rejected, CancellationToken ct)
    {
        foreach (var r in ImportCommand.Read("acled", file.FullName, Import.Text.InputEncoding.Utf8, TimeZoneInfo.Utc, ct))
        {
            if (r.Kind == Import.Text.InputRecordKind.Incident)
            {
                yield return r.Incident!;
            }
            else if (r.Kind == Import.Text.InputRecordKind.Rejected)
            {
                rejected();
            }
            else if (r.Kind == Import.Text.InputRecordKind.Problem)
            {
                throw new InvalidDataException(r.Errors[0].ToString());
            }
        }
    }

    /// <summary>
    /// <c>bench import --postgres</c>: imports the file into a fresh PostgreSQL store (a database made for the run and
    /// dropped after it), then times the same rows, read the same way, going by binary COPY into a bare table with a
    /// primary key and a point: what PostgreSQL does without the log, the validation's bookkeeping and the indexes.
    /// </summary>
    private static async Task<int> ImportIntoPostgresAsync(FileInfo file, string server, bool asJson, CancellationToken ct)
    {
        var log = asJson ? Console.Error : Console.Out;
        Npgsql.NpgsqlConnectionStringBuilder admin;
        try
        {
            admin = new Npgsql.NpgsqlConnectionStringBuilder(Storage.Postgres.PostgresConnectionString.ToNpgsql(server)) { CommandTimeout = 0 };
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: --postgres: {e.Message}");
            return ExitCodes.ValidationFailed;
        }
        var database = $"cf_bench_{Guid.NewGuid():N}";
        var bench = new Npgsql.NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = database };
        try
        {
            await ExecuteOnAsync(admin.ConnectionString, $"CREATE DATABASE {database}", ct);
        }
        catch (Npgsql.NpgsqlException e)
        {
            Console.Error.WriteLine($"error: PostgreSQL: {e.Message}");
            return ExitCodes.StoreUnavailable;
        }
        try
        {
            var sw = Stopwatch.StartNew();
            var rejected = 0;
            ImportSummary summary;
            await using (var store = await Storage.Postgres.PostgresStore.OpenAsync(bench.ConnectionString, cancellationToken: ct))
            {
                summary = await store.ImportReportsAsync(new ReportImport("acled", file.Name, "bench"), Accepted(file, () => rejected++, ct), null, ct);
            }
            var seconds = sw.Elapsed.TotalSeconds;
            log.WriteLine($"imported {summary.Added:N0} reports ({rejected} rejected) into PostgreSQL in {seconds:0.000} s, {summary.LogEntries} log entries");

            await ExecuteOnAsync(bench.ConnectionString, """
                CREATE TABLE bare (id text PRIMARY KEY, geom geometry(Point, 4326) NOT NULL, earliest bigint NOT NULL, latest bigint NOT NULL,
                    act text NOT NULL, perpetrator text, place text)
                """, ct);
            sw.Restart();
            long copied = 0;
            await using (var conn = new Npgsql.NpgsqlConnection(bench.ConnectionString))
            {
                await conn.OpenAsync(ct);
                await using var copy = await conn.BeginBinaryImportAsync("COPY bare (id, geom, earliest, latest, act, perpetrator, place) FROM STDIN (FORMAT BINARY)", ct);
                foreach (var r in Accepted(file, () => { }, ct))
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(r.Id.Value, NpgsqlTypes.NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(Storage.Postgres.PointEwkb.Of(r.Location.Longitude, r.Location.Latitude), NpgsqlTypes.NpgsqlDbType.Bytea, ct);
                    await copy.WriteAsync(r.Time.Earliest.UtcTicks, NpgsqlTypes.NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(r.Time.Latest.UtcTicks, NpgsqlTypes.NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(r.Act.Code, NpgsqlTypes.NpgsqlDbType.Text, ct);
                    await WriteTextOrNullAsync(copy, r.Perpetrator?.Value, ct);
                    await WriteTextOrNullAsync(copy, r.Location.PlaceName, ct);
                    copied++;
                }
                await copy.CompleteAsync(ct);
            }
            var copySeconds = sw.Elapsed.TotalSeconds;
            log.WriteLine($"binary COPY of the same {copied:N0} rows into a bare table in {copySeconds:0.000} s");
            var rows = summary.Read;
            if (asJson)
            {
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["store"] = "postgresql",
                    ["rows"] = rows,
                    ["seconds"] = Math.Round(seconds, 4),
                    ["rows_per_second"] = Math.Round(rows / seconds),
                    ["copy_bare_seconds"] = Math.Round(copySeconds, 4),
                    ["copy_bare_rows_per_second"] = Math.Round(copied / copySeconds),
                    ["processors"] = Environment.ProcessorCount,
                }));
            }
            else
            {
                Console.WriteLine($"store:      {rows / seconds:N0} rows/s ({rows:N0} rows in {seconds:0.000} s, validation, log and read models included)");
                Console.WriteLine($"bare COPY:  {copied / copySeconds:N0} rows/s ({copySeconds:0.000} s, binary COPY into a table with a primary key and a point)");
            }
            return ExitCodes.Ok;
        }
        catch (Npgsql.NpgsqlException e)
        {
            Console.Error.WriteLine($"error: PostgreSQL: {e.Message}");
            return ExitCodes.StoreUnavailable;
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await ExecuteOnAsync(admin.ConnectionString, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)", CancellationToken.None);
        }
    }

    private static Task WriteTextOrNullAsync(Npgsql.NpgsqlBinaryImporter copy, string? value, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, NpgsqlTypes.NpgsqlDbType.Text, ct);

    private static async Task ExecuteOnAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var conn = new Npgsql.NpgsqlConnection(connectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static Command CreateCorroborate()
    {
        var events = new Option<FileInfo>("--events") { Description = "Events CSV (ACLED format; bench gen_data.py output).", Required = true };
        var postgres = new Option<string?>("--postgres") { Description = "Npgsql connection string: also run PostGIS's dedup queries on the same data (minutes on 1M events)." };
        var json = new Option<bool>("--json") { Description = "Print the figures as one JSON object." };
        var runs = new Option<int>("--runs") { Description = "Timed candidate searches; the fastest is reported (the first also warms up).", DefaultValueFactory = _ => 3 };
        var expect = new Option<long?>("--expect-pairs") { Description = "Exit with a failure code unless the search finds exactly this many candidate pairs." };
        var command = new Command("corroborate", "Time the duplicate-candidate search and the clustering into incidents (and PostGIS) on a workload.") { events, postgres, json, runs, expect };
        command.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(events)!;
            if (!file.Exists)
            {
                Console.Error.WriteLine($"error: {file.FullName} not found.");
                return ExitCodes.NotFound;
            }
            var asJson = parse.GetValue(json);
            var log = asJson ? Console.Error : Console.Out;

            // Full reports, as corroboration sees them (place names, sources and notes kept), not the adjudicator's columns.
            var sw = Stopwatch.StartNew();
            var problems = new List<ImportError>();
            var rejected = 0;
            var reports = AcledReader.EnumerateIncidents(file.FullName, new AcledReadOptions(), problems.Add, _ => rejected++, ct)
                .Select(incident => new KeyedReport("bench:" + incident.Id.Value, incident))
                .ToList();
            var readSeconds = sw.Elapsed.TotalSeconds;
            Inputs.Print(problems, Console.Error, 10);
            if (problems.Any(p => AcledCodes.IsFileProblem(p.Code)))
            {
                return ExitCodes.ValidationFailed;
            }
            log.WriteLine($"read {reports.Count:N0} reports ({rejected} rejected) in {readSeconds:0.000} s");

            var n = reports.Count;
            var start = new long[n];
            var end = new long[n];
            var latitude = new double[n];
            var longitude = new double[n];
            var radius = new double[n];
            for (var i = 0; i < n; i++)
            {
                var report = reports[i].Report;
                (start[i], end[i]) = CandidateScoring.Interval(report);
                (latitude[i], longitude[i], radius[i]) = (report.Location.Latitude, report.Location.Longitude, report.Location.RadiusMetres);
            }
            var points = new CandidatePoints(start, end, latitude, longitude, radius);

            var best = double.MaxValue;
            var firstRun = 0.0;
            long pairs = 0;
            for (var run = 0; run < Math.Max(1, parse.GetValue(runs)); run++)
            {
                sw.Restart();
                pairs = CandidateSearch.Find(points, CandidateWindow.Default, cancellationToken: ct).Count;
                var t = sw.Elapsed.TotalSeconds;
                best = Math.Min(best, t);
                firstRun = run == 0 ? t : firstRun;
                log.WriteLine($"search run {run + 1}: {t:0.000} s, {pairs:N0} candidate pairs");
            }

            // The clusterer searches again on its own; its time is the whole of it, search, scoring and linkage.
            sw.Restart();
            var clusters = IncidentClusterer.Cluster(reports, decisions: null, ClusterOptions.Default, ct);
            var clusterSeconds = sw.Elapsed.TotalSeconds;
            log.WriteLine($"clustered in {clusterSeconds:0.000} s: {clusters.Incidents.Count:N0} incidents, largest {clusters.LargestIncident} reports, {clusters.Review.Count:N0} queued for review");

            PostgisDedupResult? pg = null;
            if (parse.GetValue(postgres) is { } conn)
            {
                try
                {
                    pg = await PostgisDedupBench.RunAsync(conn, file.FullName, line => log.WriteLine($"postgis: {line}"), ct);
                }
                catch (Npgsql.NpgsqlException e)
                {
                    Console.Error.WriteLine($"error: PostgreSQL: {e.Message}");
                    return ExitCodes.StoreUnavailable;
                }
            }

            if (asJson)
            {
                var figures = new Dictionary<string, object?>
                {
                    ["events"] = n,
                    ["pairs"] = pairs,
                    ["seconds"] = Math.Round(best, 4),
                    ["first_run_seconds"] = Math.Round(firstRun, 4),
                    ["read_seconds"] = Math.Round(readSeconds, 4),
                    ["incidents"] = clusters.Incidents.Count,
                    ["largest_incident"] = clusters.LargestIncident,
                    ["review"] = clusters.Review.Count,
                    ["cluster_seconds"] = Math.Round(clusterSeconds, 4),
                    ["postgis_seconds"] = pg is null ? null : Math.Round(pg.PairsSeconds, 4),
                    ["postgis_pairs"] = pg?.Pairs,
                    ["postgis_index_seconds"] = pg is null ? null : Math.Round(pg.IndexSeconds, 4),
                    ["processors"] = Environment.ProcessorCount,
                };
                Console.WriteLine(JsonSerializer.Serialize(figures));
            }
            else
            {
                Console.WriteLine();
                Console.WriteLine($"search:   {best:0.000} s (best of {parse.GetValue(runs)}; first, cold run {firstRun:0.000} s) for {n:N0} events, {pairs:N0} candidate pairs within 24 h and 5 km (read {readSeconds:0.000} s)");
                Console.WriteLine($"clusters: {clusterSeconds:0.000} s, {clusters.Incidents.Count:N0} incidents, largest {clusters.LargestIncident} reports, {clusters.Review.Count:N0} candidates queued for review");
                if (pg is not null)
                {
                    Console.WriteLine($"PostGIS:  {pg.PairsSeconds:0.000} s, {pg.Pairs:N0} pairs (3-D GiST index {pg.IndexSeconds:0.0} s; load {pg.LoadSeconds:0.0} s; PostgreSQL {pg.ServerVersion}, PostGIS {pg.PostgisVersion})");
                    Console.WriteLine($"ratio:    PostGIS / search = {pg.PairsSeconds / best:0.0}x; pairs {(pg.Pairs == pairs ? "agree" : "DIFFER")}");
                }
            }
            if (pg is not null && pg.Pairs != pairs)
            {
                Console.Error.WriteLine($"warning: PostGIS found {pg.Pairs:N0} candidate pairs, the search {pairs:N0}: the two disagree.");
            }
            if (parse.GetValue(expect) is { } expected && expected != pairs)
            {
                Console.Error.WriteLine($"error: expected {expected:N0} candidate pairs, found {pairs:N0}.");
                return ExitCodes.BenchmarkMismatch;
            }
            return pg is not null && pg.Pairs != pairs ? ExitCodes.BenchmarkMismatch : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Times <c>sqlite3 DB ".import --csv FILE events"</c>; null when the sqlite3 tool is not installed.</summary>
    private static double? SqliteCliImport(string csv, string db)
    {
        var start = new System.Diagnostics.ProcessStartInfo("sqlite3") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(db);
        start.ArgumentList.Add($".import --csv {csv} events");
        var sw = Stopwatch.StartNew();
        try
        {
            using var p = System.Diagnostics.Process.Start(start)!;
            p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 ? sw.Elapsed.TotalSeconds : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes the agreement's obligations in the workload's CSV form for the PostGIS side, so both sides rule on the
    /// same obligations: one zone each, closed windows [t_start, t_end] (our exclusive end minus one second), and the
    /// ACLED sub-event types of the prohibited acts.
    /// </summary>
    internal static void WriteObligationsCsv(Agreement agreement, string path)
    {
        var sb = new StringBuilder("obligation_id,zone_id,name,t_start,t_end,categories\n");
        var n = 0;
        foreach (var o in agreement.Obligations)
        {
            if (o.IncludeZones.Count != 1 || o.ExcludeZones.Count != 0)
            {
                throw new InvalidOperationException($"Obligation '{o.Id}' is not of the workload's shape (one zone, no exclusion).");
            }
            var window = o.Window ?? agreement.Phase(o.PhaseId).Window ?? throw new InvalidOperationException($"Obligation '{o.Id}' has no window.");
            var end = (window.End ?? DateTimeOffset.MaxValue.AddDays(-1)).AddSeconds(-1);
            var acts = string.Join('|', o.Acts.Select(a => Taxonomy.ActKinds.All[a.Index].AcledSubEventType));
            sb.Append(CultureInfo.InvariantCulture, $"{++n},{o.IncludeZones[0]},{Output.FindingsDocument.Csv(o.Clause)},{window.Start:yyyy-MM-dd'T'HH:mm:ss'Z'},{end:yyyy-MM-dd'T'HH:mm:ss'Z'},{acts}\n");
        }
        File.WriteAllText(path, sb.ToString());
    }
}

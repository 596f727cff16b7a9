using System.Diagnostics;

namespace Ceasefire.Cli.Bench;

/// <summary>
/// Figures from one <see cref="PostgisDedupBench"/> run. Times are wall-clock seconds measured on the client, so they
/// include the round trip to the server.
/// </summary>
/// <param name="LoadSeconds">Creating the <c>events</c> table and streaming the events CSV into it with <c>COPY ... FROM STDIN</c>, up to the commit.</param>
/// <param name="IndexSeconds">
/// bench <c>postgis/dedup_prep.sql</c>: the table <c>ev3</c> of 3-D points (UTM 36N x and y, time scaled so that 24 h is
/// 5000 units), its n-D GiST index and <c>ANALYZE</c>.
/// </param>
/// <param name="PairsSeconds">bench <c>postgis/dedup_pairs.sql</c>, one run (minutes on 1M events).</param>
/// <param name="Pairs">Candidate pairs that query counts: each unordered pair of events once.</param>
/// <param name="Events">Rows loaded into <c>events</c>.</param>
/// <param name="ServerVersion">PostgreSQL <c>server_version</c>, e.g. <c>15.18 (Debian 15.18-0+deb12u1)</c>.</param>
/// <param name="PostgisVersion">PostGIS library version, e.g. <c>3.3.2</c>.</param>
internal sealed record PostgisDedupResult(
    double LoadSeconds,
    double IndexSeconds,
    double PairsSeconds,
    long Pairs,
    long Events,
    string ServerVersion,
    string PostgisVersion);

/// <summary>
/// The PostgreSQL/PostGIS side of the workload's duplicate-candidate search (bench <c>postgis/dedup_prep.sql</c> and
/// <c>dedup_pairs.sql</c>): pairs of events at most 24 h and 5 km apart (great circle, PostGIS's sphere). Driven from
/// the client like <see cref="PostgisBench"/>: the events file is read here and sent over the connection.
/// </summary>
/// <remarks>
/// <para>
/// Everything lives in the schema <see cref="SchemaName"/>, which each run drops and recreates (apart from
/// <see cref="PostgisBench.SchemaName"/>, so the two benches do not drop each other's tables). To query the loaded data
/// by hand: <c>SET search_path = ceasefire_bench_dedup, public;</c>.
/// </para>
/// <para>
/// The pair count runs once: it takes about 4 minutes on 1M events on a 2-core machine, and the figure compared in the
/// workload's README is a single run too. While it runs, a progress line is reported every <see cref="ProgressInterval"/>.
/// </para>
/// <para>Each run uses a connection of its own. Two runs against the same database at once would drop each other's schema.</para>
/// </remarks>
internal static class PostgisDedupBench
{
    /// <summary>The schema the dedup bench owns; dropped with CASCADE at the start of every run.</summary>
    public const string SchemaName = "ceasefire_bench_dedup";

    /// <summary>How often a line reports that the pair count is still running.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(30);

    // Copied from the reference workload, bench postgis/dedup_prep.sql, with :evt = events. The workload folder is not
    // part of the product, so the text lives here; keep the two in step.
    private const string DedupPrep = """
        -- 3-D points (UTM 36N x, y, time scaled so that 24 h = 5000 units) with an n-D GiST index
        DROP TABLE IF EXISTS ev3;
        CREATE TABLE ev3 AS
        SELECT id, event_date, geom,
               ST_MakePoint(ST_X(p), ST_Y(p), extract(epoch FROM event_date - timestamptz '2025-01-01') / 86400.0 * 5000.0) AS g3
        FROM (SELECT id, event_date, geom, ST_Transform(geom, 32636) AS p FROM events) s;
        CREATE INDEX ev3_g3 ON ev3 USING gist (g3 gist_geometry_ops_nd);
        ANALYZE ev3;
        """;

    // Copied from the reference workload, bench postgis/dedup_pairs.sql (see above).
    private const string DedupPairs = """
        -- exact dedup candidate pairs: |dt| <= 24 h AND great-circle distance <= 5 km (sphere R=6371008.77 m)
        -- 3-D box prefilter with 5100 (UTM scale distortion margin), then exact tests
        SELECT count(*) AS pairs
        FROM ev3 a JOIN ev3 b
          ON b.g3 &&& ST_Expand(a.g3, 5100)
         AND b.id > a.id
         AND abs(extract(epoch FROM b.event_date - a.event_date)) <= 86400
         AND ST_DistanceSphere(a.geom, b.geom) <= 5000;
        """;

    /// <summary>Recreates the schema, loads the events, builds the 3-D index and counts the candidate pairs.</summary>
    /// <param name="connectionString">Npgsql connection string; the database needs PostGIS 3 (or the right to create it).</param>
    /// <param name="eventsCsv">
    /// ACLED-like events CSV with a header row, in the workload's columns (bench <c>gen_data.py</c> output); ids unique
    /// integers, times ISO 8601, points lon/lat (SRID 4326) near UTM zone 36N, where the prefilter's margin holds.
    /// </param>
    /// <param name="progress">Receives one line per step, and one every <see cref="ProgressInterval"/> during the count; may be null.</param>
    /// <param name="ct">Cancels the running statement on the server too.</param>
    public static async Task<PostgisDedupResult> RunAsync(string connectionString, string eventsCsv, Action<string>? progress, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventsCsv);

        var (connection, serverVersion, postgisVersion) =
            await PostgisBench.OpenAsync(connectionString, SchemaName, progress, ct).ConfigureAwait(false);
        await using var conn = connection;

        progress?.Invoke($"loading events from {eventsCsv} (COPY FROM STDIN)");
        var sw = Stopwatch.StartNew();
        await PostgisBench.LoadEventsAsync(conn, eventsCsv, ct).ConfigureAwait(false);
        var loadSeconds = sw.Elapsed.TotalSeconds;
        var events = await PostgisBench.ScalarAsync<long>(conn, "SELECT count(*) FROM events", ct).ConfigureAwait(false);
        progress?.Invoke($"{events:N0} events loaded in {loadSeconds:F2} s");

        progress?.Invoke("dedup_prep: 3-D points (UTM 36N, time) and their n-D GiST index");
        sw.Restart();
        await PostgisBench.ExecuteAsync(conn, DedupPrep, ct).ConfigureAwait(false);
        var indexSeconds = sw.Elapsed.TotalSeconds;
        progress?.Invoke($"dedup_prep: {indexSeconds:F2} s");

        progress?.Invoke($"dedup_pairs: counting (one run; a line every {ProgressInterval.TotalSeconds:0} s)");
        sw.Restart();
        var count = PostgisBench.ScalarAsync<long>(conn, DedupPairs, ct);
        // The delay takes no token: the query observes ct, and when it ends (cancelled or not) the loop ends with it.
        while (await Task.WhenAny(count, Task.Delay(ProgressInterval, CancellationToken.None)).ConfigureAwait(false) != count)
        {
            progress?.Invoke($"dedup_pairs: still running after {sw.Elapsed.TotalSeconds:F0} s");
        }
        var pairs = await count.ConfigureAwait(false);
        var pairsSeconds = sw.Elapsed.TotalSeconds;
        progress?.Invoke($"dedup_pairs: {pairs:N0} pairs in {pairsSeconds:F2} s");

        return new PostgisDedupResult(loadSeconds, indexSeconds, pairsSeconds, pairs, events, serverVersion, postgisVersion);
    }
}

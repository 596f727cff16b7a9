using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace Ceasefire.Cli.Bench;

/// <summary>
/// Figures from one <see cref="PostgisBench"/> run. Times are wall-clock seconds measured on the client, so they
/// include the round trip to the server.
/// </summary>
/// <param name="LoadSeconds">
/// Creating the <c>events</c> table (primary key, generated <c>geometry(Point, 4326)</c> column) and streaming the
/// events CSV into it with <c>COPY ... FROM STDIN</c>, up to the commit. Loading zones and obligations and
/// queries are not included.
/// </param>
/// <param name="SubdividedJoinSeconds">The adjudication join against <c>ST_Subdivide(geom, 256)</c> pieces: the faster of two runs.</param>
/// <param name="SubdividedMatches">(event, obligation) matches found by that join.</param>
/// <param name="PlainJoinSeconds">The same join against the whole zones (faster of two runs); null when not asked for.</param>
/// <param name="PlainMatches">Matches found by the plain join; null when not asked for. Equals <paramref name="SubdividedMatches"/>.</param>
/// <param name="ZonePieces">Rows of <c>zones_sub</c>, i.e. pieces after <c>ST_Subdivide(geom, 256)</c>.</param>
/// <param name="ServerVersion">PostgreSQL <c>server_version</c>, e.g. <c>15.18 (Debian 15.18-0+deb12u1)</c>.</param>
/// <param name="PostgisVersion">PostGIS library version, e.g. <c>3.3.2</c>.</param>
internal sealed record PostgisBenchResult(
    double LoadSeconds,
    double SubdividedJoinSeconds,
    long SubdividedMatches,
    double? PlainJoinSeconds,
    long? PlainMatches,
    int ZonePieces,
    string ServerVersion,
    string PostgisVersion);

/// <summary>
/// The PostgreSQL/PostGIS side of the reference workload (bench <c>postgis/schema.sql</c>, <c>join_sub.sql</c>,
/// <c>join.sql</c>), driven from the client so that the server may be remote: every file is read here and sent
/// over the connection, never opened by the server.
/// </summary>
/// <remarks>
/// <para>
/// Everything lives in the schema <see cref="SchemaName"/>, which each run drops and recreates, so that pointing
/// the bench at a real database cannot touch its tables. To query the loaded data by hand:
/// <c>SET search_path = ceasefire_bench, public;</c>. PostGIS must be installed in the database, or the user must
/// be allowed to <c>CREATE EXTENSION postgis</c>.
/// </para>
/// <para>
/// Each timed query runs <see cref="TimedRuns"/> times and the fastest run is reported. The first run warms the
/// caches and sets hint bits on the freshly loaded rows, and that cost is not what we compare. The figures include
/// the server's JIT compilation when <c>jit</c> is on (0.6 to 1 s per query on PostgreSQL 15). <c>statement_timeout</c>
/// is switched off, and commands never time out on the client.
/// </para>
/// <para>Each run uses a connection of its own. Two runs against the same database at once would drop each other's schema.</para>
/// </remarks>
internal static class PostgisBench
{
    /// <summary>The schema the bench owns; dropped with CASCADE at the start of every run.</summary>
    public const string SchemaName = "ceasefire_bench";

    /// <summary>How often each timed query runs; the fastest run is reported.</summary>
    public const int TimedRuns = 2;

    // As schema.sql, plus autovacuum_enabled = false. schema.sql never analyzes events. With statistics on it,
    // PostgreSQL 15 misestimates events x obligations (28,745 rows estimated, 1,079,006 actual on 100k events),
    // probes the zone index once per pair instead of once per event, and runs the subdivided join about 8 times
    // slower (6.7 s instead of 0.9 s on 100k, measured on a 2-core machine). Without the option, autovacuum would
    // analyze the table about a minute after the load, in the middle of the timed runs, and the plan would change.
    private const string CreateEvents = """
        CREATE TABLE events (
          id bigint PRIMARY KEY, event_date timestamptz NOT NULL, event_type text NOT NULL, sub_event_type text NOT NULL,
          actor1 text, actor2 text, admin1 text, location text,
          latitude double precision NOT NULL, longitude double precision NOT NULL, source text, notes text,
          fatalities int NOT NULL,
          geom geometry(Point, 4326) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(longitude, latitude), 4326)) STORED)
        WITH (autovacuum_enabled = false)
        """;

    // The CSV has the columns of events_raw in the same order, so it goes straight into events: one pass instead
    // of events_raw + INSERT ... SELECT, with the primary key and the generated geometry maintained by COPY.
    private const string CopyEvents = """
        COPY events (id, event_date, event_type, sub_event_type, actor1, actor2, admin1, location,
                     latitude, longitude, source, notes, fatalities)
        FROM STDIN (FORMAT csv, HEADER true)
        """;

    // ST_MakeValid: the 10m Russia outline has a self-intersection near 170.9E 69.0N (Chukotka).
    private const string CreateZones = """
        CREATE TABLE zones (zone_id int PRIMARY KEY, name text NOT NULL, kind text NOT NULL, geom geometry(MultiPolygon, 4326) NOT NULL)
        """;

    private const string InsertZone = """
        INSERT INTO zones (zone_id, name, kind, geom)
        VALUES ($1, $2, $3, ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON($4::text), 4326)), 3)))
        """;

    private const string IndexAndSubdivideZones = """
        CREATE INDEX zones_gist ON zones USING gist (geom);
        CREATE TABLE zones_sub AS SELECT zone_id, ST_Subdivide(geom, 256) AS geom FROM zones;
        CREATE INDEX zones_sub_gist ON zones_sub USING gist (geom)
        """;

    private const string CreateObligations = """
        CREATE TABLE obligations (obligation_id int PRIMARY KEY, zone_id int NOT NULL REFERENCES zones, name text NOT NULL,
          t_start timestamptz NOT NULL, t_end timestamptz NOT NULL, categories text[] NOT NULL)
        """;

    private const string InsertObligation = """
        INSERT INTO obligations (obligation_id, zone_id, name, t_start, t_end, categories) VALUES ($1, $2, $3, $4, $5, $6)
        """;

    /// <summary>bench postgis/join_sub.sql with <c>:evt</c> = <c>events</c>: the figure we compare against.</summary>
    private const string JoinSubdivided = """
        SELECT count(*) AS matches
        FROM obligations o
        JOIN zones_sub z USING (zone_id)
        JOIN events e ON ST_Contains(z.geom, e.geom)
        WHERE e.event_date BETWEEN o.t_start AND o.t_end
          AND e.sub_event_type = ANY (o.categories)
        """;

    /// <summary>
    /// bench postgis/join.sql with <c>:evt</c> = <c>events</c>. The bench README gives 35 s on 1M events; measured
    /// here at 128 to 151 s (serial hash join on zone_id with ST_Contains run for every time-and-category match).
    /// </summary>
    private const string JoinPlain = """
        SELECT count(*) AS matches
        FROM obligations o
        JOIN zones z USING (zone_id)
        JOIN events e ON ST_Contains(z.geom, e.geom)
        WHERE e.event_date BETWEEN o.t_start AND o.t_end
          AND e.sub_event_type = ANY (o.categories)
        """;

    private static readonly string[] s_obligationHeader = ["obligation_id", "zone_id", "name", "t_start", "t_end", "categories"];

    /// <summary>Loads the workload and times the subdivided join only; see the other overload.</summary>
    public static Task<PostgisBenchResult> RunAsync(
        string connectionString,
        string eventsCsv,
        string zonesGeoJson,
        string obligationsCsv,
        Action<string>? progress,
        CancellationToken ct) =>
        RunAsync(connectionString, eventsCsv, zonesGeoJson, obligationsCsv, includeUnsubdivided: false, progress, ct);

    /// <summary>
    /// Recreates the bench schema, loads zones, obligations and events, and times the adjudication join.
    /// </summary>
    /// <param name="connectionString">Npgsql connection string; the database needs PostGIS 3 (or the right to create it).</param>
    /// <param name="eventsCsv">ACLED-like events CSV with a header row (bench <c>gen_data.py</c> output).</param>
    /// <param name="zonesGeoJson">FeatureCollection whose features carry <c>zone_id</c>, <c>name</c>, <c>kind</c>; lon/lat (SRID 4326).</param>
    /// <param name="obligationsCsv"><c>obligation_id,zone_id,name,t_start,t_end,categories</c>; categories separated by <c>|</c>.</param>
    /// <param name="includeUnsubdivided">Also time the join against whole zones (slow: minutes on 1M events).</param>
    /// <param name="progress">Receives one line per step; may be null.</param>
    /// <param name="ct">Cancels the running statement on the server too.</param>
    public static async Task<PostgisBenchResult> RunAsync(
        string connectionString,
        string eventsCsv,
        string zonesGeoJson,
        string obligationsCsv,
        bool includeUnsubdivided,
        Action<string>? progress,
        CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventsCsv);
        ArgumentException.ThrowIfNullOrWhiteSpace(zonesGeoJson);
        ArgumentException.ThrowIfNullOrWhiteSpace(obligationsCsv);

        var (connection, serverVersion, postgisVersion) = await OpenAsync(connectionString, SchemaName, progress, ct).ConfigureAwait(false);
        await using var conn = connection;

        progress?.Invoke($"loading zones from {zonesGeoJson}");
        var zones = await LoadZonesAsync(conn, zonesGeoJson, ct).ConfigureAwait(false);
        await ExecuteAsync(conn, IndexAndSubdivideZones, ct).ConfigureAwait(false);
        var pieces = checked((int)await ScalarAsync<long>(conn, "SELECT count(*) FROM zones_sub", ct).ConfigureAwait(false));
        progress?.Invoke($"{zones} zones, {pieces} pieces after ST_Subdivide(geom, 256)");

        progress?.Invoke($"loading obligations from {obligationsCsv}");
        var obligations = await LoadObligationsAsync(conn, obligationsCsv, ct).ConfigureAwait(false);
        await ExecuteAsync(conn, "ANALYZE zones; ANALYZE zones_sub; ANALYZE obligations", ct).ConfigureAwait(false);
        progress?.Invoke($"{obligations} obligations");

        progress?.Invoke($"loading events from {eventsCsv} (COPY FROM STDIN)");
        var load = Stopwatch.StartNew();
        await LoadEventsAsync(conn, eventsCsv, ct).ConfigureAwait(false);
        load.Stop();
        var events = await ScalarAsync<long>(conn, "SELECT count(*) FROM events", ct).ConfigureAwait(false);
        progress?.Invoke($"{events:N0} events loaded in {load.Elapsed.TotalSeconds:F2} s");

        var (subSeconds, subMatches) = await TimeCountAsync(conn, "join_sub (subdivided zones)", JoinSubdivided, progress, ct)
            .ConfigureAwait(false);

        double? plainSeconds = null;
        long? plainMatches = null;
        if (includeUnsubdivided)
        {
            (var s, var m) = await TimeCountAsync(conn, "join (whole zones)", JoinPlain, progress, ct).ConfigureAwait(false);
            (plainSeconds, plainMatches) = (s, m);
        }

        return new PostgisBenchResult(
            load.Elapsed.TotalSeconds, subSeconds, subMatches, plainSeconds, plainMatches, pieces, serverVersion, postgisVersion);
    }

    /// <summary>
    /// Opens a connection for one bench run: no statement or command timeout, PostGIS installed (created if need be),
    /// and <paramref name="schema"/> dropped with CASCADE, recreated and put first on the search path.
    /// </summary>
    /// <param name="connectionString">Npgsql connection string.</param>
    /// <param name="schema">The schema the run owns (a plain identifier, never user input).</param>
    /// <param name="progress">Receives the server's and PostGIS's versions; may be null.</param>
    /// <param name="ct">Cancels opening and setting up.</param>
    /// <returns>The open connection (the caller disposes it) and the server's and PostGIS's versions.</returns>
    internal static async Task<(NpgsqlConnection Connection, string ServerVersion, string PostgisVersion)> OpenAsync(
        string connectionString, string schema, Action<string>? progress, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 };
        var conn = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await conn.OpenAsync(ct).ConfigureAwait(false);
            await ExecuteAsync(conn, "SET statement_timeout = 0", ct).ConfigureAwait(false);
            await ExecuteAsync(conn, "SET client_min_messages = warning", ct).ConfigureAwait(false);
            await ExecuteAsync(conn, "CREATE EXTENSION IF NOT EXISTS postgis", ct).ConfigureAwait(false);
            var serverVersion = await ScalarAsync<string>(conn, "SELECT current_setting('server_version')", ct).ConfigureAwait(false);
            var postgisVersion = await ScalarAsync<string>(conn, "SELECT postgis_lib_version()", ct).ConfigureAwait(false);
            progress?.Invoke($"PostgreSQL {serverVersion}, PostGIS {postgisVersion}");

            // Our own schema first on the path; the rest of the path still finds PostGIS wherever it is installed.
            await ExecuteAsync(conn, $"DROP SCHEMA IF EXISTS {schema} CASCADE", ct).ConfigureAwait(false);
            await ExecuteAsync(conn, $"CREATE SCHEMA {schema}", ct).ConfigureAwait(false);
            await ExecuteAsync(
                conn, $"SELECT set_config('search_path', '{schema}, ' || current_setting('search_path'), false)", ct)
                .ConfigureAwait(false);
            return (conn, serverVersion, postgisVersion);
        }
        catch
        {
            await conn.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<int> LoadZonesAsync(NpgsqlConnection conn, string path, CancellationToken ct)
    {
        JsonDocument doc;
        var file = File.OpenRead(path);
        await using (file.ConfigureAwait(false))
        {
            doc = await JsonDocument.ParseAsync(file, cancellationToken: ct).ConfigureAwait(false);
        }

        using (doc)
        {
            if (!doc.RootElement.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{path}: not a GeoJSON FeatureCollection (no 'features' array).");
            }

            await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
            await ExecuteAsync(conn, CreateZones, ct).ConfigureAwait(false);
            await using var insert = new NpgsqlCommand(InsertZone, conn, tx);
            var zoneId = AddParameter<int>(insert, NpgsqlDbType.Integer);
            var name = AddParameter<string>(insert, NpgsqlDbType.Text);
            var kind = AddParameter<string>(insert, NpgsqlDbType.Text);
            var geometry = AddParameter<string>(insert, NpgsqlDbType.Text);

            var count = 0;
            foreach (var feature in features.EnumerateArray())
            {
                var where = $"{path}: feature {count}";
                if (!feature.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
                {
                    throw new InvalidDataException($"{where}: no 'properties' object.");
                }
                if (!feature.TryGetProperty("geometry", out var geom) || geom.ValueKind != JsonValueKind.Object)
                {
                    throw new InvalidDataException($"{where}: no 'geometry' object.");
                }

                zoneId.TypedValue = ReadZoneId(properties, where);
                name.TypedValue = ReadText(properties, "name", where);
                kind.TypedValue = ReadText(properties, "kind", where);
                geometry.TypedValue = geom.GetRawText();
                await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                count++;
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
            return count;
        }
    }

    private static int ReadZoneId(JsonElement properties, string where)
    {
        // schema.sql does (properties->>'zone_id')::int, which accepts a number or a numeric string.
        if (properties.TryGetProperty("zone_id", out var value))
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n))
            {
                return n;
            }
            if (value.ValueKind == JsonValueKind.String
                && int.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n))
            {
                return n;
            }
        }
        throw new InvalidDataException($"{where}: 'zone_id' is missing or not an integer.");
    }

    private static string ReadText(JsonElement properties, string property, string where)
    {
        if (!properties.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw new InvalidDataException($"{where}: '{property}' is missing.");
        }
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
    }

    private static async Task<int> LoadObligationsAsync(NpgsqlConnection conn, string path, CancellationToken ct)
    {
        var lines = await File.ReadAllLinesAsync(path, Encoding.UTF8, ct).ConfigureAwait(false);
        if (lines.Length == 0 || !SplitCsvLine(lines[0], path, 1).SequenceEqual(s_obligationHeader))
        {
            throw new InvalidDataException($"{path}:1: expected the header '{string.Join(',', s_obligationHeader)}'.");
        }

        await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
        await ExecuteAsync(conn, CreateObligations, ct).ConfigureAwait(false);
        await using var insert = new NpgsqlCommand(InsertObligation, conn, tx);
        var id = AddParameter<int>(insert, NpgsqlDbType.Integer);
        var zoneId = AddParameter<int>(insert, NpgsqlDbType.Integer);
        var name = AddParameter<string>(insert, NpgsqlDbType.Text);
        var start = AddParameter<DateTime>(insert, NpgsqlDbType.TimestampTz);
        var end = AddParameter<DateTime>(insert, NpgsqlDbType.TimestampTz);
        var categories = AddParameter<string[]>(insert, NpgsqlDbType.Array | NpgsqlDbType.Text);

        var count = 0;
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }
            var lineNo = i + 1;
            var f = SplitCsvLine(lines[i], path, lineNo);
            if (f.Count != s_obligationHeader.Length)
            {
                throw new InvalidDataException($"{path}:{lineNo}: expected {s_obligationHeader.Length} fields, found {f.Count}.");
            }
            id.TypedValue = ParseInt(f[0], path, lineNo, "obligation_id");
            zoneId.TypedValue = ParseInt(f[1], path, lineNo, "zone_id");
            name.TypedValue = f[2];
            start.TypedValue = ParseInstant(f[3], path, lineNo, "t_start");
            end.TypedValue = ParseInstant(f[4], path, lineNo, "t_end");
            // string_to_array(categories, '|') in schema.sql: '' gives an empty array.
            categories.TypedValue = f[5].Length == 0 ? [] : f[5].Split('|');
            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            count++;
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return count;
    }

    private static int ParseInt(string text, string path, int line, string field) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new InvalidDataException($"{path}:{line}: {field} '{text}' is not an integer.");

    /// <summary>An ISO 8601 instant; without an offset it is taken as UTC. Returned as a UTC <see cref="DateTime"/>.</summary>
    private static DateTime ParseInstant(string text, string path, int line, string field) =>
        DateTimeOffset.TryParse(
            text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var t)
            ? t.UtcDateTime
            : throw new InvalidDataException($"{path}:{line}: {field} '{text}' is not an ISO 8601 date-time.");

    /// <summary>One CSV record on one line (RFC 4180 quoting, no line breaks inside fields).</summary>
    private static List<string> SplitCsvLine(string line, string path, int lineNo)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c != '"')
                {
                    field.Append(c);
                }
                else if (i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (c != '\r')
            {
                field.Append(c);
            }
        }
        if (quoted)
        {
            throw new InvalidDataException($"{path}:{lineNo}: unterminated quoted field.");
        }
        fields.Add(field.ToString());
        return fields;
    }

    /// <summary>
    /// Creates the table <c>events</c> in the first schema of the search path (primary key <c>id</c>,
    /// <c>event_date timestamptz</c>, generated <c>geom geometry(Point, 4326)</c>) and streams the workload's events
    /// CSV into it with <c>COPY ... FROM STDIN</c>, in one transaction. Not analyzed.
    /// </summary>
    internal static async Task LoadEventsAsync(NpgsqlConnection conn, string path, CancellationToken ct)
    {
        // One transaction: with wal_level = minimal the server can skip WAL for a table created in it.
        await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
        await ExecuteAsync(conn, CreateEvents, ct).ConfigureAwait(false);

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        await using (file.ConfigureAwait(false))
        {
            var writer = await conn.BeginTextImportAsync(CopyEvents, ct).ConfigureAwait(false);
            await using (writer.ConfigureAwait(false))
            {
                // The file is UTF-8 and so is the connection (Npgsql sets client_encoding): its bytes are already
                // COPY data, so they go to the underlying COPY stream as they are instead of being decoded to
                // UTF-16 and encoded back, which would cost about as much again as the reading.
                if (writer is StreamWriter { BaseStream: var copy })
                {
                    var buffer = new byte[1 << 20];
                    int n;
                    while ((n = await file.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                    {
                        await copy.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                    }
                }
                else
                {
                    using var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16);
                    var chars = new char[1 << 16];
                    int n;
                    while ((n = await reader.ReadAsync(chars, ct).ConfigureAwait(false)) > 0)
                    {
                        await writer.WriteAsync(chars.AsMemory(0, n), ct).ConfigureAwait(false);
                    }
                }
            }
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    private static async Task<(double Seconds, long Matches)> TimeCountAsync(
        NpgsqlConnection conn, string label, string sql, Action<string>? progress, CancellationToken ct)
    {
        var best = double.PositiveInfinity;
        long matches = -1;
        for (var run = 1; run <= TimedRuns; run++)
        {
            var sw = Stopwatch.StartNew();
            var count = await ScalarAsync<long>(conn, sql, ct).ConfigureAwait(false);
            sw.Stop();
            var seconds = sw.Elapsed.TotalSeconds;
            progress?.Invoke($"{label}: run {run}/{TimedRuns}: {count:N0} matches in {seconds:F2} s");
            if (matches >= 0 && count != matches)
            {
                throw new InvalidOperationException($"{label} returned {matches} matches, then {count}.");
            }
            matches = count;
            best = Math.Min(best, seconds);
        }
        return (best, matches);
    }

    private static NpgsqlParameter<T> AddParameter<T>(NpgsqlCommand command, NpgsqlDbType type)
    {
        var parameter = new NpgsqlParameter<T> { NpgsqlDbType = type };
        command.Parameters.Add(parameter);
        return parameter;
    }

    internal static async Task ExecuteAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    internal static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        var value = await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return value is T t ? t : throw new InvalidOperationException($"Expected a {typeof(T).Name} from: {sql}");
    }
}

namespace Ceasefire.Web;

/// <summary>One thing on the map: an incident (or report) with the little the map draws.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Longitude">Longitude.</param>
/// <param name="Latitude">Latitude.</param>
/// <param name="Earliest">Start of its time (UTC ticks).</param>
/// <param name="Latest">End of its time (UTC ticks; equal to the start for an instant).</param>
/// <param name="Verdict">Worst finding: 0 none, 1 not covered, 2 possible violation, 3 violation (see <see cref="MapVerdicts"/>).</param>
/// <param name="Disputed">Whether its attribution is disputed.</param>
/// <param name="Act">Act kind code.</param>
public readonly record struct MapPoint(string Id, double Longitude, double Latitude, long Earliest, long Latest, byte Verdict, bool Disputed, string Act);

/// <summary>The verdict codes of <see cref="MapPoint.Verdict"/>, ordered so that the worst is the largest.</summary>
public static class MapVerdicts
{
    /// <summary>The code of a verdict name (null or unknown: 0).</summary>
    public static byte Code(string? verdict) => verdict switch
    {
        "violation" => 3,
        "possible_violation" => 2,
        "not_covered" => 1,
        _ => 0,
    };

    /// <summary>The verdict name of a code (0: null).</summary>
    public static string? Name(byte code) => code switch
    {
        3 => "violation",
        2 => "possible_violation",
        1 => "not_covered",
        _ => null,
    };
}

/// <summary>A box in degrees (west, south, east, north); west &lt;= east (no antimeridian crossing).</summary>
/// <param name="West">Western edge.</param>
/// <param name="South">Southern edge.</param>
/// <param name="East">Eastern edge.</param>
/// <param name="North">Northern edge.</param>
public readonly record struct GeoBox(double West, double South, double East, double North)
{
    /// <summary>True when the point is inside (edges included).</summary>
    public bool Contains(double lon, double lat) => lon >= West && lon <= East && lat >= South && lat <= North;

    /// <summary>Parses "west,south,east,north"; null (with the reason) when it is not a valid box.</summary>
    public static GeoBox? Parse(string? text, out string? problem)
    {
        problem = null;
        var parts = (text ?? "").Split(',');
        var v = new double[4];
        if (parts.Length != 4 || !parts.Select((p, i) => double.TryParse(p, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out v[i])).All(ok => ok))
        {
            problem = "bbox is four numbers: west,south,east,north in degrees (e.g. 35.0,51.0,35.5,51.35).";
            return null;
        }
        if (v.Any(x => !double.IsFinite(x)) || v[0] < -180 || v[2] > 180 || v[1] < -90 || v[3] > 90 || v[0] > v[2] || v[1] > v[3])
        {
            problem = "bbox must have -180 <= west <= east <= 180 and -90 <= south <= north <= 90.";
            return null;
        }
        return new GeoBox(v[0], v[1], v[2], v[3]);
    }
}

/// <summary>A cell of an aggregated view: how many, where (their mean position), and the worst verdict among them.</summary>
/// <param name="Longitude">Mean longitude.</param>
/// <param name="Latitude">Mean latitude.</param>
/// <param name="Count">How many.</param>
/// <param name="Verdict">Worst verdict among them.</param>
/// <param name="Disputed">How many have disputed attribution.</param>
public readonly record struct MapCluster(double Longitude, double Latitude, int Count, byte Verdict, int Disputed);

/// <summary>
/// The map's index: points bucketed by day and by a 0.05-degree grid, each bucket sorted so that one row of cells of
/// one day is one contiguous run. A city-size view over a week reads a few dozen runs; a country-wide view over a month
/// is aggregated on a grid instead of returning points. Points whose time spans more than a day (week or month
/// precision) are kept apart and checked one by one. Immutable and thread-safe once built; rebuilt when the data
/// change.
/// </summary>
public sealed class MapIndex
{
    private const double Cell = 0.05;
    private const int Columns = 7200; // 360 / 0.05
    private static readonly long Day = TimeSpan.TicksPerDay;

    private readonly MapPoint[] _points;
    private readonly long[] _keys;        // (day << 32) | (row * Columns + column), ascending
    private readonly int[] _order;        // point index for each key
    private readonly int[] _long;         // points spanning more than a day

    private MapIndex(MapPoint[] points, long[] keys, int[] order, int[] longSpan)
    {
        (_points, _keys, _order, _long) = (points, keys, order, longSpan);
        (_firstDay, _lastDay) = keys.Length == 0 ? (1L, 0L) : (keys[0] >> 32, keys[^1] >> 32);
    }

    private readonly long _firstDay;
    private readonly long _lastDay;

    /// <summary>Number of points.</summary>
    public int Count => _points.Length;

    /// <summary>The points, as given.</summary>
    public IReadOnlyList<MapPoint> Points => _points;

    /// <summary>Builds the index.</summary>
    public static MapIndex Build(IEnumerable<MapPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var all = points.ToArray();
        var shortSpan = new List<int>(all.Length);
        var longSpan = new List<int>();
        for (var i = 0; i < all.Length; i++)
        {
            (all[i].Latest - all[i].Earliest > Day ? longSpan : shortSpan).Add(i);
        }
        var keys = new long[shortSpan.Count];
        var order = shortSpan.ToArray();
        for (var k = 0; k < order.Length; k++)
        {
            keys[k] = Key(all[order[k]].Earliest / Day, Row(all[order[k]].Latitude), Column(all[order[k]].Longitude));
        }
        Array.Sort(keys, order);
        return new MapIndex(all, keys, order, longSpan.ToArray());
    }

    private static int Row(double lat) => Math.Clamp((int)Math.Floor((lat + 90) / Cell), 0, 3599);

    private static int Column(double lon) => Math.Clamp((int)Math.Floor((lon + 180) / Cell), 0, Columns - 1);

    private static long Key(long day, int row, int column) => (day << 32) | (uint)((row * Columns) + column);

    /// <summary>
    /// Calls <paramref name="visit"/> with the index of every point inside <paramref name="box"/> whose time overlaps
    /// [<paramref name="from"/>, <paramref name="to"/>) (UTC ticks); returns how many.
    /// </summary>
    public int Query(GeoBox box, long from, long to, Action<int> visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        var n = 0;
        var (r0, r1, c0, c1) = (Row(box.South), Row(box.North), Column(box.West), Column(box.East));
        // A short point overlaps [from, to) when it starts before `to` and ends at or after `from`: it started at most a
        // day before `from`.
        // Only the days that hold points; a tall view (many rows of cells) reads each day whole instead of row by row.
        var wide = r1 - r0 + 1 > 32;
        for (var day = Math.Max(_firstDay, (from / Day) - 1); day <= Math.Min(_lastDay, (to - 1) / Day); day++)
        {
            for (var row = r0; row <= (wide ? r0 : r1); row++)
            {
                var lo = wide ? LowerBound(day << 32) : LowerBound(Key(day, row, c0));
                var hi = wide ? LowerBound((day + 1) << 32) : LowerBound(Key(day, row, c1) + 1);
                for (var k = lo; k < hi; k++)
                {
                    var i = _order[k];
                    ref readonly var p = ref _points[i];
                    if (p.Earliest < to && (p.Latest > from || p.Earliest >= from) && box.Contains(p.Longitude, p.Latitude))
                    {
                        visit(i);
                        n++;
                    }
                }
            }
        }
        foreach (var i in _long)
        {
            ref readonly var p = ref _points[i];
            if (p.Earliest < to && p.Latest > from && box.Contains(p.Longitude, p.Latitude))
            {
                visit(i);
                n++;
            }
        }
        return n;
    }

    /// <summary>The points of a view, up to <paramref name="max"/> (null when there are more).</summary>
    public List<MapPoint>? PointsIn(GeoBox box, long from, long to, int max)
    {
        var list = new List<MapPoint>();
        var over = false;
        Query(box, from, to, i =>
        {
            if (list.Count < max)
            {
                list.Add(_points[i]);
            }
            else
            {
                over = true;
            }
        });
        return over ? null : list;
    }

    /// <summary>The view aggregated on a <paramref name="size"/> x <paramref name="size"/> grid over the box (non-empty cells only).</summary>
    public List<MapCluster> Aggregate(GeoBox box, long from, long to, int size = 64)
    {
        var count = new int[size * size];
        var disputed = new int[size * size];
        var lon = new double[size * size];
        var lat = new double[size * size];
        var verdict = new byte[size * size];
        var w = Math.Max(box.East - box.West, 1e-9) / size;
        var h = Math.Max(box.North - box.South, 1e-9) / size;
        Query(box, from, to, i =>
        {
            ref readonly var p = ref _points[i];
            var x = Math.Min(size - 1, (int)((p.Longitude - box.West) / w));
            var y = Math.Min(size - 1, (int)((p.Latitude - box.South) / h));
            var c = (y * size) + x;
            count[c]++;
            lon[c] += p.Longitude;
            lat[c] += p.Latitude;
            verdict[c] = Math.Max(verdict[c], p.Verdict);
            disputed[c] += p.Disputed ? 1 : 0;
        });
        var list = new List<MapCluster>();
        for (var c = 0; c < count.Length; c++)
        {
            if (count[c] > 0)
            {
                list.Add(new MapCluster(Math.Round(lon[c] / count[c], 5), Math.Round(lat[c] / count[c], 5), count[c], verdict[c], disputed[c]));
            }
        }
        return list;
    }

    private int LowerBound(long key)
    {
        var lo = 0;
        var hi = _keys.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_keys[mid] < key)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}

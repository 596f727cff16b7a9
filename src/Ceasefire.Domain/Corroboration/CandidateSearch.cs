using System.Runtime.CompilerServices;

namespace Ceasefire.Corroboration;

/// <summary>How close two reports must be, in time and space, to be candidate duplicates.</summary>
/// <param name="MaxGap">Largest gap between their time intervals (24 h by default); overlapping intervals have none.</param>
/// <param name="MaxDistanceMetres">
/// Largest great-circle distance between their points beyond the sum of their uncertainty radii (5 km by default).
/// </param>
public readonly record struct CandidateWindow(TimeSpan MaxGap, double MaxDistanceMetres)
{
    /// <summary>24 hours and 5 km.</summary>
    public static CandidateWindow Default => new(TimeSpan.FromHours(24), 5_000);
}

/// <summary>
/// The reports to search, as columns: each report's time interval [start, end] in Unix seconds, its point in degrees
/// and the radius of its location's uncertainty in metres (0 for an exact point). A report of day precision has an
/// interval of a day, one of settlement precision a radius of 5 km: the window widens by both.
/// </summary>
public sealed class CandidatePoints
{
    /// <summary>Creates the columns (same length; end &gt;= start; radius &gt;= 0; latitude within ±90).</summary>
    public CandidatePoints(long[] startSeconds, long[] endSeconds, double[] latitude, double[] longitude, double[] radiusMetres)
    {
        ArgumentNullException.ThrowIfNull(startSeconds);
        ArgumentNullException.ThrowIfNull(endSeconds);
        ArgumentNullException.ThrowIfNull(latitude);
        ArgumentNullException.ThrowIfNull(longitude);
        ArgumentNullException.ThrowIfNull(radiusMetres);
        var n = startSeconds.Length;
        if (endSeconds.Length != n || latitude.Length != n || longitude.Length != n || radiusMetres.Length != n)
        {
            throw new ArgumentException("The columns must have the same length.");
        }
        for (var i = 0; i < n; i++)
        {
            if (endSeconds[i] < startSeconds[i] || radiusMetres[i] < 0 || !(Math.Abs(latitude[i]) <= 90) || !double.IsFinite(longitude[i]))
            {
                throw new ArgumentException($"Report {i}: an interval that ends before it starts, a negative radius or a point off the globe.");
            }
        }
        (Start, End, Latitude, Longitude, Radius) = (startSeconds, endSeconds, latitude, longitude, radiusMetres);
    }

    /// <summary>Start of each report's interval (Unix seconds).</summary>
    public long[] Start { get; }

    /// <summary>End of each report's interval (Unix seconds, inclusive).</summary>
    public long[] End { get; }

    /// <summary>Latitude, degrees.</summary>
    public double[] Latitude { get; }

    /// <summary>Longitude, degrees.</summary>
    public double[] Longitude { get; }

    /// <summary>Uncertainty radius, metres.</summary>
    public double[] Radius { get; }

    /// <summary>Number of reports.</summary>
    public int Count => Start.Length;
}

/// <summary>The candidate pairs found: each unordered pair once, as indexes into the searched reports.</summary>
public sealed class CandidatePairs
{
    internal CandidatePairs(int reports, long[] packed)
    {
        Reports = reports;
        Packed = packed;
    }

    /// <summary>Number of reports searched.</summary>
    public int Reports { get; }

    /// <summary>The pairs, each packed as <c>(long)first &lt;&lt; 32 | second</c>, in no particular order.</summary>
    public long[] Packed { get; }

    /// <summary>Number of pairs.</summary>
    public long Count => Packed.LongLength;

    /// <summary>The pairs as (first, second) index tuples.</summary>
    public IEnumerable<(int First, int Second)> Pairs => Packed.Select(p => ((int)(p >> 32), (int)(p & 0xFFFF_FFFF)));

    /// <summary>For each report, the reports it pairs with (CSR form: neighbours of i are <c>Neighbours[Offsets[i]..Offsets[i + 1]]</c>).</summary>
    public (int[] Offsets, int[] Neighbours) Adjacency()
    {
        var offsets = new int[Reports + 1];
        foreach (var p in Packed)
        {
            offsets[(int)(p >> 32) + 1]++;
            offsets[(int)(p & 0xFFFF_FFFF) + 1]++;
        }
        for (var i = 0; i < Reports; i++)
        {
            offsets[i + 1] += offsets[i];
        }
        var fill = offsets[..^1].ToArray();
        var neighbours = new int[offsets[^1]];
        foreach (var p in Packed)
        {
            var a = (int)(p >> 32);
            var b = (int)(p & 0xFFFF_FFFF);
            neighbours[fill[a]++] = b;
            neighbours[fill[b]++] = a;
        }
        for (var i = 0; i < Reports; i++)
        {
            Array.Sort(neighbours, offsets[i], offsets[i + 1] - offsets[i]);
        }
        return (offsets, neighbours);
    }
}

/// <summary>
/// Finds every pair of reports within a <see cref="CandidateWindow"/>: time intervals at most <c>MaxGap</c> apart and
/// great-circle distance at most <c>MaxDistanceMetres</c> plus both uncertainty radii, on the sphere PostGIS's
/// <c>ST_DistanceSphere</c> uses (same formula, same radius), so counts agree with PostGIS to the pair. Exact: the
/// grid only narrows the search; every candidate is tested.
/// </summary>
/// <remarks>
/// Reports are grouped in classes by uncertainty (radius up to 0, 5, 25, 50 km or more; interval up to 1 h, 1 day,
/// 7 days or more). Each class has its own grid of latitude bands and longitude cells about as wide as the largest
/// search distance against it, each cell a column sorted by start time. A report searches the few cells around it
/// in every class; within its own class it scans forward in time only (from itself to its end plus the gap), so each
/// pair is met once, from the earlier report; against a coarser class it scans the time range the class's longest
/// interval can reach. Runs in parallel.
/// </remarks>
public static class CandidateSearch
{
    /// <summary>The sphere of PostGIS's <c>ST_DistanceSphere</c>: the WGS 84 mean radius (2a + b) / 3, metres.</summary>
    public static readonly double EarthRadiusMetres = ((2 * 6_378_137.0) + 6_356_752.314245179497563967) / 3;

    private static readonly double MetresPerDegree = EarthRadiusMetres * Math.PI / 180;

    /// <summary>
    /// Great-circle distance in metres between two points given in degrees: the spherical Vincenty formula PostGIS's
    /// <c>sphere_distance</c> evaluates, times <see cref="EarthRadiusMetres"/>.
    /// </summary>
    public static double DistanceMetres(double lat1, double lon1, double lat2, double lon2)
    {
        var p1 = lat1 * Math.PI / 180;
        var p2 = lat2 * Math.PI / 180;
        return Angle(Math.Sin(p1), Math.Cos(p1), Math.Sin(p2), Math.Cos(p2), (lon2 * Math.PI / 180) - (lon1 * Math.PI / 180)) * EarthRadiusMetres;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Angle(double sin1, double cos1, double sin2, double cos2, double dLon)
    {
        var cosD = Math.Cos(dLon);
        var a1 = cos2 * Math.Sin(dLon);
        var a2 = (cos1 * sin2) - (sin1 * cos2 * cosD);
        var a = Math.Sqrt((a1 * a1) + (a2 * a2));
        var b = (sin1 * sin2) + (cos1 * cos2 * cosD);
        return Math.Atan2(a, b);
    }

    /// <summary>Finds every candidate pair of <paramref name="points"/>.</summary>
    /// <param name="points">The reports.</param>
    /// <param name="window">How close; <see cref="CandidateWindow.Default"/> when null.</param>
    /// <param name="maxDegreeOfParallelism">Threads; -1 for every core.</param>
    /// <param name="cancellationToken">Stops the search.</param>
    public static CandidatePairs Find(CandidatePoints points, CandidateWindow? window = null, int maxDegreeOfParallelism = -1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        var w = window ?? CandidateWindow.Default;
        if (w.MaxGap < TimeSpan.Zero || !(w.MaxDistanceMetres >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(window), "The window needs a gap and a distance of zero or more.");
        }
        var n = points.Count;
        if (n == 0)
        {
            return new CandidatePairs(0, []);
        }
        var gap = (long)Math.Ceiling(w.MaxGap.TotalSeconds);
        // In radians as PostGIS converts them (degrees * pi / 180), and the sines and cosines of latitude once.
        var sin = new double[n];
        var cos = new double[n];
        var lonRad = new double[n];
        var unit = new double[3 * n];
        for (var i = 0; i < n; i++)
        {
            var phi = points.Latitude[i] * Math.PI / 180;
            sin[i] = Math.Sin(phi);
            cos[i] = Math.Cos(phi);
            lonRad[i] = points.Longitude[i] * Math.PI / 180;
            unit[3 * i] = cos[i] * Math.Cos(lonRad[i]);
            unit[(3 * i) + 1] = cos[i] * Math.Sin(lonRad[i]);
            unit[(3 * i) + 2] = sin[i];
        }
        var classOf = new byte[n];
        var classes = BuildClasses(points, w, classOf, unit);
        var search = new Search(points, w.MaxDistanceMetres, gap, sin, cos, lonRad, unit, classOf, classes);

        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        var results = new System.Collections.Concurrent.ConcurrentBag<List<long>>();
        const int chunk = 4096;
        Parallel.For(0, (n + chunk - 1) / chunk, options, () => new List<long>(), (c, _, local) =>
        {
            var to = Math.Min(n, (c + 1) * chunk);
            for (var i = c * chunk; i < to; i++)
            {
                search.From(i, local);
            }
            return local;
        }, results.Add);
        var total = results.Sum(r => (long)r.Count);
        var packed = new long[total];
        long at = 0;
        foreach (var r in results)
        {
            r.CopyTo(packed, (int)at);
            at += r.Count;
        }
        return new CandidatePairs(n, packed);
    }

    private static GridClass[] BuildClasses(CandidatePoints p, CandidateWindow w, byte[] classOf, double[] unit)
    {
        var members = new List<int>[20];
        for (var i = 0; i < p.Count; i++)
        {
            var r = p.Radius[i];
            var rb = r <= 0 ? 0 : r <= 5_000 ? 1 : r <= 25_000 ? 2 : r <= 50_000 ? 3 : 4;
            var d = p.End[i] - p.Start[i];
            var db = d <= 3_600 ? 0 : d <= 86_400 ? 1 : d <= 7 * 86_400 ? 2 : 3;
            var c = (rb * 4) + db;
            classOf[i] = (byte)c;
            (members[c] ??= []).Add(i);
        }
        var classes = new GridClass[20];
        for (var c = 0; c < 20; c++)
        {
            classes[c] = members[c] is { } m ? new GridClass(p, m, w.MaxDistanceMetres, unit) : GridClass.Empty;
        }
        return classes;
    }

    /// <summary>One class's grid: columns (latitude band, longitude cell) of member indexes sorted by (start, index).</summary>
    private sealed class GridClass
    {
        public static readonly GridClass Empty = new();

        private GridClass()
        {
            Columns = [];
            Members = [];
        }

        public GridClass(CandidatePoints p, List<int> members, double maxDistance, double[] unit)
        {
            MaxRadius = members.Max(i => p.Radius[i]);
            MaxDuration = members.Max(i => p.End[i] - p.Start[i]);
            CellMetres = Math.Max(maxDistance + MaxRadius, 1_000);
            BandDegrees = CellMetres / MetresPerDegree;
            var bands = (int)Math.Ceiling(180 / BandDegrees) + 1;
            _cellDegrees = new double[bands];
            _cellCounts = new int[bands];
            _polarCos = new double[bands];
            for (var b = 0; b < bands; b++)
            {
                var lo = -90 + (b * BandDegrees);
                var polar = Math.Min(90, Math.Max(Math.Abs(lo), Math.Abs(lo + BandDegrees)));
                var c = Math.Cos(polar * Math.PI / 180);
                _polarCos[b] = Math.Max(c, 0);
                _cellDegrees[b] = c < 1e-9 ? 360 : Math.Min(360, CellMetres / (MetresPerDegree * c));
                _cellCounts[b] = (int)Math.Ceiling(360 / _cellDegrees[b]);
            }
            var keys = new long[members.Count];
            var order = members.ToArray();
            for (var k = 0; k < order.Length; k++)
            {
                var i = order[k];
                var band = Band(p.Latitude[i]);
                keys[k] = Key(band, Cell(band, p.Longitude[i]));
            }
            // Sort by (column, start, index): by column first, then each column by start and index packed in one
            // number (start relative to the earliest, in the high bits).
            var idx = Enumerable.Range(0, order.Length).ToArray();
            Array.Sort((long[])keys.Clone(), idx);
            var minStart = members.Min(i => p.Start[i]);
            var span = members.Max(i => p.Start[i]) - minStart;
            var packable = span < (1L << 36) && p.Count < (1 << 27);
            var within = new long[idx.Length];
            for (var from = 0; from < idx.Length;)
            {
                var to = from + 1;
                while (to < idx.Length && keys[idx[to]] == keys[idx[from]])
                {
                    to++;
                }
                if (to - from > 1)
                {
                    if (packable)
                    {
                        for (var k = from; k < to; k++)
                        {
                            var i = order[idx[k]];
                            within[k] = ((p.Start[i] - minStart) << 27) | (long)i;
                        }
                        Array.Sort(within, idx, from, to - from);
                    }
                    else
                    {
                        Array.Sort(idx, from, to - from, Comparer<int>.Create((x, y) =>
                        {
                            var c = p.Start[order[x]].CompareTo(p.Start[order[y]]);
                            return c != 0 ? c : order[x].CompareTo(order[y]);
                        }));
                    }
                }
                from = to;
            }
            Members = new Member[order.Length];
            Columns = new Dictionary<long, (int From, int To)>(MixedKeys.Instance);
            for (var k = 0; k < idx.Length; k++)
            {
                var i = order[idx[k]];
                Members[k] = new Member(p.Start[i], p.End[i], p.Latitude[i], p.Radius[i], unit[3 * i], unit[(3 * i) + 1], unit[(3 * i) + 2], i);
                var key = keys[idx[k]];
                Columns[key] = Columns.TryGetValue(key, out var range) ? (range.From, k + 1) : (k, k + 1);
            }
        }

        private readonly double[] _cellDegrees = [];
        private readonly int[] _cellCounts = [];
        private readonly double[] _polarCos = [];

        public double MaxRadius { get; }

        public long MaxDuration { get; }

        public double CellMetres { get; }

        public double BandDegrees { get; }

        public Dictionary<long, (int From, int To)> Columns { get; }

        /// <summary>
        /// The members in column order, each with what a scan reads in one 64-byte record, so that a scan touches one
        /// run of memory instead of jumping about the input.
        /// </summary>
        public Member[] Members { get; }

        public int Band(double lat) => (int)Math.Floor((lat + 90) / BandDegrees);

        /// <summary>Longitude cell width of a band, degrees: the cell size at the band's edge nearest a pole.</summary>
        public double CellDegrees(int band) => _cellDegrees[band];

        /// <summary>Cells around the globe in a band.</summary>
        public int CellCount(int band) => _cellCounts[band];

        /// <summary>Cosine of the latitude of the band's edge nearest a pole.</summary>
        public double PolarCos(int band) => _polarCos[band];

        public int Cell(int band, double lon)
        {
            var count = CellCount(band);
            var cell = (int)Math.Floor((NormalizeLon(lon) + 180) / CellDegrees(band));
            return Math.Clamp(cell, 0, count - 1);
        }

        public static long Key(int band, int cell) => ((long)band << 32) | (uint)cell;
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private readonly record struct Member(long Start, long End, double Latitude, double Radius, double X, double Y, double Z, int Index);

    /// <summary>
    /// Hashes column keys by multiplication: a long's own hash folds band and cell together by XOR, and neighbouring
    /// columns (band ~ cell) would fall into a few thousand buckets.
    /// </summary>
    private sealed class MixedKeys : IEqualityComparer<long>
    {
        public static readonly MixedKeys Instance = new();

        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> 32);
    }

    private static double NormalizeLon(double lon)
    {
        lon %= 360;
        return lon < -180 ? lon + 360 : lon >= 180 ? lon - 360 : lon;
    }

    private sealed class Search(CandidatePoints p, double maxDistance, long gap, double[] sin, double[] cos, double[] lonRad, double[] unit, byte[] classOf, GridClass[] classes)
    {
        /// <summary>The squared chord of <c>maxDistance</c> on the unit sphere: the test between exact points.</summary>
        private readonly double _chord2 = Chord2(maxDistance);

        /// <summary>Relative margin around the chord test inside which the exact formula decides.</summary>
        private const double Margin = 1e-9;

        private static double Chord2(double metres)
        {
            var angle = metres / EarthRadiusMetres;
            if (angle >= Math.PI)
            {
                return 4.0001;
            }
            var c = 2 * Math.Sin(angle / 2);
            return c * c;
        }

        public void From(int i, List<long> output)
        {
            var own = classOf[i];
            for (var c = own; c < classes.Length; c++)
            {
                var grid = classes[c];
                if (grid.Columns.Count == 0)
                {
                    continue;
                }
                var reach = maxDistance + p.Radius[i] + grid.MaxRadius;
                var dLat = (reach / MetresPerDegree) + 1e-9;
                var lat = p.Latitude[i];
                var b0 = grid.Band(Math.Max(-90, lat - dLat));
                var b1 = grid.Band(Math.Min(90, lat + dLat));
                for (var band = b0; band <= b1; band++)
                {
                    // Longitude reach at the highest latitude the band or the report touches, with a margin for the
                    // great circle bowing poleward of the parallel (second order at these distances).
                    var cp = Math.Min(grid.PolarCos(band), cos[i]);
                    var count = grid.CellCount(band);
                    if (cp < 1e-9 || reach / (MetresPerDegree * cp) * 1.01 >= 180)
                    {
                        Cells(i, c == own, grid, band, 0, count - 1, output);
                        continue;
                    }
                    // Longitudes as x = lon + 180 in [0, 360); the search interval may cross the antimeridian, in which
                    // case its part beyond it is searched at the other end (cells do not wrap evenly: 360 is rarely a
                    // multiple of the cell width).
                    var dLon = (reach / (MetresPerDegree * cp) * 1.01) + 1e-9;
                    var width = grid.CellDegrees(band);
                    var x = NormalizeLon(p.Longitude[i]) + 180;
                    var lo = x - dLon;
                    var hi = x + dLon;
                    if (hi - lo >= 360)
                    {
                        Cells(i, c == own, grid, band, 0, count - 1, output);
                        continue;
                    }
                    Cells(i, c == own, grid, band, CellOf(Math.Max(lo, 0), width, count), CellOf(Math.Min(hi, 360), width, count), output);
                    if (lo < 0)
                    {
                        Cells(i, c == own, grid, band, CellOf(lo + 360, width, count), count - 1, output);
                    }
                    if (hi >= 360)
                    {
                        Cells(i, c == own, grid, band, 0, CellOf(hi - 360, width, count), output);
                    }
                }
            }
        }

        private static int CellOf(double x, double width, int count) => Math.Clamp((int)Math.Floor(x / width), 0, count - 1);

        private void Cells(int i, bool sameClass, GridClass grid, int band, int from, int to, List<long> output)
        {
            for (var cell = from; cell <= to; cell++)
            {
                if (grid.Columns.TryGetValue(GridClass.Key(band, cell), out var column))
                {
                    Scan(i, sameClass, grid, column, output);
                }
            }
        }

        private void Scan(int i, bool sameClass, GridClass grid, (int From, int To) column, List<long> output)
        {
            var start = p.Start[i];
            var end = p.End[i];
            var last = end + gap;
            var members = grid.Members;
            int k;
            if (sameClass)
            {
                // Forward only: the first member after (start, i) in (start, index) order.
                k = LowerBound(members, column.From, column.To, start);
                while (k < column.To && members[k].Start == start && members[k].Index <= i)
                {
                    k++;
                }
            }
            else
            {
                k = LowerBound(members, column.From, column.To, start - gap - grid.MaxDuration);
            }
            var lat = p.Latitude[i];
            var radius = p.Radius[i];
            var (ux, uy, uz) = (unit[3 * i], unit[(3 * i) + 1], unit[(3 * i) + 2]);
            for (; k < column.To; k++)
            {
                ref readonly var m = ref members[k];
                if (m.Start > last)
                {
                    break;
                }
                if (!sameClass && start - m.End > gap)
                {
                    continue;
                }
                var limit = maxDistance + radius + m.Radius;
                if (Math.Abs(m.Latitude - lat) * MetresPerDegree > (limit * 1.000001) + 1e-6)
                {
                    continue;
                }
                // The chord between unit vectors decides clear cases (monotonic in the angle); within a relative 1e-9
                // of the limit the formula PostGIS evaluates decides, from the lower index to the higher as
                // ST_DistanceSphere(a, b) runs for a.id < b.id, so counts agree to the pair.
                var dx = ux - m.X;
                var dy = uy - m.Y;
                var dz = uz - m.Z;
                var chord2 = (dx * dx) + (dy * dy) + (dz * dz);
                var threshold = limit == maxDistance ? _chord2 : Chord2(limit);
                if (chord2 > threshold * (1 + Margin))
                {
                    continue;
                }
                var j = m.Index;
                var (s, e) = i < j ? (i, j) : (j, i);
                if (chord2 < threshold * (1 - Margin) || Angle(sin[s], cos[s], sin[e], cos[e], lonRad[e] - lonRad[s]) * EarthRadiusMetres <= limit)
                {
                    output.Add(((long)s << 32) | (uint)e);
                }
            }
        }

        private static int LowerBound(Member[] a, int from, int to, long value)
        {
            var lo = from;
            var hi = to;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (a[mid].Start < value)
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
}

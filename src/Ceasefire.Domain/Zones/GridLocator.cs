using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;

namespace Ceasefire.Zones;

/// <summary>Where a point lies relative to a polygonal area.</summary>
public enum PointLocation : byte
{
    /// <summary>Outside the area.</summary>
    Outside = 0,
    /// <summary>In the interior.</summary>
    Inside = 1,
    /// <summary>Exactly on the boundary (an edge or a vertex).</summary>
    OnBoundary = 2,
}

/// <summary>
/// Exact point-in-polygon location, answered in constant time for most points by a two-level raster of the area.
/// </summary>
/// <remarks>
/// Level 1 is a grid of about <c>L1Target</c> square cells over the envelope; a cell that no edge touches is wholly
/// inside or wholly outside, decided once by a scanline (even-odd crossing count at the row's centre line). A cell that
/// some edge touches is split into 32 x 32 sub-cells, classified the same way. A point in a sub-cell that an edge
/// touches falls back to NTS's <see cref="IndexedPointInAreaLocator"/>, so the answer is always exact: the raster only
/// decides what it can prove. Cells are marked conservatively (edges are widened by a margin far above rounding error).
/// Built once; immutable and safe to share across threads afterwards.
/// </remarks>
internal sealed class GridLocator
{
    private const int L1Target = 16_384;
    private const int Sub = 32;
    private const byte Out = 0, In = 1, Edge = 2;

    private readonly double _minX, _minY, _maxX, _maxY, _cell, _invCell, _subCell, _invSubCell;
    private readonly int _nx, _ny;
    private readonly byte[] _l1;
    private readonly int[] _blockOf;
    private readonly byte[] _l2;
    private readonly IndexedPointInAreaLocator _exact;

    public GridLocator(Geometry area)
    {
        var env = area.EnvelopeInternal;
        _minX = env.MinX;
        _minY = env.MinY;
        _maxX = env.MaxX;
        _maxY = env.MaxY;
        var w = Math.Max(env.Width, 1e-9);
        var h = Math.Max(env.Height, 1e-9);
        // Square cells, about L1Target of them; never more than 1024 along either axis, so that a long, thin zone
        // cannot make the raster (and its 1 KiB boundary blocks) grow without bound.
        _cell = Math.Max(Math.Max(Math.Sqrt(w * h / L1Target), Math.Max(w, h) / 1024), 1e-7);
        _nx = Math.Max(1, (int)Math.Ceiling(w / _cell));
        _ny = Math.Max(1, (int)Math.Ceiling(h / _cell));
        _invCell = 1 / _cell;
        _subCell = _cell / Sub;
        _invSubCell = 1 / _subCell;
        _exact = new IndexedPointInAreaLocator(area);
        _exact.Locate(new Coordinate(_minX, _minY)); // builds the index now, so later reads are lock-free

        var edges = CollectEdges(area);
        var margin = _cell * 1e-6;

        // Level 1: which cells do edges touch, and which edges cross each row band.
        var rowEdges = new List<int>[_ny];
        for (var r = 0; r < _ny; r++)
        {
            rowEdges[r] = [];
        }
        _l1 = new byte[_nx * _ny];
        var cellEdges = new Dictionary<int, List<int>>();
        for (var e = 0; e < edges.Length; e++)
        {
            ref readonly var s = ref edges[e];
            var r0 = Math.Clamp((int)Math.Floor((Math.Min(s.Y1, s.Y2) - margin - _minY) * _invCell), 0, _ny - 1);
            var r1 = Math.Clamp((int)Math.Floor((Math.Max(s.Y1, s.Y2) + margin - _minY) * _invCell), 0, _ny - 1);
            for (var r = r0; r <= r1; r++)
            {
                rowEdges[r].Add(e);
                var band0 = _minY + r * _cell - margin;
                var (xa, xb) = ClipX(s, band0, band0 + _cell + 2 * margin);
                var c0 = Math.Clamp((int)Math.Floor((xa - margin - _minX) * _invCell), 0, _nx - 1);
                var c1 = Math.Clamp((int)Math.Floor((xb + margin - _minX) * _invCell), 0, _nx - 1);
                for (var c = c0; c <= c1; c++)
                {
                    var k = r * _nx + c;
                    _l1[k] = Edge;
                    if (!cellEdges.TryGetValue(k, out var list))
                    {
                        cellEdges[k] = list = [];
                    }
                    list.Add(e);
                }
            }
        }

        _blockOf = new int[_nx * _ny];
        Array.Fill(_blockOf, -1);
        var blocks = 0;
        foreach (var k in cellEdges.Keys.Order())
        {
            _blockOf[k] = blocks++;
        }
        _l2 = new byte[blocks * Sub * Sub];

        var xs = new List<double>();
        for (var r = 0; r < _ny; r++)
        {
            var yc = _minY + (r + 0.5) * _cell;
            Crossings(edges, rowEdges[r], yc, xs);
            for (var c = 0; c < _nx; c++)
            {
                var k = r * _nx + c;
                if (_l1[k] != Edge)
                {
                    _l1[k] = (CountBelow(xs, _minX + (c + 0.5) * _cell) & 1) == 1 ? In : Out;
                }
            }

            // Level 2 for the row's boundary cells: mark sub-cells that edges touch, then scan each sub-row.
            var rowBlocks = new List<int>();
            for (var c = 0; c < _nx; c++)
            {
                var k = r * _nx + c;
                if (_blockOf[k] < 0)
                {
                    continue;
                }
                rowBlocks.Add(c);
                var baseIndex = _blockOf[k] * Sub * Sub;
                var cx0 = _minX + c * _cell;
                var cy0 = _minY + r * _cell;
                var sm = _subCell * 1e-6;
                foreach (var e in cellEdges[k])
                {
                    ref readonly var s = ref edges[e];
                    var sr0 = Math.Clamp((int)Math.Floor((Math.Min(s.Y1, s.Y2) - sm - cy0) * _invSubCell), 0, Sub - 1);
                    var sr1 = Math.Clamp((int)Math.Floor((Math.Max(s.Y1, s.Y2) + sm - cy0) * _invSubCell), 0, Sub - 1);
                    for (var sr = sr0; sr <= sr1; sr++)
                    {
                        var b0 = cy0 + sr * _subCell - sm;
                        var (xa, xb) = ClipX(s, b0, b0 + _subCell + 2 * sm);
                        if (xb < cx0 - sm || xa > cx0 + _cell + sm)
                        {
                            continue;
                        }
                        var sc0 = Math.Clamp((int)Math.Floor((xa - sm - cx0) * _invSubCell), 0, Sub - 1);
                        var sc1 = Math.Clamp((int)Math.Floor((xb + sm - cx0) * _invSubCell), 0, Sub - 1);
                        for (var sc = sc0; sc <= sc1; sc++)
                        {
                            _l2[baseIndex + sr * Sub + sc] = Edge;
                        }
                    }
                }
            }
            if (rowBlocks.Count == 0)
            {
                continue;
            }
            for (var sr = 0; sr < Sub; sr++)
            {
                var ys = _minY + r * _cell + (sr + 0.5) * _subCell;
                Crossings(edges, rowEdges[r], ys, xs);
                foreach (var c in rowBlocks)
                {
                    var baseIndex = _blockOf[r * _nx + c] * Sub * Sub + sr * Sub;
                    for (var sc = 0; sc < Sub; sc++)
                    {
                        if (_l2[baseIndex + sc] != Edge)
                        {
                            var xc = _minX + c * _cell + (sc + 0.5) * _subCell;
                            _l2[baseIndex + sc] = (CountBelow(xs, xc) & 1) == 1 ? In : Out;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Number of level-2 blocks (boundary cells of level 1), for diagnostics.</summary>
    public int BlockCount => _l2.Length / (Sub * Sub);

    /// <summary>Locates (x, y) = (lon, lat) exactly.</summary>
    public PointLocation Locate(double x, double y)
    {
        if (!(x >= _minX && x <= _maxX && y >= _minY && y <= _maxY))
        {
            return PointLocation.Outside;
        }
        var fx = (x - _minX) * _invCell;
        var fy = (y - _minY) * _invCell;
        var c = Math.Min((int)fx, _nx - 1);
        var r = Math.Min((int)fy, _ny - 1);
        var k = r * _nx + c;
        var state = _l1[k];
        if (state != Edge)
        {
            return (PointLocation)state;
        }
        var sc = Math.Clamp((int)((fx - c) * Sub), 0, Sub - 1);
        var sr = Math.Clamp((int)((fy - r) * Sub), 0, Sub - 1);
        state = _l2[_blockOf[k] * Sub * Sub + sr * Sub + sc];
        if (state != Edge)
        {
            return (PointLocation)state;
        }
        return _exact.Locate(new Coordinate(x, y)) switch
        {
            Location.Interior => PointLocation.Inside,
            Location.Boundary => PointLocation.OnBoundary,
            _ => PointLocation.Outside,
        };
    }

    private readonly record struct Segment(double X1, double Y1, double X2, double Y2);

    private static Segment[] CollectEdges(Geometry area)
    {
        var list = new List<Segment>();
        for (var i = 0; i < area.NumGeometries; i++)
        {
            var poly = (Polygon)area.GetGeometryN(i);
            AddRing(poly.ExteriorRing, list);
            foreach (var hole in poly.InteriorRings)
            {
                AddRing(hole, list);
            }
        }
        return list.ToArray();

        static void AddRing(LineString ring, List<Segment> list)
        {
            var seq = ring.CoordinateSequence;
            for (var i = 1; i < seq.Count; i++)
            {
                list.Add(new Segment(seq.GetX(i - 1), seq.GetY(i - 1), seq.GetX(i), seq.GetY(i)));
            }
        }
    }

    /// <summary>The x-extent of the part of <paramref name="s"/> whose y lies in [y0, y1].</summary>
    private static (double, double) ClipX(in Segment s, double y0, double y1)
    {
        double ax = s.X1, ay = s.Y1, bx = s.X2, by = s.Y2;
        if (ay == by)
        {
            return (Math.Min(ax, bx), Math.Max(ax, bx));
        }
        double XAt(double y) => ax + (bx - ax) * ((y - ay) / (by - ay));
        var lo = Math.Max(Math.Min(ay, by), y0);
        var hi = Math.Min(Math.Max(ay, by), y1);
        if (lo > hi)
        {
            return (double.PositiveInfinity, double.NegativeInfinity);
        }
        var x0 = XAt(lo);
        var x1 = XAt(hi);
        return (Math.Min(x0, x1), Math.Max(x0, x1));
    }

    /// <summary>X-coordinates where the horizontal line at <paramref name="y"/> crosses the edges (half-open rule), sorted.</summary>
    private static void Crossings(Segment[] edges, List<int> candidates, double y, List<double> xs)
    {
        xs.Clear();
        foreach (var e in candidates)
        {
            ref readonly var s = ref edges[e];
            if ((s.Y1 > y) != (s.Y2 > y))
            {
                xs.Add(s.X1 + (y - s.Y1) * (s.X2 - s.X1) / (s.Y2 - s.Y1));
            }
        }
        xs.Sort();
    }

    private static int CountBelow(List<double> sorted, double x)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < x)
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

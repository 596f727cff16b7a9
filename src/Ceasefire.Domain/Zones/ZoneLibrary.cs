using Ceasefire.Geo;
using Ceasefire.Time;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;

namespace Ceasefire.Zones;

/// <summary>
/// A set of zones with a spatial index: an STRtree over the envelopes of every polygon of every zone, and for each
/// zone a prepared geometry and an exact raster locator. Built once; immutable and safe to share across threads.
/// Zones are addressed by their position (<c>0 .. Count-1</c>) on hot paths and by <see cref="ZoneId"/> elsewhere.
/// </summary>
public sealed class ZoneLibrary
{
    private readonly Zone[] _zones;
    private readonly Dictionary<ZoneId, int> _byId;
    private readonly STRtree<int> _tree;
    private readonly GridLocator[] _locators;
    private readonly IPreparedGeometry[] _prepared;
    private readonly Lazy<STRtree<LineSegment>>[] _boundaries;

    /// <summary>Builds the library; throws when two zones share an id.</summary>
    public ZoneLibrary(IEnumerable<Zone> zones)
        : this(zones, null)
    {
    }

    private ZoneLibrary(IEnumerable<Zone> zones, GridLocator[]? reuse)
    {
        ArgumentNullException.ThrowIfNull(zones);
        _zones = zones.ToArray();
        _byId = new Dictionary<ZoneId, int>();
        for (var i = 0; i < _zones.Length; i++)
        {
            if (!_byId.TryAdd(_zones[i].Id, i))
            {
                throw new ArgumentException($"Zone id '{_zones[i].Id}' is used twice.", nameof(zones));
            }
        }
        _tree = new STRtree<int>();
        for (var i = 0; i < _zones.Length; i++)
        {
            var g = _zones[i].Geometry;
            for (var p = 0; p < g.NumGeometries; p++)
            {
                _tree.Insert(g.GetGeometryN(p).EnvelopeInternal, i);
            }
        }
        _tree.Build();
        _locators = new GridLocator[_zones.Length];
        var reused = reuse?.Length ?? 0;
        reuse?.CopyTo(_locators, 0);
        Parallel.For(reused, _zones.Length, i => _locators[i] = new GridLocator(_zones[i].Geometry));
        _prepared = _zones.Select(z => PreparedGeometryFactory.Prepare(z.Geometry)).ToArray();
        _boundaries = _zones.Select(z => new Lazy<STRtree<LineSegment>>(() => BuildBoundaryIndex(z.Geometry))).ToArray();
    }

    /// <summary>An empty library.</summary>
    public static ZoneLibrary Empty { get; } = new([]);

    /// <summary>Number of zones.</summary>
    public int Count => _zones.Length;

    /// <summary>The zones in order.</summary>
    public IReadOnlyList<Zone> Zones => _zones;

    /// <summary>The zone at <paramref name="index"/>.</summary>
    public Zone this[int index] => _zones[index];

    /// <summary>The position of the zone with <paramref name="id"/>, or -1.</summary>
    public int IndexOf(ZoneId id) => _byId.TryGetValue(id, out var i) ? i : -1;

    /// <summary>The zone with <paramref name="id"/>, if any.</summary>
    public bool TryGet(ZoneId id, out Zone zone)
    {
        if (_byId.TryGetValue(id, out var i))
        {
            zone = _zones[i];
            return true;
        }
        zone = null!;
        return false;
    }

    /// <summary>A new library with <paramref name="more"/> added after these zones (ids must not clash).</summary>
    public ZoneLibrary With(IEnumerable<Zone> more) => new(_zones.Concat(more), _locators);

    /// <summary>The prepared geometry of a zone (thread-safe for predicates).</summary>
    public IPreparedGeometry Prepared(int index) => _prepared[index];

    /// <summary>Exact location of the point (<paramref name="lon"/>, <paramref name="lat"/>) relative to one zone.</summary>
    public PointLocation Locate(int zone, double lon, double lat) => _locators[zone].Locate(lon, lat);

    /// <summary>
    /// Every zone that contains or touches the point, written as bits: bit <c>i</c> of <paramref name="inside"/> set
    /// when zone <c>i</c> has the point in its interior, of <paramref name="onBoundary"/> when it lies on the zone's
    /// boundary. Both spans need <see cref="BitWords"/> words and are cleared first.
    /// </summary>
    public void LocatePoint(double lon, double lat, Span<ulong> inside, Span<ulong> onBoundary)
    {
        inside.Clear();
        onBoundary.Clear();
        var visitor = t_visitor ??= new CandidateVisitor();
        visitor.Reset();
        _tree.Query(new Envelope(lon, lon, lat, lat), visitor);
        foreach (var z in visitor.Candidates)
        {
            var word = z >> 6;
            var bit = 1UL << (z & 63);
            if ((inside[word] & bit) != 0 || (onBoundary[word] & bit) != 0)
            {
                continue; // several polygons of one zone may be candidates
            }
            switch (_locators[z].Locate(lon, lat))
            {
                case PointLocation.Inside:
                    inside[word] |= bit;
                    break;
                case PointLocation.OnBoundary:
                    onBoundary[word] |= bit;
                    break;
            }
        }
    }

    /// <summary>
    /// Every zone an uncertainty circle (radius in metres) overlaps: bit <c>i</c> of <paramref name="inside"/> when the
    /// whole circle is inside zone <c>i</c>, of <paramref name="straddles"/> when it crosses the zone's boundary (see
    /// <see cref="Relate"/>). For radius 0 this is <see cref="LocatePoint"/> with boundary points straddling.
    /// </summary>
    public void LocateCircle(in IncidentLocation location, Span<ulong> inside, Span<ulong> straddles)
    {
        if (location.RadiusMetres <= 0)
        {
            LocatePoint(location.Longitude, location.Latitude, inside, straddles);
            return;
        }
        inside.Clear();
        straddles.Clear();
        var dLat = location.RadiusMetres / 111_000.0 * 1.05;
        var cosLat = Math.Max(Math.Cos(Math.Min(Math.Abs(location.Latitude) + dLat, 89.9) * Math.PI / 180), 0.01);
        var dLon = Math.Min(dLat / cosLat, 180);
        var visitor = t_visitor ??= new CandidateVisitor();
        visitor.Reset();
        _tree.Query(new Envelope(location.Longitude - dLon, location.Longitude + dLon, location.Latitude - dLat, location.Latitude + dLat), visitor);
        foreach (var z in visitor.Candidates.Distinct().ToArray())
        {
            var word = z >> 6;
            var bit = 1UL << (z & 63);
            switch (Relate(z, location))
            {
                case Overlap.Inside:
                    inside[word] |= bit;
                    break;
                case Overlap.Straddles:
                    straddles[word] |= bit;
                    break;
            }
        }
    }

    /// <summary>Number of 64-bit words a zone bit set of this library needs.</summary>
    public int BitWords => Math.Max(1, (_zones.Length + 63) >> 6);

    /// <summary>
    /// Relates an uncertain location (a point and an uncertainty circle) to one zone: <see cref="Overlap.Inside"/>
    /// when the whole circle lies in the interior, <see cref="Overlap.Outside"/> when it lies wholly outside, and
    /// <see cref="Overlap.Straddles"/> when the circle reaches the zone's boundary (a point exactly on the boundary
    /// straddles it). Distances are great-circle metres, computed in a local projection centred on the point.
    /// </summary>
    public Overlap Relate(int zone, in IncidentLocation location)
    {
        var at = _locators[zone].Locate(location.Longitude, location.Latitude);
        if (at == PointLocation.OnBoundary)
        {
            return Overlap.Straddles;
        }
        if (location.RadiusMetres > 0 && DistanceToBoundaryMetres(zone, location.Longitude, location.Latitude, location.RadiusMetres) <= location.RadiusMetres)
        {
            return Overlap.Straddles;
        }
        return at == PointLocation.Inside ? Overlap.Inside : Overlap.Outside;
    }

    /// <summary>
    /// Distance in metres from a point to the nearest point of the zone's boundary, searched up to
    /// <paramref name="searchMetres"/>; <see cref="double.PositiveInfinity"/> when no boundary is that near.
    /// </summary>
    public double DistanceToBoundaryMetres(int zone, double lon, double lat, double searchMetres)
    {
        var dLat = searchMetres / 111_000.0 * 1.05 + 1e-6;
        var cosLat = Math.Max(Math.Cos(Math.Min(Math.Abs(lat) + dLat, 89.9) * Math.PI / 180), 0.01);
        var dLon = Math.Min(dLat / cosLat, 180);
        var hits = _boundaries[zone].Value.Query(new Envelope(lon - dLon, lon + dLon, lat - dLat, lat + dLat));
        if (hits.Count == 0)
        {
            return double.PositiveInfinity;
        }
        var proj = new LocalProjection(lon, lat);
        var best = double.PositiveInfinity;
        foreach (var seg in hits)
        {
            var (ax, ay) = proj.Forward(seg.P0.X, seg.P0.Y);
            var (bx, by) = proj.Forward(seg.P1.X, seg.P1.Y);
            best = Math.Min(best, DistanceToSegment(ax, ay, bx, by));
        }
        return best;
    }

    private static double DistanceToSegment(double ax, double ay, double bx, double by)
    {
        double dx = bx - ax, dy = by - ay;
        var len2 = dx * dx + dy * dy;
        var t = len2 == 0 ? 0 : Math.Clamp(-(ax * dx + ay * dy) / len2, 0, 1);
        var px = ax + t * dx;
        var py = ay + t * dy;
        return Math.Sqrt(px * px + py * py);
    }

    /// <summary>Longest boundary piece used for distances, degrees (about 2 km).</summary>
    private const double MaxBoundaryPieceDegrees = 0.02;

    private static STRtree<LineSegment> BuildBoundaryIndex(Geometry g)
    {
        var tree = new STRtree<LineSegment>();
        var boundary = g.Boundary;
        for (var i = 0; i < boundary.NumGeometries; i++)
        {
            var seq = ((LineString)boundary.GetGeometryN(i)).CoordinateSequence;
            for (var k = 1; k < seq.Count; k++)
            {
                // Edges are straight in longitude/latitude but distances are measured in a local projection where
                // they bow; split long edges so that the chord error stays far below a metre.
                var a = seq.GetCoordinate(k - 1);
                var b = seq.GetCoordinate(k);
                var pieces = Math.Max(1, (int)Math.Ceiling(Math.Max(Math.Abs(b.X - a.X), Math.Abs(b.Y - a.Y)) / MaxBoundaryPieceDegrees));
                for (var p = 0; p < pieces; p++)
                {
                    var p0 = new Coordinate(a.X + (b.X - a.X) * p / pieces, a.Y + (b.Y - a.Y) * p / pieces);
                    var p1 = p == pieces - 1 ? b : new Coordinate(a.X + (b.X - a.X) * (p + 1) / pieces, a.Y + (b.Y - a.Y) * (p + 1) / pieces);
                    var s = new LineSegment(p0, p1);
                    tree.Insert(new Envelope(s.P0, s.P1), s);
                }
            }
        }
        tree.Build();
        return tree;
    }

    [ThreadStatic]
    private static CandidateVisitor? t_visitor;

    private sealed class CandidateVisitor : NetTopologySuite.Index.IItemVisitor<int>
    {
        public List<int> Candidates { get; } = new(8);

        public void Reset() => Candidates.Clear();

        public void VisitItem(int item) => Candidates.Add(item);
    }
}

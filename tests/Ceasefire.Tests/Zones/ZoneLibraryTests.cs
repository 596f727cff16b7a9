using Ceasefire.Geo;
using Ceasefire.Import.GeoJson;
using Ceasefire.Time;
using Ceasefire.Zones;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;

namespace Ceasefire.Tests.Zones;

public sealed class ZoneLibraryTests
{
    private static readonly GeometryFactory F = Wgs84.Factory;

    // Z: the square [30, 32] x [48, 50] degrees with a hole [30.8, 31.2] x [48.8, 49.2].
    // Y: [31.5, 33] x [49, 51], overlapping Z's north-east corner.
    // T: the triangle (30, 48), (34, 48), (30, 52), whose hypotenuse x + y = 82 runs diagonally.
    private static readonly ZoneLibrary Library = new(
    [
        new Zone(new ZoneId("Z"), "Z", Box(30, 48, 32, 50, hole: (30.8, 48.8, 31.2, 49.2))),
        new Zone(new ZoneId("Y"), "Y", Box(31.5, 49, 33, 51)),
        new Zone(new ZoneId("T"), "T", F.CreatePolygon([new(30, 48), new(34, 48), new(30, 52), new(30, 48)])),
    ]);

    private const int Z = 0, Y = 1, T = 2;

    private static readonly Lazy<ZoneLibrary> Bench = new(() =>
    {
        var result = GeoJsonReader.ReadZones(Path.Combine(AppContext.BaseDirectory, "TestData", "zones.geojson"),
            new ZoneReadOptions { InvalidGeometry = InvalidGeometryPolicy.Repair });
        Assert.Empty(result.Errors);
        return new ZoneLibrary(result.Value!.Zones);
    });

    private static Polygon Box(double x0, double y0, double x1, double y1, (double X0, double Y0, double X1, double Y1)? hole = null)
    {
        LinearRing Ring(double a0, double b0, double a1, double b1) =>
            F.CreateLinearRing([new(a0, b0), new(a1, b0), new(a1, b1), new(a0, b1), new(a0, b0)]);
        return hole is { } h ? F.CreatePolygon(Ring(x0, y0, x1, y1), [Ring(h.X0, h.Y0, h.X1, h.Y1)]) : F.CreatePolygon(Ring(x0, y0, x1, y1));
    }

    private static IncidentLocation At(double lon, double lat, double radiusMetres = 0) =>
        new(lon, lat, LocationPrecision.Exact, radiusMetres);

    /// <summary>The longitude <paramref name="metres"/> west (negative: east) of <paramref name="lon"/> along a parallel.</summary>
    private static double West(double lon, double lat, double metres) =>
        lon - metres / (Wgs84.EarthRadiusMetres * Math.Cos(lat * Math.PI / 180)) * 180 / Math.PI;

    private static PointLocation Exact(IndexedPointInAreaLocator locator, double x, double y) =>
        locator.Locate(new Coordinate(x, y)) switch
        {
            Location.Interior => PointLocation.Inside,
            Location.Boundary => PointLocation.OnBoundary,
            _ => PointLocation.Outside,
        };

    [Fact]
    public void Locate_PointInHole_IsOutside()
    {
        Assert.Equal(PointLocation.Outside, Library.Locate(Z, 31, 49));
        Assert.Equal(Overlap.Outside, Library.Relate(Z, At(31, 49)));
    }

    [Theory]
    [InlineData(32, 48.5)] // east edge
    [InlineData(31, 48)] // south edge
    [InlineData(30.8, 49)] // the hole's west edge
    [InlineData(31.1, 49.2)] // the hole's north edge
    public void Locate_PointExactlyOnAnEdge_IsOnBoundaryAndStraddles(double lon, double lat)
    {
        Assert.Equal(PointLocation.OnBoundary, Library.Locate(Z, lon, lat));
        Assert.Equal(Overlap.Straddles, Library.Relate(Z, At(lon, lat)));
    }

    [Theory]
    [InlineData(30, 48)]
    [InlineData(32, 50)]
    [InlineData(31.2, 49.2)] // a vertex of the hole
    public void Locate_PointOnAVertex_IsOnBoundary(double lon, double lat)
    {
        Assert.Equal(PointLocation.OnBoundary, Library.Locate(Z, lon, lat));
        Assert.Equal(Overlap.Straddles, Library.Relate(Z, At(lon, lat)));
    }

    [Fact]
    public void Locate_PointOnADiagonalEdge_IsOnBoundary()
    {
        Assert.Equal(PointLocation.OnBoundary, Library.Locate(T, 32, 50));
        Assert.Equal(PointLocation.OnBoundary, Library.Locate(T, 31.5, 50.5));
        Assert.Equal(PointLocation.Inside, Library.Locate(T, 31.999999, 50));
        Assert.Equal(PointLocation.Outside, Library.Locate(T, 32.000001, 50));
    }

    [Fact]
    public void DistanceToBoundary_ThreeKilometresFromAMeridianEdge_IsThreeKilometres()
    {
        var lon = West(32, 49, 3_000);
        Assert.Equal(3_000, Wgs84.DistanceMetres(lon, 49, 32, 49), 0.5);

        Assert.Equal(3_000, Library.DistanceToBoundaryMetres(Z, lon, 49, 10_000), 1.0);
        Assert.Equal(double.PositiveInfinity, Library.DistanceToBoundaryMetres(Z, lon, 49, 2_000));
    }

    [Theory]
    [InlineData(2_000, Overlap.Inside)]
    [InlineData(2_999, Overlap.Inside)]
    [InlineData(3_001, Overlap.Straddles)]
    [InlineData(4_000, Overlap.Straddles)]
    public void Relate_CircleThreeKilometresInsideTheEdge_InsideUnlessItReachesTheEdge(double radius, Overlap expected)
    {
        Assert.Equal(expected, Library.Relate(Z, At(West(32, 48.5, 3_000), 48.5, radius)));
    }

    [Theory]
    [InlineData(2_000, Overlap.Outside)]
    [InlineData(4_000, Overlap.Straddles)]
    public void Relate_CircleThreeKilometresOutsideTheEdge_OutsideUnlessItReachesTheEdge(double radius, Overlap expected)
    {
        Assert.Equal(expected, Library.Relate(Z, At(West(32, 48.5, -3_000), 48.5, radius)));
    }

    [Theory]
    [InlineData(10_000, Overlap.Outside)] // the hole is about 29 km wide and 44 km high
    [InlineData(20_000, Overlap.Straddles)]
    public void Relate_CircleInTheHole_OutsideUnlessItReachesTheHolesEdge(double radius, Overlap expected)
    {
        Assert.Equal(expected, Library.Relate(Z, At(31, 49, radius)));
    }

    [Fact]
    public void LocatePoint_InOverlappingZones_SetsEveryBit()
    {
        Span<ulong> inside = stackalloc ulong[Library.BitWords];
        Span<ulong> boundary = stackalloc ulong[Library.BitWords];

        Library.LocatePoint(31.7, 49.5, inside, boundary);
        Assert.Equal((1UL << Z) | (1UL << Y) | (1UL << T), inside[0]);
        Assert.Equal(0UL, boundary[0]);

        Library.LocatePoint(32, 49.5, inside, boundary);
        Assert.Equal((1UL << Y) | (1UL << T), inside[0]);
        Assert.Equal(1UL << Z, boundary[0]);

        Library.LocatePoint(31, 49, inside, boundary); // in Z's hole, inside T
        Assert.Equal(1UL << T, inside[0]);
        Assert.Equal(0UL, boundary[0]);
    }

    [Fact]
    public void LocateCircle_AgreesWithRelate()
    {
        Span<ulong> inside = stackalloc ulong[Library.BitWords];
        Span<ulong> straddles = stackalloc ulong[Library.BitWords];
        IncidentLocation[] locations =
        [
            At(West(32, 48.5, 3_000), 48.5, 2_000), At(West(32, 48.5, 3_000), 48.5, 4_000), At(31, 49, 10_000),
            At(31, 49, 20_000), At(31.7, 49.5, 1_000), At(32, 49.5), At(35, 45, 50_000),
        ];
        foreach (var location in locations)
        {
            Library.LocateCircle(location, inside, straddles);
            for (var z = 0; z < Library.Count; z++)
            {
                var expected = Library.Relate(z, location);
                Assert.Equal(expected == Overlap.Inside, (inside[0] & (1UL << z)) != 0);
                Assert.Equal(expected == Overlap.Straddles, (straddles[0] & (1UL << z)) != 0);
            }
        }
    }

    [Fact]
    public void Locate_RandomPointsInEveryBenchmarkZone_AgreesWithNts()
    {
        var library = Bench.Value;
        var mismatches = new List<string>();
        Span<ulong> inside = stackalloc ulong[library.BitWords];
        Span<ulong> boundary = stackalloc ulong[library.BitWords];
        for (var i = 0; i < library.Count; i++)
        {
            var exact = new IndexedPointInAreaLocator(library[i].Geometry);
            var env = library[i].Geometry.EnvelopeInternal;
            var random = new Random(20250318 + i);
            for (var k = 0; k < 20_000; k++)
            {
                var x = env.MinX + random.NextDouble() * env.Width;
                var y = env.MinY + random.NextDouble() * env.Height;
                var expected = Exact(exact, x, y);
                var actual = library.Locate(i, x, y);
                if (actual != expected)
                {
                    mismatches.Add($"zone {library[i].Id} at ({x:R}, {y:R}): {actual}, NTS says {expected}");
                }
                CheckBits(library, x, y, inside, boundary, mismatches);
            }
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches, e.g.\n{string.Join('\n', mismatches.Take(10))}");
    }

    [Fact]
    public void Locate_VerticesEdgeMidpointsAndNearbyPointsOfBenchmarkZones_AgreeWithNts()
    {
        var library = Bench.Value;
        var mismatches = new List<string>();
        Span<ulong> inside = stackalloc ulong[library.BitWords];
        Span<ulong> boundary = stackalloc ulong[library.BitWords];
        var checkedPoints = 0;
        for (var i = 0; i < library.Count; i++)
        {
            var exact = new IndexedPointInAreaLocator(library[i].Geometry);
            var rings = library[i].Geometry.Boundary;
            for (var r = 0; r < rings.NumGeometries; r++)
            {
                var seq = ((LineString)rings.GetGeometryN(r)).CoordinateSequence;
                for (var k = 1; k < seq.Count; k++)
                {
                    double x0 = seq.GetX(k - 1), y0 = seq.GetY(k - 1), x1 = seq.GetX(k), y1 = seq.GetY(k);
                    // The vertex, the midpoint (on the edge up to rounding) and points a hair to either side of it.
                    (double X, double Y)[] points =
                    [
                        (x0, y0), ((x0 + x1) / 2, (y0 + y1) / 2),
                        ((x0 + x1) / 2 + (y1 - y0) * 1e-9, (y0 + y1) / 2 - (x1 - x0) * 1e-9),
                        ((x0 + x1) / 2 - (y1 - y0) * 1e-9, (y0 + y1) / 2 + (x1 - x0) * 1e-9),
                    ];
                    foreach (var (x, y) in points)
                    {
                        var expected = Exact(exact, x, y);
                        var actual = library.Locate(i, x, y);
                        if (actual != expected)
                        {
                            mismatches.Add($"zone {library[i].Id} at ({x:R}, {y:R}): {actual}, NTS says {expected}");
                        }
                        CheckBits(library, x, y, inside, boundary, mismatches);
                        checkedPoints++;
                    }
                    if (library.Locate(i, x0, y0) != PointLocation.OnBoundary)
                    {
                        mismatches.Add($"zone {library[i].Id} vertex ({x0:R}, {y0:R}) is not on the boundary");
                    }
                }
            }
        }
        Assert.True(checkedPoints > 190_000, $"only {checkedPoints} points checked"); // 4 per edge, about 48,800 edges
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches, e.g.\n{string.Join('\n', mismatches.Take(10))}");
    }

    /// <summary>The bits <see cref="ZoneLibrary.LocatePoint"/> sets must be what <see cref="ZoneLibrary.Locate"/> says of each zone.</summary>
    private static void CheckBits(ZoneLibrary library, double x, double y, Span<ulong> inside, Span<ulong> boundary, List<string> mismatches)
    {
        library.LocatePoint(x, y, inside, boundary);
        for (var z = 0; z < library.Count; z++)
        {
            var at = library.Locate(z, x, y);
            var bit = 1UL << (z & 63);
            if ((at == PointLocation.Inside) != ((inside[z >> 6] & bit) != 0) || (at == PointLocation.OnBoundary) != ((boundary[z >> 6] & bit) != 0))
            {
                mismatches.Add($"LocatePoint bits for zone {library[z].Id} at ({x:R}, {y:R}) disagree with Locate ({at})");
            }
        }
    }

    [Fact]
    public void DistanceToBoundary_NearALongEastWestEdge_IsMeasuredToTheEdgeNotToItsChord()
    {
        // Regression: the 2-degree north edge of Z (latitude 50) bows in a local projection; measuring to the chord
        // between its end points gave 3,478 m for a point 3 km south of it.
        var lat = 50 - 3_000 / (Wgs84.EarthRadiusMetres * Math.PI / 180);
        Assert.Equal(3_000, Library.DistanceToBoundaryMetres(Z, 31, lat, 10_000), 1.0);
        Assert.Equal(Overlap.Straddles, Library.Relate(Z, new IncidentLocation(31, lat, LocationPrecision.Exact, 3_400)));
        Assert.Equal(Overlap.Inside, Library.Relate(Z, new IncidentLocation(31, lat, LocationPrecision.Exact, 2_900)));
    }

    [Fact]
    public void Constructor_VeryThinSliver_BuildsAndLocatesExactly()
    {
        // Regression: a valid 1 x 1e-10 degree sliver made the raster overflow.
        var sliver = Box(30, 48, 31, 48 + 1e-10);
        var library = new ZoneLibrary([new Zone(new ZoneId("S"), "S", sliver)]);
        Assert.Equal(PointLocation.Inside, library.Locate(0, 30.5, 48 + 5e-11));
        Assert.Equal(PointLocation.Outside, library.Locate(0, 30.5, 48 + 2e-10));
        Assert.Equal(PointLocation.OnBoundary, library.Locate(0, 30.5, 48));
    }
}

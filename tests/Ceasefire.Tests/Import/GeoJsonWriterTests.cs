using System.Globalization;
using System.Text;
using Ceasefire.Geo;
using Ceasefire.Import.GeoJson;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace Ceasefire.Tests.Import;

public sealed class GeoJsonWriterTests
{
    private static readonly GeometryFactory F = Wgs84.Factory;

    private static Coordinate[] Ring(params (double X, double Y)[] points) => points.Select(p => new Coordinate(p.X, p.Y)).ToArray();

    private static Polygon SquareWithHole() => F.CreatePolygon(
        F.CreateLinearRing(Ring((30, 48), (32, 48), (32, 50), (30, 50), (30, 48))),
        [F.CreateLinearRing(Ring((30.5, 48.5), (30.5, 49.5), (31.5, 49.5), (31.5, 48.5), (30.5, 48.5)))]);

    private static IReadOnlyList<GeoJsonFeature> ReadBack(string json)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        var result = GeoJsonReader.ReadFeatures(stream, "written.geojson");
        Assert.Empty(result.Problems);
        return result.Value!;
    }

    [Fact]
    public void WriteGeometry_Coordinates_HaveSevenDecimalsWhateverTheCulture()
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var json = GeoJsonWriter.ToJson(F.CreatePoint(new Coordinate(30.123456789, -0.00000001)));

            Assert.Equal("""{"type":"Point","coordinates":[30.1234568,0]}""", json);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void WriteGeometry_FewerDecimals_AreRoundedHalfAwayFromZero()
    {
        var json = GeoJsonWriter.ToJson(F.CreateLineString(Ring((30.125, -48.125), (1e-3, 2))), decimals: 2);

        Assert.Equal("""{"type":"LineString","coordinates":[[30.13,-48.13],[0,2]]}""", json);
    }

    [Fact]
    public void RoundTrip_EveryGeometryType_IsExact()
    {
        Geometry[] geometries =
        [
            F.CreatePoint(new Coordinate(30.5234567, 50.4501234)),
            F.CreateMultiPointFromCoords(Ring((30, 48), (31.25, 49.125))),
            F.CreateLineString(Ring((36, 49.9), (37.5, 48.6), (35, 46.8))),
            F.CreateMultiLineString([F.CreateLineString(Ring((36, 49), (37, 48))), F.CreateLineString(Ring((38, 47), (39, 46)))]),
            SquareWithHole(),
            F.CreateMultiPolygon([SquareWithHole(), F.CreatePolygon(Ring((35, 48), (36, 48), (36, 49), (35, 48)))]),
            F.CreateGeometryCollection([F.CreatePoint(new Coordinate(1, 2)), SquareWithHole()]),
            F.CreatePoint(),
        ];

        var read = ReadBack(GeoJsonWriter.ToJson(geometries.Select(g => new GeoJsonFeature(g))));

        Assert.Equal(geometries.Length, read.Count);
        for (var i = 0; i < geometries.Length; i++)
        {
            Assert.Equal(geometries[i].GeometryType, read[i].Geometry!.GeometryType);
            Assert.True(geometries[i].EqualsExact(read[i].Geometry!), $"{geometries[i]} != {read[i].Geometry}");
        }
    }

    [Fact]
    public void WriteGeometry_ClockwiseShell_IsWrittenByTheRightHandRule()
    {
        var clockwise = F.CreatePolygon(
            F.CreateLinearRing(Ring((30, 48), (30, 50), (32, 50), (32, 48), (30, 48))),
            [F.CreateLinearRing(Ring((30.5, 48.5), (31.5, 48.5), (31.5, 49.5), (30.5, 49.5), (30.5, 48.5)))]);

        var read = (Polygon)ReadBack(GeoJsonWriter.ToJson([new GeoJsonFeature(clockwise)]))[0].Geometry!;

        Assert.True(Orientation.IsCCW(read.Shell.CoordinateSequence));
        Assert.False(Orientation.IsCCW(read.Holes[0].CoordinateSequence));
        Assert.True(read.EqualsTopologically(clockwise));
    }

    [Fact]
    public void RoundTrip_Properties_KeepTheirValues()
    {
        var properties = new Dictionary<string, object?>
        {
            ["name"] = "Запорізька АЕС \"ZNPP\"",
            ["count"] = 42,
            ["big"] = 9_007_199_254_740_993L,
            ["share"] = 0.25,
            ["verified"] = false,
            ["note"] = null,
            ["date"] = new DateOnly(2025, 3, 18),
            ["tags"] = new[] { "energy", "nuclear" },
            ["extent"] = new Dictionary<string, object?> { ["km"] = 30 },
        };

        var read = ReadBack(GeoJsonWriter.ToJson([new GeoJsonFeature(F.CreatePoint(new Coordinate(34.585, 47.512)), properties, "znpp")]))[0];

        Assert.Equal("znpp", read.Id);
        var p = read.Properties!;
        Assert.Equal("Запорізька АЕС \"ZNPP\"", p["name"]);
        Assert.Equal(42L, p["count"]);
        Assert.Equal(9_007_199_254_740_993L, p["big"]);
        Assert.Equal(0.25, p["share"]);
        Assert.Equal(false, p["verified"]);
        Assert.True(p.ContainsKey("note"));
        Assert.Null(p["note"]);
        Assert.Equal("2025-03-18", p["date"]);
        Assert.Equal(["energy", "nuclear"], Assert.IsAssignableFrom<IEnumerable<object?>>(p["tags"]));
        Assert.Equal(30L, Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(p["extent"])["km"]);
    }

    [Fact]
    public void WriteFeature_WithoutGeometryOrProperties_WritesNulls()
    {
        var json = GeoJsonWriter.ToJson([new GeoJsonFeature(null)]);

        Assert.Equal("""{"type":"FeatureCollection","features":[{"type":"Feature","properties":null,"geometry":null}]}""", json);
    }

    [Fact]
    public void WriteFeature_UnsupportedPropertyValue_ThrowsNamingTheProperty()
    {
        var feature = new GeoJsonFeature(null, new Dictionary<string, object?> { ["when"] = TimeZoneInfo.Utc });

        var error = Assert.Throws<ArgumentException>(() => GeoJsonWriter.ToJson([feature]));

        Assert.Contains("properties.when", error.Message);
    }

    [Fact]
    public async Task WriteFeatureCollectionAsync_WritesWhatTheSynchronousWriterWrites()
    {
        var features = Enumerable.Range(0, 2_000)
            .Select(i => new GeoJsonFeature(F.CreatePoint(new Coordinate(30 + i * 1e-3, 48)), new Dictionary<string, object?> { ["i"] = i }, $"p{i}"))
            .ToList();
        using var stream = new MemoryStream();

        await GeoJsonWriter.WriteFeatureCollectionAsync(stream, features);

        Assert.Equal(GeoJsonWriter.ToJson(features), Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void RoundTrip_RepairedNaturalEarthZones_ThroughAFile()
    {
        var source = GeoJsonReader.ReadZones(Path.Combine(AppContext.BaseDirectory, "TestData", "countries-ukraine-russia-50m.geojson"),
            new ZoneReadOptions { IdProperty = "name", InvalidGeometry = InvalidGeometryPolicy.Repair, Source = "Natural Earth 50m" }).Value!;
        var path = Path.Combine(Path.GetTempPath(), $"zones-{Guid.NewGuid():N}.geojson");
        try
        {
            using (var file = File.Create(path))
            {
                GeoJsonWriter.WriteFeatureCollection(file, GeoJsonWriter.ToFeatures(source));
            }

            // The writer keeps the source as a property; the reader takes attribution from its options.
            var result = GeoJsonReader.ReadZones(path, new ZoneReadOptions { Source = "Natural Earth 50m" });

            Assert.Empty(result.Problems);
            var zones = result.Value!.Zones;
            Assert.Equal(source.Zones.Select(z => (z.Id, z.Name, z.Source)), zones.Select(z => (z.Id, z.Name, z.Source)));
            // Each ordinate moves at most 0.5e-7 by rounding, so each vertex at most 0.71e-7.
            for (var i = 0; i < zones.Count; i++)
            {
                Assert.True(source.Zones[i].Geometry.Normalized().EqualsExact(zones[i].Geometry.Normalized(), 0.71e-7),
                    $"{zones[i].Id} differs by more than the rounding to 7 decimals");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}

using System.Diagnostics;
using System.Text;
using Ceasefire.Geo;
using Ceasefire.Import.Errors;
using Ceasefire.Import.GeoJson;
using Ceasefire.Zones;
using NetTopologySuite.Geometries;

namespace Ceasefire.Tests.Import;

public sealed class GeoJsonReaderTests
{
    private const string Square = "[[[30, 48], [32, 48], [32, 50], [30, 50], [30, 48]]]";

    private static string TestData(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", name);

    private static ImportResult<ZoneFile> Read(string json, ZoneReadOptions? options = null)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));
        return GeoJsonReader.ReadZones(stream, "test.geojson", options ?? ZoneReadOptions.Default);
    }

    private static string Feature(string properties, string geometryType, string coordinates) =>
        $$$"""{"type": "Feature", "properties": {{{properties}}}, "geometry": {"type": "{{{geometryType}}}", "coordinates": {{{coordinates}}}}}""";

    private static string Collection(params string[] features) =>
        $$"""{"type": "FeatureCollection", "features": [{{string.Join(",\n", features)}}]}""";

    private static ImportError Single(ImportResult<ZoneFile> result) => Assert.Single(result.Problems);

    [Fact]
    public void ReadZones_PolygonWithHole_KeepsTheHole()
    {
        var result = Read(Collection(Feature("""{"id": "A"}""", "Polygon",
            "[[[30, 48], [32, 48], [32, 50], [30, 50], [30, 48]], [[30.5, 48.5], [30.5, 49.5], [31.5, 49.5], [31.5, 48.5], [30.5, 48.5]]]")));

        Assert.True(result.Succeeded);
        var zone = Assert.Single(result.Value!.Zones);
        var polygon = Assert.IsType<Polygon>(zone.Geometry);
        Assert.Equal(1, polygon.NumInteriorRings);
        Assert.Equal(4 - 1, polygon.Area, 9);
        Assert.Equal(Wgs84.Srid, polygon.SRID);
    }

    [Fact]
    public void ReadZones_MultiPolygon_KeepsEveryPart()
    {
        var result = Read(Collection(Feature("""{"id": "M"}""", "MultiPolygon",
            "[[[[30, 48], [31, 48], [31, 49], [30, 48]]], [[[35, 48], [36, 48], [36, 49], [35, 49], [35, 48]]]]")));

        Assert.True(result.Succeeded);
        var zone = Assert.Single(result.Value!.Zones);
        Assert.IsType<MultiPolygon>(zone.Geometry);
        Assert.Equal(2, zone.Geometry.NumGeometries);
        Assert.Equal(1.5, zone.Geometry.Area, 9);
    }

    [Fact]
    public void ReadZones_ThreeDimensionalCoordinates_AreReadAsTwoDimensional()
    {
        var result = Read(Collection(Feature("""{"id": "Z"}""", "Polygon",
            "[[[30, 48, 120.5], [32, 48, 99], [32, 50, 0], [30, 48, 120.5]]]")));

        Assert.True(result.Succeeded);
        var geometry = Assert.Single(result.Value!.Zones).Geometry;
        Assert.All(geometry.Coordinates, c => Assert.True(double.IsNaN(c.Z)));
        Assert.Equal(new Coordinate(32, 50), geometry.Coordinates[2]);
    }

    [Fact]
    public void ReadZones_MalformedJson_GivesLineAndColumn()
    {
        var json = string.Join('\n',
            "{",
            "  \"type\": \"FeatureCollection\",",
            "  \"features\": [",
            "    { \"name\": \"Київ\" \"kind\": 1 }",
            "  ]",
            "}");

        var result = Read(json);

        Assert.Null(result.Value);
        var error = Single(result);
        Assert.Equal("geojson.syntax", error.Code);
        Assert.Equal(4, error.Line);
        Assert.Equal(22, error.Column); // in characters: "Київ" is 4 characters, 8 bytes
        Assert.Equal("test.geojson", error.File);
    }

    [Fact]
    public void ReadZones_UnknownGeometryType_GivesJsonPathAndPosition()
    {
        var json = Collection(
            Feature("""{"id": "A"}""", "Polygon", Square),
            Feature("""{"id": "B"}""", "Polgon", Square));

        var result = Read(json);

        var error = Single(result);
        Assert.Equal("geojson.type", error.Code);
        Assert.Equal("$.features[1].geometry.type", error.Field);
        Assert.Equal(2, error.Line);
        var line = json.Split('\n')[1];
        Assert.Equal(line.IndexOf("\"Polgon\"", StringComparison.Ordinal) + 1, error.Column);
        Assert.Contains("Polgon", error.Message);
        Assert.Equal("A", Assert.Single(result.Value!.Zones).Id.Value);
    }

    [Fact]
    public void ReadZones_PositionThatIsNotNumbers_GivesPathToThePosition()
    {
        var result = Read(Collection(Feature("""{"id": "A"}""", "Polygon", """[[[30, 48], [32, 48], [32, "50"], [30, 48]]]""")));

        var error = Single(result);
        Assert.Equal("geojson.coordinates", error.Code);
        Assert.Equal("$.features[0].geometry.coordinates[0][2]", error.Field);
        Assert.Empty(result.Value!.Zones);
    }

    [Fact]
    public void ReadZones_CoordinatesNestedTooShallow_IsCoordinatesError()
    {
        var result = Read(Collection(Feature("""{"id": "A"}""", "Polygon", "[[30, 48], [32, 48], [32, 50], [30, 48]]")));

        var error = Single(result);
        Assert.Equal("geojson.coordinates", error.Code);
        Assert.Equal("$.features[0].geometry.coordinates[0]", error.Field);
    }

    [Fact]
    public void ReadZones_ProjectedCoordinates_AreOutOfRange()
    {
        var result = Read(Collection(Feature("""{"id": "A"}""", "Point", "[3339584.7, 6446275.8]")));

        var error = Single(result);
        Assert.Equal("geojson.coordinates", error.Code);
        Assert.Equal("$.features[0].geometry.coordinates", error.Field);
    }

    [Fact]
    public void ReadZones_RingNotClosed_IsErrorAndOtherZonesAreKept()
    {
        var result = Read(Collection(
            Feature("""{"id": "open"}""", "Polygon", "[[[30, 48], [32, 48], [32, 50], [30, 50]]]"),
            Feature("""{"id": "ok"}""", "Polygon", Square)));

        var error = Single(result);
        Assert.Equal("geojson.ring_not_closed", error.Code);
        Assert.Equal(Severity.Error, error.Severity);
        Assert.Equal("$.features[0].geometry.coordinates[0]", error.Field);
        Assert.Equal("ok", Assert.Single(result.Value!.Zones).Id.Value);
    }

    [Fact]
    public void ReadZones_DuplicateId_SecondIsDropped()
    {
        var result = Read(Collection(
            Feature("""{"id": "UA", "name": "first"}""", "Polygon", Square),
            Feature("""{"id": "UA", "name": "second"}""", "Polygon", Square)));

        var error = Single(result);
        Assert.Equal("geojson.duplicate_id", error.Code);
        Assert.Equal("$.features[1].properties.id", error.Field);
        Assert.Contains("$.features[0]", error.Message);
        Assert.Equal("first", Assert.Single(result.Value!.Zones).Name);
    }

    [Fact]
    public void ReadZones_MissingId_IsError()
    {
        var result = Read(Collection(
            Feature("""{"name": "nameless"}""", "Polygon", Square),
            Feature("""{"id": "B"}""", "Polygon", Square)));

        var error = Single(result);
        Assert.Equal("geojson.missing_id", error.Code);
        Assert.Equal("$.features[0]", error.Field);
        Assert.Equal("B", Assert.Single(result.Value!.Zones).Id.Value);
    }

    [Fact]
    public void ReadZones_MissingIdProperty_NamesTheProperty()
    {
        var result = Read(Collection(Feature("""{"id": "A"}""", "Polygon", Square)), new ZoneReadOptions { IdProperty = "code" });

        var error = Single(result);
        Assert.Equal("geojson.missing_id", error.Code);
        Assert.Equal("$.features[0].properties.code", error.Field);
        Assert.Contains("'code'", error.Message);
    }

    [Fact]
    public void ReadZones_NumericZoneId_BecomesItsStringForm()
    {
        var result = Read(Collection(Feature("""{"zone_id": 17, "name": "Kharkiv-Luhansk sector", "kind": "front"}""", "Polygon", Square)));

        var zone = Assert.Single(result.Value!.Zones);
        Assert.Equal(new ZoneId("17"), zone.Id);
        Assert.Equal("Kharkiv-Luhansk sector", zone.Name);
        Assert.Equal("front", zone.Kind);
    }

    [Fact]
    public void ReadZones_IdFallsBackToIsoCodeThenFeatureId()
    {
        var result = Read(Collection(
            Feature("""{"iso_3166_2": "UA-43", "name_en": "Crimea"}""", "Polygon", Square),
            """{"type": "Feature", "id": 42, "properties": null, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}"""));

        Assert.True(result.Succeeded);
        Assert.Equal(["UA-43", "42"], result.Value!.Zones.Select(z => z.Id.Value));
        Assert.Equal(["Crimea", "42"], result.Value.Zones.Select(z => z.Name));
    }

    [Fact]
    public void ReadZones_IdPropertyOptionAndSource_AreUsed()
    {
        var result = Read(Collection(Feature("""{"id": "ignored", "code": "X1"}""", "Polygon", Square)),
            new ZoneReadOptions { IdProperty = "code", Source = "Natural Earth 50m" });

        var zone = Assert.Single(result.Value!.Zones);
        Assert.Equal("X1", zone.Id.Value);
        Assert.Equal("Natural Earth 50m", zone.Source);
    }

    [Fact]
    public void ReadZones_LineFeatures_GoToLines()
    {
        var result = Read(Collection(
            Feature("""{"id": "loc-2025-03-18", "kind": "line_of_contact"}""", "LineString", "[[36.0, 49.9], [37.5, 48.6], [35.0, 46.8]]"),
            Feature("""{"id": "loc-parts"}""", "MultiLineString", "[[[36, 49], [37, 48]], [[38, 47], [39, 46]]]"),
            Feature("""{"id": "UA"}""", "Polygon", Square)));

        Assert.True(result.Succeeded);
        var file = result.Value!;
        Assert.Equal("UA", Assert.Single(file.Zones).Id.Value);
        Assert.Equal(2, file.Lines.Count);
        Assert.IsType<LineString>(file.Lines[new ZoneId("loc-2025-03-18")]);
        Assert.IsType<MultiLineString>(file.Lines[new ZoneId("loc-parts")]);
        Assert.Equal(Wgs84.Srid, file.Lines[new ZoneId("loc-parts")].SRID);
    }

    [Fact]
    public void ReadZones_PointFeature_IsSkippedWithWarning()
    {
        var result = Read(Collection(
            Feature("""{"id": "ZNPP"}""", "Point", "[34.585, 47.512]"),
            Feature("""{"id": "A"}""", "Polygon", Square)));

        var warning = Single(result);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal("$.features[0].geometry", warning.Field);
        Assert.Contains("ZNPP", warning.Message);
        Assert.True(result.Succeeded);
        Assert.Single(result.Value!.Zones);
    }

    [Fact]
    public void ReadZones_NullGeometry_IsError()
    {
        var result = Read(Collection("""{"type": "Feature", "properties": {"id": "A"}, "geometry": null}"""));

        Assert.Equal("geojson.empty_geometry", Single(result).Code);
        Assert.Empty(result.Value!.Zones);
    }

    [Fact]
    public void ReadZones_GeometryCollectionOfPolygons_IsOneZone()
    {
        var result = Read(Collection("""
            {"type": "Feature", "properties": {"id": "GC"}, "geometry": {"type": "GeometryCollection", "geometries": [
              {"type": "Polygon", "coordinates": [[[30, 48], [31, 48], [31, 49], [30, 48]]]},
              {"type": "Polygon", "coordinates": [[[35, 48], [36, 48], [36, 49], [35, 48]]]}]}}
            """));

        Assert.True(result.Succeeded);
        Assert.IsType<MultiPolygon>(Assert.Single(result.Value!.Zones).Geometry);
    }

    [Fact]
    public void ReadZones_SingleFeatureDocument_IsRead()
    {
        var result = Read(Feature("""{"id": "A"}""", "Polygon", Square));

        Assert.True(result.Succeeded);
        Assert.Single(result.Value!.Zones);
    }

    [Fact]
    public void ReadZones_BareGeometry_HasNoId()
    {
        var result = Read("""{"type": "Polygon", "coordinates": [[[30, 48], [32, 48], [32, 50], [30, 48]]]}""");

        Assert.Equal("geojson.missing_id", Single(result).Code);
    }

    [Fact]
    public void ReadZones_ForeignCrs_IsRejected()
    {
        var result = Read("""{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}, "features": []}""");

        Assert.Null(result.Value);
        Assert.Equal("geojson.crs", Single(result).Code);
    }

    [Fact]
    public void ReadZones_ByteOrderMark_IsAccepted()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Collection(Feature("""{"id": "A"}""", "Polygon", Square)))).ToArray();
        using var stream = new MemoryStream(bytes);

        var result = GeoJsonReader.ReadZones(stream, "bom.geojson", ZoneReadOptions.Default);

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void ReadZones_FromPath_NamesTheFileInErrors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"zones-{Guid.NewGuid():N}.geojson");
        File.WriteAllText(path, Collection(Feature("{}", "Polygon", Square)));
        try
        {
            var result = GeoJsonReader.ReadZones(path, ZoneReadOptions.Default);

            Assert.Equal(path, Single(result).File);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadZones_MissingFile_IsIoError()
    {
        var result = GeoJsonReader.ReadZones(Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}.geojson"), ZoneReadOptions.Default);

        Assert.Null(result.Value);
        Assert.Equal("geojson.io", Single(result).Code);
    }

    [Fact]
    public void ReadZones_SelfIntersectingPolygon_RejectedByDefault()
    {
        var bowtie = "[[[30, 48], [32, 50], [32, 48], [30, 50], [30, 48]]]";

        var result = Read(Collection(Feature("""{"id": "bowtie"}""", "Polygon", bowtie), Feature("""{"id": "A"}""", "Polygon", Square)));

        var error = Single(result);
        Assert.Equal("geojson.invalid_geometry", error.Code);
        Assert.Equal(Severity.Error, error.Severity);
        Assert.Contains("'bowtie'", error.Message);
        Assert.Contains("(31, 49)", error.Message); // where the edges cross
        Assert.Equal("A", Assert.Single(result.Value!.Zones).Id.Value);
    }

    [Fact]
    public void ReadZones_NaturalEarthRussia_RepairedWithWarning()
    {
        var result = GeoJsonReader.ReadZones(TestData("countries-ukraine-russia-50m.geojson"),
            new ZoneReadOptions { IdProperty = "name", InvalidGeometry = InvalidGeometryPolicy.Repair, Source = "Natural Earth 50m" });

        Assert.True(result.Succeeded);
        Assert.Equal(["Ukraine", "Russia"], result.Value!.Zones.Select(z => z.Id.Value));
        var russia = result.Value.Zones[1];
        Assert.True(russia.Geometry.IsValid);
        Assert.IsType<MultiPolygon>(russia.Geometry);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("geojson.invalid_geometry", warning.Code);
        Assert.Equal("$.features[1].geometry", warning.Field);
        Assert.Contains("'Russia'", warning.Message);
        Assert.Equal(1, warning.Line);
        Assert.True(warning.Column > 1);
    }

    [Fact]
    public void ReadZones_NaturalEarthRussia_RejectedWhileUkraineIsKept()
    {
        var result = GeoJsonReader.ReadZones(TestData("countries-ukraine-russia-50m.geojson"),
            new ZoneReadOptions { IdProperty = "name", InvalidGeometry = InvalidGeometryPolicy.Reject });

        var error = Assert.Single(result.Errors);
        Assert.Equal("geojson.invalid_geometry", error.Code);
        Assert.Contains("'Russia'", error.Message);
        Assert.False(result.Succeeded);
        Assert.Equal("Ukraine", Assert.Single(result.Value!.Zones).Id.Value);
    }

    [Fact]
    public void ReadZones_BenchmarkZones_ParseAndValidateWellUnderASecond()
    {
        // 1.2 MB, 50,416 vertices. Reject keeps the timing to parsing and validation: repairing Russia's 10m outline
        // with GeometryFixer alone costs NTS about half a second and is checked for correctness below.
        var path = TestData("zones.geojson");
        GeoJsonReader.ReadZones(path, ZoneReadOptions.Default); // JIT

        var clock = Stopwatch.StartNew();
        var result = GeoJsonReader.ReadZones(path, ZoneReadOptions.Default);
        clock.Stop();

        Assert.Equal(28, result.Value!.Zones.Count);
        Assert.Equal(["1", "2"], result.Errors.Select(e => e.Message.Split('\'')[1]));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public void ReadZones_BenchmarkZonesRepaired_AllThirtyValidWithTwoWarnings()
    {
        var result = GeoJsonReader.ReadZones(TestData("zones.geojson"), new ZoneReadOptions { InvalidGeometry = InvalidGeometryPolicy.Repair });

        Assert.True(result.Succeeded);
        Assert.Equal(Enumerable.Range(1, 30).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), result.Value!.Zones.Select(z => z.Id.Value));
        Assert.All(result.Value.Zones, z => Assert.True(z.Geometry.IsValid));
        Assert.Equal(["$.features[0].geometry", "$.features[1].geometry"], result.Warnings.Select(w => w.Field));
        Assert.Contains("'1'", result.Warnings.First().Message);
    }

    [Fact]
    public void ReadFeatures_KeepsPropertiesIdAndNullGeometry()
    {
        var json = Collection(
            """{"type": "Feature", "id": "f1", "properties": {"s": "x", "i": 7, "d": 2.5, "b": true, "n": null, "list": [1, 2], "obj": {"k": "v"}}, "geometry": null}""",
            Feature("{}", "Point", "[30.5, 50.25, 100]"));
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(json));

        var result = GeoJsonReader.ReadFeatures(stream, "f.geojson");

        Assert.True(result.Succeeded);
        var (first, second) = (result.Value![0], result.Value[1]);
        Assert.Equal("f1", first.Id);
        Assert.Null(first.Geometry);
        Assert.Equal("x", first.Properties!["s"]);
        Assert.Equal(7L, first.Properties["i"]);
        Assert.Equal(2.5, first.Properties["d"]);
        Assert.Equal(true, first.Properties["b"]);
        Assert.Null(first.Properties["n"]);
        Assert.Equal([1L, 2L], Assert.IsAssignableFrom<IEnumerable<object?>>(first.Properties["list"]));
        Assert.Equal("v", Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(first.Properties["obj"])["k"]);
        Assert.Equal(new Coordinate(30.5, 50.25), Assert.IsType<Point>(second.Geometry).Coordinate);
    }
}

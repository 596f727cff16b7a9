using System.Text;
using Ceasefire.Geo;
using Ceasefire.Import.Acled;
using Ceasefire.Import.GeoJson;
using Ceasefire.Import.Json;
using Ceasefire.Incidents;
using Ceasefire.Parties;
using Ceasefire.Time;

namespace Ceasefire.Tests.Import;

public sealed class GeoJsonReportReaderTests
{
    private static readonly string SamplePath = Path.Combine(AppContext.BaseDirectory, "TestData", "import", "reports.geojson");

    private const string Properties = "\"time\": { \"date\": \"2025-04-17\" }, \"act\": \"air_drone_strike\"";

    private static AcledReadResult<IReadOnlyList<Incident>> Read(string geojson) =>
        GeoJsonReportReader.ReadIncidents(new MemoryStream(Encoding.UTF8.GetBytes(geojson)), "reports.geojson");

    private static string Feature(string id, string geometry, string properties = Properties) =>
        $"{{ \"type\": \"Feature\", \"id\": \"{id}\", \"geometry\": {geometry}, \"properties\": {{ {properties} }} }}";

    private static string Point(double lon, double lat) =>
        FormattableString.Invariant($"{{ \"type\": \"Point\", \"coordinates\": [{lon}, {lat}] }}");

    private static string Collection(params string[] features) =>
        "{ \"type\": \"FeatureCollection\", \"features\": [\n" + string.Join(",\n", features) + "\n] }";

    [Fact]
    public void Read_SampleFile_GivesThePointFeatures_AndRejectsTheLineString()
    {
        var result = GeoJsonReportReader.ReadIncidents(SamplePath);

        Assert.Equal(["G-1", "7"], result.Value.Select(i => i.Id.Value));
        Assert.Equal(3, result.RowsRead);

        var first = result.Value[0];
        Assert.Equal((36.2304, 49.9935), (first.Location.Longitude, first.Location.Latitude));
        Assert.Equal(LocationPrecision.Settlement, first.Location.Precision);
        Assert.Equal("Kharkiv", first.Location.PlaceName);
        Assert.Equal(IncidentTime.At(new DateTimeOffset(2025, 3, 28, 7, 20, 0, TimeSpan.Zero)), first.Time);
        Assert.Equal(new PartyCode("RU"), first.Perpetrator);
        Assert.Equal("energy.transmission", first.Target.Category.Code);
        Assert.Equal(new SourceGrade('B', 2), first.Grade);

        var second = result.Value[1];
        Assert.Equal(80_000, second.Location.RadiusMetres);
        Assert.Equal(50.5997, second.Location.Latitude);
        Assert.Equal(new PartyCode("UA"), second.Perpetrator);
        Assert.Equal("energy.oil_gas_pipeline", second.Target.Category.Code);

        var error = Assert.Single(result.Errors);
        Assert.Equal((GeoJsonReportCodes.NotPoint, "$.features[2].geometry.type", 35), (error.Code, error.Field, error.Line));
        Assert.Contains("Feature 'G-3' ($.features[2]) is a 'LineString'", error.Message);
        var rejected = Assert.Single(result.Rejected);
        Assert.Equal(33, rejected.Line);
        Assert.Contains("\"LineString\"", rejected.Text);
    }

    [Theory]
    [InlineData("{ \"type\": \"Polygon\", \"coordinates\": [[[30, 50], [31, 50], [31, 51], [30, 50]]] }", "'Polygon'")]
    [InlineData("{ \"type\": \"MultiPoint\", \"coordinates\": [[30, 50], [31, 50]] }", "'MultiPoint'")]
    public void Read_NonPointFeature_IsAnErrorNamingTheFeature(string geometry, string type)
    {
        var result = Read(Collection(Feature("A", Point(30, 50)), Feature("B", geometry)));
        Assert.Equal("A", Assert.Single(result.Value).Id.Value);
        var error = Assert.Single(result.Errors);
        Assert.Equal(GeoJsonReportCodes.NotPoint, error.Code);
        Assert.Contains($"Feature 'B' ($.features[1]) is a {type}", error.Message);
    }

    [Fact]
    public void Read_NullGeometry_IsAnError()
    {
        var error = Assert.Single(Read(Collection(Feature("A", "null"))).Errors);
        Assert.Equal((GeoJsonCodes.EmptyGeometry, "$.features[0].geometry"), (error.Code, error.Field));
        Assert.Contains("Feature 'A'", error.Message);
    }

    [Fact]
    public void Read_LatitudeOutOfRange_IsAnErrorAtTheCoordinate()
    {
        var result = Read(Collection(Feature("A", Point(50, 95))));
        var error = Assert.Single(result.Errors);
        Assert.Equal((ReportCodes.Latitude, "$.features[0].geometry.coordinates[1]", 2), (error.Code, error.Field, error.Line));
        Assert.Contains("'95' is not a latitude", error.Message);
        Assert.Contains("[longitude, latitude]", error.Message);
    }

    [Fact]
    public void Read_CoordinatesThatAreNotAPosition_AreAnError()
    {
        var result = Read(Collection(Feature("A", "{ \"type\": \"Point\", \"coordinates\": [[30, 50]] }")));
        Assert.Equal(GeoJsonCodes.Coordinates, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void Read_UnknownProperty_IsAnErrorWithASuggestion()
    {
        var result = Read(Collection(Feature("A", Point(30, 50), Properties + ", \"radius\": 5")));
        var error = Assert.Single(result.Errors);
        Assert.Equal((ReportCodes.UnknownProperty, "$.features[0].properties.radius"), (error.Code, error.Field));
        Assert.Contains("did you mean 'radius_km'?", error.Message);
    }

    [Fact]
    public void Read_LocationProperty_IsUnknownBecauseTheGeometryIsTheLocation()
    {
        var result = Read(Collection(Feature("A", Point(30, 50), Properties + ", \"location\": { \"lon\": 1, \"lat\": 2 }")));
        Assert.Equal("$.features[0].properties.location", Assert.Single(result.Errors).Field);
    }

    [Fact]
    public void Read_UnknownFeatureMember_IsAnError()
    {
        var result = Read(Collection("{ \"type\": \"Feature\", \"id\": \"A\", \"geometry\": " + Point(30, 50) + ", \"properties\": { " + Properties + " }, \"title\": \"x\" }"));
        var error = Assert.Single(result.Errors);
        Assert.Equal(("$.features[0].title", ReportCodes.UnknownProperty), (error.Field, error.Code));
        Assert.Contains("report fields go in 'properties'", error.Message);
    }

    [Fact]
    public void Read_MissingId_IsAnError()
    {
        var result = Read(Collection("{ \"type\": \"Feature\", \"geometry\": " + Point(30, 50) + ", \"properties\": { " + Properties + " } }"));
        var error = Assert.Single(result.Errors);
        Assert.Equal(("$.features[0].properties.id", ReportCodes.Missing), (error.Field, error.Code));
    }

    [Fact]
    public void Read_IdPropertyWinsOverTheFeatureId()
    {
        var result = Read(Collection(Feature("feature-id", Point(30, 50), Properties + ", \"id\": \"property-id\"")));
        Assert.Equal("property-id", Assert.Single(result.Value).Id.Value);
    }

    [Fact]
    public void Read_WrongFeatureType_IsAnError()
    {
        var result = Read(Collection(Feature("A", Point(30, 50)).Replace("\"Feature\"", "\"feature\"", StringComparison.Ordinal)));
        Assert.Equal(GeoJsonCodes.Type, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void Read_BadReportField_IsTheSameErrorAsInTheJsonFormat()
    {
        var result = Read(Collection(Feature("A", Point(30, 50), "\"time\": { \"date\": \"2025-02-30\" }, \"act\": \"bombing\"")));
        Assert.Equal([ReportCodes.Time, ReportCodes.Act], result.Errors.Select(e => e.Code));
        Assert.Equal(["$.features[0].properties.time.date", "$.features[0].properties.act"], result.Errors.Select(e => e.Field));
    }

    [Fact]
    public void Read_SingleFeature_IsNotACollection()
    {
        var error = Assert.Single(Read(Feature("A", Point(30, 50))).Errors);
        Assert.Equal(GeoJsonCodes.Type, error.Code);
        Assert.Contains("FeatureCollection", error.Message);
    }

    [Fact]
    public void Read_ProjectedCrs_StopsTheRead()
    {
        var result = Read("{ \"type\": \"FeatureCollection\", \"crs\": { \"type\": \"name\", \"properties\": { \"name\": \"EPSG:3857\" } }, \"features\": [ " + Feature("A", Point(30, 50)) + " ] }");
        Assert.Empty(result.Value);
        Assert.Equal(GeoJsonCodes.Crs, Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void Read_Crs84AndForeignMembers_AreAccepted()
    {
        var result = Read("{ \"type\": \"FeatureCollection\", \"name\": \"x\", \"bbox\": [30, 50, 30, 50], \"crs\": { \"type\": \"name\", \"properties\": { \"name\": \"urn:ogc:def:crs:OGC:1.3:CRS84\" } }, \"features\": [ " + Feature("A", Point(30, 50)) + " ] }");
        Assert.Empty(result.Errors);
        Assert.Single(result.Value);
    }

    [Fact]
    public void Read_TruncatedFile_KeepsTheFeaturesBefore()
    {
        var text = Collection(Feature("A", Point(30, 50)), Feature("B", Point(31, 51)));
        var result = Read(text[..(text.IndexOf("\"B\"", StringComparison.Ordinal) + 10)]);
        Assert.Equal("A", Assert.Single(result.Value).Id.Value);
        Assert.Equal(ReportCodes.Truncated, Assert.Single(result.Errors).Code);
        Assert.Single(result.Rejected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("id,lat,lon\n1,2,3\n")]
    [InlineData("{ \"type\": \"FeatureCollection\" }")]
    public void Read_EmptyOrNotGeoJson_IsOneError(string text)
    {
        var result = Read(text);
        Assert.Empty(result.Value);
        Assert.Single(result.Errors);
    }
}

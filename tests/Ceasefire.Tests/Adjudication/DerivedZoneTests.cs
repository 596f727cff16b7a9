using Ceasefire.Adjudication;
using Ceasefire.Agreements;
using Ceasefire.Findings;
using Ceasefire.Geo;
using Ceasefire.Zones;
using NetTopologySuite.Geometries;
using static Ceasefire.Tests.Support.Build;

namespace Ceasefire.Tests.Adjudication;

public class DerivedZoneTests
{
    [Fact]
    public void Buffer_OfLineByKilometres_IsMeasuredInMetresNotDegrees()
    {
        // A north-south line at 36 E from 47 N to 49 N; buffer 20 km. At 48 N a degree of longitude is ~74.5 km,
        // so a buffer in degrees would be badly wrong east-west.
        var line = Wgs84.Factory.CreateLineString([new Coordinate(36, 47), new Coordinate(36, 49)]);
        var buffer = DerivedZone.Buffer(line, 20);
        var library = new ZoneLibrary([new Zone(new ZoneId("B"), "B", buffer)]);

        foreach (var (km, inside) in new[] { (19.0, true), (19.8, true), (20.2, false), (21.0, false) })
        {
            var lon = 36 + km / (Wgs84.EarthRadiusMetres / 1000 * Math.PI / 180 * Math.Cos(48 * Math.PI / 180));
            Assert.Equal(km, Wgs84.DistanceMetres(36, 48, lon, 48) / 1000, 2);
            Assert.Equal(inside, library.Locate(0, lon, 48) == PointLocation.Inside);
        }
    }

    [Fact]
    public void Buffer_OfPointIsACircleOfThatRadius()
    {
        var point = Wgs84.Factory.CreatePoint(new Coordinate(34.5, 51.5));
        var circle = DerivedZone.Buffer(point, 30);
        var library = new ZoneLibrary([new Zone(new ZoneId("C"), "C", circle)]);
        foreach (var bearing in Enumerable.Range(0, 12).Select(i => i * 30.0))
        {
            var (lon29, lat29) = Offset(34.5, 51.5, bearing, 29.9);
            var (lon31, lat31) = Offset(34.5, 51.5, bearing, 30.1);
            Assert.Equal(PointLocation.Inside, library.Locate(0, lon29, lat29));
            Assert.Equal(PointLocation.Outside, library.Locate(0, lon31, lat31));
        }
    }

    [Fact]
    public void AgreementDerivedZones_UnionDifferenceAndBuffer_AreUsedByObligations()
    {
        var zones = new ZoneLibrary([Zone("A", Square(0, 0, 10, 10)), Zone("B", Square(10, 0, 20, 10)), Zone("H", Square(4, 4, 6, 6))]);
        var derived = new[]
        {
            new DerivedZone(new ZoneId("AB"), "A and B", DerivedZoneOperation.Union, [new ZoneId("A"), new ZoneId("B")]),
            new DerivedZone(new ZoneId("AB-minus-H"), "A and B without H", DerivedZoneOperation.Difference, [new ZoneId("AB"), new ZoneId("H")]),
        };
        var agreement = Agreement([Obligation(include: ["AB-minus-H"], targets: TargetSet.All)], derived: derived);
        var adjudicator = new Adjudicator([agreement], zones);

        Assert.Equal(Verdict.Violation, Assert.Single(adjudicator.Adjudicate(Incident(lon: 15, lat: 5))).Verdict);
        Assert.Equal(Verdict.NotCovered, Assert.Single(adjudicator.Adjudicate(Incident(lon: 5, lat: 5))).Verdict);
        // On the shared edge of A and B: inside the union's interior, so not an edge any more.
        Assert.Equal(Verdict.Violation, Assert.Single(adjudicator.Adjudicate(Incident(lon: 10, lat: 2))).Verdict);
    }

    private static (double Lon, double Lat) Offset(double lon, double lat, double bearingDeg, double km)
    {
        var d = km * 1000 / Wgs84.EarthRadiusMetres;
        var b = bearingDeg * Math.PI / 180;
        var p1 = lat * Math.PI / 180;
        var l1 = lon * Math.PI / 180;
        var p2 = Math.Asin(Math.Sin(p1) * Math.Cos(d) + Math.Cos(p1) * Math.Sin(d) * Math.Cos(b));
        var l2 = l1 + Math.Atan2(Math.Sin(b) * Math.Sin(d) * Math.Cos(p1), Math.Cos(d) - Math.Sin(p1) * Math.Sin(p2));
        return (l2 * 180 / Math.PI, p2 * 180 / Math.PI);
    }
}

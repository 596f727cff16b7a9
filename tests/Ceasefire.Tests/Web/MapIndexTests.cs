using Ceasefire.Web;

namespace Ceasefire.Tests.Web;

public sealed class MapIndexTests
{
    private static readonly long T0 = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks;

    [Fact]
    public void Query_FindsExactlyWhatBruteForceFinds()
    {
        var random = new Random(11);
        var points = Enumerable.Range(0, 20_000).Select(i =>
        {
            var start = T0 + (long)(random.NextDouble() * 60 * TimeSpan.TicksPerDay);
            var span = random.Next(10) switch { 0 => TimeSpan.TicksPerDay, 1 => 30 * TimeSpan.TicksPerDay, 2 => TimeSpan.TicksPerHour, _ => 0 };
            return new MapPoint($"p{i}", 30 + (random.NextDouble() * 10), 45 + (random.NextDouble() * 7), start, start + span, (byte)random.Next(3), random.Next(20) == 0, "shelling");
        }).ToList();
        var index = MapIndex.Build(points);
        for (var q = 0; q < 200; q++)
        {
            var west = 30 + (random.NextDouble() * 9);
            var south = 45 + (random.NextDouble() * 6);
            var box = new GeoBox(west, south, west + (random.NextDouble() * 2), south + (random.NextDouble() * 1.5));
            var from = T0 + (long)(random.NextDouble() * 60 * TimeSpan.TicksPerDay);
            var to = from + (long)(random.NextDouble() * 10 * TimeSpan.TicksPerDay) + 1;
            var found = new List<int>();
            index.Query(box, from, to, found.Add);
            var expected = points.Select((p, i) => (p, i)).Where(x => box.Contains(x.p.Longitude, x.p.Latitude) &&
                (x.p.Earliest == x.p.Latest ? x.p.Earliest >= from && x.p.Earliest < to : x.p.Earliest < to && x.p.Latest > from)).Select(x => x.i).Order().ToList();
            Assert.Equal(expected, found.Order().ToList());
        }
    }

    [Fact]
    public void OpenEndedViews_OfTheWholeWorld_AreAnsweredFromTheDaysThatHoldPoints()
    {
        var points = new[] { new MapPoint("a", 35.0, 50.0, T0, T0, 0, false, "x"), new MapPoint("b", -70, -30, T0 + TimeSpan.TicksPerDay, T0 + TimeSpan.TicksPerDay, 0, false, "x") };
        var index = MapIndex.Build(points);
        var found = new List<int>();
        index.Query(new GeoBox(-180, -90, 180, 90), DateTimeOffset.MinValue.UtcTicks + TimeSpan.TicksPerDay, DateTimeOffset.MaxValue.UtcTicks - TimeSpan.TicksPerDay, found.Add);
        Assert.Equal([0, 1], found.Order());
        Assert.Empty(MapIndex.Build([]).PointsIn(new GeoBox(-180, -90, 180, 90), 0, long.MaxValue, 10)!);
    }

    [Fact]
    public void Aggregate_CountsEveryPointOnce_WithTheWorstVerdict()
    {
        var points = new[]
        {
            new MapPoint("a", 35.0, 50.0, T0, T0, 0, false, "x"), new MapPoint("b", 35.001, 50.001, T0, T0, 2, true, "x"),
            new MapPoint("c", 38.0, 48.0, T0, T0, 1, false, "x"), new MapPoint("late", 35.0, 50.0, T0 + (40 * TimeSpan.TicksPerDay), T0 + (40 * TimeSpan.TicksPerDay), 2, false, "x"),
        };
        var clusters = MapIndex.Build(points).Aggregate(new GeoBox(22, 44, 41, 53), T0, T0 + (30 * TimeSpan.TicksPerDay));
        Assert.Equal(3, clusters.Sum(c => c.Count));
        var first = Assert.Single(clusters, c => c.Count == 2);
        Assert.Equal((byte)2, first.Verdict);
        Assert.Equal(1, first.Disputed);
    }

    [Theory]
    [InlineData("35,51,35.5,51.35", true)]
    [InlineData("35,51,35.5", false)]
    [InlineData("35.5,51,35,51.35", false)]
    [InlineData("x' OR 1=1 --,1,2,3", false)]
    [InlineData("-181,0,0,1", false)]
    [InlineData("NaN,0,1,1", false)]
    public void Bbox_IsParsedStrictly(string text, bool ok) => Assert.Equal(ok, GeoBox.Parse(text, out _) is not null);
}

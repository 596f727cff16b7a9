using Ceasefire.Claims;
using Ceasefire.Import.Claims;
using Ceasefire.Import.Errors;

namespace Ceasefire.Tests.Claims;

/// <summary>The claims file reader, on the March 2025 sample (the Easter truce claims of April 2025) and on bad files.</summary>
public class ClaimsFileReaderTests
{
    private static readonly string SamplePath = Path.Combine(AppContext.BaseDirectory, "samples", "march-2025", "claims.yaml");

    private static readonly Lazy<ClaimsFile> Sample = new(() =>
    {
        var result = ClaimsFileReader.Read(SamplePath);
        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.Empty(result.Problems);
        return result.Value!;
    });

    private static ClaimSeries Series(string id) => Sample.Value.Series.Single(s => s.Id.Value == id);

    private static DateTimeOffset Kyiv(int day, int hour) => new(2025, 4, day, hour, 0, 0, TimeSpan.FromHours(3));

    [Fact]
    public void Sample_RussianMinistryOfDefence_4900ViolationsWithItsBreakdown()
    {
        var series = Series("ru-mod-easter-truce-2025");
        Assert.False(series.IsCumulative);
        Assert.Equal("RU", series.Claimant.Value);
        Assert.Equal("UA", series.Accused.Value);
        var claim = Assert.Single(series.Claims);
        Assert.Equal(4900, claim.Count);
        Assert.Equal(CountQualifier.Exact, claim.Qualifier);
        // The truce: 18:00 Moscow time on 19 April to 00:00 on 21 April.
        Assert.Equal(new DateTimeOffset(2025, 4, 19, 15, 0, 0, TimeSpan.Zero), claim.PeriodFrom);
        Assert.Equal(new DateTimeOffset(2025, 4, 20, 21, 0, 0, TimeSpan.Zero), claim.PeriodTo);
        Assert.Equal(
            [6, 90, 1404, 3316, 19, 49, 16],
            claim.Breakdown.Values);
        Assert.Equal("attempted attacks (DPR and Kursk region)", claim.Breakdown[0].Key);
        Assert.Equal(3316, claim.Breakdown["quadcopter strikes on positions"]);
        Assert.Equal(4900, claim.Breakdown.Sum);
        Assert.StartsWith("https://sputnikglobe.com/20250421/", claim.SourceUrl!.ToString());
        Assert.Equal(4900, series.Total.Count);
    }

    [Fact]
    public void Sample_ZelenskyViolations_AreACumulativeSeries_TotalIsTheLast()
    {
        var series = Series("ua-easter-violations-2025-04-20");
        Assert.True(series.IsCumulative);
        Assert.Equal("UA", series.Claimant.Value);
        Assert.Equal([Kyiv(20, 20), Kyiv(21, 0)], series.Claims.Select(c => c.AsOf));
        Assert.Equal([2000, 2935], series.Claims.Select(c => c.Count));
        Assert.Equal([CountQualifier.AtLeast, CountQualifier.Exact], series.Claims.Select(c => c.Qualifier));
        Assert.All(series.Claims, c => Assert.Equal(Kyiv(20, 0), c.PeriodFrom));

        var total = series.Total;
        Assert.Equal(2935, total.Count);
        Assert.Equal(ClaimTotalBasis.LatestRunningTotal, total.Basis);
        Assert.Equal([2000L, 935], series.Increments().Select(i => i.Increment));

        var last = series.Latest;
        Assert.Equal([96, 1882, 950], last.Breakdown.Values);
        Assert.Equal(["assaults", "shelling of positions", "FPV drone uses (more than)"], last.Breakdown.Keys);
        Assert.Equal([67, 1355, 673], series.Claims[0].Breakdown.Values);
    }

    [Fact]
    public void Sample_RunningTotalsOfAssaultsShellingAndFpv_GiveTheirIncrements()
    {
        var assaults = Series("ua-easter-assaults-2025-04-20");
        Assert.Equal([5, 26, 46, 67, 96], assaults.Claims.Select(c => c.Count));
        Assert.Equal([Kyiv(20, 6), Kyiv(20, 12), Kyiv(20, 16), Kyiv(20, 20), Kyiv(21, 0)], assaults.Claims.Select(c => c.AsOf));
        Assert.Equal([5L, 21, 20, 21, 29], assaults.Increments().Select(i => i.Increment));
        Assert.Equal(96, assaults.Total.Count);

        var shelling = Series("ua-easter-shelling-2025-04-20");
        Assert.Equal([59, 901, 1355, 1882], shelling.Claims.Select(c => c.Count));
        Assert.Equal([448, 713, 812], shelling.Claims.Skip(1).Select(c => c.Breakdown["of which with heavy weapons"]));
        Assert.Equal(1882, shelling.Total.Count);

        var fpv = Series("ua-easter-fpv-2025-04-20");
        Assert.Equal([400, 673, 950], fpv.Claims.Select(c => c.Count));
        Assert.Equal("more than 950", fpv.Total.ToString());
    }

    [Fact]
    public void Sample_EveryClaimHasASourceAndAnHttpsUrl()
    {
        Assert.Equal(5, Sample.Value.Series.Count);
        Assert.Equal(15, Sample.Value.Claims.Count);
        Assert.All(Sample.Value.Claims, c =>
        {
            Assert.False(string.IsNullOrWhiteSpace(c.SourceName));
            Assert.Equal("https", c.SourceUrl!.Scheme);
        });
    }

    private const string Valid = """
        title: test
        time_zone: Europe/Kyiv
        series:
          - id: s1
            claimant: UA
            accused: RU
            subject: violations
            cumulative: true
            from: 2025-04-20
            to: 2025-04-21
            claims:
              - id: c1
                as_of: 2025-04-20T20:00
                count: 2,000
                qualifier: at_least
                breakdown: { assaults: 67, shelling: 1355 }
                source: statement
                url: https://example.org/c1
              - id: c2
                as_of: 2025-04-21T00:00:00+03:00
                count: 2935
                source: statement
          - id: s2
            claimant: RU
            accused: UA
            subject: violations
            claims:
              - id: d1
                from: 2025-04-19T18:00:00+03:00
                to: 2025-04-21T00:00:00+03:00
                as_of: 2025-04-21T07:32:00Z
                count: 4900
                source: statement
        """;

    private static ImportResult<ClaimsFile> Parse(string yaml) => ClaimsFileReader.Parse(yaml, "claims.yaml");

    private static int LineOf(string yaml, string text) =>
        yaml.Split('\n').Select((l, i) => (l, i)).First(x => x.l.Contains(text, StringComparison.Ordinal)).i + 1;

    private static int ColumnOf(string yaml, string text) =>
        yaml.Split('\n')[LineOf(yaml, text) - 1].IndexOf(text, StringComparison.Ordinal) + 1;

    private static ImportError SingleError(string yaml)
    {
        var result = Parse(yaml);
        Assert.Null(result.Value);
        return Assert.Single(result.Errors);
    }

    [Fact]
    public void Read_ValidFile_ReadsTimesInTheFilesTimeZone()
    {
        var result = Parse(Valid);
        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        var c1 = result.Value!.Claims[0];
        Assert.Equal(Kyiv(20, 0), c1.PeriodFrom);
        Assert.Equal(Kyiv(20, 20), c1.AsOf);
        Assert.Equal(2000, c1.Count);
        Assert.Equal(CountQualifier.AtLeast, c1.Qualifier);
        Assert.Equal(["assaults", "shelling"], c1.Breakdown.Keys);
        Assert.Null(result.Value.Claims[1].SourceUrl);
        Assert.False(result.Value.Series[1].IsCumulative);
        Assert.Equal("test", result.Value.Title);
    }

    [Fact]
    public void Read_UnknownKey_IsAnErrorWithLineColumnKeyPathAndSuggestion()
    {
        var yaml = Valid.Replace("        qualifier: at_least", "        qualifer: at_least", StringComparison.Ordinal);
        var e = SingleError(yaml);
        Assert.Equal("claims.unknown_key", e.Code);
        Assert.Equal("series[0].claims[0].qualifer", e.Field);
        Assert.Equal(LineOf(yaml, "qualifer"), e.Line);
        Assert.Equal(ColumnOf(yaml, "qualifer"), e.Column);
        Assert.Contains("did you mean 'qualifier'", e.Message);
        Assert.StartsWith($"claims.yaml:{e.Line}:{e.Column}: error claims.unknown_key series[0].claims[0].qualifer:", e.ToString());
    }

    [Fact]
    public void Read_CountThatIsNotAWholeNumber_IsAnError()
    {
        var yaml = Valid.Replace("count: 2935", "count: nearly 3000", StringComparison.Ordinal);
        var e = SingleError(yaml);
        Assert.Equal("claims.number", e.Code);
        Assert.Equal("series[0].claims[1].count", e.Field);
        Assert.Equal(LineOf(yaml, "nearly 3000"), e.Line);
        Assert.Equal(ColumnOf(yaml, "nearly 3000"), e.Column);
        Assert.Contains("qualifier", e.Message);
    }

    [Theory]
    [InlineData("count: 2,000", "count: 2,00")]
    [InlineData("count: 2,000", "count: -5")]
    [InlineData("count: 2,000", "count: 2.5")]
    public void Read_MalformedCounts_AreErrors(string from, string to) =>
        Assert.Equal("claims.number", SingleError(Valid.Replace(from, to, StringComparison.Ordinal)).Code);

    [Fact]
    public void Read_BadBreakdownCount_NamesTheLabel()
    {
        var yaml = Valid.Replace("assaults: 67", "assaults: many", StringComparison.Ordinal);
        var e = SingleError(yaml);
        Assert.Equal("series[0].claims[0].breakdown.assaults", e.Field);
        Assert.Equal(LineOf(yaml, "many"), e.Line);
    }

    [Fact]
    public void Read_RepeatedBreakdownLabel_IsAnError()
    {
        var yaml = Valid.Replace("{ assaults: 67, shelling: 1355 }", "{ assaults: 67, assaults: 1355 }", StringComparison.Ordinal);
        var e = SingleError(yaml);
        Assert.Equal(LineOf(yaml, "assaults: 1355"), e.Line);
        // YamlDotNet refuses repeated keys while loading, so this is a syntax error.
        Assert.Equal("claims.syntax", e.Code);
        Assert.Contains("Duplicate key assaults", e.Message);
    }

    [Fact]
    public void Read_BadQualifier_ListsTheChoices()
    {
        var e = SingleError(Valid.Replace("qualifier: at_least", "qualifier: more_than", StringComparison.Ordinal));
        Assert.Equal("claims.enum", e.Code);
        Assert.Equal("series[0].claims[0].qualifier", e.Field);
        Assert.Contains("exact, at_least, about", e.Message);
    }

    [Fact]
    public void Read_BadTime_IsAnError()
    {
        var yaml = Valid.Replace("as_of: 2025-04-20T20:00", "as_of: 20/04/2025 20:00", StringComparison.Ordinal);
        var e = SingleError(yaml);
        Assert.Equal("claims.time", e.Code);
        Assert.Equal("series[0].claims[0].as_of", e.Field);
        Assert.Equal(LineOf(yaml, "20/04/2025"), e.Line);
    }

    [Fact]
    public void Read_MissingSource_IsAnError()
    {
        var yaml = Valid.Replace("        count: 4900\n        source: statement", "        count: 4900", StringComparison.Ordinal);
        var e = SingleError(yaml);
        Assert.Equal("claims.missing", e.Code);
        Assert.Equal("series[1].claims[0].source", e.Field);
        Assert.Equal(LineOf(yaml, "- id: d1"), e.Line);
    }

    [Fact]
    public void Read_ClaimantAccusingItself_IsAnError()
    {
        var yaml = Valid.Replace("claimant: RU\n    accused: UA", "claimant: RU\n    accused: RU", StringComparison.Ordinal);
        var e = SingleError(yaml);
        Assert.Equal("claims.accused", e.Code);
        Assert.Equal("series[1].accused", e.Field);
    }

    [Fact]
    public void Read_DuplicateClaimId_IsAnError()
    {
        var yaml = Valid.Replace("- id: d1", "- id: c1", StringComparison.Ordinal);
        var e = SingleError(yaml);
        Assert.Equal("claims.duplicate_claim", e.Code);
        Assert.Equal("series[1].claims[0].id", e.Field);
        // The second 'c1', under series s2.
        Assert.Equal(yaml.Split('\n').Select((l, i) => (l, i)).Last(x => x.l.Contains("- id: c1", StringComparison.Ordinal)).i + 1, e.Line);
    }

    [Fact]
    public void Read_TwoRunningTotalsAtOneInstant_IsAnError()
    {
        var yaml = Valid.Replace("as_of: 2025-04-21T00:00:00+03:00", "as_of: 2025-04-20T17:00:00Z", StringComparison.Ordinal);
        var e = SingleError(yaml);
        Assert.Equal("claims.as_of", e.Code);
        Assert.Equal("series[0].claims[1].as_of", e.Field);
        Assert.Contains("'c1'", e.Message);
    }

    [Fact]
    public void Read_PeriodEndBeforeStart_IsAnError()
    {
        var e = SingleError(Valid.Replace("to: 2025-04-21T00:00:00+03:00", "to: 2025-04-18T00:00:00+03:00", StringComparison.Ordinal));
        Assert.Equal("claims.period", e.Code);
        Assert.Equal("series[1].claims[0].to", e.Field);
    }

    [Fact]
    public void Read_MissingPeriod_IsAnError()
    {
        var e = SingleError(Valid.Replace("        from: 2025-04-19T18:00:00+03:00\n", "", StringComparison.Ordinal));
        Assert.Equal("claims.missing", e.Code);
        Assert.Equal("series[1].claims[0].from", e.Field);
    }

    [Fact]
    public void Read_BadUrl_IsAnError()
    {
        var e = SingleError(Valid.Replace("url: https://example.org/c1", "url: example.org/c1", StringComparison.Ordinal));
        Assert.Equal("claims.url", e.Code);
        Assert.Equal("series[0].claims[0].url", e.Field);
    }

    [Fact]
    public void Read_CumulativeNotABoolean_IsAnError()
    {
        var e = SingleError(Valid.Replace("cumulative: true", "cumulative: sometimes", StringComparison.Ordinal));
        Assert.Equal("claims.bool", e.Code);
        Assert.Equal("series[0].cumulative", e.Field);
    }

    [Fact]
    public void Read_OverlappingPeriodsInANonCumulativeSeries_IsAWarningAndTheClaimsAreKept()
    {
        var yaml = Valid + """

                  - id: d2
                    from: 2025-04-20T00:00:00+03:00
                    to: 2025-04-21T00:00:00+03:00
                    as_of: 2025-04-21T09:00:00Z
                    count: 100
                    source: statement
            """;
        var result = Parse(yaml);
        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        var w = Assert.Single(result.Warnings);
        Assert.Equal("claims.overlap", w.Code);
        Assert.Equal("series[1].claims[1]", w.Field);
        Assert.Equal(LineOf(yaml, "- id: d2"), w.Line);
        Assert.Contains("'d1'", w.Message);
        Assert.Contains("'d2'", w.Message);
        var series = result.Value!.Series[1];
        Assert.Throws<InvalidOperationException>(() => series.Total);
    }

    [Fact]
    public void Read_YamlSyntaxError_NamesLineAndColumn()
    {
        var e = SingleError("series:\n  - id: s1\n    claims: [ {id: x\n");
        Assert.Equal("claims.syntax", e.Code);
        Assert.True(e.Line >= 3);
    }

    [Fact]
    public void Read_SeveralErrors_AreAllReported()
    {
        var yaml = Valid.Replace("count: 2935", "count: x", StringComparison.Ordinal).Replace("qualifier: at_least", "qualifier: y", StringComparison.Ordinal);
        var result = Parse(yaml);
        Assert.Null(result.Value);
        Assert.Equal(["claims.enum", "claims.number"], result.Errors.Select(e => e.Code).Order());
    }

    [Fact]
    public void Docs_TheExampleOfTheClaimsFormat_Reads()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docs", "claims-format.md")))
        {
            dir = dir.Parent;
        }
        Assert.NotNull(dir);
        var doc = File.ReadAllText(Path.Combine(dir.FullName, "docs", "claims-format.md"));
        var start = doc.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var example = doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)];
        var result = Parse(example);
        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.Empty(result.Problems);
        Assert.Equal(2935, result.Value!.Series[1].Total.Count);
    }

    [Fact]
    public void Read_MissingFile_IsAnIoError()
    {
        var result = ClaimsFileReader.Read(Path.Combine(Path.GetTempPath(), "no-such-claims-" + Guid.NewGuid() + ".yaml"));
        Assert.Equal("claims.io", Assert.Single(result.Errors).Code);
    }
}

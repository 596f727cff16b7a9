using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ceasefire.Import.GeoJson;
using Ceasefire.Import.Json;
using Ceasefire.Taxonomy;

namespace Ceasefire.Tests.Import;

/// <summary>The examples of docs/report-format.md read without errors, and docs/report.schema.json names what the reader reads.</summary>
public sealed partial class ReportFormatDocumentationTests
{
    private static readonly string Docs = FindDocs();

    private static string FindDocs()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "docs", "report-format.md")))
            {
                return Path.Combine(dir.FullName, "docs");
            }
        }
        throw new InvalidOperationException("docs/report-format.md not found above the test directory.");
    }

    private static List<(string Language, string Text)> Blocks() =>
        [.. CodeBlock().Matches(File.ReadAllText(Path.Combine(Docs, "report-format.md"))).Select(m => (m.Groups[1].Value, m.Groups[2].Value))];

    private static JsonElement Schema()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Docs, "report.schema.json")));
        return doc.RootElement.Clone();
    }

    private static IEnumerable<string> Names(JsonElement objectSchema) => objectSchema.GetProperty("properties").EnumerateObject().Select(p => p.Name);

    private static IEnumerable<string> Strings(JsonElement array) => array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!);

    [GeneratedRegex("```(json|jsonl)\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [Fact]
    public void FullExample_ReadsWithoutErrors()
    {
        var example = Blocks().First(b => b.Language == "json" && b.Text.Contains("\"reports\"", StringComparison.Ordinal)).Text;
        var result = ReportJsonReader.ReadIncidents(new MemoryStream(Encoding.UTF8.GetBytes(example)), "example.json");

        Assert.Empty(result.Errors);
        Assert.Equal(3, result.Value.Count);
        Assert.Equal("energy.oil_gas_pipeline", result.Value[1].Target.Category.Code);
        Assert.Equal("UA", result.Value[1].Perpetrator?.Value);
        Assert.Null(result.Value[2].Perpetrator);
    }

    [Fact]
    public void JsonLinesExample_ReadsWithoutErrors()
    {
        var example = Blocks().Single(b => b.Language == "jsonl").Text;
        var result = ReportJsonReader.ReadIncidents(new MemoryStream(Encoding.UTF8.GetBytes(example)), "example.jsonl");
        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Value.Count);
    }

    [Fact]
    public void GeoJsonExample_ReadsWithoutErrors()
    {
        var example = Blocks().Single(b => b.Text.Contains("FeatureCollection", StringComparison.Ordinal)).Text;
        var result = GeoJsonReportReader.ReadIncidents(new MemoryStream(Encoding.UTF8.GetBytes(example)), "example.geojson");
        Assert.Empty(result.Errors);
        Assert.Equal("CFM-2025-0012", Assert.Single(result.Value).Id.Value);
    }

    [Fact]
    public void Schema_IsDraft202012_AndNamesTheReadersProperties()
    {
        var schema = Schema();
        var defs = schema.GetProperty("$defs");

        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema.GetProperty("$schema").GetString());
        Assert.Equal(ReportParser.ReportProperties.Order(), Names(defs.GetProperty("report")).Order());
        Assert.Equal(ReportParser.LocationProperties.Order(), Names(defs.GetProperty("location")).Order());
        Assert.Equal(ReportParser.CasualtyProperties.Order(), Names(defs.GetProperty("casualties")).Order());
        Assert.Equal(ReportParser.FeatureProperties.Order(),
            Names(defs.GetProperty("feature").GetProperty("properties").GetProperty("properties")).Order());
        var timeNames = defs.GetProperty("time").GetProperty("oneOf").EnumerateArray().SelectMany(Names).Distinct();
        Assert.Equal(ReportParser.TimeProperties.Order(), timeNames.Order());
    }

    [Fact]
    public void Schema_ListsEveryActKindAndTargetCategory()
    {
        var defs = Schema().GetProperty("$defs");

        var acts = Strings(defs.GetProperty("act").GetProperty("enum"));
        Assert.Equal(ActKinds.Codes.Concat(ActKinds.All.Select(a => a.AcledSubEventType).OfType<string>()).Order(), acts.Order());

        var targets = Strings(defs.GetProperty("target").GetProperty("oneOf")[0].GetProperty("enum"));
        Assert.Equal(TargetCategories.Codes.Order(), targets.Order());
    }
}

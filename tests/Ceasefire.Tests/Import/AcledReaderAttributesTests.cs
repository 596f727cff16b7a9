using Ceasefire.Import.Acled;
using Ceasefire.Incidents;

namespace Ceasefire.Tests.Import;

/// <summary>Nothing is lost: the columns that map to no field of an incident, casualties, actor types, timestamps, tags.</summary>
public sealed class AcledReaderAttributesTests : IDisposable
{
    private const string CurrentHeader = AcledTestFiles.CurrentHeader;

    private readonly AcledTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static string Current(string id, string notes = "x", string tags = "", string fatalities = "0", string inter1 = "State forces",
        string inter2 = "Civilians", string timestamp = "1742900000") =>
        AcledTestFiles.Current(id, "2025-03-19", "1", "Air/drone strike", "47.5712", "34.3964", "1", notes, tags, fatalities, inter1, inter2, timestamp);

    [Fact]
    public void Import_CurrentExport_KeepsEveryUnmappedColumnByHeaderName()
    {
        var result = _files.Read($"{CurrentHeader}\n{Current("UKR1", tags: "\"crowd size=no report; local administrators\"")}\n");

        var incident = Assert.Single(result.Value);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["year"] = "2025",
                ["time_precision"] = "1",
                ["disorder_type"] = "Political violence",
                ["event_type"] = "Explosions/Remote violence",
                ["inter1"] = "State forces",
                ["actor2"] = "Civilians (Ukraine)",
                ["inter2"] = "Civilians",
                ["interaction"] = "State forces-Civilians",
                ["civilian_targeting"] = "Civilian targeting",
                ["iso"] = "804",
                ["region"] = "Europe",
                ["country"] = "Ukraine",
                ["admin1"] = "Dnipropetrovsk",
                ["admin2"] = "Nikopolskyi",
                ["admin3"] = "Nikopol",
                ["geo_precision"] = "1",
                ["source_scale"] = "National",
                ["tags"] = "crowd size=no report; local administrators",
                ["timestamp"] = "1742900000",
            }.OrderBy(a => a.Key, StringComparer.Ordinal),
            incident.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal));
        Assert.False(incident.Attributes.ContainsKey("assoc_actor_1"));
        Assert.Equal(Casualties.Exactly(0), incident.Casualties);
    }

    [Fact]
    public void Import_MappedColumns_AreNotRepeatedInAttributes()
    {
        var result = _files.Read($"{CurrentHeader}\n{Current("UKR1")}\n");

        var keys = Assert.Single(result.Value).Attributes.Keys.ToHashSet();
        Assert.Empty(keys.Intersect(["event_id_cnty", "event_date", "sub_event_type", "actor1", "latitude", "longitude", "location", "source", "notes", "fatalities"]));
    }

    [Fact]
    public void Import_BenchmarkLayout_KeepsItsOtherColumns()
    {
        var result = _files.Read($"{AcledTestFiles.BenchHeader}\n{AcledTestFiles.Bench("1", "2025-03-19", "Armed clash", "48", "37", fatalities: "3")}\n");

        var incident = Assert.Single(result.Value);
        Assert.Equal(
            [new("event_type", "Explosions/Remote violence"), new("admin1", "Kharkiv")],
            incident.Attributes.ToArray());
        Assert.Equal(Casualties.Exactly(3), incident.Casualties);
    }

    [Fact]
    public void Import_UnknownDuplicateAndUnnamedColumns_AreKeptUnderDistinctKeys()
    {
        var result = _files.Read("id,event_date,sub_event_type,latitude,longitude,Extra Info,,notes,NOTES,data_id\n" +
            "1,2025-03-19,Armed clash,48,37,\"a, \"\"b\"\"\",unnamed,first,second,d7\n");

        var attributes = Assert.Single(result.Value).Attributes;
        Assert.Equal(
            [new("Extra Info", "a, \"b\""), new("#7", "unnamed"), new("NOTES#9", "second"), new("data_id", "d7")],
            attributes.ToArray());
        Assert.Equal("first", result.Value[0].Notes);
        Assert.Equal("a, \"b\"", attributes["extra info"]);
        Assert.True(attributes.TryGetValue("DATA_ID", out var dataId));
        Assert.Equal("d7", dataId);
        Assert.Equal(4, attributes.Count);
        Assert.Throws<KeyNotFoundException>(() => attributes["missing"]);
    }

    [Fact]
    public void Import_AttributeValues_AreKeptAsTheyAreAndBlankOnesLeftOut()
    {
        var result = _files.Read("id,event_date,sub_event_type,latitude,longitude,a,b,c\n" +
            "1,2025-03-19,Armed clash,48,37,\" padded \",\"  \",\n");

        Assert.Equal([new("a", " padded ")], Assert.Single(result.Value).Attributes.ToArray());
    }

    [Fact]
    public void Import_RowWithoutAttributes_HasAnEmptyDictionary()
    {
        var result = _files.Read("id,event_date,sub_event_type,latitude,longitude\n1,2025-03-19,Armed clash,48,37\n");

        Assert.Empty(Assert.Single(result.Value).Attributes);
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("12", 12)]
    [InlineData(" 7 ", 7)]
    public void Import_Fatalities_AreExactCasualties(string fatalities, int expected)
    {
        var result = _files.Read($"{CurrentHeader}\n{Current("UKR1", fatalities: fatalities)}\n");

        Assert.Equal(Casualties.Exactly(expected), Assert.Single(result.Value).Casualties);
    }

    [Fact]
    public void Import_EmptyFatalities_AreUnknown()
    {
        var result = _files.Read($"{CurrentHeader}\n{Current("UKR1", fatalities: "")}\n");

        Assert.Equal(Casualties.Unknown, Assert.Single(result.Value).Casualties);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("many")]
    [InlineData("99999999999")]
    public void Import_BadFatalities_IsARowError(string fatalities)
    {
        var result = _files.Read($"{CurrentHeader}\n{Current("UKR1", fatalities: fatalities)}\n{Current("UKR2")}\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(("acled.fatalities", "fatalities", 2), (error.Code, error.Field, error.Line));
        Assert.Equal(["UKR2"], result.Value.Select(i => i.Id.Value));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("8")]
    [InlineData("3.0")]
    [InlineData("State forces")]
    [InlineData("Rebel group")]
    [InlineData("External/Other forces")]
    [InlineData("")]
    public void Import_ActorTypeCodeOrName_IsAcceptedAndKeptRaw(string inter)
    {
        var result = _files.Read($"{CurrentHeader}\n{Current("UKR1", inter1: inter, inter2: inter)}\n");

        var attributes = Assert.Single(result.Value).Attributes;
        Assert.Equal(inter.Length == 0 ? null : inter, attributes.GetValueOrDefault("inter1"));
        Assert.Equal(inter.Length == 0 ? null : inter, attributes.GetValueOrDefault("inter2"));
    }

    [Theory]
    [InlineData("9", "8", "inter1")]
    [InlineData("1", "12", "inter2")]
    [InlineData("-1", "1", "inter1")]
    [InlineData("2.5", "1", "inter1")]
    public void Import_ActorTypeNumberOutsideZeroToEight_IsARowError(string inter1, string inter2, string field)
    {
        var result = _files.Read($"{CurrentHeader}\n{Current("UKR1", inter1: inter1, inter2: inter2)}\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(("acled.inter", field, 2), (error.Code, error.Field, error.Line));
        Assert.Empty(result.Value);
    }

    [Theory]
    [InlineData("1742900000")]
    [InlineData("-86400")]
    [InlineData("")]
    public void Import_Timestamp_IsAWholeNumberKeptRaw(string timestamp)
    {
        var result = _files.Read($"{CurrentHeader}\n{Current("UKR1", timestamp: timestamp)}\n");

        Assert.Equal(timestamp.Length == 0 ? null : timestamp, Assert.Single(result.Value).Attributes.GetValueOrDefault("timestamp"));
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("1742900000.5")]
    [InlineData("2025-03-19")]
    public void Import_BadTimestamp_IsARowError(string timestamp)
    {
        var result = _files.Read($"{CurrentHeader}\n{Current("UKR1", timestamp: timestamp)}\n");

        var error = Assert.Single(result.Errors);
        Assert.Equal(("acled.timestamp", "timestamp", 2), (error.Code, error.Field, error.Line));
    }

    [Fact]
    public void Import_SeveralBadNewFields_AreOneErrorEachAndOneRejectedRow()
    {
        var row = Current("UKR1", fatalities: "x", inter1: "9", timestamp: "y");

        var result = _files.Read($"{CurrentHeader}\n{row}\n");

        Assert.Equal(["acled.fatalities", "acled.inter", "acled.timestamp"], result.Errors.Select(e => e.Code));
        Assert.Equal(row, Assert.Single(result.Rejected).Text);
    }

    [Fact]
    public void Import_TagAfterSemicolon_IsReadByTheClassifierAndKeptRaw()
    {
        var result = _files.Read($"{CurrentHeader}\n{Current("UKR1", notes: "\"Nothing said.\"", tags: "crowd size=no report;substation")}\n");

        var incident = Assert.Single(result.Value);
        Assert.Equal("energy.transmission", incident.Target.Category.Code);
        Assert.Equal(["substation"], incident.Target.Evidence);
        Assert.Equal("crowd size=no report;substation", incident.Attributes["tags"]);
    }

    [Theory]
    [InlineData("traction; substation", "energy.transmission")]
    [InlineData("traction;substation", "energy.transmission")]
    [InlineData("traction substation", "rail")]
    public void Import_Tags_AreReadOneByOne_NoPhraseRunsAcrossTwo(string tags, string expected)
    {
        var result = _files.Read($"{CurrentHeader}\n{Current("UKR1", notes: "\"Nothing said.\"", tags: tags)}\n");

        Assert.Equal(expected, Assert.Single(result.Value).Target.Category.Code);
    }

    [Theory]
    [InlineData(null, new string[0])]
    [InlineData("", new string[0])]
    [InlineData("  ", new string[0])]
    [InlineData("crowd size=no report", new[] { "crowd size=no report" })]
    [InlineData("crowd size=no report; local administrators", new[] { "crowd size=no report", "local administrators" })]
    [InlineData(" a ;; b ;", new[] { "a", "b" })]
    public void SplitTags_SplitsAtSemicolonsAndTrims(string? tags, string[] expected)
    {
        Assert.Equal(expected, AcledReader.SplitTags(tags));
    }
}

using Ceasefire.Import.Classification;
using Ceasefire.Incidents;
using Ceasefire.Taxonomy;

namespace Ceasefire.Tests.Import;

public class TargetClassifierTests
{
    private static string Code(string text) => TargetClassifier.Infer(text).Category.Code;

    [Theory]
    // English
    [InlineData("Russian forces struck a substation in Kharkiv region.", "energy.transmission")]
    [InlineData("Drones hit power lines near Sumy.", "energy.transmission")]
    [InlineData("A transformer was damaged.", "energy.transmission")]
    [InlineData("Missile strike on a thermal power plant (TPP) in Kyiv oblast.", "energy.power_generation")]
    [InlineData("Shelling of the CHP in Kharkiv.", "energy.power_generation")]
    [InlineData("Ukrainian drones hit the Saratov oil refinery.", "energy.oil_refining")]
    [InlineData("A gas metering station at Sudzha was destroyed.", "energy.oil_gas_pipeline")]
    [InlineData("Drones attacked an oil depot and a pumping station.", "energy.oil_gas_pipeline")]
    [InlineData("Strike on a gas production facility in Poltava region.", "energy.gas_production")]
    [InlineData("Shelling near the Zaporizhzhia NPP.", "energy.nuclear")]
    [InlineData("Attack on the Kakhovka dam.", "energy.hydro")]
    [InlineData("A coal mine in Pokrovsk was shelled.", "energy.coal")]
    [InlineData("A fire broke out at an energy facility.", "energy.unspecified")]
    [InlineData("Drone attack on the port of Izmail.", "maritime.port")]
    [InlineData("A civilian vessel was hit in the Black Sea.", "maritime.vessel")]
    [InlineData("Shelling damaged a hospital.", "civilian.medical")]
    [InlineData("A school was damaged.", "civilian.education")]
    [InlineData("Debris fell on a residential building.", "civilian.residential")]
    [InlineData("Strike on a grain terminal.", "civilian.agriculture")]
    [InlineData("Missile hit a bridge.", "civilian.infrastructure")]
    [InlineData("Shelling of an industrial enterprise.", "civilian.industry")]
    [InlineData("Drones attacked the Engels airfield.", "military.airfield")]
    [InlineData("Artillery hit Russian positions near Kupiansk.", "military")]
    // Ukrainian
    [InlineData("Внаслідок удару пошкоджено підстанцію.", "energy.transmission")]
    [InlineData("Пошкоджено лінію електропередачі.", "energy.transmission")]
    [InlineData("Удар по ТЕЦ у Харкові.", "energy.power_generation")]
    [InlineData("Атака на нафтопереробний завод.", "energy.oil_refining")]
    [InlineData("Пошкоджено газовимірювальну станцію.", "energy.oil_gas_pipeline")]
    [InlineData("Удар по газодобувному підприємству.", "energy.gas_production")]
    [InlineData("Обстріл Запорізької АЕС.", "energy.nuclear")]
    [InlineData("Удар по Дніпровській ГЕС.", "energy.hydro")]
    [InlineData("Удар по Укрзалізниці.", "rail")]
    [InlineData("Пошкоджено житловий будинок.", "civilian.residential")]
    [InlineData("Снаряд влучив у лікарню.", "civilian.medical")]
    [InlineData("Атака на енергетичну інфраструктуру.", "energy.unspecified")]
    [InlineData("Дрон атакував судно в порту.", "maritime.port")]
    // Russian
    [InlineData("Беспилотник атаковал подстанцию.", "energy.transmission")]
    [InlineData("Повреждена ЛЭП.", "energy.transmission")]
    [InlineData("Удар по ТЭЦ.", "energy.power_generation")]
    [InlineData("Атака на НПЗ в Туапсе.", "energy.oil_refining")]
    [InlineData("Повреждена нефтеперекачивающая станция.", "energy.oil_gas_pipeline")]
    [InlineData("Обстрел газоизмерительной станции в Судже.", "energy.oil_gas_pipeline")]
    [InlineData("Обстрел Курской АЭС.", "energy.nuclear")]
    [InlineData("Обстрел Каховской ГЭС.", "energy.hydro")]
    [InlineData("Повреждена больница.", "civilian.medical")]
    [InlineData("Поврежден жилой дом.", "civilian.residential")]
    [InlineData("Атака на энергетическую инфраструктуру.", "energy.unspecified")]
    [InlineData("Удар по танкеру.", "maritime.vessel")]
    public void Infer_Keyword_GivesCategory(string text, string expected)
    {
        var inference = TargetClassifier.Infer(text);

        Assert.Equal(expected, inference.Category.Code);
        Assert.Equal(TargetBasis.Inferred, inference.Basis);
        Assert.NotEmpty(inference.Evidence);
    }

    [Theory]
    [InlineData("Drones hit a railway traction substation near Kovel.")]
    [InlineData("Удар по тяговій підстанції Укрзалізниці.")]
    [InlineData("Пошкоджено тягову підстанцію.")]
    [InlineData("Тягова підстанція знеструмлена.")]
    [InlineData("Атакована тяговая подстанция.")]
    [InlineData("Strike on a traction substation; a transformer burned.")]
    public void Infer_RailTractionSubstation_IsRailNotTransmission(string text)
    {
        Assert.Equal("rail", Code(text));
    }

    [Fact]
    public void Infer_SubstationAlone_IsTransmission()
    {
        Assert.Equal("energy.transmission", Code("Пошкоджено підстанцію."));
        Assert.Equal("energy.transmission", Code("підстанція"));
        Assert.Equal("energy.transmission", Code("подстанция"));
    }

    [Fact]
    public void Infer_RailwayTractionSubstation_EvidenceNamesTheRailWords()
    {
        var inference = TargetClassifier.Infer("Drones hit a railway traction substation.");

        Assert.Equal(["railway", "traction substation"], inference.Evidence);
        Assert.DoesNotContain("substation", inference.Evidence);
    }

    [Theory]
    [InlineData("According to a report, shelling continued.")]
    [InlineData("Drones struck near the airport of Kherson.")]
    [InlineData("Artillery support was provided.")]
    [InlineData("Transport links were cut.")]
    [InlineData("A portion of the town was shelled.")]
    [InlineData("The reporting period ended.")]
    [InlineData("Звіт про рапорт.")]
    public void Infer_PortInsideOtherWords_IsNotPort(string text)
    {
        Assert.NotEqual("maritime.port", Code(text));
    }

    [Fact]
    public void Infer_Airport_IsCivilianInfrastructure()
    {
        Assert.Equal("civilian.infrastructure", Code("Drones struck near the airport."));
    }

    [Theory]
    [InlineData("The water pumping station was damaged.", "civilian.infrastructure")]
    [InlineData("An oil tanker was hit.", "maritime.vessel")]
    [InlineData("Two oil tanks caught fire.", "energy.oil_gas_pipeline")]
    [InlineData("A wind farm was damaged.", "energy.power_generation")]
    [InlineData("Residents of the village were injured.", "civilian.people")]
    [InlineData("Shelling of Kateryna's house.", "civilian.residential")]
    [InlineData("Знищено особовий склад противника.", "military")]
    [InlineData("Drones hit the Kharkiv Tractor Plant.", "civilian.industry")]
    [InlineData("A gas distribution station was damaged.", "energy.oil_gas_pipeline")]
    public void Infer_PhraseOrLongerWord_BeatsTheWordsInsideIt(string text, string expected)
    {
        Assert.Equal(expected, Code(text));
    }

    [Fact]
    public void Infer_SeveralCategories_MostSpecificWinsAndEvidenceIsItsWords()
    {
        var inference = TargetClassifier.Infer("A missile hit a residential building and a substation; power lines were cut.");

        Assert.Equal("energy.transmission", inference.Category.Code);
        Assert.Equal(["substation", "power lines"], inference.Evidence);
    }

    [Fact]
    public void Infer_StemEvidence_IsTheWholeWordAsWritten()
    {
        var inference = TargetClassifier.Infer("Пошкоджено ПІДСТАНЦІЮ та підстанцію.");

        Assert.Equal(["ПІДСТАНЦІЮ"], inference.Evidence);
    }

    [Theory]
    [InlineData("")]
    [InlineData("On 3 January 2025, Russian forces shelled Enerhodar area with artillery and MLRS. Casualties unknown.")]
    [InlineData("Ukrainian forces clashed with Russian forces.")]
    public void Infer_NoKeyword_IsNone(string text)
    {
        Assert.Same(TargetInference.None, TargetClassifier.Infer(text));
        Assert.True(TargetClassifier.Classify(text).IsUnknown);
    }

    [Fact]
    public void Infer_TagsAndNotes_AreReadTogether()
    {
        var inference = TargetClassifier.Infer("energy infrastructure", "A strike on a school.");

        Assert.Equal("energy.unspecified", inference.Category.Code);
        Assert.Equal(["energy infrastructure"], inference.Evidence);
    }

    [Fact]
    public void Infer_KeywordsAtEdgesAndAfterPunctuation_AreFound()
    {
        Assert.Equal("energy.transmission", Code("substation"));
        Assert.Equal("energy.transmission", Code("(substation)"));
        Assert.Equal("energy.transmission", Code("«підстанція»"));
        Assert.Equal("energy.transmission", Code("“substation”"));
        Assert.Equal("energy.transmission", Code(new string('x', 40) + " " + "substation"));
        Assert.Equal("energy.oil_refining", Code(new string(' ', 31) + "НПЗ"));
        Assert.Equal("energy.power_generation", Code("ТЕЦ-5 була атакована"));
    }

    [Fact]
    public void Infer_ShortWordsMustBeWholeWords()
    {
        Assert.Equal("civilian.infrastructure", Code("The bridge was hit."));
        Assert.NotEqual("civilian.infrastructure", Code("Fighting at the Krynky bridgehead."));
        Assert.Equal("energy.hydro", Code("the dam"));
        Assert.NotEqual("energy.hydro", Code("damage was reported"));
        Assert.NotEqual("maritime.vessel", Code("Катерина was injured"));
        Assert.NotEqual("energy.power_generation", Code("тесно связанные"));
    }

    [Fact]
    public void Classify_AgreesWithInfer()
    {
        string[] texts =
        [
            "Drones hit a railway traction substation.", "A school and a hospital were damaged.", "підстанція",
            "Атака на НПЗ.", "nothing here", "An oil tanker in the port.", "The water pumping station was damaged.",
        ];
        foreach (var text in texts)
        {
            Assert.Equal(TargetClassifier.Infer(text).Category, TargetClassifier.Classify(text));
        }
    }

    [Fact]
    public void Priority_IsDocumentedOrder()
    {
        var codes = TargetClassifier.Priority.Select(c => c.Code).ToList();

        Assert.Equal("rail", codes[0]);
        Assert.Equal("military", codes[^1]);
        Assert.True(codes.IndexOf("energy.nuclear") < codes.IndexOf("energy.hydro"));
        Assert.True(codes.IndexOf("energy.hydro") < codes.IndexOf("energy.oil_refining"));
        Assert.True(codes.IndexOf("energy.oil_gas_pipeline") < codes.IndexOf("energy.gas_production"));
        Assert.True(codes.IndexOf("energy.power_generation") < codes.IndexOf("energy.transmission"));
        Assert.True(codes.IndexOf("energy.transmission") < codes.IndexOf("energy.unspecified"));
        Assert.True(codes.IndexOf("energy.unspecified") < codes.IndexOf("maritime.port"));
        Assert.True(codes.IndexOf("maritime.port") < codes.IndexOf("maritime.vessel"));
        Assert.True(codes.IndexOf("civilian.medical") < codes.IndexOf("civilian.education"));
        Assert.True(codes.IndexOf("civilian.education") < codes.IndexOf("civilian.residential"));
        Assert.DoesNotContain(TargetCategory.Unknown, TargetClassifier.Priority);
    }
}

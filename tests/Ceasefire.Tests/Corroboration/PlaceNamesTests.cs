using Ceasefire.Corroboration;

namespace Ceasefire.Tests.Corroboration;

public class PlaceNamesTests
{
    private static readonly string[] Sudzha = ["Sudzha", "Суджа", "スジャ", "スジュー"];
    private static readonly string[] Kyiv = ["Kyiv", "Kiev", "Київ", "Киев", "キーウ"];
    private static readonly string[] Kharkiv = ["Kharkiv", "Kharkov", "Харків", "Харьков", "ハルキウ"];
    private static readonly string[] Zaporizhzhia = ["Zaporizhzhia", "Zaporozhye", "Запоріжжя", "Запорожье", "ザポリージャ"];
    private static readonly string[] Mykolaiv = ["Mykolaiv", "Nikolaev", "Миколаїв", "Николаев", "ミコライウ"];

    private static void AssertAllSame(string[] group, string name)
    {
        foreach (var other in group)
        {
            Assert.True(PlaceNames.SamePlace(name, other), $"{name} / {other}");
            Assert.True(PlaceNames.SamePlace(other, name), $"{other} / {name}");
        }
    }

    // Romanize

    [Theory]
    [InlineData("Суджа", "sudzha")]
    [InlineData("Київ", "kyiv")]
    [InlineData("スジャ", "suja")]
    [InlineData("すじゃ", "suja")]
    [InlineData("Харків", "kharkiv")]
    [InlineData("Запоріжжя", "zaporizhzhia")]
    [InlineData("Миколаїв", "mykolaiv")]
    [InlineData("Слов'янськ", "sloviansk")]
    [InlineData("Єнакієве", "yenakiieve")]
    [InlineData("Згурівка", "zghurivka")]
    [InlineData("Харьков", "kharkov")]
    [InlineData("Запорожье", "zaporozhye")]
    [InlineData("Николаев", "nikolayev")]
    [InlineData("Новороссийск", "novorossiysk")]
    [InlineData("Энергодар", "energodar")]
    [InlineData("Щёлково", "shcholkovo")]
    public void Romanize_Cyrillic_FollowsUkrainianOrRussianTransliteration(string name, string expected) =>
        Assert.Equal(expected, PlaceNames.Romanize(name));

    [Theory]
    [InlineData("キーウ", "kiiv")]
    [InlineData("ハルキウ", "harukiv")]
    [InlineData("リヴィウ", "riviv")]
    [InlineData("ミコライウ", "mikoraiv")]
    [InlineData("ポクロウシク", "pokurovshiku")]
    [InlineData("ザポリージャ", "zaporiija")]
    [InlineData("ブリャンスク", "buryansuku")]
    [InlineData("オデッサ", "odessa")]
    [InlineData("ウクライナ", "ukuraina")]
    [InlineData("ティフィ", "tifi")]
    [InlineData("ｽｼﾞｬ", "suja")]
    public void Romanize_Kana_FollowsHepburnWithFinalUAsV(string name, string expected) =>
        Assert.Equal(expected, PlaceNames.Romanize(name));

    [Theory]
    [InlineData("Sudža", "sudzha")]
    [InlineData("Łuck", "luck")]
    [InlineData("Dnipró", "dnipro")]
    [InlineData("  L'viv   Oblast ", "lviv oblast")]
    [InlineData("スジャ市", "suja")]
    public void Romanize_Latin_StripsDiacriticsAndLowerCases(string name, string expected) =>
        Assert.Equal(expected, PlaceNames.Romanize(name));

    // Key

    [Theory]
    [InlineData("Sudzha", "suja")]
    [InlineData("Zaporizhzhia", "zaporija")]
    [InlineData("Запорожье", "zaporoje")]
    [InlineData("Kyiv", "kiv")]
    [InlineData("Troebortnoye, Sevsky district", "troebortnoie")]
    [InlineData("Kursk area", "kursk")]
    [InlineData("Sumy Oblast", "sumi")]
    [InlineData("Kyiv (city)", "kiv")]
    [InlineData("Kharkiv - Kyivskyi", "harkiv")]
    [InlineData("м. Одеса", "odesa")]
    [InlineData("Velyka Novosilka", "velika novosilka")]
    [InlineData("", "")]
    public void Key_CollapsesSpellingsAndDropsGenericWords(string name, string expected) =>
        Assert.Equal(expected, PlaceNames.Key(name));

    [Fact]
    public void Key_SpellingVariants_AreEqual()
    {
        Assert.Equal(PlaceNames.Key("Odesa"), PlaceNames.Key("Odessa"));
        Assert.Equal(PlaceNames.Key("Sudzha"), PlaceNames.Key("Sudja"));
        Assert.Equal(PlaceNames.Key("Sumy"), PlaceNames.Key("Сумы"));
        Assert.Equal(PlaceNames.Key("Novorossiysk"), PlaceNames.Key("Новоросійськ"));
        Assert.Equal(PlaceNames.Key("Lutsk"), PlaceNames.Key("Łuck"));
    }

    // Same place

    [Theory]
    [InlineData("Sudzha")]
    [InlineData("Суджа")]
    [InlineData("スジャ")]
    [InlineData("スジュー")]
    public void SamePlace_SudzhaSpellings_AreSamePlace(string name) => AssertAllSame(Sudzha, name);

    [Theory]
    [InlineData("Kyiv")]
    [InlineData("Kiev")]
    [InlineData("Київ")]
    [InlineData("Киев")]
    [InlineData("キーウ")]
    public void SamePlace_KyivSpellings_AreSamePlace(string name) => AssertAllSame(Kyiv, name);

    [Theory]
    [InlineData("Kharkiv")]
    [InlineData("Kharkov")]
    [InlineData("Харків")]
    [InlineData("Харьков")]
    [InlineData("ハルキウ")]
    public void SamePlace_KharkivSpellings_AreSamePlace(string name) => AssertAllSame(Kharkiv, name);

    [Theory]
    [InlineData("Zaporizhzhia")]
    [InlineData("Zaporozhye")]
    [InlineData("Запоріжжя")]
    [InlineData("Запорожье")]
    [InlineData("ザポリージャ")]
    public void SamePlace_ZaporizhzhiaSpellings_AreSamePlace(string name) => AssertAllSame(Zaporizhzhia, name);

    [Theory]
    [InlineData("Mykolaiv")]
    [InlineData("Nikolaev")]
    [InlineData("Миколаїв")]
    [InlineData("Николаев")]
    [InlineData("ミコライウ")]
    public void SamePlace_MykolaivSpellings_AreSamePlace(string name) => AssertAllSame(Mykolaiv, name);

    [Theory]
    [InlineData("Sudzha", "スジュー")]
    [InlineData("Sudzha", "Sudja")]
    [InlineData("Kyiv", "Kiev")]
    [InlineData("Київ", "キーウ")]
    [InlineData("Kharkiv", "Kharkov")]
    [InlineData("Харьков", "ハルキウ")]
    [InlineData("Zaporizhzhia", "Zaporozhye")]
    [InlineData("Запорожье", "ザポリージャ")]
    [InlineData("Mykolaiv", "ミコライウ")]
    [InlineData("Nikolaev", "Николаев")]
    [InlineData("Lviv", "Lvov")]
    [InlineData("Dnipro", "Dnepr")]
    [InlineData("Bilhorod", "Belgorod")]
    [InlineData("Sloviansk", "Slavyansk")]
    [InlineData("Avdiivka", "Авдеевка")]
    [InlineData("Vovchansk", "Волчанск")]
    [InlineData("Kursk", "クルスク")]
    public void Similarity_PhoneticsAlone_MatchesSpellingVariants(string a, string b) =>
        Assert.True(PlaceNames.Similarity(a, b) >= PlaceNames.SamePlaceThreshold, $"{a} / {b}: {PlaceNames.Similarity(a, b):0.000}");

    [Fact]
    public void Similarity_MykolaivNikolaev_NeedsTheExonymTable()
    {
        // The Ukrainian and Russian names differ in their first consonant; phonetics alone must not bridge that,
        // or Mykolaivka-like pairs would match too. The table of known places does.
        Assert.True(PlaceNames.Similarity("Mykolaiv", "Nikolaev") < PlaceNames.SamePlaceThreshold);
        Assert.True(PlaceNames.SamePlace("Mykolaiv", "Nikolaev"));
        Assert.True(PlaceNames.SamePlace("Dnipro", "Днепропетровск"));
    }

    [Theory]
    [InlineData("Troebortnoye, Sevsky district", "Троебортное")]
    [InlineData("Kursk area", "Курская область")]
    [InlineData("Kharkiv oblast", "Харківська область")]
    [InlineData("Kyiv city", "キーウ市")]
    [InlineData("Velyka Novosilka", "Великая Новоселка")]
    [InlineData("Sumy, Sumy oblast", "Сумы")]
    public void SamePlace_MultiWordAndQualifiedNames_AreSamePlace(string a, string b) =>
        Assert.True(PlaceNames.SamePlace(a, b), $"{a} / {b}: {PlaceNames.Similarity(a, b):0.000}");

    // Different places

    [Theory]
    [InlineData("Sudzha", "Sumy")]
    [InlineData("Суджа", "Суми")]
    [InlineData("Kyiv", "Kursk")]
    [InlineData("Київ", "Курськ")]
    [InlineData("Kharkiv", "Kherson")]
    [InlineData("ハルキウ", "ヘルソン")]
    [InlineData("Pokrovsk", "Pokrovske")]
    [InlineData("Покровськ", "Покровське")]
    [InlineData("Покровск", "Покровское")]
    [InlineData("Lutsk", "Lviv")]
    [InlineData("Sloviansk", "Slovianoserbsk")]
    [InlineData("Donetsk", "Donetske")]
    [InlineData("Bakhmut", "Bakhmutske")]
    public void SamePlace_DifferentPlaces_AreNotSamePlace(string a, string b)
    {
        Assert.False(PlaceNames.SamePlace(a, b), $"{a} / {b}");
        Assert.False(PlaceNames.SamePlace(b, a), $"{b} / {a}");
        Assert.True(PlaceNames.Similarity(a, b) < PlaceNames.SamePlaceThreshold, $"{a} / {b}: {PlaceNames.Similarity(a, b):0.000}");
    }

    [Theory]
    [InlineData("", "Kyiv")]
    [InlineData("市", "州")]
    [InlineData("   ", "   ")]
    public void SamePlace_NoLetters_IsNeverSamePlace(string a, string b)
    {
        Assert.False(PlaceNames.SamePlace(a, b));
        Assert.Equal(0, PlaceNames.Similarity(a, b));
    }

    // Similarity as a score

    [Theory]
    [InlineData("Kyiv", "Kyiv")]
    [InlineData("Kharkiv", "Kherson")]
    [InlineData("Zaporizhzhia", "ザポリージャ")]
    [InlineData("Sloviansk", "Slovianoserbsk")]
    [InlineData("Pokrovsk", "Pokrovske")]
    public void Similarity_IsSymmetricAndWithinUnitInterval(string a, string b)
    {
        var ab = PlaceNames.Similarity(a, b);
        Assert.InRange(ab, 0, 1);
        Assert.Equal(ab, PlaceNames.Similarity(b, a), 12);
    }

    [Fact]
    public void Similarity_SameKey_IsOne() => Assert.Equal(1, PlaceNames.Similarity("Odessa", "Одеса"));

    // Known places

    [Theory]
    [InlineData("Kiev", "Kyiv")]
    [InlineData("キエフ", "Kyiv")]
    [InlineData("Николаев", "Mykolaiv")]
    [InlineData("Днепропетровск", "Dnipro")]
    [InlineData("オデーサ", "Odesa")]
    [InlineData("ノボロシースク", "Novorossiysk")]
    [InlineData("Бєлгород", "Belgorod")]
    [InlineData("Kavkazskaya stanitsa", "Kavkazskaya")]
    [InlineData("Курская область", "Kursk")]
    public void KnownPlace_Spelling_GivesEnglishName(string name, string english) =>
        Assert.Equal(english, PlaceNames.KnownPlace(name));

    [Theory]
    [InlineData("Pokrovske")]
    [InlineData("Lutsk")]
    [InlineData("Slovianoserbsk")]
    public void KnownPlace_OtherPlace_IsNull(string name) => Assert.Null(PlaceNames.KnownPlace(name));

    [Fact]
    public void Arguments_Null_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => PlaceNames.Romanize(null!));
        Assert.Throws<ArgumentNullException>(() => PlaceNames.Key(null!));
        Assert.Throws<ArgumentNullException>(() => PlaceNames.SamePlace("Kyiv", null!));
        Assert.Throws<ArgumentNullException>(() => PlaceNames.Similarity(null!, "Kyiv"));
    }
}

using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Ceasefire.Incidents;
using Ceasefire.Taxonomy;

namespace Ceasefire.Import.Classification;

/// <summary>
/// Infers what an incident hit (a <see cref="TargetCategory"/>) from the free text of a report (ACLED <c>tags</c> and
/// <c>notes</c>) in English, Ukrainian and Russian, by keywords. Stateless; thread-safe.
/// </summary>
/// <remarks>
/// <para><b>Matching.</b> A keyword matches only where a word starts (the character before it is not a letter), so
/// "port" does not match in "report", "support", "transport" or "airport". A <i>stem</i> matches any word that begins
/// with it ("підстанц" matches "підстанція", "підстанцію"); a <i>word</i> must also end where the keyword ends, except
/// that the listed forms are all there is ("port", "ports"; "порт", "порту", "порта", ...), which keeps short keywords
/// from matching longer unrelated words ("portion", "Катерина"). Letter case is ignored (ordinal). Where keywords
/// overlap, the longest keyword at the leftmost word start wins and consumes its text, so a phrase beats the words
/// inside it: "water pumping station" is water infrastructure, not a "pumping station" of a pipeline; "oil tanker" is
/// a vessel, not an "oil tank".</para>
/// <para><b>Precedence.</b> When the text names several kinds of target, the more specific category wins, by the
/// order of the groups in the keyword table, which is <see cref="Priority"/>: rail, nuclear, hydro, oil refining,
/// pipelines and storage, gas production, coal, power generation, transmission, energy-equipment manufacturing,
/// unspecified energy, port, vessel, medical, education, residential, agriculture, other civilian infrastructure,
/// industry, military airfield, civilians (people), military. Rail comes first because a railway traction substation
/// ("railway traction substation", "тягова підстанція") is rail infrastructure that also carries the words of
/// electricity transmission. The <see cref="TargetInference.Evidence"/> of an inference lists the words of the winning
/// category as they appear in the text (a stem shown as the whole word it began), each once, in order.</para>
/// <para><b>Speed.</b> Word starts are found 16 (or 8) characters at a time with SIMD, and at each word start the first three
/// case-folded characters select a bucket of candidate keywords by a hash; only then is a keyword compared. This takes
/// about 0.15 µs for a 150-character English note on one core. <c>SearchValues&lt;string&gt;</c> was measured first
/// and rejected: with the 80 English keywords it is allowed to accelerate (Teddy) it took 2.4 µs a note, because
/// fingerprints of 80 letter prefixes match almost everywhere, and keywords in Cyrillic fall back to Aho-Corasick
/// (1.4 µs a note).</para>
/// </remarks>
public static class TargetClassifier
{
    // The keyword table: one group per category, in priority order (first = most specific = wins). Stems match any
    // word they begin; words must end where the keyword ends. Every keyword starts with three letters (the scan looks
    // only at such word starts). Keep English, Ukrainian and Russian together per group.
    private static readonly Group[] Table =
    [
        // Railways: track, stations, rolling stock and traction substations. First, because "railway traction
        // substation" / "тягова підстанція" / "тяговая подстанция" must be rail, not electricity transmission.
        new("rail",
            Stems: ["rail", "locomotive", "traction substation", "traction power", "rolling stock", "train station",
                "Ukrzaliznyts", "Укрзалізниц", "залізниц", "залізнич", "тягов", "локомотив", "електропоїзд", "поїзд",
                "потяг", "вагон", "вокзал", "железнодорож", "железной дорог", "железная дорог", "железную дорог",
                "электропоезд", "поезд", "электричк", "електричк"],
            Words: ["train", "trains", "РЖД"]),

        // Nuclear power plants (and their operators).
        new("energy.nuclear",
            Stems: ["nuclear", "atomic", "Energoatom", "Enerhoatom", "Rosatom", "атомн", "Енергоатом", "Энергоатом",
                "Росатом"],
            Words: ["NPP", "NPPs", "ZNPP", "АЕС", "АЭС", "ЗАЕС", "ЗАЭС"]),

        // Hydroelectric plants and dams.
        new("energy.hydro",
            Stems: ["hydroelectric", "hydro-electric", "hydropower", "hydro power", "hydro plant", "Ukrhydroenergo",
                "гідроелектр", "гидроэлектр", "Укргідроенерго", "гребл", "плотин", "дамб"],
            Words: ["dam", "dams", "HPP", "HPPs", "ГЕС", "ГЭС"]),

        // Oil refineries.
        new("energy.oil_refining",
            Stems: ["refiner", "oil processing", "нафтоперероб", "нефтеперераб"],
            Words: ["НПЗ"]),

        // Oil and gas pipelines, storage (depots, tank farms), pumping, compressor and metering stations, terminals.
        new("energy.oil_gas_pipeline",
            Stems: ["pipeline", "gas metering", "gas measuring", "metering station", "pumping station",
                "compressor station", "oil depot", "fuel depot", "petroleum depot", "oil storage", "fuel storage",
                "gas storage", "tank farm", "oil terminal", "oil transshipment", "oil pumping", "газопровод",
                "газопровід", "нафтопровід", "нефтепровод", "трубопровод", "трубопровід", "продуктопровод",
                "продуктопровід", "газоизмерительн", "газовимірювальн", "нафтоперекачувальн", "нефтеперекачива",
                "нефтебаз", "нафтобаз", "газосховищ", "газохранилищ", "нефтехранилищ", "нафтосховищ", "компресорн",
                "компрессорн", "нефтеналивн", "нафтоналивн", "перевалочн", "gas distribution", "газорозподільч",
                "газораспределит"],
            Words: ["oil tank", "oil tanks", "fuel tank", "fuel tanks", "ПХГ"]),

        // Oil and gas production: fields, wells, gas processing (bare "well" is left out: "as well as").
        new("energy.gas_production",
            Stems: ["gas production", "gas field", "gas well", "oil well", "oil field", "oilfield", "gas processing",
                "gas condensate", "gas extraction", "gas-producing", "gas producing", "oil and gas production",
                "drilling rig", "Naftogaz", "Ukrgasvydobuv", "Ukrgazvydobuv", "газодобувн", "газодобыв", "газовидобув",
                "нафтогазовидобув", "нефтегазодобыв", "нафтовидобув", "нефтедобыв", "свердловин", "скважин",
                "газоконденсат", "родовищ", "месторожден", "Нафтогаз", "Укргазвидобув", "газопереробн",
                "газоперерабатыва"],
            Words: []),

        // Coal mines and coal processing (bare "mine" is left out: landmines).
        new("energy.coal",
            Stems: ["coal mine", "coal mining", "coal-mining", "coal enrichment", "coal processing", "coal preparation",
                "collier", "шахтоуправлін", "шахтоуправлен", "вугледобув", "угледобыв", "вуглезбагач", "углеобогат"],
            Words: ["шахта", "шахти", "шахту", "шахті", "шахте", "шахтой", "шахтою", "шахт", "шахты", "шахтах"]),

        // Power generation: thermal, combined heat and power, solar and wind plants.
        new("energy.power_generation",
            Stems: ["power plant", "power station", "thermal power", "thermoelectric", "combined heat and power",
                "heat and power plant", "electricity generation", "power generation", "power-generating",
                "power generating", "generating capacit", "generation facilit", "solar power", "solar plant",
                "solar farm", "solar station", "wind farm", "wind power", "power unit", "Centrenergo", "електростанц",
                "электростанц", "теплоелектроцентрал", "теплоэлектроцентрал", "теплоелектростанц", "теплоэлектростанц",
                "енергоблок", "энергоблок", "генерац", "генеруюч", "генерирующ", "Центренерго"],
            Words: ["CHP", "CHPP", "CHPs", "TPP", "TPPs", "ТЕЦ", "ТЭЦ", "ТЕС", "ТЭС", "ГРЕС", "ГРЭС"]),

        // Electricity transmission and distribution: substations, transformers, lines, the grid.
        new("energy.transmission",
            Stems: ["substation", "sub-station", "transformer", "power line", "power-line", "powerline",
                "transmission line", "transmission tower", "power transmission", "electricity transmission",
                "electricity distribution", "power distribution", "high-voltage", "high voltage", "power grid",
                "electrical grid", "electricity grid", "electric grid", "electrical network", "electricity network",
                "power network", "Ukrenergo", "підстанц", "подстанц", "трансформатор", "електропередач",
                "электропередач", "електромереж", "электросет", "Укренерго", "Укрэнерго", "високовольтн",
                "высоковольтн"],
            Words: ["ЛЕП", "ЛЭП"]),

        // Factories that make energy equipment (turbines, transformers, power machinery).
        new("energy.equipment_manufacturing",
            Stems: ["energy equipment", "power equipment", "energy machine", "power machine", "turbine plant",
                "turbine factory", "turbine manufactur", "transformer plant", "transformer factory", "Turboatom",
                "Elektrovazhmash", "Electrotyazhmash", "енергетичного обладнання", "энергетического оборудования",
                "енергомаш", "энергомаш", "Турбоатом", "Електроважмаш", "Электротяжмаш", "трансформаторний завод",
                "трансформаторного заводу", "трансформаторный завод", "трансформаторного завода"],
            Words: []),

        // Energy infrastructure of unstated type ("an energy facility", "енергетична інфраструктура").
        new("energy.unspecified",
            Stems: ["energy facilit", "energy infrastructure", "energy object", "energy site", "energy system",
                "energy target", "energy enterprise", "energy asset", "energy sector", "energy company",
                "power facilit", "power infrastructure", "power supply facilit", "electricity infrastructure",
                "electricity facilit", "energy-related", "енергетичн", "энергетическ", "енергетик", "энергетик",
                "енергооб", "энергообъект", "енергосистем", "энергосистем", "енергоінфраструктур",
                "энергоинфраструктур", "енергопідприєм", "энергопредприят"],
            Words: []),

        // Sea and river ports.
        new("maritime.port",
            Stems: ["seaport", "sea port", "river port", "harbour", "harbor", "berth", "quay", "портов", "причал",
                "морпорт"],
            Words: ["port", "ports", "pier", "piers", "порт", "порту", "порта", "портом", "порті", "порте", "порты",
                "порти", "портів", "портах", "портам"]),

        // Vessels of any kind (merchant and naval).
        new("maritime.vessel",
            Stems: ["vessel", "tanker", "bulk carrier", "warship", "frigate", "corvette", "landing craft", "tugboat",
                "submarine", "minesweeper", "судн", "корабл", "корабел", "танкер", "сухогруз", "суховантаж", "фрегат",
                "корвет", "барж", "буксир", "пором", "паром", "лодк"],
            Words: ["ship", "ships", "boat", "boats", "barge", "barges", "ferry", "ferries", "катер", "катера",
                "катери", "катерів", "катеров", "катером", "човен", "човна", "човни", "човнів"]),

        // Hospitals, clinics, ambulances.
        new("civilian.medical",
            Stems: ["hospital", "clinic", "medical", "ambulance", "health facilit", "healthcare facilit",
                "health care facilit", "maternity", "polyclinic", "infirmary", "first aid", "paramedic", "лікарн",
                "больниц", "госпітал", "госпитал", "шпитал", "поліклінік", "поликлиник", "клінік", "клиник", "медичн",
                "медицинск", "медзаклад", "медучрежден", "амбулатор", "пологов", "роддом", "медпункт", "фельдшер",
                "швидкої допомоги", "швидка допомога", "швидку допомогу", "скорой помощи", "скорая помощь"],
            Words: []),

        // Schools, kindergartens, universities.
        new("civilian.education",
            Stems: ["school", "kindergarten", "university", "college", "lyceum", "educational", "школ", "дитсад",
                "дитячий садок", "дитячого садка", "дитячому садку", "детский сад", "детского сада", "детском саду",
                "детсад", "університет", "университет", "ліцей", "лицей", "гімназі", "гимнази", "коледж", "колледж",
                "навчальний заклад", "навчального закладу", "навчальних закладів", "навчальні заклади",
                "заклад освіти", "закладу освіти", "закладів освіти", "заклади освіти", "учебное заведение",
                "учебного заведения", "учебных заведений", "учебные заведения"],
            Words: []),

        // Residential buildings: houses, apartment blocks, dormitories.
        new("civilian.residential",
            Stems: ["residential", "apartment", "housing", "dwelling", "high-rise", "multi-storey", "multi-story",
                "multistorey", "block of flats", "dormitor", "житлов", "жилищ", "багатоповерх", "многоэтаж",
                "багатоквартирн", "многоквартирн", "будин", "квартир", "гуртожит", "общежит", "домовлад"],
            Words: ["house", "houses", "home", "homes", "жилой", "жилого", "жилом", "жилые", "жилых", "жилая", "жилую",
                "жилое", "жилым", "жилыми", "дом", "дома", "дому", "домом", "доме", "домов", "домах", "домам"]),

        // Agriculture: grain storage and export, farms, machinery.
        new("civilian.agriculture",
            Stems: ["grain", "agricultur", "farmland", "harvest", "tractor", "livestock", "poultry", "granar", "зерн",
                "елеватор", "элеватор", "агро", "сільськогосподарськ", "сельскохозяйствен", "сільгосп", "сельхоз",
                "трактор", "комбайн", "фермер", "тваринниц", "животновод", "птахофабрик", "птицефабрик"],
            Words: ["farm", "farms", "silo", "silos", "ферма", "ферми", "ферму", "фермі", "ферме", "фермы"]),

        // Other civilian infrastructure: water, heating, bridges, telecoms, airports, urban transport.
        new("civilian.infrastructure",
            Stems: ["infrastructure", "water supply", "water pumping", "water treatment", "water utility",
                "waterworks", "water main", "water pipe", "sewage", "sewer", "boiler house", "boiler room",
                "heating network", "heating plant", "airport", "bus station", "telecom", "mobile tower", "cell tower",
                "communication tower", "communications tower", "television tower", "radio tower",
                "trolleybus", "metro station", "інфраструктур", "инфраструктур",
                "водопостач", "водоснабж", "водоканал", "водопровід", "водопровод", "водогін", "водовод", "каналізац",
                "канализац", "очисн", "очистн", "котельн", "теплопостач", "теплоснабж", "теплосет", "тепломереж",
                "аеропорт", "аэропорт", "автовокзал", "телевеж", "телебашн", "телеком", "трамва", "тролейбус", "троллейбус"],
            Words: ["bridge", "bridges", "tram", "trams", "metro", "метро", "міст", "мосту", "мости", "мостів", "мост", "моста", "мостом",
                "мосты", "мостов"]),

        // Industrial and commercial sites: factories, warehouses, shops, fuel stations, logistics.
        new("civilian.industry",
            Stems: ["factory", "factories", "industrial", "enterprise", "warehouse", "shopping", "supermarket",
                "business", "commercial", "logistics", "petrol station", "gas station", "filling station",
                "Nova Poshta", "tractor plant", "tractor factory", "тракторний завод", "тракторного заводу",
                "тракторный завод", "тракторного завода", "завод", "фабрик", "підприємств", "предприяти", "промислов", "промышлен", "магазин",
                "торгов", "торговел", "супермаркет", "автозаправ", "заправк", "Нова пошта", "Нової пошти",
                "Нову пошту", "Новой почты", "логістичн", "логистическ", "комбінат", "комбинат"],
            Words: ["plant", "plants", "shop", "shops", "store", "stores", "market", "markets", "mall", "склад",
                "складу", "склади", "складів", "склады", "складов", "складе", "складі", "АЗС", "ТРЦ", "цех", "цеху",
                "цехи", "цехів", "цехов"]),

        // Military airfields and air bases.
        new("military.airfield",
            Stems: ["airfield", "air base", "airbase", "air-base", "aerodrome", "military airport", "аеродром",
                "аэродром", "авіабаз", "авиабаз"],
            Words: []),

        // Civilians as people (not objects): residents, pedestrians, children, volunteers, journalists.
        new("civilian.people",
            Stems: ["civilian", "resident", "pedestrian", "passer-by", "passers-by", "bystander", "children",
                "volunteer", "journalist", "aid worker", "humanitarian worker", "evacuee", "refugee", "цивільн",
                "мешкан", "жител", "пішоход", "пішохід", "пешеход", "перехож", "волонтер", "журналіст", "журналист",
                "дитин", "дітей", "ребен", "детей"],
            Words: ["child", "діти", "дети"]),

        // Military personnel, positions and equipment. Last: the least specific target, and never inferred from the
        // mere presence of armed forces in the text (they are usually the actor, not the target).
        new("military",
            Stems: ["military infrastructure", "military base", "military facilit", "military unit", "military target",
                "military equipment", "military vehicle", "military position", "military personnel",
                "military object", "military depot", "military warehouse", "military site", "military installation",
                "military command", "military convoy", "military headquarters", "ammunition depot",
                "ammunition storage", "ammunition warehouse", "ammo depot", "arms depot", "weapons depot",
                "weapons storage", "command post", "command centre", "command center", "headquarters", "barracks",
                "firing position", "trench", "dugout", "fortification", "armoured vehicle", "armored vehicle",
                "armoured personnel", "armored personnel", "infantry fighting vehicle", "troop concentration",
                "concentration of troops", "особовий склад", "особового складу", "особовому складу",
                "особовим складом", "позиці", "позици", "боєприпас", "боеприпас", "склад боєприпасів",
                "склад боеприпасов", "штаб", "казарм", "бліндаж", "блиндаж", "окоп", "укріплен", "укреплен",
                "фортифікац", "фортификац", "бронетехн", "військової техніки", "військову техніку",
                "військова техніка", "военной техники", "военную технику", "военная техника", "пункт управлін",
                "пункт управлен", "дислокац", "військової частини", "військову частину", "військова частина",
                "воинской части", "воинскую часть", "воинская часть"],
            Words: ["position", "positions", "tank", "tanks", "APC", "APCs", "IFV", "IFVs", "танк", "танка", "танки",
                "танків", "танков", "танком", "РЛС"]),
    ];

    private const int HashBits = 14;

    private static readonly ushort[] FoldTable = BuildFoldTable();
    private static readonly TargetCategory[] CategoryOfRank = BuildCategories();
    private static readonly Keyword[]?[] Buckets = BuildBuckets();

    /// <summary>
    /// The categories the classifier can infer, most specific first: when a text names several, the one that comes
    /// first here wins.
    /// </summary>
    public static IReadOnlyList<TargetCategory> Priority => CategoryOfRank;

    /// <summary>The category named by <paramref name="text"/>; <see cref="TargetCategory.Unknown"/> when none.</summary>
    public static TargetCategory Classify(ReadOnlySpan<char> text) => Classify([], text);

    /// <summary>
    /// The category named by an ACLED row's <paramref name="tags"/> and <paramref name="notes"/> together (the same
    /// as <see cref="Infer(ReadOnlySpan{char}, ReadOnlySpan{char})"/> without the evidence, and without allocating);
    /// <see cref="TargetCategory.Unknown"/> when neither names one.
    /// </summary>
    public static TargetCategory Classify(ReadOnlySpan<char> tags, ReadOnlySpan<char> notes)
    {
        var best = int.MaxValue;
        Scan(tags, ref best, null);
        if (best > 0)
        {
            Scan(notes, ref best, null);
        }
        return best == int.MaxValue ? TargetCategory.Unknown : CategoryOfRank[best];
    }

    /// <summary>The inference from <paramref name="text"/>; <see cref="TargetInference.None"/> when nothing matches.</summary>
    public static TargetInference Infer(ReadOnlySpan<char> text) => Infer([], text);

    /// <summary>
    /// The inference from an ACLED row's <paramref name="tags"/> and <paramref name="notes"/> together: the category
    /// (<see cref="TargetBasis.Inferred"/>) with the words that decided it; <see cref="TargetInference.None"/> when
    /// neither names a target.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static TargetInference Infer(ReadOnlySpan<char> tags, ReadOnlySpan<char> notes)
    {
        var best = int.MaxValue;
        var tagMatches = new List<Found>();
        var noteMatches = new List<Found>();
        Scan(tags, ref best, tagMatches);
        Scan(notes, ref best, noteMatches);
        if (best == int.MaxValue)
        {
            return TargetInference.None;
        }
        var evidence = new List<string>();
        AddEvidence(tags, tagMatches, best, evidence);
        AddEvidence(notes, noteMatches, best, evidence);
        return new TargetInference(CategoryOfRank[best], TargetBasis.Inferred, evidence);
    }

    private static void AddEvidence(ReadOnlySpan<char> text, List<Found> matches, int rank, List<string> evidence)
    {
        foreach (var m in matches)
        {
            if (m.Rank != rank)
            {
                continue;
            }
            var end = m.End;
            while (end < text.Length && IsWordChar(text[end]))
            {
                end++;
            }
            var word = text[m.Start..end];
            var seen = false;
            foreach (var e in evidence)
            {
                seen |= word.Equals(e, StringComparison.OrdinalIgnoreCase);
            }
            if (!seen)
            {
                evidence.Add(word.ToString());
            }
        }
    }

    /// <summary>
    /// Finds keywords at word starts of <paramref name="text"/>, lowering <paramref name="best"/> to the best rank
    /// seen. Without a list to collect matches, stops as soon as nothing better is possible.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scan(ReadOnlySpan<char> text, ref int best, List<Found>? found)
    {
        // Every keyword starts with three letters, so only a word start followed by two more letters can begin one
        // (this skips "a", "on", "of", "в", "на", ...).
        if (text.Length < 3)
        {
            return;
        }
        var resume = 0;
        if (IsWordChar(text[0]) && TryMatch(text, 0, ref resume, ref best, found) && best == 0 && found is null)
        {
            return;
        }
        var i = 1;
        ref var r0 = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<ushort>.Count + 2 <= text.Length; i += Vector256<ushort>.Count)
            {
                var previous = WordMask(Vector256.LoadUnsafe(ref r0, (nuint)(i - 1)));
                var current = WordMask(Vector256.LoadUnsafe(ref r0, (nuint)i));
                var next = WordMask(Vector256.LoadUnsafe(ref r0, (nuint)(i + 1))) & WordMask(Vector256.LoadUnsafe(ref r0, (nuint)(i + 2)));
                // One mask bit per byte: a character's two bytes give two equal bits; keep the high one.
                var starts = (Vector256.AndNot(current, previous) & next).AsByte().ExtractMostSignificantBits() & 0xAAAAAAAAu;
                while (starts != 0)
                {
                    var j = i + (BitOperations.TrailingZeroCount(starts) >> 1);
                    starts &= starts - 1;
                    if (j >= resume && TryMatch(text, j, ref resume, ref best, found) && best == 0 && found is null)
                    {
                        return;
                    }
                }
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            for (; i + Vector128<ushort>.Count + 2 <= text.Length; i += Vector128<ushort>.Count)
            {
                var previous = WordMask(Vector128.LoadUnsafe(ref r0, (nuint)(i - 1)));
                var current = WordMask(Vector128.LoadUnsafe(ref r0, (nuint)i));
                var next = WordMask(Vector128.LoadUnsafe(ref r0, (nuint)(i + 1))) & WordMask(Vector128.LoadUnsafe(ref r0, (nuint)(i + 2)));
                var starts = (Vector128.AndNot(current, previous) & next).AsByte().ExtractMostSignificantBits() & 0xAAAAu;
                while (starts != 0)
                {
                    var j = i + (BitOperations.TrailingZeroCount(starts) >> 1);
                    starts &= starts - 1;
                    if (j >= resume && TryMatch(text, j, ref resume, ref best, found) && best == 0 && found is null)
                    {
                        return;
                    }
                }
            }
        }
        for (; i + 2 < text.Length; i++)
        {
            if (i >= resume && IsWordChar(text[i]) && !IsWordChar(text[i - 1]) && IsWordChar(text[i + 1]) && IsWordChar(text[i + 2]) &&
                TryMatch(text, i, ref resume, ref best, found) && best == 0 && found is null)
            {
                return;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryMatch(ReadOnlySpan<char> text, int i, ref int resume, ref int best, List<Found>? found)
    {
        if (text.Length - i < 3)
        {
            return false;
        }
        var bucket = Buckets[Hash(Fold(text[i]), Fold(text[i + 1]), Fold(text[i + 2]))];
        if (bucket is null)
        {
            return false;
        }
        var fourth = text.Length - i > 3 ? Fold(text[i + 3]) : 0;
        foreach (var k in bucket)
        {
            var end = i + k.Text.Length;
            if (end > text.Length || (k.Text.Length > 3 && k.Fourth != fourth) ||
                !text[i..end].Equals(k.Text, StringComparison.OrdinalIgnoreCase) ||
                (k.WholeWord && end < text.Length && IsWordChar(text[end])))
            {
                continue;
            }
            resume = end;
            best = Math.Min(best, k.Rank);
            found?.Add(new Found(k.Rank, i, end));
            return true;
        }
        return false;
    }

    /// <summary>
    /// A letter for word boundaries: ASCII letters, and every character from U+00C0 up (Latin letters with accents,
    /// Cyrillic, ...) except the General Punctuation block (dashes, curly quotes, the typographic apostrophe).
    /// Digits are not letters. The <c>WordMask</c> overloads compute the same for 8 or 16 characters at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsWordChar(char c) => (uint)((c | 0x20) - 'a') < 26 || (c >= 0xC0 && (uint)(c - 0x2000) >= 0x70);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ushort> WordMask(Vector128<ushort> v)
    {
        var ascii = Vector128.LessThan((v | Vector128.Create((ushort)0x20)) - Vector128.Create((ushort)'a'), Vector128.Create((ushort)26));
        var high = Vector128.GreaterThanOrEqual(v, Vector128.Create((ushort)0xC0)) &
                   Vector128.GreaterThanOrEqual(v - Vector128.Create((ushort)0x2000), Vector128.Create((ushort)0x70));
        return ascii | high;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ushort> WordMask(Vector256<ushort> v)
    {
        var ascii = Vector256.LessThan((v | Vector256.Create((ushort)0x20)) - Vector256.Create((ushort)'a'), Vector256.Create((ushort)26));
        var high = Vector256.GreaterThanOrEqual(v, Vector256.Create((ushort)0xC0)) &
                   Vector256.GreaterThanOrEqual(v - Vector256.Create((ushort)0x2000), Vector256.Create((ushort)0x70));
        return ascii | high;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Fold(char c) => c < 0x500 ? FoldTable[c] : c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hash(uint a, uint b, uint c) =>
        (int)(((a * 0x9E3779B1u) ^ (b * 0x85EBCA77u) ^ (c * 0xC2B2AE3Du)) >> (32 - HashBits));

    private static ushort[] BuildFoldTable()
    {
        // Case folding consistent with StringComparison.OrdinalIgnoreCase (which compares upper-case invariant
        // forms) for Latin and Cyrillic; characters from U+0500 up are not folded.
        var table = new ushort[0x500];
        for (var c = 0; c < table.Length; c++)
        {
            table[c] = char.ToLowerInvariant(char.ToUpperInvariant((char)c));
        }
        return table;
    }

    private static TargetCategory[] BuildCategories() =>
        [.. Table.Select(g => TargetCategories.TryParse(g.Code, out var c)
            ? c
            : throw new InvalidOperationException($"The target keyword table names '{g.Code}', which is not in the target taxonomy."))];

    private static Keyword[]?[] BuildBuckets()
    {
        var buckets = new List<Keyword>?[1 << HashBits];
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var rank = 0; rank < Table.Length; rank++)
        {
            foreach (var (text, wholeWord) in Table[rank].Stems.Select(s => (s, false)).Concat(Table[rank].Words.Select(w => (w, true))))
            {
                if (text.Length < 3 || !IsWordChar(text[0]) || !IsWordChar(text[1]) || !IsWordChar(text[2]) || !seen.Add(text))
                {
                    throw new InvalidOperationException($"Target keyword '{text}' does not start with three letters, or is listed twice.");
                }
                var h = Hash(Fold(text[0]), Fold(text[1]), Fold(text[2]));
                (buckets[h] ??= []).Add(new Keyword(text, (byte)rank, wholeWord, text.Length > 3 ? Fold(text[3]) : 0));
            }
        }
        // Longest first, so the longest keyword at a word start wins.
        return [.. buckets.Select(b => b?.OrderByDescending(k => k.Text.Length).ThenBy(k => k.Text, StringComparer.Ordinal).ToArray())];
    }

    private sealed record Group(string Code, string[] Stems, string[] Words);

    /// <summary>A keyword; <paramref name="Fourth"/> is its fourth character case-folded, compared before the rest.</summary>
    private readonly record struct Keyword(string Text, byte Rank, bool WholeWord, uint Fourth);

    private readonly record struct Found(int Rank, int Start, int End);
}

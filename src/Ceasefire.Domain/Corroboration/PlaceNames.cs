using System.Globalization;
using System.Text;

namespace Ceasefire.Corroboration;

/// <summary>
/// Decides whether two reports name the same place when they spell it in different scripts and conventions: English
/// and ACLED spellings, Ukrainian and Russian Cyrillic, Japanese katakana and hiragana. Everything is tables in code;
/// nothing is looked up on the network. Pure functions; safe to call from any thread.
/// </summary>
/// <remarks>
/// <para>
/// The pipeline: <see cref="Romanize"/> turns any script into lower-case ASCII Latin; <see cref="Key"/> reduces the
/// romanized name to a phonetic key in which transliteration variants collapse; <see cref="Similarity"/> scores two
/// keys; <see cref="SamePlace"/> first consults a small table of known exonyms (places whose Ukrainian and Russian
/// names differ by more than spelling, such as Mykolaiv and Nikolaev) and otherwise compares the similarity with
/// <see cref="SamePlaceThreshold"/>.
/// </para>
/// <para>
/// Known limits: generic words are dropped, so "Kharkiv oblast" matches "Kharkiv" (a region and its capital share a
/// key; compare the precision of the reports separately). Adjectival region names are understood only for the
/// -sk- forms ("Харківська область", "Курская область"); "Запорізька область" is not matched to Zaporizhzhia. A
/// Latin 'j' is read as in Japanese and English ("Sudja" = Sudzha), not as the German or Polish glide ("Kijów").
/// Katakana <c>ウ</c> after a vowel is read as 'v' before a consonant too, which suits Slavic names (ポクロウシク
/// Pokrovsk) but not Korean ones (ソウル). Kanji are not read; they separate words.
/// </para>
/// </remarks>
public static class PlaceNames
{
    /// <summary>
    /// The <see cref="Similarity"/> at or above which <see cref="SamePlace"/> treats two names that are not both in
    /// the table of known places as the same place (0.85). Chosen so that one vowel change, Ukrainian/Russian
    /// alternations (і/о/е, г h/g) and Japanese epenthetic vowels pass, while a different consonant in a short name
    /// (Mykolaiv/Nikolaev, 0.78) or an added syllable (Sloviansk/Slovianoserbsk, 0.69) does not.
    /// </summary>
    public const double SamePlaceThreshold = 0.85;

    /// <summary>
    /// The factor by which <see cref="Similarity"/> is scaled when one name ends in -sk (a town: Pokrovsk, Donetsk)
    /// and the other in -sk plus an adjectival vowel ending (-ske, -skoe, -ska, -skyi: a village named after it,
    /// Pokrovske, Donetske); a final -u does not count, because Japanese adds it after every final consonant.
    /// </summary>
    private const double AdjectivalEndingFactor = 0.75;

    /// <summary>
    /// Transliterates a name to lower-case ASCII Latin. Cyrillic follows the Ukrainian national transliteration
    /// (Cabinet of Ministers resolution 55 of 2010: г h, и y, і i, ї yi/i, є ye/ie, ю yu/iu, я ya/ia, й y/i, word
    /// initial first, apostrophe dropped, зг zgh) when the text has a Ukrainian letter (і ї є ґ), an apostrophe
    /// between Cyrillic letters or the ending -ськ/-цьк, and otherwise a simplified BGN/PCGN Russian (г g, и i, ы y,
    /// э e, ъ and ь dropped, е ye at the start of a word and after a vowel other than и or after ь/ъ, ё yo, o after
    /// ж ч ш щ ц). Both share х kh, ц ts, ч ch, ш sh, щ shch, ж zh. Kana (hiragana and katakana, half-width too) follow
    /// Hepburn (シ shi, チ chi, ツ tsu, ジ ji, フ fu, small ャュョ give kya, sha, ja; small ァィゥェォ give fa, ti, vi,
    /// she, wi; ッ doubles the next consonant; ー repeats the vowel; ン n; ヴ vu) with one convention of Japanese media
    /// for Slavic names: a katakana ウ right after a vowel and before a consonant or at the end of the word is 'v'
    /// (キーウ kiiv, ハルキウ harukiv, ミコライウ mikoraiv, リヴィウ riviv). Latin letters with a caron become
    /// digraphs (š sh, ž zh, č ch, ŝ shch, ż zh); other diacritics are dropped (NFD, marks removed), and ł ø æ œ ß
    /// đ ı become l o ae oe ss d i. Apostrophes and soft signs are dropped; 、 becomes a comma; kanji and other
    /// characters become spaces; runs of white space become one space and the result is trimmed.
    /// </summary>
    /// <param name="name">The name in any script.</param>
    /// <returns>The romanized name: lower-case ASCII.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public static string Romanize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = name.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var ukrainian = IsUkrainianText(text);
        var sb = new StringBuilder(text.Length + 8);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (IsKana(c))
            {
                i = AppendKana(text, i, sb);
                continue;
            }
            if (IsCyrillic(c))
            {
                sb.Append(ukrainian ? UkrainianLetter(text, i) : RussianLetter(text, i));
            }
            else if (IsApostrophe(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                // Soft-sign marks and stress accents carry no letter.
            }
            else if (c < 128)
            {
                sb.Append(c);
            }
            else if (c == '、')
            {
                sb.Append(',');
            }
            else
            {
                AppendLatin(c, sb);
            }
            i++;
        }
        return CollapseSpaces(sb.ToString());
    }

    /// <summary>
    /// The phonetic key of a name, in which the usual transliteration variants of one name collapse. Two names with
    /// the same key are the same place for <see cref="SamePlace"/>.
    /// </summary>
    /// <remarks>
    /// The steps, in order:
    /// <list type="number">
    /// <item>Bracketed text is removed ("Kyiv (city)"), and only the first part before a comma, 、, semicolon, spaced
    /// hyphen or dash is kept ("Troebortnoye, Sevsky district": the first part is the place; ACLED's "Kyiv - Darnytskyi"
    /// is Kyiv).</item>
    /// <item>The rest is <see cref="Romanize">romanized</see> and split into words at anything but letters and
    /// digits (kanji such as 州 or 市 separate words and are not read).</item>
    /// <item>In each word: shch and sch become sh; tsch, tch and cz become ch; sz sh; dzh, dj and zh become j (so
    /// Sudzha, Sudja and スジャ suja agree); kh becomes h; ph f; tz ts; x ks; q k; w v; a c before h stays (ch),
    /// before a o u r l becomes k, and otherwise ts (Polish Łuck = Lutsk); y becomes i, so y, i and the glides of я ю
    /// є (ya/ia) agree; doubled letters collapse (Odessa, ザポリージャ zaporiija); a glide i between j, sh or ch and a
    /// vowel is dropped (zhia, zhye: Zaporizhzhia zaporija, Zaporozhye zaporoje); a word-initial ie becomes e. The
    /// letter g is not merged with j before e or i: Slavic g is always hard (Геленджик is Gelendzhik).</item>
    /// <item>Generic words that differ between languages are dropped: oblast, region, district, raion/rayon, krai,
    /// okrug, hromada, province, municipality, community, city, town, village, area (ACLED writes "X area"),
    /// settlement, stanitsa, khutor, misto/gorod, selo, selyshche, poselok, smt/pgt, "of", "the", and one-letter
    /// abbreviations (м., г., с.). If nothing is left, the words are kept.</item>
    /// </list>
    /// The key is the words joined by single spaces. Ukrainian г (h) and Russian г (g), the Japanese l/r and b/v,
    /// and vowel alternations are not merged in the key; <see cref="Similarity"/> counts them as half differences.
    /// </remarks>
    /// <param name="name">The name in any script.</param>
    /// <returns>The key: lower-case ASCII letters and digits, words separated by one space; empty if the name has no
    /// letters.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public static string Key(string name) => Analyze(name).Key;

    /// <summary>
    /// How alike two names sound, from 0 (nothing in common) to 1 (same key), by phonetics alone: the table of known
    /// places is not used. Symmetric.
    /// </summary>
    /// <remarks>
    /// The score is the mean of two parts on the <see cref="Key">keys</see>:
    /// <list type="bullet">
    /// <item>a weighted edit distance, normalized by the longer key: inserting or deleting a vowel costs 0.5 (the
    /// vowels Japanese inserts between consonants, クルスク kurusuku), a consonant 1; replacing a vowel by a vowel costs
    /// 0.5 (Ukrainian і against Russian о/е: Kharkiv/Kharkov, Lviv/Lvov), as do l/r and b/v (Japanese has one
    /// liquid and usually writes v as b), f/v, and g/h (Ukrainian г is h, Russian г is g: Bilhorod/Belgorod);</item>
    /// <item>the same with plain edit distance on the consonant skeletons (vowels removed, l/r, b/f/v and g/h merged,
    /// repeats collapsed).</item>
    /// </list>
    /// When one key ends in -sk and the other in -sk plus a vowel ending other than -u, the score is multiplied by 0.75
    /// (Pokrovsk is a town, Pokrovske a village), unless a name is a region ("Курская область"), whose adjectival
    /// ending is then also tried removed. Names with no letters score 0.
    /// </remarks>
    /// <param name="a">One name, in any script.</param>
    /// <param name="b">The other name, in any script.</param>
    /// <returns>A similarity in [0, 1].</returns>
    /// <exception cref="ArgumentNullException">A name is null.</exception>
    public static double Similarity(string a, string b) => Score(Analyze(a), Analyze(b));

    /// <summary>
    /// Whether two names denote the same place. If both are spellings of places in the table of known places (the
    /// major places of the 2025 war, with their English, Ukrainian, Russian and Japanese names), the answer is
    /// whether it is the same place: Mykolaiv is Nikolaev and ミコライウ, Sumy is not Sudzha. If one is, the other is
    /// compared with each of that place's spellings. Otherwise the answer is
    /// <see cref="Similarity"/> ≥ <see cref="SamePlaceThreshold"/>. Names with no letters are never the same place.
    /// </summary>
    /// <param name="a">One name, in any script.</param>
    /// <param name="b">The other name, in any script.</param>
    /// <returns><see langword="true"/> if the names are taken to denote the same place.</returns>
    /// <exception cref="ArgumentNullException">A name is null.</exception>
    public static bool SamePlace(string a, string b)
    {
        var x = Analyze(a);
        var y = Analyze(b);
        if (x.Key.Length == 0 || y.Key.Length == 0)
        {
            return false;
        }
        var px = KnownPlaces.Find(x);
        var py = KnownPlaces.Find(y);
        if (px is not null && py is not null)
        {
            return ReferenceEquals(px, py);
        }
        if (px is not null)
        {
            return px.Spellings.Max(s => Score(s, y)) >= SamePlaceThreshold;
        }
        if (py is not null)
        {
            return py.Spellings.Max(s => Score(x, s)) >= SamePlaceThreshold;
        }
        return Score(x, y) >= SamePlaceThreshold;
    }

    /// <summary>
    /// The English name of the place in the table of known places that <paramref name="name"/> spells (by
    /// <see cref="Key"/>, so "Kiev", "Київ" and "キーウ" all give "Kyiv"), or <see langword="null"/> if it is not one
    /// of them. The table holds only names whose spellings are certain; absence means nothing.
    /// </summary>
    /// <param name="name">The name in any script.</param>
    /// <returns>The English (Ukrainian-derived for Ukrainian places) name, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public static string? KnownPlace(string name) => KnownPlaces.Find(Analyze(name))?.English;

    // ---------------------------------------------------------------------------------------------------------
    // Keys

    /// <summary>A name reduced for comparison: its key, the keys to try, and whether it named a region.</summary>
    private sealed record NameKey(string Key, IReadOnlyList<string> Candidates, bool Administrative);

    private static readonly HashSet<string> AdministrativeWords = new(
        new[]
        {
            "oblast", "obl", "region", "province", "district", "raion", "rayon", "rajon", "krai", "kray", "okrug",
            "hromada", "gromada", "municipality", "community",
        }.Select(NormalizeWord));

    private static readonly HashSet<string> GenericWords = new(
        new[]
        {
            "city", "town", "village", "area", "settlement", "urban", "type", "stanitsa", "stanytsia", "stanitsya",
            "stanica", "khutor", "misto", "gorod", "selo", "selyshche", "selishche", "poselok", "posyolok", "poselennya",
            "derevnya", "smt", "pgt", "of", "the",
        }.Select(NormalizeWord).Concat(AdministrativeWords));

    private static NameKey Analyze(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = FirstPart(RemoveBracketed(name.Normalize(NormalizationForm.FormKC)));
        var words = SplitWords(Romanize(text))
            .Select(NormalizeWord)
            .Where(static w => w.Length > 0)
            .ToList();
        var kept = new List<string>(words.Count);
        var administrative = false;
        foreach (var w in words)
        {
            if (GenericWords.Contains(w))
            {
                administrative |= AdministrativeWords.Contains(w);
                continue;
            }
            if (w.Length == 1 && char.IsAsciiLetter(w[0]))
            {
                continue;
            }
            kept.Add(w);
        }
        if (kept.Count == 0)
        {
            kept = words;
            administrative = false;
        }
        var key = string.Join(' ', kept);
        var candidates = new List<string> { key };
        if (administrative && AdjectivalSkStart(kept[^1]) is int sk)
        {
            // "Курская область" kurskaia: try kursk and kur; "Харківська область" harkivska: try harkivsk and harkiv.
            var head = string.Join(' ', kept.Take(kept.Count - 1));
            var last = kept[^1];
            candidates.Add((head + " " + last[..(sk + 2)]).TrimStart());
            if (sk > 0)
            {
                candidates.Add((head + " " + last[..sk]).TrimStart());
            }
        }
        return new NameKey(key, candidates, administrative);
    }

    /// <summary>The runs of ASCII letters and digits in romanized text.</summary>
    private static List<string> SplitWords(string s)
    {
        var parts = new List<string>();
        var start = 0;
        for (var i = 0; i <= s.Length; i++)
        {
            if (i == s.Length || !char.IsAsciiLetterOrDigit(s[i]))
            {
                if (i > start)
                {
                    parts.Add(s[start..i]);
                }
                start = i + 1;
            }
        }
        return parts;
    }

    private static string RemoveBracketed(string text)
    {
        var sb = new StringBuilder(text.Length);
        var depth = 0;
        foreach (var c in text)
        {
            if (c is '(' or '[' or '（' or '［')
            {
                depth++;
            }
            else if (c is ')' or ']' or '）' or '］')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                sb.Append(c);
            }
        }
        var result = sb.ToString();
        return string.IsNullOrWhiteSpace(result) ? text : result;
    }

    private static string FirstPart(string text)
    {
        var parts = text.Split([",", "、", ";", " - ", "–", "—"], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0 ? text : parts[0];
    }

    /// <summary>Applies the spelling rules of <see cref="Key"/> to one romanized word.</summary>
    private static string NormalizeWord(string word)
    {
        var w = word
            .Replace("shch", "sh", StringComparison.Ordinal)
            .Replace("tsch", "ch", StringComparison.Ordinal)
            .Replace("tch", "ch", StringComparison.Ordinal)
            .Replace("sch", "sh", StringComparison.Ordinal)
            .Replace("cz", "ch", StringComparison.Ordinal)
            .Replace("sz", "sh", StringComparison.Ordinal)
            .Replace("dzh", "j", StringComparison.Ordinal)
            .Replace("dj", "j", StringComparison.Ordinal)
            .Replace("zh", "j", StringComparison.Ordinal)
            .Replace("kh", "h", StringComparison.Ordinal)
            .Replace("ph", "f", StringComparison.Ordinal)
            .Replace("tz", "ts", StringComparison.Ordinal)
            .Replace("x", "ks", StringComparison.Ordinal)
            .Replace('q', 'k')
            .Replace('w', 'v');

        var sb = new StringBuilder(w.Length + 4);
        for (var i = 0; i < w.Length; i++)
        {
            var c = w[i];
            var next = i + 1 < w.Length ? w[i + 1] : '\0';
            if (c == 'c')
            {
                sb.Append(next == 'h' ? "c" : next is 'a' or 'o' or 'u' or 'r' or 'l' ? "k" : "ts");
            }
            else
            {
                sb.Append(c == 'y' ? 'i' : c);
            }
        }
        w = CollapseRepeats(sb.ToString());

        sb.Clear();
        for (var i = 0; i < w.Length; i++)
        {
            var glide = w[i] == 'i' && i + 1 < w.Length && IsVowel(w[i + 1]) && i > 0 &&
                        (w[i - 1] == 'j' || (w[i - 1] == 'h' && i > 1 && w[i - 2] is 's' or 'c'));
            if (!glide)
            {
                sb.Append(w[i]);
            }
        }
        w = sb.ToString();
        if (w.Length > 2 && w.StartsWith("ie", StringComparison.Ordinal))
        {
            w = w[1..];
        }
        return CollapseRepeats(w);
    }

    private static string CollapseRepeats(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (sb.Length == 0 || sb[^1] != c)
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// If <paramref name="word"/> ends in -sk followed by vowels other than a lone Japanese -u, the index of that s.
    /// </summary>
    private static int? AdjectivalSkStart(string word)
    {
        var end = word.Length;
        while (end > 0 && IsVowel(word[end - 1]))
        {
            end--;
        }
        if (end == word.Length || end < 2 || word[end - 2] != 's' || word[end - 1] != 'k' || word[end..] == "u")
        {
            return null;
        }
        return end - 2;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Similarity

    private static double Score(NameKey a, NameKey b)
    {
        if (a.Key.Length == 0 || b.Key.Length == 0)
        {
            return 0;
        }
        var best = 0.0;
        foreach (var x in a.Candidates)
        {
            foreach (var y in b.Candidates)
            {
                best = Math.Max(best, KeySimilarity(x, y));
            }
        }
        if (!a.Administrative && !b.Administrative && AdjectivalMismatch(LastWord(a.Key), LastWord(b.Key)))
        {
            best *= AdjectivalEndingFactor;
        }
        return Math.Clamp(best, 0, 1);
    }

    private static string LastWord(string key) => key[(key.LastIndexOf(' ') + 1)..];

    private static bool AdjectivalMismatch(string x, string y) =>
        (x.EndsWith("sk", StringComparison.Ordinal) && AdjectivalSkStart(y) is not null) ||
        (y.EndsWith("sk", StringComparison.Ordinal) && AdjectivalSkStart(x) is not null);

    private static double KeySimilarity(string x, string y)
    {
        if (x.Length == 0 || y.Length == 0)
        {
            return 0;
        }
        if (x == y)
        {
            return 1;
        }
        var spelling = 1 - WeightedDistance(x, y) / Math.Max(x.Length, y.Length);
        var sx = Skeleton(x);
        var sy = Skeleton(y);
        var skeleton = sx.Length == 0 && sy.Length == 0
            ? spelling
            : 1 - (double)EditDistance(sx, sy) / Math.Max(sx.Length, sy.Length);
        return (spelling + skeleton) / 2;
    }

    private static double WeightedDistance(string a, string b)
    {
        var prev = new double[b.Length + 1];
        var cur = new double[b.Length + 1];
        for (var j = 1; j <= b.Length; j++)
        {
            prev[j] = prev[j - 1] + IndelCost(b[j - 1]);
        }
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = prev[0] + IndelCost(a[i - 1]);
            for (var j = 1; j <= b.Length; j++)
            {
                cur[j] = Math.Min(
                    Math.Min(prev[j] + IndelCost(a[i - 1]), cur[j - 1] + IndelCost(b[j - 1])),
                    prev[j - 1] + SubstitutionCost(a[i - 1], b[j - 1]));
            }
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }

    private static double IndelCost(char c) => IsVowel(c) ? 0.5 : 1;

    private static double SubstitutionCost(char x, char y)
    {
        if (x == y)
        {
            return 0;
        }
        if (IsVowel(x) && IsVowel(y))
        {
            return 0.5;
        }
        return ConsonantClass(x) == ConsonantClass(y) ? 0.5 : 1;
    }

    /// <summary>The class of consonants that transliteration confuses: l/r, b/f/v, g/h.</summary>
    private static char ConsonantClass(char c) => c switch
    {
        'r' => 'l',
        'b' or 'f' => 'v',
        'g' => 'h',
        _ => c,
    };

    private static string Skeleton(string key)
    {
        var sb = new StringBuilder(key.Length);
        foreach (var c in key)
        {
            if (c == ' ' || IsVowel(c))
            {
                continue;
            }
            var k = ConsonantClass(c);
            if (sb.Length == 0 || sb[^1] != k)
            {
                sb.Append(k);
            }
        }
        return sb.ToString();
    }

    private static int EditDistance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            prev[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                cur[j] = Math.Min(Math.Min(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    // ---------------------------------------------------------------------------------------------------------
    // Romanization

    private static string CollapseSpaces(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c))
            {
                if (sb.Length > 0 && sb[^1] != ' ')
                {
                    sb.Append(' ');
                }
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString().TrimEnd();
    }

    private static bool IsApostrophe(char c) => c is '\'' or '`' or '\u2019' or '\u2018' or '\u02BC' or '\u02B9' or '\u00B4';

    private static bool IsCyrillic(char c) => c is >= '\u0400' and <= '\u04FF';

    private static bool IsUkrainianText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is 'і' or 'ї' or 'є' or 'ґ')
            {
                return true;
            }
            if (IsApostrophe(c) && i > 0 && i + 1 < text.Length && IsCyrillic(text[i - 1]) && IsCyrillic(text[i + 1]))
            {
                return true;
            }
        }
        if (text.AsSpan().IndexOfAny("ыэъё") >= 0)
        {
            return false;
        }
        return text.Contains("ськ", StringComparison.Ordinal) || text.Contains("цьк", StringComparison.Ordinal);
    }

    /// <summary>Whether the Cyrillic letter at <paramref name="i"/> begins a word (apostrophes do not end one).</summary>
    private static bool WordInitial(string text, int i)
    {
        var j = i - 1;
        while (j >= 0 && CharUnicodeInfo.GetUnicodeCategory(text[j]) == UnicodeCategory.NonSpacingMark)
        {
            j--;
        }
        return j < 0 || !(char.IsLetter(text[j]) || IsApostrophe(text[j]));
    }

    /// <summary>The letter before <paramref name="i"/>, skipping combining marks, or NUL.</summary>
    private static char Previous(string text, int i)
    {
        var j = i - 1;
        while (j >= 0 && CharUnicodeInfo.GetUnicodeCategory(text[j]) == UnicodeCategory.NonSpacingMark)
        {
            j--;
        }
        return j < 0 ? '\0' : text[j];
    }

    private static string SharedLetter(char c) => c switch
    {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'д' => "d",
        'ж' => "zh",
        'з' => "z",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ь' or 'ъ' => "",
        'ы' => "y",
        'э' => "e",
        _ => "",
    };

    private static string UkrainianLetter(string text, int i)
    {
        var c = text[i];
        var initial = WordInitial(text, i);
        return c switch
        {
            'г' => Previous(text, i) == 'з' ? "gh" : "h",
            'ґ' => "g",
            'е' => "e",
            'є' => initial ? "ye" : "ie",
            'и' => "y",
            'і' => "i",
            'ї' => initial ? "yi" : "i",
            'й' => initial ? "y" : "i",
            'ю' => initial ? "yu" : "iu",
            'я' => initial ? "ya" : "ia",
            'ё' => initial ? "yo" : "io",
            _ => SharedLetter(c),
        };
    }

    private static string RussianLetter(string text, int i)
    {
        var c = text[i];
        var initial = WordInitial(text, i);
        var previous = Previous(text, i);
        return c switch
        {
            'г' => "g",
            'е' => initial || previous is 'а' or 'е' or 'ё' or 'о' or 'у' or 'ы' or 'э' or 'ю' or 'я' or 'ь' or 'ъ' ? "ye" : "e",
            'ё' => previous is 'ж' or 'ч' or 'ш' or 'щ' or 'ц' ? "o" : "yo",
            'и' => "i",
            'й' => "y",
            'ю' => "yu",
            'я' => "ya",
            'і' => "i",
            'ї' => "yi",
            'є' => "ye",
            'ґ' => "g",
            _ => SharedLetter(c),
        };
    }

    private static void AppendLatin(char c, StringBuilder sb)
    {
        switch (c)
        {
            case 'ł': sb.Append('l'); return;
            case 'ø': sb.Append('o'); return;
            case 'æ': sb.Append("ae"); return;
            case 'œ': sb.Append("oe"); return;
            case 'ß': sb.Append("ss"); return;
            case 'đ' or 'ð': sb.Append('d'); return;
            case 'ı': sb.Append('i'); return;
            case 'þ': sb.Append("th"); return;
        }
        var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
        var letter = decomposed[0];
        if (!char.IsAsciiLetter(letter))
        {
            sb.Append(char.IsLetterOrDigit(c) || char.IsPunctuation(c) || char.IsSymbol(c) || char.IsWhiteSpace(c) ? " " : "");
            return;
        }
        var caron = decomposed.Contains('\u030C');
        var circumflex = decomposed.Contains('\u0302');
        var dotAbove = decomposed.Contains('\u0307');
        sb.Append((letter, caron, circumflex, dotAbove) switch
        {
            ('c', true, _, _) => "ch",
            ('s', true, _, _) => "sh",
            ('z', true, _, _) => "zh",
            ('s', _, true, _) => "shch",
            ('z', _, _, true) => "zh",
            _ => char.ToLowerInvariant(letter).ToString(),
        });
    }

    // ---------------------------------------------------------------------------------------------------------
    // Kana

    private const char LongVowelMark = 'ー';
    private const char SmallTsu = 'ッ';

    private static bool IsKana(char c) => c is (>= '\u3041' and <= '\u3096') or (>= '\u30A1' and <= '\u30FA') or LongVowelMark;

    private static char ToKatakana(char c) => c is >= '\u3041' and <= '\u3096' ? (char)(c + 0x60) : c;

    private static readonly Dictionary<char, string> Katakana = BuildKatakana();

    private static Dictionary<char, string> BuildKatakana()
    {
        const string table =
            "ア a イ i ウ u エ e オ o カ ka キ ki ク ku ケ ke コ ko ガ ga ギ gi グ gu ゲ ge ゴ go " +
            "サ sa シ shi ス su セ se ソ so ザ za ジ ji ズ zu ゼ ze ゾ zo タ ta チ chi ツ tsu テ te ト to " +
            "ダ da ヂ ji ヅ zu デ de ド do ナ na ニ ni ヌ nu ネ ne ノ no ハ ha ヒ hi フ fu ヘ he ホ ho " +
            "バ ba ビ bi ブ bu ベ be ボ bo パ pa ピ pi プ pu ペ pe ポ po マ ma ミ mi ム mu メ me モ mo " +
            "ヤ ya ユ yu ヨ yo ラ ra リ ri ル ru レ re ロ ro ワ wa ヰ i ヱ e ヲ o ン n " +
            "ヴ vu ヷ va ヸ vi ヹ ve ヺ vo ヵ ka ヶ ke ヮ wa";
        var parts = table.Split(' ');
        var map = new Dictionary<char, string>(parts.Length / 2);
        for (var i = 0; i < parts.Length; i += 2)
        {
            map.Add(parts[i][0], parts[i + 1]);
        }
        return map;
    }

    private static char SmallVowel(char k) => k switch
    {
        'ァ' => 'a',
        'ィ' => 'i',
        'ゥ' => 'u',
        'ェ' => 'e',
        'ォ' => 'o',
        _ => '\0',
    };

    private static char SmallYVowel(char k) => k switch
    {
        'ャ' => 'a',
        'ュ' => 'u',
        'ョ' => 'o',
        _ => '\0',
    };

    /// <summary>Romanizes the run of kana starting at <paramref name="start"/>; returns the index after it.</summary>
    private static int AppendKana(string text, int start, StringBuilder sb)
    {
        var syllables = new List<string>();
        var geminate = false;
        var i = start;
        for (; i < text.Length && IsKana(text[i]); i++)
        {
            var original = text[i];
            var k = ToKatakana(original);
            var previous = syllables.Count > 0 ? syllables[^1] : "";
            if (k == LongVowelMark)
            {
                if (previous.Length > 0 && IsVowel(previous[^1]))
                {
                    syllables[^1] = previous + previous[^1];
                }
                continue;
            }
            if (k == SmallTsu)
            {
                geminate = true;
                continue;
            }
            if (SmallYVowel(k) is var yv and not '\0')
            {
                if (previous.Length >= 2 && IsVowel(previous[^1]))
                {
                    var stem = previous[..^1];
                    syllables[^1] = stem is "sh" or "ch" or "j" ? stem + yv : stem + "y" + yv;
                }
                else
                {
                    syllables.Add("y" + yv);
                }
                continue;
            }
            if (SmallVowel(k) is var v and not '\0')
            {
                if (previous == "u")
                {
                    syllables[^1] = "w" + v;
                }
                else if (previous == "i" && v == 'e')
                {
                    syllables[^1] = "ye";
                }
                else if (previous.Length >= 2 && IsVowel(previous[^1]))
                {
                    syllables[^1] = previous[..^1] + v;
                }
                else
                {
                    syllables.Add(v.ToString());
                }
                continue;
            }
            if (!Katakana.TryGetValue(k, out var romaji))
            {
                continue;
            }
            if (k == 'ウ' && original == 'ウ' && previous.Length > 0 && IsVowel(previous[^1]) && ConsonantOrEndFollows(text, i + 1))
            {
                romaji = "v";
            }
            if (geminate && !IsVowel(romaji[0]) && romaji[0] != 'n')
            {
                romaji = romaji.StartsWith("ch", StringComparison.Ordinal) ? "t" + romaji : romaji[0] + romaji;
            }
            geminate = false;
            syllables.Add(romaji);
        }
        foreach (var s in syllables)
        {
            sb.Append(s);
        }
        return i;
    }

    /// <summary>Whether the kana at <paramref name="i"/> begins with a consonant, or the word ends there.</summary>
    private static bool ConsonantOrEndFollows(string text, int i)
    {
        if (i >= text.Length || !IsKana(text[i]))
        {
            return true;
        }
        var k = ToKatakana(text[i]);
        if (k == LongVowelMark || SmallVowel(k) != '\0' || SmallYVowel(k) != '\0')
        {
            return false;
        }
        if (k == SmallTsu)
        {
            return true;
        }
        return Katakana.TryGetValue(k, out var romaji) && !IsVowel(romaji[0]);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Known places

    /// <summary>
    /// Places whose names in the languages of the reports differ by more than transliteration (Mykolaiv/Nikolaev,
    /// Dnipro/Dnipropetrovsk) or whose Japanese form is far from the Latin one, with every spelling the table is
    /// sure of: English (Ukrainian-derived and Russian-derived), Ukrainian, Russian, and Japanese as Japanese media
    /// write them (the older Russian-derived katakana such as キエフ included where it was standard before 2022).
    /// </summary>
    private static class KnownPlaces
    {
        private static readonly Place[] Places =
        [
            new("Kyiv", "Kyiv", "Kiev", "Київ", "Киев", "キーウ", "キエフ"),
            new("Kharkiv", "Kharkiv", "Kharkov", "Харків", "Харьков", "ハルキウ", "ハリコフ"),
            new("Mykolaiv", "Mykolaiv", "Nikolaev", "Nikolayev", "Миколаїв", "Николаев", "ミコライウ", "ニコラエフ"),
            new("Odesa", "Odesa", "Odessa", "Одеса", "Одесса", "オデーサ", "オデッサ"),
            new("Dnipro", "Dnipro", "Dnepr", "Dnipropetrovsk", "Dnepropetrovsk", "Дніпро", "Днепр", "Дніпропетровськ",
                "Днепропетровск", "ドニプロ"),
            new("Zaporizhzhia", "Zaporizhzhia", "Zaporizhia", "Zaporozhye", "Zaporozhe", "Запоріжжя", "Запорожье",
                "ザポリージャ", "ザポロジエ"),
            new("Kherson", "Kherson", "Херсон", "ヘルソン"),
            new("Sumy", "Sumy", "Суми", "Сумы", "スーミ"),
            new("Poltava", "Poltava", "Полтава", "ポルタワ"),
            new("Lviv", "Lviv", "Lvov", "Львів", "Львов", "リビウ", "リヴィウ"),
            new("Enerhodar", "Enerhodar", "Energodar", "Енергодар", "Энергодар", "エネルホダル"),
            new("Kramatorsk", "Kramatorsk", "Краматорськ", "Краматорск", "クラマトルスク"),
            new("Sloviansk", "Sloviansk", "Slovyansk", "Slavyansk", "Slaviansk", "Слов'янськ", "Славянск"),
            new("Pokrovsk", "Pokrovsk", "Покровськ", "Покровск", "ポクロウシク"),
            new("Kursk", "Kursk", "Курськ", "Курск", "クルスク"),
            new("Belgorod", "Belgorod", "Bilhorod", "Бєлгород", "Белгород", "ベルゴロド"),
            new("Bryansk", "Bryansk", "Briansk", "Брянськ", "Брянск", "ブリャンスク"),
            new("Sudzha", "Sudzha", "Суджа", "スジャ"),
            new("Krasnodar", "Krasnodar", "Краснодар", "クラスノダール"),
            new("Novorossiysk", "Novorossiysk", "Novorossiisk", "Новоросійськ", "Новороссийск", "ノボロシースク"),
            new("Kavkazskaya", "Kavkazskaya", "Кавказская"),
        ];

        private static readonly Dictionary<string, Place> ByKey = Index();

        public static Place? Find(NameKey name)
        {
            foreach (var candidate in name.Candidates)
            {
                if (ByKey.TryGetValue(candidate, out var place))
                {
                    return place;
                }
            }
            return null;
        }

        private static Dictionary<string, Place> Index()
        {
            var index = new Dictionary<string, Place>(StringComparer.Ordinal);
            foreach (var place in Places)
            {
                foreach (var spelling in place.Spellings)
                {
                    if (index.TryGetValue(spelling.Key, out var other) && !ReferenceEquals(other, place))
                    {
                        throw new InvalidOperationException($"The key '{spelling.Key}' spells both {other.English} and {place.English}.");
                    }
                    index[spelling.Key] = place;
                }
            }
            return index;
        }
    }

    /// <summary>One known place: its English name and the keys of its spellings.</summary>
    private sealed class Place(string english, params string[] spellings)
    {
        public string English { get; } = english;

        public IReadOnlyList<NameKey> Spellings { get; } = spellings.Select(Analyze).ToArray();
    }
}

namespace Ceasefire.Incidents;

/// <summary>
/// An Admiralty (NATO) grade: source reliability <c>A</c> (completely reliable) to <c>F</c> (cannot be judged) and
/// information credibility <c>1</c> (confirmed by other sources) to <c>6</c> (truth cannot be judged). Written "B2".
/// </summary>
public readonly record struct SourceGrade
{
    /// <summary>Creates a grade; throws when reliability is not A-F or credibility not 1-6.</summary>
    public SourceGrade(char reliability, int credibility)
    {
        reliability = char.ToUpperInvariant(reliability);
        if (reliability is < 'A' or > 'F')
        {
            throw new ArgumentOutOfRangeException(nameof(reliability), reliability, "Source reliability must be A-F.");
        }
        if (credibility is < 1 or > 6)
        {
            throw new ArgumentOutOfRangeException(nameof(credibility), credibility, "Information credibility must be 1-6.");
        }
        Reliability = reliability;
        Credibility = credibility;
    }

    /// <summary>Source reliability, A-F.</summary>
    public char Reliability { get; }

    /// <summary>Information credibility, 1-6.</summary>
    public int Credibility { get; }

    /// <summary>"Cannot be judged" on both scales (F6), the grade of an unassessed report.</summary>
    public static SourceGrade Unassessed => new('F', 6);

    /// <summary>Parses "B2" (case-insensitive); false on anything else.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out SourceGrade grade)
    {
        text = text.Trim();
        if (text.Length == 2 && char.ToUpperInvariant(text[0]) is >= 'A' and <= 'F' && text[1] is >= '1' and <= '6')
        {
            grade = new SourceGrade(text[0], text[1] - '0');
            return true;
        }
        grade = default;
        return false;
    }

    /// <summary>
    /// A weight in (0, 1] for confidence: reliability A..F gives 1.0, 0.8, 0.6, 0.4, 0.2, 0.5 (F is "cannot be judged",
    /// neither good nor bad), credibility 1..6 gives 1.0, 0.8, 0.6, 0.4, 0.2, 0.5 likewise; the weight is their product.
    /// The default value (no grade given) weighs as <see cref="Unassessed"/>.
    /// </summary>
    public double Weight
    {
        get
        {
            if (Reliability == default)
            {
                return Unassessed.Weight;
            }
            static double Scale(int i) => i == 5 ? 0.5 : 1.0 - 0.2 * i;
            return Scale(Reliability - 'A') * Scale(Credibility - 1);
        }
    }

    /// <inheritdoc />
    public override string ToString() => Reliability == default ? "" : $"{Reliability}{Credibility}";
}

namespace Ceasefire.Parties;

/// <summary>
/// The short code of a party to an agreement (for example <c>RU</c>, <c>UA</c>, <c>US</c>): upper-case ASCII letters,
/// digits, '-' or '_', 1 to 16 characters.
/// </summary>
public readonly record struct PartyCode
{
    /// <summary>Creates a party code; throws <see cref="ArgumentException"/> if <paramref name="value"/> is not a valid code.</summary>
    public PartyCode(string value)
    {
        if (!IsValid(value))
        {
            throw new ArgumentException($"'{value}' is not a party code (1-16 upper-case letters, digits, '-' or '_').", nameof(value));
        }
        Value = value;
    }

    /// <summary>The code itself.</summary>
    public string Value { get; }

    /// <summary>True when <paramref name="value"/> is a well-formed party code.</summary>
    public static bool IsValid(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= 16 &&
        value.All(c => c is >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_');

    /// <inheritdoc />
    public override string ToString() => Value ?? "";
}

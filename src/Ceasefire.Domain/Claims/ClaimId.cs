namespace Ceasefire.Claims;

/// <summary>The identifier of one published aggregate claim (for example <c>ua-easter-2025-04-21T00</c>).</summary>
public readonly record struct ClaimId
{
    /// <summary>Creates an id; throws <see cref="ArgumentException"/> on an empty value.</summary>
    public ClaimId(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("A claim id must not be empty.", nameof(value));
        }
        Value = value.Trim();
    }

    /// <summary>The id itself.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value ?? "";
}

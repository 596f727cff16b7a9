namespace Ceasefire.Claims;

/// <summary>
/// The identifier of a claim series: the claims one party published about one count over time (for example every
/// running total Ukraine published of Russian violations of the Easter truce on 20 April 2025).
/// </summary>
public readonly record struct ClaimSeriesId
{
    /// <summary>Creates an id; throws <see cref="ArgumentException"/> on an empty value.</summary>
    public ClaimSeriesId(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("A claim series id must not be empty.", nameof(value));
        }
        Value = value.Trim();
    }

    /// <summary>The id itself.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value ?? "";
}

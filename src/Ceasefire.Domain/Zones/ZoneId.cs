namespace Ceasefire.Zones;

/// <summary>The identifier of a zone (for example <c>UA</c>, <c>RU-KRS</c>, <c>frontline-20km</c>).</summary>
public readonly record struct ZoneId
{
    /// <summary>Creates an id; throws on an empty or blank value.</summary>
    public ZoneId(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("A zone id must not be empty.", nameof(value));
        }
        Value = value;
    }

    /// <summary>The id itself.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value ?? "";
}

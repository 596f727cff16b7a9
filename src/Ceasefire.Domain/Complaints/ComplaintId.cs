namespace Ceasefire.Complaints;

/// <summary>The identifier of a formal complaint (for example <c>UA-2025-0042</c>, the complainant's own reference).</summary>
public readonly record struct ComplaintId
{
    /// <summary>Creates an id; throws <see cref="ArgumentException"/> on an empty value.</summary>
    public ComplaintId(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("A complaint id must not be empty.", nameof(value));
        }
        Value = value.Trim();
    }

    /// <summary>The id itself.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value ?? "";
}

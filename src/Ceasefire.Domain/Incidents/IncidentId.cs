namespace Ceasefire.Incidents;

/// <summary>The identifier of an incident (for example an ACLED <c>event_id_cnty</c> such as <c>UKR212345</c>).</summary>
public readonly record struct IncidentId
{
    /// <summary>Creates an id; throws on an empty value.</summary>
    public IncidentId(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("An incident id must not be empty.", nameof(value));
        }
        Value = value;
    }

    /// <summary>The id itself.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public override string ToString() => Value ?? "";
}

namespace Ceasefire.Parties;

/// <summary>The role a party plays in an agreement.</summary>
public enum PartyRole
{
    /// <summary>Bound by the agreement's obligations.</summary>
    Signatory,
    /// <summary>Brokered the agreement; not bound by it.</summary>
    Mediator,
    /// <summary>Guarantees the agreement; not bound by it.</summary>
    Guarantor,
    /// <summary>Another actor relevant to the agreement.</summary>
    Observer,
}

/// <summary>A party to an agreement: code, role and names in several languages (BCP 47 tag to name).</summary>
public sealed record Party
{
    /// <summary>Creates a party.</summary>
    public Party(PartyCode code, PartyRole role, IReadOnlyDictionary<string, string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (code.Value is null)
        {
            throw new ArgumentException("A party needs a code.", nameof(code));
        }
        Code = code;
        Role = role;
        Names = names;
    }

    /// <summary>The party's code.</summary>
    public PartyCode Code { get; }

    /// <summary>The party's role.</summary>
    public PartyRole Role { get; }

    /// <summary>Names by language tag (<c>en</c>, <c>uk</c>, <c>ru</c>, ...).</summary>
    public IReadOnlyDictionary<string, string> Names { get; }

    /// <summary>The English name, else any name, else the code.</summary>
    public string DisplayName => Names.TryGetValue("en", out var en) ? en : Names.Values.FirstOrDefault() ?? Code.Value;
}

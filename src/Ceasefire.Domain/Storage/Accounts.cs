namespace Ceasefire.Storage;

/// <summary>What an account may do. Each role includes what the roles before it may do, except liaison.</summary>
public enum Role
{
    /// <summary>Anyone, without an account: published material only.</summary>
    Public,

    /// <summary>A party's liaison: files complaints for that party, sees published findings and the party's own complaints.</summary>
    Liaison,

    /// <summary>A field monitor: files reports.</summary>
    Monitor,

    /// <summary>An analyst: rules on incidents, grades, verifies, and everything a monitor does.</summary>
    Analyst,

    /// <summary>An administrator: accounts and keys, and everything an analyst does.</summary>
    Admin,
}

/// <summary>A person's account.</summary>
/// <param name="Name">Login name.</param>
/// <param name="PasswordHash">ASP.NET Core <c>PasswordHasher</c> output (never the password).</param>
/// <param name="Role">Role.</param>
/// <param name="Party">The party a liaison speaks for (null for other roles).</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="Disabled">True when it may no longer log in.</param>
public sealed record Account(string Name, string PasswordHash, Role Role, string? Party, DateTimeOffset CreatedAt, bool Disabled = false);

/// <summary>A machine's API key (only its SHA-256 is kept).</summary>
/// <param name="Id">Public id (the first characters of the key, shown in lists).</param>
/// <param name="KeyHash">SHA-256 of the key, lower-case hex.</param>
/// <param name="Name">What it is for.</param>
/// <param name="Role">Role.</param>
/// <param name="Party">The party, for a liaison key.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="Revoked">True when it no longer works.</param>
public sealed record ApiKey(string Id, string KeyHash, string Name, Role Role, string? Party, DateTimeOffset CreatedAt, bool Revoked = false);

/// <summary>
/// Accounts and API keys. Kept apart from the hash-chained log on purpose: the log is for both sides to audit, and
/// password hashes have no place in it.
/// </summary>
public interface IAccountStore
{
    /// <summary>Creates an account; false when the name is taken.</summary>
    Task<bool> AddAccountAsync(Account account, CancellationToken cancellationToken = default);

    /// <summary>The account of <paramref name="name"/>, or null.</summary>
    Task<Account?> AccountAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every account, by name.</summary>
    Task<IReadOnlyList<Account>> AccountsAsync(CancellationToken cancellationToken = default);

    /// <summary>Records an API key.</summary>
    Task AddApiKeyAsync(ApiKey key, CancellationToken cancellationToken = default);

    /// <summary>The key whose SHA-256 is <paramref name="keyHash"/>, or null.</summary>
    Task<ApiKey?> ApiKeyAsync(string keyHash, CancellationToken cancellationToken = default);

    /// <summary>Every API key (hashes only), by id.</summary>
    Task<IReadOnlyList<ApiKey>> ApiKeysAsync(CancellationToken cancellationToken = default);
}

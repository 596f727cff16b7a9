using Ceasefire.Storage;
using Ceasefire.Storage.Postgres;
using Ceasefire.Storage.Sqlite;

namespace Ceasefire.Stores;

/// <summary>The kinds of store.</summary>
public enum StoreKind
{
    /// <summary>The embedded default: one SQLite file.</summary>
    Sqlite,

    /// <summary>The server store: PostgreSQL with PostGIS.</summary>
    Postgres,
}

/// <summary>
/// Where the store is, as <c>--store</c> names it: a SQLite file (<c>ceasefire.db</c>, <c>sqlite:PATH</c>) or a
/// PostgreSQL database (<c>postgres://user@host:port/db</c>, <c>postgresql://...</c>, or an Npgsql connection string
/// such as <c>Host=...;Database=...</c>). <see cref="ToString"/> never shows a password.
/// </summary>
public sealed class StoreLocation
{
    private StoreLocation(StoreKind kind, string target)
    {
        Kind = kind;
        Target = target;
    }

    /// <summary>SQLite or PostgreSQL.</summary>
    public StoreKind Kind { get; }

    /// <summary>The SQLite file (full path) or the connection string as given.</summary>
    public string Target { get; }

    /// <summary>Several callers may use the store at once, each with a store object of its own (a server database).</summary>
    public bool AllowsConcurrentUse => Kind == StoreKind.Postgres;

    /// <summary>Reads a <c>--store</c> value.</summary>
    /// <exception cref="ArgumentException">The value is empty.</exception>
    public static StoreLocation Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = value.Trim();
        if (text.Length == 0)
        {
            throw new ArgumentException("The store is empty: give a SQLite file or a postgres:// connection string.", nameof(value));
        }
        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || LooksLikeKeywords(text))
        {
            return new StoreLocation(StoreKind.Postgres, text);
        }
        if (text.StartsWith("postgres:", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql:", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{Redact(text)}' is not a PostgreSQL URI: write postgres://user@host:port/database.", nameof(value));
        }
        if (text.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            text = text["sqlite:".Length..];
            if (text.StartsWith("//", StringComparison.Ordinal))
            {
                text = text[2..]; // sqlite:///abs/path or sqlite://rel
            }
        }
        return new StoreLocation(StoreKind.Sqlite, Path.GetFullPath(text));
    }

    /// <summary>Opens the store (creating or upgrading its schema).</summary>
    public async Task<IStore> OpenAsync(TimeProvider? clock = null, CancellationToken cancellationToken = default) => Kind switch
    {
        StoreKind.Sqlite => await SqliteStore.OpenAsync(Target, clock, cancellationToken).ConfigureAwait(false),
        _ => await OpenPostgresAsync(clock, cancellationToken).ConfigureAwait(false),
    };

    private async Task<IStore> OpenPostgresAsync(TimeProvider? clock, CancellationToken ct) =>
        await PostgresStore.OpenAsync(Target, clock, ct).ConfigureAwait(false);

    /// <summary>The location for people: the file, or the connection string without its password.</summary>
    public override string ToString() => Kind == StoreKind.Sqlite ? Target : Redact(Target);

    /// <summary>A connection string or URI with any password replaced by <c>***</c>.</summary>
    public static string Redact(string connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var scheme = connection.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
        {
            var at = connection.IndexOf('@', scheme + 3);
            var colon = at < 0 ? -1 : connection.IndexOf(':', scheme + 3, at - scheme - 3);
            return colon < 0 ? connection : string.Concat(connection.AsSpan(0, colon + 1), "***", connection.AsSpan(at));
        }
        return string.Join(';', connection.Split(';').Select(part =>
            part.Split('=', 2) is [var key, _] && key.Trim().Replace(" ", "", StringComparison.Ordinal).Equals("password", StringComparison.OrdinalIgnoreCase)
                ? key + "=***"
                : part));
    }

    private static bool LooksLikeKeywords(string text) =>
        text.Contains('=', StringComparison.Ordinal) && text.Split(';').Any(p => p.Split('=', 2)[0].Trim() is var k
            && (k.Equals("Host", StringComparison.OrdinalIgnoreCase) || k.Equals("Server", StringComparison.OrdinalIgnoreCase)));
}

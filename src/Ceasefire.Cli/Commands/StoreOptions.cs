using System.CommandLine;
using Ceasefire.Storage;
using Ceasefire.Stores;

namespace Ceasefire.Cli.Commands;

/// <summary>The global <c>--store</c> option and opening the store it names.</summary>
internal static class StoreOptions
{
    /// <summary><c>--store</c>: a SQLite file (default <c>ceasefire.db</c> in the current directory) or a PostgreSQL database.</summary>
    public static readonly Option<string> Store = new("--store")
    {
        Description = "The store: a SQLite file (created on first use), or a PostgreSQL database as postgres://user@host:port/db or an Npgsql " +
            "connection string (the password may come from PGPASSWORD or ~/.pgpass). Default: ceasefire.db in the current directory; " +
            "the environment variable CEASEFIRE_STORE, when set, replaces the default.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CEASEFIRE_STORE") is { Length: > 0 } s ? s : "ceasefire.db",
        Recursive = true,
    };

    /// <summary>The store <c>--store</c> names, or null (after saying why) when the value is not a store.</summary>
    public static StoreLocation? Location(ParseResult parse)
    {
        try
        {
            return StoreLocation.Parse(parse.GetValue(Store)!);
        }
        catch (ArgumentException e)
        {
            // The message without .NET's "(Parameter 'value')": the option is named already.
            Console.Error.WriteLine($"error: --store: {(e.ParamName is { } p ? e.Message.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal) : e.Message)}");
            return null;
        }
    }

    /// <summary>Opens the store, or prints why it cannot be opened and returns null.</summary>
    public static async Task<IStore?> OpenAsync(ParseResult parse, CancellationToken ct) =>
        Location(parse) is { } location ? await OpenAsync(location, ct) : null;

    /// <summary>Opens <paramref name="location"/>, or prints why it cannot be opened and returns null.</summary>
    public static async Task<IStore?> OpenAsync(StoreLocation location, CancellationToken ct)
    {
        try
        {
            return await location.OpenAsync(cancellationToken: ct);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or NotSupportedException or ArgumentException or IOException)
        {
            Console.Error.WriteLine($"error: cannot open the store {location}: {e.Message}");
            return null;
        }
    }
}

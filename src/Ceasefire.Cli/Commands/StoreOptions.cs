using System.CommandLine;
using Ceasefire.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ceasefire.Cli.Commands;

/// <summary>The global <c>--store</c> option and opening the store it names.</summary>
internal static class StoreOptions
{
    /// <summary><c>--store</c>: the store (a SQLite file path); default <c>ceasefire.db</c> in the current directory.</summary>
    public static readonly Option<string> Store = new("--store")
    {
        Description = "The store: a SQLite file (created on first use). Default: ceasefire.db in the current directory.",
        DefaultValueFactory = _ => "ceasefire.db",
        Recursive = true,
    };

    /// <summary>Opens the store, or prints why it cannot be opened and returns null.</summary>
    public static async Task<SqliteStore?> OpenAsync(ParseResult parse, CancellationToken ct)
    {
        var path = parse.GetValue(Store)!;
        try
        {
            return await SqliteStore.OpenAsync(path, cancellationToken: ct);
        }
        catch (SqliteException e)
        {
            Console.Error.WriteLine($"error: cannot open the store {Path.GetFullPath(path)}: {e.Message}");
            return null;
        }
    }
}

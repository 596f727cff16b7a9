using System.CommandLine;
using Microsoft.Data.Sqlite;

namespace Ceasefire.Cli.Commands;

/// <summary>
/// Wraps a command's action so that a failure reaches the user as one clear line and a named exit code, never as a
/// stack trace: the store failing mid-command (locked by another writer past the busy timeout, disk full) is
/// <see cref="ExitCodes.StoreUnavailable"/>; anything else unexpected is <see cref="ExitCodes.Failure"/>.
/// </summary>
internal static class CommandGuard
{
    public static Func<ParseResult, CancellationToken, Task<int>> Guarded(Func<ParseResult, CancellationToken, Task<int>> action) => async (parse, ct) =>
    {
        try
        {
            return await action(parse, ct);
        }
        catch (SqliteException e)
        {
            Console.Error.WriteLine($"error: the store {Path.GetFullPath(parse.GetValue(StoreOptions.Store)!)} failed: {e.Message} Nothing more was recorded.");
            return ExitCodes.StoreUnavailable;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Console.Error.WriteLine($"error: unexpected failure ({e.GetType().Name}): {e.Message}");
            return ExitCodes.Failure;
        }
    };
}

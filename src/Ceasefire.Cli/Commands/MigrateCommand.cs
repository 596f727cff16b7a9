using System.CommandLine;
using System.Diagnostics;
using Ceasefire.Storage;
using Ceasefire.Stores;

namespace Ceasefire.Cli.Commands;

/// <summary>
/// <c>ceasefire migrate --from STORE --to STORE</c>: copies the log from one store to another entry by entry, as it
/// is (same sequence, ids, times, hashes), rebuilding the target's read models from it as it goes; copies accounts
/// and API keys (they are not on the log); then verifies the chain at both ends and compares the read models'
/// digests. Resumable: a target that already holds the start of the same log continues where it stopped.
/// </summary>
internal static class MigrateCommand
{
    /// <summary>Log entries copied per transaction of the target.</summary>
    private const int EntriesPerBatch = 100;

    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "The store to copy from (sqlite:PATH, a file, or postgres://...).", Required = true };
        var to = new Option<string>("--to") { Description = "The store to copy to (postgres://..., sqlite:PATH or a file): empty, or holding the start of the same log.", Required = true };
        var command = new Command("migrate", "Copy a store's log to another store (SQLite to PostgreSQL or back), rebuild its read models, and check both ends.") { from, to };
        command.SetAction(async (parse, ct) =>
        {
            StoreLocation source, target;
            try
            {
                source = StoreLocation.Parse(parse.GetValue(from)!);
                target = StoreLocation.Parse(parse.GetValue(to)!);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {(e.ParamName is { } p ? e.Message.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal) : e.Message)}");
                return ExitCodes.ValidationFailed;
            }
            if (source.Kind == target.Kind && source.Target == target.Target)
            {
                Console.Error.WriteLine("error: --from and --to name the same store.");
                return ExitCodes.ValidationFailed;
            }
            if (source.Kind == StoreKind.Sqlite && !File.Exists(source.Target))
            {
                Console.Error.WriteLine($"error: {source} not found.");
                return ExitCodes.NotFound;
            }
            await using var src = await StoreOptions.OpenAsync(source, ct);
            await using var dst = await StoreOptions.OpenAsync(target, ct);
            if (src is null || dst is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            try
            {
                return await RunAsync(src, source, dst, target, Console.Out, ct);
            }
            catch (InvalidOperationException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.ValidationFailed;
            }
        });
        return command;
    }

    /// <summary>The migration itself, between two open stores.</summary>
    internal static async Task<int> RunAsync(IStore src, StoreLocation source, IStore dst, StoreLocation target, TextWriter output, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var sourceLast = await src.LastSequenceAsync(ct);
        var targetLast = await dst.LastSequenceAsync(ct);
        if (targetLast > sourceLast)
        {
            Console.Error.WriteLine($"error: {target} holds {targetLast} log entries, more than {source} ({sourceLast}): not the same log.");
            return ExitCodes.ValidationFailed;
        }
        if (targetLast > 0)
        {
            var theirs = await dst.ReadLogAsync(targetLast, ct).FirstAsync(ct);
            var ours = await src.ReadLogAsync(targetLast, ct).FirstAsync(ct);
            if (theirs.Hash != ours.Hash)
            {
                Console.Error.WriteLine($"error: {target} holds another log (its entry {targetLast} differs from {source}'s): migrate copies into an empty store or resumes the same log.");
                return ExitCodes.ValidationFailed;
            }
            output.WriteLine($"{target} already holds entries 1..{targetLast} of this log: resuming.");
        }

        // The log, a batch of entries per transaction; a large entry (1,000 reports) is held once, in its batch.
        long copied = 0;
        var batch = new List<LogEntry>(EntriesPerBatch);
        await foreach (var entry in src.ReadLogAsync(targetLast + 1, ct))
        {
            batch.Add(entry);
            if (batch.Count == EntriesPerBatch)
            {
                copied += await CopyAsync(batch);
            }
        }
        copied += await CopyAsync(batch);
        var logSeconds = sw.Elapsed.TotalSeconds;

        // Accounts and API keys are not on the log: copied as they are (names and hashes), those already there kept.
        int accounts = 0, keys = 0;
        if (src is IAccountStore fromAccounts && dst is IAccountStore toAccounts)
        {
            foreach (var a in await fromAccounts.AccountsAsync(ct))
            {
                accounts += await toAccounts.AddAccountAsync(a, ct) ? 1 : 0;
            }
            foreach (var k in await fromAccounts.ApiKeysAsync(ct))
            {
                if (await toAccounts.ApiKeyAsync(k.KeyHash, ct) is null)
                {
                    await toAccounts.AddApiKeyAsync(k, ct);
                    keys++;
                }
            }
        }

        var sourceChain = await src.VerifyAsync(ct);
        var targetChain = await dst.VerifyAsync(ct);
        var sourceDigest = await src.ReadModelDigestAsync(ct);
        var targetDigest = await dst.ReadModelDigestAsync(ct);
        output.WriteLine($"Copied {copied:N0} log entries from {source} to {target} in {logSeconds:0.0} s (read models rebuilt from them); " +
            $"{accounts} accounts and {keys} API keys added.");
        output.WriteLine($"verify {source}: {Describe(sourceChain)}");
        output.WriteLine($"verify {target}: {Describe(targetChain)}");
        var same = sourceDigest == targetDigest;
        output.WriteLine(same
            ? $"Read models identical (digest {targetDigest[..16]}...)."
            : $"Read models DIFFER: {source} {sourceDigest[..16]}..., {target} {targetDigest[..16]}...");
        return sourceChain.Intact && targetChain.Intact && same && targetChain.EntriesChecked == sourceChain.EntriesChecked ? ExitCodes.Ok : ExitCodes.ValidationFailed;

        async Task<long> CopyAsync(List<LogEntry> entries)
        {
            if (entries.Count == 0)
            {
                return 0;
            }
            long n;
            try
            {
                n = await dst.AppendCopiedAsync(entries, ct);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidOperationException($"Copying entries {entries[0].Sequence}..{entries[^1].Sequence} stopped: {e.Message}", e);
            }
            output.WriteLine($"  entries {entries[0].Sequence:N0}..{entries[^1].Sequence:N0} of {sourceLast:N0} copied");
            entries.Clear();
            return n;
        }
    }

    private static string Describe(ChainVerification chain) =>
        chain.Intact ? $"intact, {chain.EntriesChecked:N0} entries" : $"BROKEN at entry {chain.BrokenAt}: {chain.Reason}";
}

using System.CommandLine;
using System.Globalization;
using Ceasefire.Cli.Output;
using Ceasefire.Storage;
using Spectre.Console;

namespace Ceasefire.Cli.Commands;

/// <summary><c>init</c>, <c>verify</c>, <c>rebuild</c> and <c>reports</c>: the store's own commands.</summary>
internal static class StoreCommands
{
    public static Command Init()
    {
        var command = new Command("init", "Create the store (or bring its schema up to date).");
        command.SetAction(async (parse, ct) =>
        {
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            var version = await store.MigrateAsync(ct);
            Console.WriteLine($"Store {StoreOptions.Location(parse)} is ready (schema version {version}).");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Verify()
    {
        var command = new Command("verify", "Recompute the log's hash chain and say where it breaks, if it does.");
        command.SetAction(async (parse, ct) =>
        {
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            var result = await store.VerifyAsync(ct);
            if (result.Intact)
            {
                Console.WriteLine($"The log is intact: {result.EntriesChecked} entries, every hash and link checks.");
                return ExitCodes.Ok;
            }
            Console.Error.WriteLine($"The log is BROKEN at entry {result.BrokenAt}: {result.Reason}.");
            return ExitCodes.ValidationFailed;
        });
        return command;
    }

    public static Command Rebuild()
    {
        var command = new Command("rebuild", "Recreate the read models from the log and check they are identical to what was there.");
        command.SetAction(async (parse, ct) =>
        {
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            var chain = await store.VerifyAsync(ct);
            if (!chain.Intact)
            {
                Console.Error.WriteLine($"Not rebuilding: the log is broken at entry {chain.BrokenAt}: {chain.Reason}.");
                return ExitCodes.ValidationFailed;
            }
            var result = await store.RebuildAsync(ct);
            if (result.Identical)
            {
                Console.WriteLine($"Rebuilt the read models from {result.EntriesReplayed} log entries: identical to what was there (digest {result.DigestAfter[..16]}...).");
                return ExitCodes.Ok;
            }
            Console.Error.WriteLine($"Rebuilt the read models from {result.EntriesReplayed} log entries: they DIFFERED from what was there " +
                $"(digest before {result.DigestBefore[..16]}..., after {result.DigestAfter[..16]}...). The read models now follow the log.");
            return ExitCodes.ValidationFailed;
        });
        return command;
    }

    public static Command Reports()
    {
        var from = new Option<DateTimeOffset?>("--from") { Description = "Reports that may have happened at or after this time (ISO 8601)." };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Reports that may have happened before this time (ISO 8601)." };
        var party = new Option<string?>("--party") { Description = "Alleged perpetrator (party code, e.g. RU)." };
        var act = new Option<string?>("--act") { Description = "Act kind code (e.g. air_drone_strike)." };
        var dataset = new Option<string?>("--dataset") { Description = "Dataset (acled, ucdp, json, ...)." };
        var place = new Option<string?>("--place") { Description = "Place name contains this text." };
        var limit = new Option<int>("--limit") { Description = "At most this many.", DefaultValueFactory = _ => 100 };
        var command = new Command("reports", "List reports in the store (the current version of each).") { from, to, party, act, dataset, place, limit };
        command.SetAction(async (parse, ct) =>
        {
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            var reports = await store.QueryReportsAsync(new ReportQuery(parse.GetValue(from), parse.GetValue(to), parse.GetValue(party),
                parse.GetValue(act), parse.GetValue(dataset), parse.GetValue(place), parse.GetValue(limit)), ct);
            var table = new Table().AddColumns("Report", "v", "When (UTC)", "Where", "Act", "Target", "Perpetrator", "Claimant");
            foreach (var r in reports)
            {
                var i = r.Report;
                table.AddRow(Markup.Escape(r.Key), r.Version.ToString(CultureInfo.InvariantCulture), Markup.Escape(i.Time.ToString()),
                    Markup.Escape(i.Location.ToString()), i.Act.Code, i.Target.Category.Code, i.Perpetrator?.Value ?? "?", Markup.Escape(i.Claimant ?? ""));
            }
            Terminal.Out.Write(table);
            Console.WriteLine($"{reports.Count} report(s){(reports.Count == parse.GetValue(limit) ? " (limit reached; use --limit)" : "")}.");
            return ExitCodes.Ok;
        });
        return command;
    }
}

using System.CommandLine;
using Ceasefire.Import.Acled;
using Ceasefire.Import.Errors;
using Ceasefire.Incidents;
using Ceasefire.Storage;
using Spectre.Console;

namespace Ceasefire.Cli.Commands;

/// <summary><c>ceasefire import FILE --format acled</c>: reads reports and records them in the store.</summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The file to import." };
        var format = new Option<string>("--format") { Description = "File format.", DefaultValueFactory = _ => "acled" };
        format.AcceptOnlyFromAmong("acled");
        var timeZone = new Option<string>("--time-zone") { Description = "IANA time zone of dates without a time.", DefaultValueFactory = _ => "UTC" };
        var author = new Option<string>("--author") { Description = "Who imports (recorded on the log).", DefaultValueFactory = _ => Environment.UserName };
        var strict = new Option<bool>("--strict") { Description = "Reject the whole file if any row is bad (default: import the good rows, keep the bad ones apart)." };
        var command = new Command("import", "Import reports into the store: valid rows are recorded, bad rows are kept apart and counted.") { file, format, timeZone, author, strict };
        command.SetAction(async (parse, ct) =>
        {
            var f = parse.GetValue(file)!;
            if (!f.Exists)
            {
                Console.Error.WriteLine($"error: {f.FullName} not found.");
                return ExitCodes.NotFound;
            }
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(parse.GetValue(timeZone)!, out var tz))
            {
                Console.Error.WriteLine($"error: unknown time zone '{parse.GetValue(timeZone)}'.");
                return ExitCodes.ValidationFailed;
            }
            var read = AcledReader.ReadIncidents(f.FullName, new AcledReadOptions { TimeZone = tz }, ct);
            Inputs.Print(read.Errors, Console.Error);
            if (read.RowsRejected > 0)
            {
                var rejects = Path.ChangeExtension(f.FullName, null) + ".rejected.csv";
                using (var w = new StreamWriter(rejects))
                {
                    read.WriteRejected(w);
                }
                Console.Error.WriteLine($"{read.RowsRejected} row(s) rejected; kept verbatim in {rejects}.");
            }
            var fatal = read.Errors.Any(e => e.Code is "acled.file" or "acled.header" or "acled.missing_column");
            if (fatal || (parse.GetValue(strict) && read.RowsRejected > 0))
            {
                Console.Error.WriteLine(fatal ? "Nothing imported: the file cannot be read as ACLED CSV." : "Nothing imported (--strict): fix the rejected rows and import again.");
                return ExitCodes.ValidationFailed;
            }
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            var summary = await Run(store, new ReportImport(parse.GetValue(format)!, f.Name, parse.GetValue(author)!, read.RowsRejected), read.Value, ct);
            Console.WriteLine($"{f.Name}: {summary.Read} read, {summary.Added} new, {summary.Changed} changed (new versions), {summary.Unchanged} unchanged, {summary.Rejected} rejected; {summary.LogEntries} log entries.");
            return read.RowsRejected > 0 ? ExitCodes.PartialSuccess : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Imports with a progress bar on a terminal, plain progress lines when output is redirected.</summary>
    internal static async Task<ImportSummary> Run(IStore store, ReportImport import, IReadOnlyList<Incident> reports, CancellationToken ct)
    {
        if (Console.IsOutputRedirected)
        {
            var progress = new Progress<long>(n => Console.WriteLine($"import: {n:N0} / {reports.Count:N0} reports"));
            return await store.ImportReportsAsync(import, reports, progress, ct);
        }
        ImportSummary? summary = null;
        await AnsiConsole.Progress().StartAsync(async ctx =>
        {
            var task = ctx.AddTask($"Importing {import.File}", maxValue: Math.Max(1, reports.Count));
            summary = await store.ImportReportsAsync(import, reports, new Progress<long>(n => task.Value = n), ct);
            task.Value = task.MaxValue;
        });
        return summary!;
    }
}

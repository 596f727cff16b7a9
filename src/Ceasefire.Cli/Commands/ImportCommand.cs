using System.CommandLine;
using Ceasefire.Import.Errors;
using Ceasefire.Import;
using Ceasefire.Import.Text;
using Ceasefire.Incidents;
using Ceasefire.Storage;
using Spectre.Console;

namespace Ceasefire.Cli.Commands;

/// <summary>
/// <c>ceasefire import FILE [--format acled|ucdp|json|geojson]</c>: streams reports into the store. Valid records are
/// recorded; rejected ones are written verbatim beside the file (<c>FILE.rejected</c>) with their reasons
/// (<c>FILE.rejected.log</c>) and counted; the whole file is one transaction.
/// </summary>
internal static class ImportCommand
{
    private static readonly string[] Formats = [.. ReportFiles.Formats];

    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The file to import." };
        var format = new Option<string?>("--format") { Description = "acled, ucdp, json (our report format; also JSON Lines) or geojson (points). Default: by extension (.csv acled, .json/.jsonl json, .geojson geojson)." };
        format.AcceptOnlyFromAmong(Formats);
        var encoding = new Option<string>("--encoding") { Description = $"Text encoding: {string.Join(", ", InputEncoding.Names)}.", DefaultValueFactory = _ => "utf-8" };
        var timeZone = new Option<string>("--time-zone") { Description = "IANA time zone of dates without a time (ACLED, UCDP).", DefaultValueFactory = _ => "UTC" };
        var author = new Option<string>("--author") { Description = "Who imports (recorded on the log).", DefaultValueFactory = _ => Environment.UserName };
        var strict = new Option<bool>("--strict") { Description = "Import nothing if any record is bad (default: import the good ones, keep the bad ones apart)." };
        var noCorroborate = new Option<bool>("--no-corroborate") { Description = "Do not recompute incidents after the import (by default they are, when the store has incidents)." };
        var command = new Command("import", "Import reports into the store: valid records are recorded, bad ones kept apart and counted.") { file, format, encoding, timeZone, author, strict, noCorroborate };
        command.SetAction(async (parse, ct) =>
        {
            var f = parse.GetValue(file)!;
            if (!f.Exists)
            {
                Console.Error.WriteLine($"error: {f.FullName} not found.");
                return ExitCodes.NotFound;
            }
            var fmt = parse.GetValue(format) ?? ReportFiles.FormatOf(f.Name);
            if (fmt is null)
            {
                Console.Error.WriteLine($"error: cannot tell the format of {f.Name} from its extension; give --format ({string.Join(", ", Formats)}).");
                return ExitCodes.ValidationFailed;
            }
            if (!InputEncoding.TryGet(parse.GetValue(encoding), out var enc))
            {
                Console.Error.WriteLine($"error: {InputEncoding.UnknownNameMessage(parse.GetValue(encoding)!)}");
                return ExitCodes.ValidationFailed;
            }
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(parse.GetValue(timeZone)!, out var tz))
            {
                Console.Error.WriteLine($"error: unknown time zone '{parse.GetValue(timeZone)}' (use an IANA name such as Europe/Kyiv).");
                return ExitCodes.ValidationFailed;
            }
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            using var intake = new Intake(f, parse.GetValue(strict));
            var records = Read(fmt, f.FullName, enc, tz, ct);
            ImportSummary summary;
            try
            {
                summary = await Run(store, new ReportImport(fmt, f.Name, parse.GetValue(author)!), intake.Accept(records), ct);
            }
            catch (ImportAbandonedException e)
            {
                intake.Finish();
                Console.Error.WriteLine($"Nothing imported: {e.Message}");
                return ExitCodes.ValidationFailed;
            }
            intake.Finish();
            Console.WriteLine($"{f.Name}: {summary.Read + intake.Rejected} read, {summary.Added} new, {summary.Changed} changed (new versions), " +
                $"{summary.Unchanged} unchanged, {intake.Rejected} rejected; {summary.LogEntries} log entries.");
            // New or changed reports change incidents: once a store is corroborated, its incidents and their findings
            // follow every import.
            if (summary.Added + summary.Changed > 0 && !parse.GetValue(noCorroborate) && (await store.QueryIncidentsAsync(new IncidentQuery(Limit: 1), ct)).Count > 0)
            {
                var run = await StoreCorroboration.RunAsync(store, null, Corroboration.ClusterOptions.Default, parse.GetValue(author)!, Console.Error, ct);
                if (run is not null)
                {
                    Console.WriteLine($"Incidents recomputed: {run.Incidents.Count} incident(s), {run.Incidents.Count(i => i.Disputed)} disputed, {run.Result.Review.Count} for review, {run.Findings} finding(s).");
                }
            }
            return intake.Rejected > 0 ? ExitCodes.PartialSuccess : ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Every format as one stream of records (incidents, rejected records, file problems).</summary>
    internal static IEnumerable<InputRecord> Read(string format, string path, InputEncoding encoding, TimeZoneInfo tz, CancellationToken ct) =>
        ReportFiles.Read(format, path, encoding, tz, ct);

    /// <summary>Imports with a progress display on a terminal, plain progress lines when output is redirected.</summary>
    internal static async Task<ImportSummary> Run(IStore store, ReportImport import, IEnumerable<Incident> reports, CancellationToken ct)
    {
        if (Console.IsOutputRedirected)
        {
            var progress = new Progress<long>(n => Console.WriteLine($"import: {n:N0} reports"));
            return await store.ImportReportsAsync(import, reports, progress, ct);
        }
        ImportSummary? summary = null;
        await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new SpinnerColumn(), new ElapsedTimeColumn()).StartAsync(async ctx =>
        {
            var task = ctx.AddTask($"Importing {import.File}");
            task.IsIndeterminate = true;
            summary = await store.ImportReportsAsync(import, reports, new Progress<long>(n => task.Description = $"Importing {import.File}: {n:N0} reports"), ct);
            task.StopTask();
        });
        return summary!;
    }

    /// <summary>
    /// Passes accepted incidents on and deals with the rest as they stream by: prints errors (the first 50),
    /// writes rejected records verbatim to <c>FILE.rejected</c> and every reason to <c>FILE.rejected.log</c>,
    /// and abandons the import (so its transaction rolls back) on a file problem, or at the end under --strict.
    /// </summary>
    private sealed class Intake(FileInfo file, bool strict) : IDisposable
    {
        private const int ShownErrors = 50;
        private StreamWriter? _rejects;
        private StreamWriter? _reasons;
        private string? _header;
        private int _shown;

        public int Rejected { get; private set; }

        private string RejectsPath => file.FullName + ".rejected";

        public IEnumerable<Incident> Accept(IEnumerable<InputRecord> records)
        {
            foreach (var r in records)
            {
                switch (r.Kind)
                {
                    case InputRecordKind.Incident:
                        yield return r.Incident!;
                        break;
                    case InputRecordKind.Header:
                        _header = r.Header;
                        break;
                    case InputRecordKind.Rejected:
                        Rejected++;
                        Reject(r);
                        break;
                    case InputRecordKind.Problem:
                        Show(r.Errors);
                        throw new ImportAbandonedException($"{file.Name} cannot be imported: {r.Errors[0].Message}");
                }
            }
            if (strict && Rejected > 0)
            {
                throw new ImportAbandonedException($"{Rejected} record(s) rejected and --strict given; fix them (see {RejectsPath}.log) and import again.");
            }
        }

        private void Reject(InputRecord r)
        {
            Show(r.Errors);
            if (_rejects is null)
            {
                _rejects = new StreamWriter(RejectsPath);
                _reasons = new StreamWriter(RejectsPath + ".log");
                if (_header is not null)
                {
                    _rejects.WriteLine(_header);
                }
            }
            _rejects.WriteLine(r.Rejected!.Text);
            foreach (var e in r.Errors)
            {
                _reasons!.WriteLine(e.ToString());
            }
        }

        private void Show(IEnumerable<ImportError> errors)
        {
            foreach (var e in errors)
            {
                if (_shown++ < ShownErrors)
                {
                    Console.Error.WriteLine(e.ToString());
                }
            }
        }

        public void Finish()
        {
            if (_shown > ShownErrors)
            {
                Console.Error.WriteLine($"... and {_shown - ShownErrors} more problems (all of them in {RejectsPath}.log).");
            }
            if (Rejected > 0)
            {
                Console.Error.WriteLine($"{Rejected} record(s) rejected; kept verbatim in {RejectsPath}, with the reasons in {RejectsPath}.log.");
            }
            Dispose();
        }

        public void Dispose()
        {
            _rejects?.Dispose();
            _reasons?.Dispose();
            _rejects = _reasons = null;
        }
    }

    private sealed class ImportAbandonedException(string message) : Exception(message);
}

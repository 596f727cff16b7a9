using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ceasefire.Cli.Output;
using Ceasefire.Import.Export;
using Ceasefire.Storage;
using Spectre.Console;

namespace Ceasefire.Cli.Commands;

/// <summary><c>findings</c>, <c>export</c> and <c>demo</c>: reading the store's findings back.</summary>
internal static class FindingsCommands
{
    public static Command Findings()
    {
        var verdict = new Option<string?>("--verdict") { Description = "violation, possible_violation or not_covered." };
        verdict.AcceptOnlyFromAmong("violation", "possible_violation", "not_covered");
        var reading = new Option<string?>("--reading") { Description = "Whose reading (a party code, or 'text')." };
        var obligation = new Option<string?>("--obligation") { Description = "Obligation id." };
        var report = new Option<string?>("--report") { Description = "Report key (dataset:id)." };
        var limit = new Option<int>("--limit") { Description = "At most this many.", DefaultValueFactory = _ => 200 };
        var explain = new Option<bool>("--explain") { Description = "Print each finding's explanation." };
        var of = new Option<string>("--of") { Description = "Findings on reports (one by one), on incidents (after ceasefire corroborate), or all.", DefaultValueFactory = _ => "all" };
        of.AcceptOnlyFromAmong("reports", "incidents", "all");
        var command = new Command("findings", "List the findings recorded in the store.") { verdict, reading, obligation, report, limit, explain, of };
        command.SetAction(async (parse, ct) =>
        {
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            var findings = await store.QueryFindingsAsync(new FindingQuery(null, parse.GetValue(verdict), parse.GetValue(reading), parse.GetValue(obligation), parse.GetValue(report), int.MaxValue), ct);
            var incidents = parse.GetValue(of) switch { "reports" => false, "incidents" => true, _ => (bool?)null };
            Print(findings.Where(f => incidents is null || f.ReportKey.StartsWith("inc:", StringComparison.Ordinal) == incidents).Take(parse.GetValue(limit)).ToList(), parse.GetValue(explain));
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static void Print(IReadOnlyList<StoredFinding> findings, bool explain)
    {
        var table = new Table().AddColumns("Report", "Obligation", "Reading", "Verdict", "Confidence", explain ? "Explanation" : "Why");
        foreach (var f in findings)
        {
            var why = explain ? f.Explanation : f.Verdict switch
            {
                "not_covered" => f.Failed.Replace("|", "; ", StringComparison.Ordinal),
                "possible_violation" => f.Uncertain.Replace("|", "; ", StringComparison.Ordinal) + " uncertain",
                _ => "all aspects match",
            };
            table.AddRow(Markup.Escape(f.ReportKey), Markup.Escape(f.Obligation), Markup.Escape(f.Reading), f.Verdict, f.Confidence.ToString("0.###", CultureInfo.InvariantCulture), Markup.Escape(why));
        }
        Terminal.Out.Write(table);
        Console.WriteLine($"{findings.Count} finding(s).");
    }

    public static Command Export()
    {
        var format = new Option<string>("--format") { Description = "csv (one row per finding) or geojson (one point per report, with its findings).", Required = true };
        format.AcceptOnlyFromAmong("csv", "geojson");
        var output = new Option<FileInfo?>("--output") { Description = "File to write (default: standard output)." };
        var command = new Command("export", "Export the store's reports and findings for spreadsheets and GIS tools.") { format, output };
        command.SetAction(async (parse, ct) =>
        {
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            var reports = await store.QueryReportsAsync(new ReportQuery(Limit: int.MaxValue), ct);
            // Findings on reports: a row (or a point) per report; incidents are exported by their own command.
            var findings = (await store.QueryFindingsAsync(new FindingQuery(Limit: int.MaxValue), ct)).Where(f => !f.ReportKey.StartsWith("inc:", StringComparison.Ordinal)).ToList();
            var text = parse.GetValue(format) == "csv" ? Csv(reports, findings) : GeoJson(reports, findings);
            if (parse.GetValue(output) is { } file)
            {
                await File.WriteAllTextAsync(file.FullName, text, new UTF8Encoding(false), ct);
                Console.Error.WriteLine($"Wrote {reports.Count} reports and {findings.Count} findings to {file.FullName}.");
            }
            else
            {
                Console.Out.Write(text);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The findings CSV (shared with the web's export).</summary>
    internal static string Csv(IReadOnlyList<StoredReport> reports, IReadOnlyList<StoredFinding> findings) => StoreExport.FindingsCsv(reports, findings);

    /// <summary>The reports as GeoJSON points with their verdicts (shared with the web's export).</summary>
    internal static string GeoJson(IReadOnlyList<StoredReport> reports, IReadOnlyList<StoredFinding> findings) => StoreExport.ReportsGeoJson(reports, findings);

    public static Command Demo()
    {
        var command = new Command("demo", "Create a store with the March 2025 scenario loaded and ruled, and show its findings.");
        command.SetAction(async (parse, ct) =>
        {
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            return await LoadDemoAsync(store, Console.Out, ct, StoreOptions.Location(parse)?.ToString());
        });
        return command;
    }

    /// <summary>
    /// Loads the March 2025 scenario into <paramref name="store"/> (agreement, reports, sources, claims), rules and
    /// corroborates it, and prints what it did to <paramref name="output"/>; idempotent (a second run adds nothing).
    /// </summary>
    internal static async Task<int> LoadDemoAsync(IStore store, TextWriter output, CancellationToken ct, string? storeName = null)
    {
        {
            var dir = Path.Combine(AppContext.BaseDirectory, "samples", "march-2025");
            var agreementFile = new FileInfo(Path.Combine(dir, "agreement.yaml"));
            var incidentsFile = Path.Combine(dir, "incidents.csv");
            if (!agreementFile.Exists)
            {
                Console.Error.WriteLine($"error: the sample scenario is missing from {dir}.");
                return ExitCodes.NotFound;
            }
            var author = "ceasefire demo";
            var loaded = await StoreAdjudication.RecordAgreementsAsync(store, [agreementFile], null, author, Console.Error, ct);
            if (loaded is null)
            {
                return ExitCodes.ValidationFailed;
            }
            // The sample's dates are local days in the agreement's time zone (Moscow), as its SOURCES.md says.
            var read = IncidentFiles.Read(incidentsFile, loaded.Versions[0].TimeZone);
            var summary = await store.ImportReportsAsync(new ReportImport("acled", "incidents.csv", author, read.Rejected), read.Incidents, null, ct);
            var doc = await StoreAdjudication.RuleStoreAsync(store, null, includeNeverBinding: false, author, Console.Error, ct);
            if (doc is null)
            {
                return ExitCodes.ValidationFailed;
            }
            if (output == Console.Out)
            {
                AdjudicateCommand.PrintTable(doc);
            }

            // The sources behind the reports, then the reports merged into incidents and the incidents ruled.
            var sourcesFile = Path.Combine(dir, "sources.yaml");
            await store.AddDocumentAsync("sources", "sources.yaml", await File.ReadAllTextAsync(sourcesFile, ct), author, ct);
            // The parties' aggregate claims about the Easter truce of April 2025: kept as claims, never as incidents.
            var claimsFile = Path.Combine(dir, "claims.yaml");
            var claims = Import.Claims.ClaimsFileReader.Read(claimsFile);
            if (claims.Value is null)
            {
                Inputs.Print(claims.Problems, Console.Error);
                return ExitCodes.ValidationFailed;
            }
            await store.AddDocumentAsync("claims", "claims.yaml", await File.ReadAllTextAsync(claimsFile, ct), author, ct);
            var run = await StoreCorroboration.RunAsync(store, null, Corroboration.ClusterOptions.Default, author, Console.Error, ct);
            if (run is null)
            {
                return ExitCodes.ValidationFailed;
            }
            var chain = await store.VerifyAsync(ct);
            output.WriteLine($"Demo store {storeName ?? "(in memory)"}: the March 2025 agreement, {summary.Read} reports ({summary.Added} new), " +
                $"{doc.Incidents.Sum(i => i.Findings.Count)} findings; {run.Incidents.Count} incidents ({run.Incidents.Count(i => i.Disputed)} with disputed attribution), " +
                $"{run.Findings} incident findings; {claims.Value.Series.Count} series of aggregate claims; log of {chain.EntriesChecked} entries, {(chain.Intact ? "intact" : "BROKEN")}.");
            output.WriteLine("Next: ceasefire findings --explain, ceasefire incidents, ceasefire incident show acled:CFM-2025-0003, ceasefire claims, ceasefire reports, ceasefire export --format geojson, ceasefire verify.");
            return ExitCodes.Ok;
        }
    }
}

using System.CommandLine;
using Ceasefire.Adjudication;
using Ceasefire.Cli.Output;
using Ceasefire.Findings;
using Ceasefire.Incidents;
using Spectre.Console;

namespace Ceasefire.Cli.Commands;

/// <summary>
/// <c>ceasefire adjudicate --agreement F --zones F --incidents F</c>: rules every incident against the agreement,
/// prints a table and writes findings.csv and findings.json.
/// </summary>
internal static class AdjudicateCommand
{
    /// <summary>Above this many incidents only covered findings are written (NotCovered rows would swamp the files).</summary>
    public const int FullOutputLimit = 10_000;

    public static Command Create()
    {
        var agreement = new Option<FileInfo[]>("--agreement") { Description = "Agreement file(s); give every version of one agreement. Without --incidents they are recorded in the store.", AllowMultipleArgumentsPerToken = true };
        var zones = new Option<FileInfo[]>("--zones") { Description = "Zone files (GeoJSON); default: those the agreement names.", AllowMultipleArgumentsPerToken = true };
        var incidents = new Option<FileInfo?>("--incidents") { Description = "Incidents as ACLED-format CSV (extra columns ignored). Without it, the store's reports are ruled and the findings recorded in the store." };
        var agreementId = new Option<string?>("--agreement-id") { Description = "With the store: which recorded agreement to rule under (when it holds several)." };
        var output = new Option<DirectoryInfo>("--output") { Description = "Where to write findings.csv and findings.json.", DefaultValueFactory = _ => new DirectoryInfo(".") };
        var timeZone = new Option<string?>("--time-zone") { Description = "IANA time zone for dates without a time (default: the agreement's time_zone)." };
        var all = new Option<bool>("--all") { Description = "Also list findings under phases that never bound (proposed or suspended)." };
        var reject = new Option<bool>("--reject-invalid-zones") { Description = "Reject zones with invalid geometry instead of repairing them (with a warning)." };
        var command = new Command("adjudicate", "Rule every incident against the obligations in force at its time and place.")
        {
            agreement, zones, incidents, output, timeZone, all, reject, agreementId,
        };
        command.SetAction(async (parse, ct) =>
        {
            var files = parse.GetValue(agreement) ?? [];
            if (parse.GetValue(incidents) is null)
            {
                return await RuleStoreAsync(parse, files, parse.GetValue(zones), parse.GetValue(agreementId), parse.GetValue(all), parse.GetValue(output)!, ct);
            }
            if (files.Length == 0)
            {
                Console.Error.WriteLine("error: --incidents needs --agreement FILE.");
                return ExitCodes.ValidationFailed;
            }
            var missing = files.Append(parse.GetValue(incidents)!).FirstOrDefault(f => !f.Exists);
            if (missing is not null)
            {
                Console.Error.WriteLine($"error: {missing.FullName} not found.");
                return ExitCodes.NotFound;
            }
            var loaded = Inputs.Load(files, parse.GetValue(zones), repairZones: !parse.GetValue(reject), Console.Error);
            if (loaded is null)
            {
                return ExitCodes.ValidationFailed;
            }
            var tz = loaded.Versions[0].TimeZone;
            if (parse.GetValue(timeZone) is { } tzName)
            {
                if (!TimeZoneInfo.TryFindSystemTimeZoneById(tzName, out var found))
                {
                    Console.Error.WriteLine($"error: unknown time zone '{tzName}' (use an IANA name such as Europe/Kyiv).");
                    return ExitCodes.ValidationFailed;
                }
                tz = found;
            }
            var read = IncidentFiles.Read(parse.GetValue(incidents)!.FullName, tz);
            Inputs.Print(read.Problems, Console.Error);
            if (read.Incidents.Count == 0 && read.Problems.Count > 0)
            {
                return ExitCodes.ValidationFailed;
            }
            var adjudicator = new Adjudicator(loaded.Versions, loaded.Zones, loaded.Lines);
            var showAll = parse.GetValue(all);
            var doc = Rule(adjudicator, read.Incidents, showAll);
            var dir = parse.GetValue(output)!;
            dir.Create();
            var csvPath = Path.Combine(dir.FullName, "findings.csv");
            var jsonPath = Path.Combine(dir.FullName, "findings.json");
            doc.WriteCsv(csvPath);
            doc.WriteJson(jsonPath);
            PrintTable(doc);
            var findings = doc.Incidents.SelectMany(i => i.Findings).ToList();
            Console.WriteLine(
                $"{read.Incidents.Count} incidents read ({read.Rejected} rejected), {findings.Count} findings: " +
                $"{findings.Count(f => f.Verdict == Verdict.Violation)} violations, {findings.Count(f => f.Verdict == Verdict.PossibleViolation)} possible violations, " +
                $"{findings.Count(f => f.Verdict == Verdict.NotCovered)} not covered.");
            Console.WriteLine($"Wrote {csvPath} and {jsonPath}.");
            if (read.Rejected > 0)
            {
                var rejectedPath = Path.Combine(dir.FullName, "rejected-incidents.csv");
                using (var writer = new StreamWriter(rejectedPath))
                {
                    read.WriteRejected(writer);
                }
                Console.Error.WriteLine($"{read.Rejected} rows rejected; kept as they were in {rejectedPath} (fix them and read them again).");
            }
            return read.Rejected > 0 ? ExitCodes.ValidationFailed : ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<int> RuleStoreAsync(System.CommandLine.ParseResult parse, FileInfo[] files, FileInfo[]? zones, string? agreementId, bool all, DirectoryInfo output, CancellationToken ct)
    {
        if (files.FirstOrDefault(f => !f.Exists) is { } missing)
        {
            Console.Error.WriteLine($"error: {missing.FullName} not found.");
            return ExitCodes.NotFound;
        }
        await using var store = await StoreOptions.OpenAsync(parse, ct);
        if (store is null)
        {
            return ExitCodes.StoreUnavailable;
        }
        string? recorded = null;
        if (files.Length > 0)
        {
            var loaded = await StoreAdjudication.RecordAgreementsAsync(store, files, zones, Environment.UserName, Console.Error, ct);
            if (loaded is null)
            {
                return ExitCodes.ValidationFailed;
            }
            recorded = loaded.Versions[0].Id;
        }
        var doc = await StoreAdjudication.RuleStoreAsync(store, agreementId ?? recorded, all, Environment.UserName, Console.Error, ct);
        if (doc is null)
        {
            return ExitCodes.ValidationFailed;
        }
        output.Create();
        doc.WriteJson(Path.Combine(output.FullName, "findings.json"));
        PrintTable(doc);
        var findings = doc.Incidents.SelectMany(i => i.Findings).ToList();
        Console.WriteLine($"{doc.Incidents.Count} reports ruled, {findings.Count} findings recorded in {StoreOptions.Location(parse)}: " +
            $"{findings.Count(f => f.Verdict == Verdict.Violation)} violations, {findings.Count(f => f.Verdict == Verdict.PossibleViolation)} possible violations, " +
            $"{findings.Count(f => f.Verdict == Verdict.NotCovered)} not covered.");
        return ExitCodes.Ok;
    }

    /// <summary>Rules the incidents: every finding for small sets, covered findings (bulk path) for large ones.</summary>
    internal static FindingsDocument Rule(Adjudicator adjudicator, IReadOnlyList<Incident> incidents, bool includeNeverBinding)
    {
        var entries = new List<IncidentFindings>(incidents.Count);
        if (incidents.Count <= FullOutputLimit)
        {
            foreach (var incident in incidents)
            {
                var findings = adjudicator.Adjudicate(incident)
                    .Where(f => includeNeverBinding || f.Checks[0].Outcome != Outcome.Fails)
                    .ToList();
                entries.Add(FindingsDocument.Describe(incident, findings, adjudicator.VersionAt(incident.Time.Earliest).TimeZone));
            }
        }
        else
        {
            var bulk = adjudicator.AdjudicateBulk(IncidentBatch.Of(incidents));
            foreach (var group in bulk.Findings.GroupBy(f => f.Incident))
            {
                var incident = incidents[group.Key];
                entries.Add(FindingsDocument.Describe(incident, group.Select(f => adjudicator.Explain(incident, f.Rule)).ToList(),
                    adjudicator.VersionAt(incident.Time.Earliest).TimeZone));
            }
        }
        var first = adjudicator.Versions[0];
        return new FindingsDocument(first.Id, adjudicator.Versions.Select(v => v.Version).ToList(), "ceasefire adjudicate", entries);
    }

    internal static void PrintTable(FindingsDocument doc)
    {
        var rows = doc.Incidents.Sum(i => i.Findings.Count);
        if (rows > 500)
        {
            Console.WriteLine($"({rows} findings: the table is left out; see the files.)");
            return;
        }
        var table = new Table().AddColumns("Incident", "When", "Obligation", "Reading", "Verdict", "Why");
        foreach (var i in doc.Incidents)
        {
            foreach (var f in i.Findings)
            {
                var colour = f.Verdict switch { Verdict.Violation => "red", Verdict.PossibleViolation => "yellow", _ => "green" };
                var why = f.Verdict switch
                {
                    Verdict.NotCovered => string.Join("; ", f.Checks.Where(c => c.Outcome == "fails").Select(c => c.Aspect)),
                    Verdict.PossibleViolation => string.Join("; ", f.Checks.Where(c => c.Outcome == "uncertain").Select(c => c.Aspect + " uncertain")),
                    _ => "all aspects match",
                };
                table.AddRow(Markup.Escape(i.Id), Markup.Escape(i.Time), Markup.Escape(f.Obligation), Markup.Escape(f.Reading),
                    $"[{colour}]{f.Verdict}[/]", Markup.Escape(why));
            }
        }
        Terminal.Out.Write(table);
    }
}

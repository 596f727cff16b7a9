using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ceasefire.Cli.Output;
using Ceasefire.Corroboration;
using Ceasefire.Import.Corroboration;
using Ceasefire.Incidents;
using Ceasefire.Storage;
using Spectre.Console;

namespace Ceasefire.Cli.Commands;

/// <summary>
/// Sources and grades, corroboration into incidents, and analysts' work on incidents: <c>sources</c>, <c>grade</c>,
/// <c>corroborate</c>, <c>incidents</c>, <c>incident show|merge|split|confirm</c>, <c>review</c>.
/// </summary>
internal static class CorroborationCommands
{
    private static readonly Option<string> By = new("--by")
    {
        Description = "Who does it (recorded on the log). Default: the user name.",
        DefaultValueFactory = _ => Environment.UserName,
    };

    private static readonly Option<string> Reason = new("--reason") { Description = "Why (recorded on the log).", Required = true };

    /// <summary><c>ceasefire sources [load FILE]</c>.</summary>
    public static Command Sources()
    {
        var command = new Command("sources", "Show the source registry recorded in the store (reliability, type, independence group).");
        command.SetAction(async (parse, ct) =>
        {
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            var registry = await StoreCorroboration.RegistryAsync(store, Console.Error, ct);
            if (registry is null)
            {
                return ExitCodes.ValidationFailed;
            }
            var table = new Table().AddColumns("Source", "Id", "Type", "Reliability", "Group", "Party", "Default grade");
            foreach (var s in registry.Sources)
            {
                table.AddRow(Markup.Escape(s.Name), Markup.Escape(s.Id), s.Type.ToString().ToLowerInvariant(), s.Reliability.ToString(), Markup.Escape(s.Group),
                    s.Party?.Value ?? "", $"{s.Reliability}{s.DefaultCredibility}");
            }
            Terminal.Out.Write(table);
            Console.WriteLine($"{registry.Sources.Count} source(s). A name not listed is a source of its own, reliability F.");
            return ExitCodes.Ok;
        });
        var file = new Argument<FileInfo>("file") { Description = "Sources file (YAML; docs/sources-format.md)." };
        var load = new Command("load", "Validate a sources file and record it in the store (the latest recorded file is the registry).") { file, By };
        load.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                Console.Error.WriteLine($"error: {path.FullName} not found.");
                return ExitCodes.NotFound;
            }
            var read = SourcesFileReader.Read(path.FullName);
            if (read.Value is null)
            {
                Inputs.Print(read.Problems, Console.Error);
                return ExitCodes.ValidationFailed;
            }
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            var added = await store.AddDocumentAsync("sources", path.Name, await File.ReadAllTextAsync(path.FullName, ct), parse.GetValue(By)!, ct);
            Console.WriteLine(added ? $"Recorded {read.Value.Sources.Count} sources from {path.Name}." : $"{path.Name} is already recorded with the same text.");
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(load);
        return command;
    }

    /// <summary><c>ceasefire grade REPORT GRADE --reason R</c>.</summary>
    public static Command Grade()
    {
        var report = new Argument<string>("report") { Description = "Report key (dataset:id)." };
        var grade = new Argument<string>("grade") { Description = "Admiralty grade: source reliability A-F and information credibility 1-6, such as B2." };
        var command = new Command("grade", "Grade a report (Admiralty code), with the reason; incidents and findings are recomputed.") { report, grade, Reason, By };
        command.SetAction(async (parse, ct) =>
        {
            if (!SourceGrade.TryParse(parse.GetValue(grade), out var g))
            {
                Console.Error.WriteLine($"error: '{parse.GetValue(grade)}' is not an Admiralty grade: a letter A-F (source reliability) and a digit 1-6 (information credibility), such as B2.");
                return ExitCodes.ValidationFailed;
            }
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            var key = parse.GetValue(report)!;
            if ((await store.ReportHistoryAsync(key, ct)).Count == 0)
            {
                Console.Error.WriteLine($"error: the store holds no report '{key}' (see ceasefire reports).");
                return ExitCodes.NotFound;
            }
            var entry = await StoreCorroboration.GradeAsync(store, key, g, parse.GetValue(Reason)!, parse.GetValue(By)!, ct);
            Console.WriteLine($"Graded {key} {g} (log entry {entry.Sequence}).");
            return await RerunAsync(store, parse.GetValue(By)!, ct);
        });
        return command;
    }

    /// <summary><c>ceasefire corroborate</c>.</summary>
    public static Command Corroborate()
    {
        var agreementId = new Option<string?>("--agreement-id") { Description = "Which recorded agreement to rule against (when the store holds several)." };
        var merge = new Option<double>("--merge-from") { Description = "Candidates scoring at least this join their reference report's incident.", DefaultValueFactory = _ => ClusterOptions.Default.AutoMerge };
        var review = new Option<double>("--review-from") { Description = "Candidates scoring at least this (and below --merge-from) are queued for an analyst.", DefaultValueFactory = _ => ClusterOptions.Default.Review };
        var hours = new Option<double>("--hours") { Description = "Candidate window in time (hours between the reports' intervals).", DefaultValueFactory = _ => 24 };
        var km = new Option<double>("--km") { Description = "Candidate window in space (km beyond the reports' uncertainty radii).", DefaultValueFactory = _ => 5 };
        var command = new Command("corroborate", "Merge the store's reports into incidents, grade them, record them, and rule them against the recorded agreement.")
        {
            agreementId, merge, review, hours, km, By,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new ClusterOptions(new CandidateWindow(TimeSpan.FromHours(parse.GetValue(hours)), parse.GetValue(km) * 1000), parse.GetValue(merge), parse.GetValue(review));
            if (!(options.Review <= options.AutoMerge) || options.Review < 0 || options.AutoMerge > 1 || options.Window.MaxGap < TimeSpan.Zero || options.Window.MaxDistanceMetres < 0)
            {
                Console.Error.WriteLine("error: use 0 <= --review-from <= --merge-from <= 1, and a window of zero or more hours and km.");
                return ExitCodes.ValidationFailed;
            }
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            var run = await StoreCorroboration.RunAsync(store, parse.GetValue(agreementId), options, parse.GetValue(By)!, Console.Error, ct);
            if (run is null)
            {
                return ExitCodes.ValidationFailed;
            }
            Summarize(run);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>ceasefire incidents</c>.</summary>
    public static Command Incidents()
    {
        var disputed = new Option<bool>("--disputed") { Description = "Only incidents whose reports blame different parties." };
        var accused = new Option<string?>("--accused") { Description = "Only incidents blamed on this party (code, e.g. RU)." };
        var from = new Option<DateTimeOffset?>("--from") { Description = "Incidents that may have happened at or after this time (ISO 8601)." };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Incidents that may have happened before this time (ISO 8601)." };
        var limit = new Option<int>("--limit") { Description = "At most this many.", DefaultValueFactory = _ => 100 };
        var json = new Option<bool>("--json") { Description = "Print JSON (each incident with its derivation)." };
        var command = new Command("incidents", "List the incidents of the last corroboration run.") { disputed, accused, from, to, limit, json };
        command.SetAction(async (parse, ct) =>
        {
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            var list = await store.QueryIncidentsAsync(new IncidentQuery(null, parse.GetValue(disputed) ? true : null, parse.GetValue(accused), null,
                parse.GetValue(from), parse.GetValue(to), parse.GetValue(limit)), ct);
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(list.Select(StoreCorroboration.Detail), FindingsDocument.Json));
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("Incident", "Reports", "When (UTC)", "Where", "Act", "Blamed", "Grade", "Confidence");
            foreach (var i in list)
            {
                var d = StoreCorroboration.Detail(i);
                var blamed = i.Disputed ? $"[yellow]disputed: {string.Join(" vs ", i.Accused)}[/]" : i.Accused.Count == 1 ? i.Accused[0] : "?";
                table.AddRow(Markup.Escape(i.Id) + (i.ConfirmedBy is null ? "" : " ✔"), i.Members.Count.ToString(CultureInfo.InvariantCulture),
                    Markup.Escape($"{d.Time.Earliest.UtcDateTime:yyyy-MM-dd HH:mm} ({d.Time.Precision})"), Markup.Escape(d.Place.Name ?? $"{i.Latitude:0.####}, {i.Longitude:0.####}"),
                    i.Act, blamed, i.Grade, i.Confidence.ToString("0.00", CultureInfo.InvariantCulture));
            }
            Terminal.Out.Write(table);
            Console.WriteLine($"{list.Count} incident(s){(list.Count == parse.GetValue(limit) ? " (limit reached; use --limit)" : "")}. Details: ceasefire incident show ID.");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary><c>ceasefire incident show|merge|split|confirm</c>.</summary>
    public static Command Incident()
    {
        var command = new Command("incident", "Show an incident, or merge, split or confirm incidents (analysts; each with a reason on the log).");

        var id = new Argument<string>("id") { Description = "Incident id (inc:dataset:id) or any of its reports' keys." };
        var json = new Option<bool>("--json") { Description = "Print JSON." };
        var show = new Command("show", "An incident: its reports with their sources and grades, who is blamed, and each finding with its explanation.") { id, json };
        show.SetAction(async (parse, ct) =>
        {
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            var incident = await FindAsync(store, parse.GetValue(id)!, ct);
            if (incident is null)
            {
                return ExitCodes.NotFound;
            }
            var d = StoreCorroboration.Detail(incident);
            var findings = new List<StoredFinding>();
            foreach (var subject in incident.Disputed ? incident.Accused.Select(p => $"{incident.Id}#{p}") : [incident.Id])
            {
                findings.AddRange(await store.QueryFindingsAsync(new FindingQuery(ReportKey: subject, Limit: 10_000), ct));
            }
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new { incident = d, findings }, FindingsDocument.Json));
                return ExitCodes.Ok;
            }
            Console.WriteLine($"Incident {d.Id}{(d.ConfirmedBy is null ? "" : $" (confirmed by {d.ConfirmedBy})")}");
            Console.WriteLine($"  When:   {d.Time.Earliest:u} .. {d.Time.Latest:u} ({d.Time.Precision})");
            Console.WriteLine($"  Where:  {d.Place.Name ?? "(unnamed)"} {d.Place.Lat:0.#####}, {d.Place.Lon:0.#####} ±{d.Place.RadiusM / 1000:0.#} km ({d.Place.Precision}); reports spread over {d.Place.SpreadM / 1000:0.#} km");
            Console.WriteLine($"  Act:    {d.Act}; {d.TargetBasis}");
            Console.WriteLine($"  Casualties: {(d.Casualties.Low is null && d.Casualties.High is null && d.Casualties.Best is null ? "unknown" : $"{d.Casualties.Low?.ToString(CultureInfo.InvariantCulture) ?? "?"}-{d.Casualties.High?.ToString(CultureInfo.InvariantCulture) ?? "?"}, best {d.Casualties.Best?.ToString(CultureInfo.InvariantCulture) ?? "?"}")}");
            Console.WriteLine($"  Grade {d.Grade}, confidence {d.Confidence:0.00}; {d.SourceGroups.Count} independent source(s): {string.Join(", ", d.SourceGroups)}");
            Console.WriteLine(d.Disputed ? "  Attribution DISPUTED:" : "  Attribution:");
            foreach (var a in d.Attributions)
            {
                Console.WriteLine($"    {a.Party ?? "nobody named"}: blamed by {string.Join("; ", a.Claimants)} (reports {string.Join(", ", a.Reports)}; support {a.Confidence:0.00})");
            }
            var table = new Table().AddColumns("Report", "Role", "Score", "Grade", "Sources", "Blames", "When", "Act");
            foreach (var m in d.Reports)
            {
                table.AddRow(Markup.Escape(m.Key), m.Role.ToString().ToLowerInvariant(), Markup.Escape(m.ScoreDetail ?? ""), m.Grade, Markup.Escape(string.Join("\n", m.Sources)),
                    m.Blames ?? "?", Markup.Escape(m.Time), m.Act);
            }
            Terminal.Out.Write(table);
            foreach (var h in d.History)
            {
                Console.WriteLine($"  History: {h}");
            }
            foreach (var f in findings.Where(f => f.Verdict != "not_covered"))
            {
                Console.WriteLine($"  {f.Verdict} ({f.ReportKey}, {f.Obligation}, {f.Reading} reading, confidence {f.Confidence:0.00}): {f.Explanation}");
            }
            Console.WriteLine($"  {findings.Count(f => f.Verdict == "not_covered")} other obligation reading(s) do not cover it.");
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(show);

        command.Subcommands.Add(Decision("merge", "Make one incident of the incidents holding these reports.", "merge", minReports: 2));
        command.Subcommands.Add(Decision("split", "Take these reports out of their incidents into an incident of their own.", "split", minReports: 1));
        command.Subcommands.Add(Decision("confirm", "Confirm the incident holding this report as it stands.", "confirm", minReports: 1, maxReports: 1));
        return command;
    }

    /// <summary><c>ceasefire review [accept|reject]</c>.</summary>
    public static Command Review()
    {
        var command = new Command("review", "The candidates waiting for an analyst: reports that might belong to an incident.");
        command.SetAction(async (parse, ct) =>
        {
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            var queue = await store.ReviewQueueAsync(ct);
            var table = new Table().AddColumns("Report", "Might belong to", "Score");
            foreach (var r in queue)
            {
                table.AddRow(Markup.Escape(r.ReportKey), Markup.Escape(r.IncidentId), Markup.Escape(r.Detail));
            }
            Terminal.Out.Write(table);
            Console.WriteLine($"{queue.Count} candidate(s). Decide with: ceasefire review accept|reject REPORT --with REFERENCE_REPORT --reason \"...\".");
            return ExitCodes.Ok;
        });
        foreach (var (name, kind, text) in new[] { ("accept", "accept", "The report belongs to the incident."), ("reject", "reject", "The report does not belong to the incident.") })
        {
            var report = new Argument<string>("report") { Description = "The queued report." };
            var with = new Option<string>("--with") { Description = "A report of the incident (its id without 'inc:' is its reference report).", Required = true };
            var sub = new Command(name, text) { report, with, Reason, By };
            sub.SetAction(async (parse, ct) =>
            {
                await using var store = await StoreOptions.OpenAsync(parse, ct);
                if (store is null)
                {
                    return ExitCodes.StoreUnavailable;
                }
                var withKey = parse.GetValue(with)!;
                withKey = withKey.StartsWith("inc:", StringComparison.Ordinal) ? withKey["inc:".Length..] : withKey;
                foreach (var key in new[] { parse.GetValue(report)!, withKey })
                {
                    if ((await store.ReportHistoryAsync(key, ct)).Count == 0)
                    {
                        Console.Error.WriteLine($"error: the store holds no report '{key}'.");
                        return ExitCodes.NotFound;
                    }
                }
                await StoreCorroboration.DecideAsync(store, kind, [parse.GetValue(report)!], withKey, parse.GetValue(Reason)!, parse.GetValue(By)!, ct);
                return await RerunAsync(store, parse.GetValue(By)!, ct);
            });
            command.Subcommands.Add(sub);
        }
        return command;
    }

    private static Command Decision(string name, string description, string kind, int minReports, int maxReports = int.MaxValue)
    {
        var reports = new Argument<string[]>("reports") { Description = "Report keys (dataset:id), or incident ids (inc:...).", Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, description + " Incidents and findings are recomputed.") { reports, Reason, By };
        command.SetAction(async (parse, ct) =>
        {
            var keys = parse.GetValue(reports)!.Select(k => k.StartsWith("inc:", StringComparison.Ordinal) ? k["inc:".Length..] : k).Distinct().ToList();
            if (keys.Count < minReports || keys.Count > maxReports)
            {
                Console.Error.WriteLine($"error: {name} takes {(maxReports == 1 ? "one report" : $"at least {minReports} report(s)")}.");
                return ExitCodes.ValidationFailed;
            }
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            foreach (var key in keys)
            {
                if ((await store.ReportHistoryAsync(key, ct)).Count == 0)
                {
                    Console.Error.WriteLine($"error: the store holds no report '{key}' (give report keys, or incident ids inc:KEY).");
                    return ExitCodes.NotFound;
                }
            }
            var entry = await StoreCorroboration.DecideAsync(store, kind, keys, null, parse.GetValue(Reason)!, parse.GetValue(By)!, ct);
            Console.WriteLine($"Recorded: {name} {string.Join(", ", keys)} by {parse.GetValue(By)} (log entry {entry.Sequence}).");
            return await RerunAsync(store, parse.GetValue(By)!, ct);
        });
        return command;
    }

    private static async Task<StoredIncident?> FindAsync(IStore store, string idOrKey, CancellationToken ct)
    {
        var found = await store.QueryIncidentsAsync(new IncidentQuery(Id: idOrKey), ct);
        if (found.Count == 0)
        {
            found = await store.QueryIncidentsAsync(new IncidentQuery(ReportKey: idOrKey), ct);
        }
        if (found.Count == 0)
        {
            Console.Error.WriteLine($"error: no incident '{idOrKey}' and no incident holding a report '{idOrKey}' (run ceasefire corroborate first; see ceasefire incidents).");
            return null;
        }
        return found[0];
    }

    /// <summary>Re-runs corroboration after an analyst's action, so incidents and findings follow it.</summary>
    private static async Task<int> RerunAsync(IStore store, string author, CancellationToken ct)
    {
        var run = await StoreCorroboration.RunAsync(store, null, ClusterOptions.Default, author, Console.Error, ct);
        if (run is null)
        {
            return ExitCodes.ValidationFailed;
        }
        Summarize(run);
        return ExitCodes.Ok;
    }

    private static void Summarize(CorroborationRun run)
    {
        foreach (var w in run.Result.Warnings)
        {
            Console.Error.WriteLine($"warning: {w}");
        }
        Console.WriteLine($"{run.Reports} report(s) -> {run.Incidents.Count} incident(s) ({run.Incidents.Count(i => i.Cluster.Members.Count > 1)} of several reports, " +
            $"largest {run.Result.LargestIncident}, {run.Incidents.Count(i => i.Disputed)} with disputed attribution); {run.Result.Review.Count} candidate(s) for review; " +
            $"{run.Result.CandidatePairs} candidate pair(s); {run.Findings} finding(s) recorded.");
    }
}

using System.CommandLine;
using Ceasefire.Cli.Output;
using Ceasefire.Findings;
using Spectre.Console;

namespace Ceasefire.Cli.Commands;

/// <summary><c>ceasefire explain INCIDENT</c>: one incident's facts and the reasoning behind each of its findings.</summary>
internal static class ExplainCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("INCIDENT") { Description = "Incident id, as in the incidents file (e.g. CFM-2025-0007)." };
        var findings = new Option<FileInfo>("--findings") { Description = "Findings file written by 'ceasefire adjudicate'.", DefaultValueFactory = _ => new FileInfo("findings.json") };
        var command = new Command("explain", "Show one incident's reasoning: every obligation, every reading, every check.") { id, findings };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(findings)!;
            if (!file.Exists)
            {
                Console.Error.WriteLine($"error: {file.FullName} not found; run 'ceasefire adjudicate' first (it writes findings.json), or pass --findings.");
                return ExitCodes.NotFound;
            }
            FindingsDocument doc;
            try
            {
                doc = FindingsDocument.ReadJson(file.FullName);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException)
            {
                Console.Error.WriteLine($"{file.FullName}: error findings.format: {e.Message}");
                return ExitCodes.ValidationFailed;
            }
            var wanted = parse.GetValue(id)!;
            var incident = doc.Incidents.FirstOrDefault(i => string.Equals(i.Id, wanted, StringComparison.OrdinalIgnoreCase));
            if (incident is null)
            {
                Console.Error.WriteLine($"error: no incident '{wanted}' in {file.Name} (it has {doc.Incidents.Count}: {string.Join(", ", doc.Incidents.Take(10).Select(i => i.Id))}{(doc.Incidents.Count > 10 ? ", ..." : "")}).");
                return ExitCodes.NotFound;
            }
            Print(doc, incident);
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static void Print(FindingsDocument doc, IncidentFindings i)
    {
        Terminal.Out.MarkupLineInterpolated($"[bold]Incident {i.Id}[/]");
        Terminal.Out.MarkupLineInterpolated($"  when:        {i.Time}");
        Terminal.Out.MarkupLineInterpolated($"  where:       {i.Place} ({i.Latitude:0.#####}, {i.Longitude:0.#####}){(i.RadiusMetres > 0 ? $" ±{i.RadiusMetres / 1000:0.#} km" : "")}");
        Terminal.Out.MarkupLineInterpolated($"  act:         {i.Act}");
        Terminal.Out.MarkupLineInterpolated($"  target:      {i.TargetBasis}");
        Terminal.Out.MarkupLineInterpolated($"  perpetrator: {i.Perpetrator ?? "undetermined"} (actor \"{i.Actor}\"), claimed by {i.Claimant ?? "-"}");
        Terminal.Out.MarkupLineInterpolated($"  source:      {i.Source} (grade {i.Grade})");
        foreach (var link in i.Links)
        {
            Terminal.Out.MarkupLineInterpolated($"  link:        {link}");
        }
        Terminal.Out.WriteLine();
        foreach (var f in i.Findings)
        {
            var colour = f.Verdict switch { Verdict.Violation => "red", Verdict.PossibleViolation => "yellow", _ => "green" };
            Terminal.Out.MarkupLineInterpolated($"[bold]{f.Obligation}[/] ({doc.Agreement} v{f.Version}, phase {f.Phase}), reading [bold]{f.Reading}[/]: [{colour}]{f.Verdict}[/] (confidence {f.Confidence:0.###})");
            foreach (var c in f.Checks)
            {
                var mark = c.Outcome switch { "matches" => "[green]match[/]", "fails" => "[red]fails[/]", _ => "[yellow]uncertain[/]" };
                Terminal.Out.MarkupLine($"    {c.Aspect,-7} {mark}  {Markup.Escape(c.Detail)}");
            }
        }
    }
}

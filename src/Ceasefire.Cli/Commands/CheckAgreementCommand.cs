using System.CommandLine;
using Ceasefire.Cli.Output;
using Spectre.Console;

namespace Ceasefire.Cli.Commands;

/// <summary><c>ceasefire check-agreement FILE</c>: validates an agreement file against its zones and summarises it.</summary>
internal static class CheckAgreementCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "Agreement file (YAML); may hold several versions." };
        var zones = new Option<FileInfo[]>("--zones") { Description = "Zone files (GeoJSON); default: those the agreement names under zones.library.", AllowMultipleArgumentsPerToken = true };
        var reject = new Option<bool>("--reject-invalid-zones") { Description = "Reject zones with invalid geometry instead of repairing them (with a warning)." };
        var command = new Command("check-agreement", "Validate an agreement file: every error names file, line, column and field.") { file, zones, reject };
        command.SetAction(parse =>
        {
            var f = parse.GetValue(file)!;
            if (!f.Exists)
            {
                Console.Error.WriteLine($"error: {f.FullName} not found.");
                return ExitCodes.NotFound;
            }
            var loaded = Inputs.Load([f], parse.GetValue(zones), !parse.GetValue(reject), Console.Error);
            if (loaded is null)
            {
                Console.Error.WriteLine($"{f.Name}: not valid.");
                return ExitCodes.ValidationFailed;
            }
            foreach (var v in loaded.Versions)
            {
                Terminal.Out.MarkupLineInterpolated($"[bold]{v.Id}[/] version {v.Version}: {v.Title}");
                Terminal.Out.MarkupLineInterpolated($"  parties: {string.Join(", ", v.Parties.Select(p => $"{p.Code} ({p.DisplayName}, {p.Role.ToString().ToLowerInvariant()})"))}");
                var table = new Table().AddColumns("Phase", "Status", "Window", "Preconditions");
                foreach (var p in v.Phases)
                {
                    table.AddRow(Markup.Escape(p.Name), p.Status.ToString(), Markup.Escape(p.Window?.ToString() ?? "-"),
                        Markup.Escape(string.Join("\n", p.Preconditions.Select(c => $"{c.DemandedBy}: {c.Status.ToString().ToLowerInvariant()}"))));
                }
                Terminal.Out.Write(table);
                var obligations = new Table().AddColumns("Obligation", "Phase", "Bound", "Acts", "Targets", "Zones", "Readings");
                foreach (var o in v.Obligations)
                {
                    obligations.AddRow(Markup.Escape(o.Id), Markup.Escape(o.PhaseId), string.Join(", ", o.Bound), Markup.Escape(string.Join(", ", o.Acts)),
                        Markup.Escape(o.Targets.ToString()), Markup.Escape(string.Join(", ", o.IncludeZones) + (o.ExcludeZones.Count > 0 ? " minus " + string.Join(", ", o.ExcludeZones) : "")),
                        Markup.Escape(string.Join("\n", o.Readings.Select(r => $"{r.Party}: {r.Window?.ToString() ?? "text window"}; {r.Targets?.ToString() ?? "text targets"}"))));
                }
                Terminal.Out.Write(obligations);
            }
            Console.WriteLine($"{f.Name}: valid ({loaded.Versions.Count} version(s), {loaded.Zones.Count} zones).");
            return ExitCodes.Ok;
        });
        return command;
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ceasefire.Claims;
using Ceasefire.Cli.Output;
using Ceasefire.Import.Claims;
using Ceasefire.Storage;
using Spectre.Console;

namespace Ceasefire.Cli.Commands;

/// <summary>
/// <c>claims load FILE</c> and <c>claims</c>: the parties' aggregate counts, kept as documents in the store and shown
/// beside the store's own counts of incidents and reports for the same period and accused party. A claim never
/// becomes an incident, a report or a finding.
/// </summary>
internal static class ClaimCommands
{
    public static Command Claims()
    {
        var json = new Option<bool>("--json") { Description = "Write JSON (one object with every series) instead of tables." };
        var command = new Command("claims", "Show the aggregate claims in the store, each series beside the store's incidents and reports for its period and accused party.")
        {
            json, Load(),
        };
        command.SetAction(CommandGuard.Guarded(async (parse, ct) =>
        {
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            var failed = false;
            var shown = new List<SeriesView>();
            foreach (var doc in await store.DocumentsAsync("claims", ct))
            {
                var result = ClaimsFileReader.Parse(doc.Text, doc.Name);
                if (result.Value is null)
                {
                    Inputs.Print(result.Errors, Console.Error);
                    Console.Error.WriteLine($"error: the claims file {doc.Name} recorded in the store cannot be read; its claims are not shown.");
                    failed = true;
                    continue;
                }
                foreach (var series in result.Value.Series)
                {
                    var from = series.Claims.Min(c => c.PeriodFrom);
                    var to = series.Claims.Max(c => c.PeriodTo);
                    var accused = series.Accused.Value;
                    var incidents = await store.QueryIncidentsAsync(new IncidentQuery(Accused: accused, From: from, To: to, Limit: int.MaxValue), ct);
                    var reports = await store.QueryReportsAsync(new ReportQuery(From: from, To: to, Perpetrator: accused, Limit: int.MaxValue), ct);
                    shown.Add(new SeriesView(doc.Name, series, from, to, incidents.Count, reports.Count));
                }
            }
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(Json(shown));
            }
            else if (shown.Count == 0)
            {
                Console.WriteLine("The store holds no claims: record a claims file with ceasefire claims load FILE.");
            }
            else
            {
                Print(shown);
            }
            return failed ? ExitCodes.ValidationFailed : ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Load()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "Claims file (YAML; the format is in docs/claims-format.md)." };
        var user = new Option<string>("--user")
        {
            Description = "Who records the file (recorded on the log). Default: the login name.",
            DefaultValueFactory = _ => string.IsNullOrWhiteSpace(Environment.UserName) ? "unknown" : Environment.UserName,
        };
        var command = new Command("load", "Validate a claims file (every error names file, line, column and key path) and record it in the store.") { file, user };
        command.SetAction(CommandGuard.Guarded(async (parse, ct) =>
        {
            var f = parse.GetValue(file)!;
            if (!f.Exists)
            {
                Console.Error.WriteLine($"error: {f.FullName} not found.");
                return ExitCodes.NotFound;
            }
            string text;
            try
            {
                text = await System.IO.File.ReadAllTextAsync(f.FullName, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: cannot read {f.FullName}: {e.Message}");
                return ExitCodes.NotFound;
            }
            var result = ClaimsFileReader.Parse(text, f.FullName);
            Inputs.Print(result.Problems, Console.Error);
            if (result.Value is null || result.Errors.Any())
            {
                Console.Error.WriteLine($"{f.Name}: not valid; nothing was recorded.");
                return ExitCodes.ValidationFailed;
            }
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            var added = await store.AddDocumentAsync("claims", f.Name, text, parse.GetValue(user)!, ct);
            var claims = result.Value;
            Console.WriteLine($"{f.Name}: {claims.Series.Count} series, {claims.Claims.Count} claims " +
                (added ? "recorded in the store." : "already recorded with the same text; nothing new.") +
                " Claims are kept apart from incidents: see them with ceasefire claims.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>One series as shown: where it came from, its period, and the store's counts beside it.</summary>
    private sealed record SeriesView(string Document, ClaimSeries Series, DateTimeOffset From, DateTimeOffset To, int Incidents, int Reports)
    {
        public string Subject => Series.Latest.Subject;

        /// <summary>The total and how it was reached, or why there is none.</summary>
        public (ClaimTotal? Total, string Text) Total()
        {
            try
            {
                var total = Series.Total;
                return (total, total.Basis == ClaimTotalBasis.LatestRunningTotal
                    ? $"running total, latest as of {Utc(Series.Latest.AsOf)}: {Count(total.Count, total.Qualifier)} (not summed)"
                    : $"sum of {total.Claims.Count} period(s): {Count(total.Count, total.Qualifier)}");
            }
            catch (InvalidOperationException e)
            {
                return (null, "no total: " + e.Message);
            }
        }
    }

    private static void Print(IReadOnlyList<SeriesView> shown)
    {
        var summary = new Table().AddColumns("Series", "Claimant", "Accused", "Period (UTC)", "Kind", "Claimed", "Incidents in store", "Reports in store");
        foreach (var v in shown)
        {
            var (total, _) = v.Total();
            summary.AddRow(Markup.Escape(v.Series.Id.Value), v.Series.Claimant.Value, v.Series.Accused.Value, Markup.Escape(Period(v.From, v.To)),
                v.Series.IsCumulative ? "running totals" : "counts of periods",
                total is null ? "(not summable)" : Markup.Escape(Count(total.Count, total.Qualifier)),
                v.Incidents.ToString(CultureInfo.InvariantCulture), v.Reports.ToString(CultureInfo.InvariantCulture));
        }
        Terminal.Out.Write(summary);
        foreach (var v in shown)
        {
            var s = v.Series;
            Console.WriteLine();
            Terminal.Out.MarkupLineInterpolated($"[bold]{s.Id.Value}[/] ({v.Document}): {s.Claimant.Value} -> {s.Accused.Value}, {v.Subject}");
            Console.WriteLine($"  period {Period(v.From, v.To)}; {(s.IsCumulative ? "cumulative: each claim is a running total since the period's start" : "not cumulative: each claim counts its own period")}");
            var increments = s.IsCumulative ? s.Increments().ToDictionary(i => i.Claim.Id) : null;
            // Every running total counts from the series' start: its period is in the heading, its increment in the table.
            var table = new Table().AddColumns("Claim", "As of (UTC)", "Count", increments is null ? "Period (UTC)" : "Increment", "Source");
            foreach (var c in s.Claims)
            {
                var row = new List<string> { Markup.Escape(c.Id.Value), Utc(c.AsOf), Markup.Escape(Count(c.Count, c.Qualifier)) };
                row.Add(Markup.Escape(increments is null ? Period(c.PeriodFrom, c.PeriodTo) : Increment(increments[c.Id])));
                row.Add(Markup.Escape(c.SourceName));
                table.AddRow(row.ToArray());
            }
            Terminal.Out.Write(table);
            Console.WriteLine($"  total: {v.Total().Text}");
            if (!s.Latest.Breakdown.IsEmpty)
            {
                Console.WriteLine($"  breakdown of the latest claim ({s.Latest.Id}), as the claimant gave it:");
                foreach (var (label, count) in s.Latest.Breakdown)
                {
                    Console.WriteLine($"    {label}: {Count(count, CountQualifier.Exact)}");
                }
            }
            Console.WriteLine($"  beside it, in the store for the same period and accused party ({s.Accused}): {v.Incidents} incident(s), {v.Reports} report(s).");
        }
        Console.WriteLine();
        Console.WriteLine($"{shown.Count} series. Claims are the parties' own counts: shown beside the store's incidents and reports, never turned into them.");
    }

    private static string Json(IReadOnlyList<SeriesView> shown)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartArray("series");
            foreach (var v in shown)
            {
                var s = v.Series;
                w.WriteStartObject();
                w.WriteString("document", v.Document);
                w.WriteString("id", s.Id.Value);
                w.WriteString("claimant", s.Claimant.Value);
                w.WriteString("accused", s.Accused.Value);
                w.WriteString("subject", v.Subject);
                w.WriteBoolean("cumulative", s.IsCumulative);
                w.WriteString("from", Iso(v.From));
                w.WriteString("to", Iso(v.To));
                var increments = s.IsCumulative ? s.Increments().ToDictionary(i => i.Claim.Id) : null;
                w.WriteStartArray("claims");
                foreach (var c in s.Claims)
                {
                    w.WriteStartObject();
                    w.WriteString("id", c.Id.Value);
                    w.WriteString("as_of", Iso(c.AsOf));
                    w.WriteNumber("count", c.Count);
                    w.WriteString("qualifier", Code(c.Qualifier));
                    w.WriteString("count_text", Count(c.Count, c.Qualifier));
                    w.WriteString("from", Iso(c.PeriodFrom));
                    w.WriteString("to", Iso(c.PeriodTo));
                    w.WriteString("subject", c.Subject);
                    w.WriteString("source", c.SourceName);
                    w.WriteString("url", c.SourceUrl?.ToString());
                    w.WriteString("notes", c.Notes);
                    WriteBreakdown(w, c.Breakdown);
                    if (increments is null)
                    {
                        w.WriteNull("increment");
                    }
                    else
                    {
                        var i = increments[c.Id];
                        w.WriteStartObject("increment");
                        w.WriteNumber("count", i.Increment);
                        w.WriteString("from", Iso(i.From));
                        w.WriteString("to", Iso(i.To));
                        w.WriteBoolean("negative", i.IsNegative);
                        w.WriteBoolean("approximate", i.IsApproximate);
                        w.WriteEndObject();
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                var (total, text) = v.Total();
                if (total is null)
                {
                    w.WriteNull("total");
                }
                else
                {
                    w.WriteStartObject("total");
                    w.WriteNumber("count", total.Count);
                    w.WriteString("qualifier", Code(total.Qualifier));
                    w.WriteString("basis", Code(total.Basis));
                    w.WriteBoolean("summed", total.Basis == ClaimTotalBasis.SumOfPeriods);
                    w.WriteStartArray("claims");
                    foreach (var c in total.Claims)
                    {
                        w.WriteStringValue(c.Id.Value);
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteString("total_text", text);
                w.WriteStartObject("latest");
                w.WriteString("id", s.Latest.Id.Value);
                w.WriteString("as_of", Iso(s.Latest.AsOf));
                WriteBreakdown(w, s.Latest.Breakdown);
                w.WriteEndObject();
                w.WriteStartObject("beside");
                w.WriteString("accused", s.Accused.Value);
                w.WriteString("from", Iso(v.From));
                w.WriteString("to", Iso(v.To));
                w.WriteNumber("incidents", v.Incidents);
                w.WriteNumber("reports", v.Reports);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteBreakdown(Utf8JsonWriter w, ClaimBreakdown breakdown)
    {
        w.WriteStartArray("breakdown");
        foreach (var (label, count) in breakdown)
        {
            w.WriteStartObject();
            w.WriteString("label", label);
            w.WriteNumber("count", count);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>A count as worded, with thousands separated: "4,900", "more than 2,000", "about 3,000".</summary>
    internal static string Count(long count, CountQualifier qualifier) => qualifier switch
    {
        CountQualifier.AtLeast => "more than ",
        CountQualifier.About => "about ",
        _ => "",
    } + count.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Increment(ClaimIncrement i) =>
        (i.Increment >= 0 ? "+" : "") + i.Increment.ToString("#,0", CultureInfo.InvariantCulture) +
        (i.IsNegative ? " (went down: see the source)" : "") + (i.IsApproximate ? " (indicative)" : "");

    private static string Period(DateTimeOffset from, DateTimeOffset to) => $"[{Utc(from)}, {Utc(to)})";

    private static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The snake_case code of an enumeration value, as in the claims file (<c>at_least</c>).</summary>
    private static string Code<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}

using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ceasefire.Agreements;
using Ceasefire.Cli.Output;
using Ceasefire.Complaints;
using Ceasefire.Import.Agreements;
using Ceasefire.Incidents;
using Ceasefire.Parties;
using Ceasefire.Storage;
using Spectre.Console;

namespace Ceasefire.Cli.Commands;

/// <summary>
/// <c>complaint file|ack|answer|rule|show</c> and <c>complaints</c>: formal complaints kept as log-only streams
/// (<c>complaint:{id}</c>, one <see cref="LogEntryTypes.ComplaintEvent"/> entry per step). Every change replays the
/// stream, applies the step through <see cref="ComplaintDesk"/> (so every rule of the domain holds) and appends it
/// with the version the stream was read at: a concurrent writer makes the later one fail and write nothing.
/// </summary>
internal static class ComplaintCommands
{
    private const string StreamPrefix = "complaint:";

    private static readonly string[] Statuses = Enum.GetValues<ComplaintStatus>().Select(ComplaintEvents.Code).ToArray();

    public static Command Complaint() => new("complaint", "File or import formal complaints, record their acknowledgement, answer and ruling, and show their history.")
    {
        File(), Acknowledge(), Answer(), Rule(), Show(), Import(),
    };

    public static Command File()
    {
        var by = PartyOption("--by", "The party complaining (party code, e.g. UA).");
        var against = PartyOption("--against", "The party complained about (party code, e.g. RU); the only one who may answer.");
        var reports = ReportsOption("Report keys (dataset:id) the complaint is about, comma-separated; at least these or --incident.");
        var incident = new Option<string?>("--incident") { Description = "The incident the complaint is about (its id in the store)." };
        var text = TextOption("--text", "The complaint's text, as filed.");
        var id = new Option<string?>("--id") { Description = "The complaint's id (for example the complainant's reference). Default: the next C-0001-style number." };
        id.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } v && (string.IsNullOrWhiteSpace(v) || v.Trim().Any(char.IsWhiteSpace)))
            {
                r.AddError($"--id: '{v}' is not a complaint id: give a word without spaces, such as UA-2025-0042.");
            }
        });
        var agreementId = new Option<string?>("--agreement-id") { Description = "Which recorded agreement gives the response period (when the store holds several)." };
        var user = UserOption("Who files it on the complainant's behalf (recorded on the log).");
        var command = new Command("file", "File a complaint: the response deadline comes from the store's agreement (or the 72 h default).")
        {
            by, against, reports, incident, text, id, agreementId, user,
        };
        command.SetAction(CommandGuard.Guarded(async (parse, ct) =>
        {
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            var keys = SplitKeys(parse.GetValue(reports));
            var incidentId = parse.GetValue(incident)?.Trim() is { Length: > 0 } i ? i : null;
            if (keys.Count == 0 && incidentId is null)
            {
                Console.Error.WriteLine("error: a complaint is about at least one report (--reports KEY,KEY) or an incident (--incident ID). Nothing was recorded.");
                return ExitCodes.ValidationFailed;
            }
            if (!await ReferencesExistAsync(store, keys, incidentId, Console.Error, ct))
            {
                return ExitCodes.ValidationFailed;
            }
            var period = await AgreementAsync(store, parse.GetValue(agreementId), Console.Error, ct);
            if (period is null)
            {
                return ExitCodes.ValidationFailed;
            }
            var all = await ReadAllAsync(store, ct);
            var given = parse.GetValue(id)?.Trim();
            var complaintId = new ComplaintId(given ?? NextId(all.Streams));
            if (all.Streams.Contains(StreamOf(complaintId)))
            {
                Console.Error.WriteLine($"error: complaint {complaintId} already exists; give another --id (or none, for the next number). Nothing was recorded.");
                return ExitCodes.ValidationFailed;
            }
            Complaint filed;
            try
            {
                filed = new ComplaintDesk(TimeProvider.System).File(complaintId, new PartyCode(parse.GetValue(by)!), new PartyCode(parse.GetValue(against)!),
                    keys, incidentId is null ? null : new IncidentId(incidentId), parse.GetValue(text)!, parse.GetValue(user)!, period.Agreement);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {Message(e)} Nothing was recorded.");
                return ExitCodes.ValidationFailed;
            }
            var code = await RecordAsync(store, filed, 0, Console.Error, given is null, ct);
            if (code == ExitCodes.Ok)
            {
                Console.WriteLine($"Filed complaint {filed.Id}: {filed.Complainant} against {filed.Accused}, at {Utc(filed.FiledAt)} by {filed.FiledBy}.");
                Console.WriteLine($"{filed.Accused} must answer before {Utc(filed.Deadline)}: {Hours(filed.ResponsePeriod)} {period.Origin}.");
            }
            return code;
        }));
        return command;
    }

    public static Command Acknowledge()
    {
        var id = IdArgument();
        var note = new Option<string?>("--note") { Description = "The mission's note (for example the reference it gave the complaint)." };
        var user = UserOption("The mission member acknowledging (recorded on the log).");
        var command = new Command("ack", "Record the monitoring mission's acknowledgement of a complaint (optional; at most once, not after the ruling).") { id, note, user };
        command.SetAction(CommandGuard.Guarded((parse, ct) => ChangeAsync(parse, parse.GetValue(id)!, (desk, c) => desk.Acknowledge(c, parse.GetValue(user)!, parse.GetValue(note)), ct)));
        return command;
    }

    public static Command Answer()
    {
        var id = IdArgument();
        var party = PartyOption("--party", "The party answering: only the accused party may.");
        var kind = new Option<string>("--kind") { Description = "denial, admission or counter_accusation.", Required = true };
        kind.AcceptOnlyFromAmong(Enum.GetValues<AnswerKind>().Select(ComplaintEvents.Code).ToArray());
        var text = TextOption("--text", "The answer's text, as given.");
        var reports = ReportsOption("With a counter_accusation: report keys (dataset:id) of its own, comma-separated.");
        var user = UserOption("Who records the answer (recorded on the log).");
        var command = new Command("answer", "Record the accused party's answer (once; accepted and flagged late after the deadline; not after the ruling).")
        {
            id, party, kind, text, reports, user,
        };
        command.SetAction(CommandGuard.Guarded(async (parse, ct) =>
        {
            var keys = SplitKeys(parse.GetValue(reports));
            var answerKind = Enum.GetValues<AnswerKind>().Single(k => ComplaintEvents.Code(k) == parse.GetValue(kind));
            return await ChangeAsync(parse, parse.GetValue(id)!,
                (desk, c) => desk.Answer(c, new PartyCode(parse.GetValue(party)!), answerKind, parse.GetValue(text)!, parse.GetValue(user)!, keys), ct, keys);
        }));
        return command;
    }

    public static Command Rule()
    {
        var id = IdArgument();
        var outcome = new Option<string>("--outcome") { Description = "upheld, rejected or inconclusive.", Required = true };
        outcome.AcceptOnlyFromAmong(Enum.GetValues<RulingOutcome>().Select(ComplaintEvents.Code).ToArray());
        var reasons = TextOption("--reasons", "Why: the evidence weighed and how.");
        var user = UserOption("The analyst ruling (recorded on the log).");
        var command = new Command("rule", "Rule on a complaint (needs the answer or a passed deadline; final).") { id, outcome, reasons, user };
        command.SetAction(CommandGuard.Guarded((parse, ct) =>
        {
            var ruling = Enum.GetValues<RulingOutcome>().Single(o => ComplaintEvents.Code(o) == parse.GetValue(outcome));
            return ChangeAsync(parse, parse.GetValue(id)!, (desk, c) => desk.Rule(c, ruling, parse.GetValue(reasons)!, parse.GetValue(user)!), ct);
        }));
        return command;
    }

    public static Command Show()
    {
        var id = IdArgument();
        var at = AtOption();
        var command = new Command("show", "Show a complaint and its full history (each step, who, when), as it stood at --at (default: now).") { id, at };
        command.SetAction(CommandGuard.Guarded(async (parse, ct) =>
        {
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            var (stored, code) = await ReadOneAsync(store, parse.GetValue(id)!, Console.Error, ct);
            if (stored is null)
            {
                return code;
            }
            var c = stored.Complaint;
            var now = parse.GetValue(at) ?? TimeProvider.System.GetUtcNow();
            if (now < c.FiledAt)
            {
                Console.Error.WriteLine($"error: complaint {c.Id} was filed at {Utc(c.FiledAt)}; it had no status at {Utc(now)}.");
                return ExitCodes.ValidationFailed;
            }
            Terminal.Out.MarkupLineInterpolated($"[bold]Complaint {c.Id.Value}[/]: {c.Complainant.Value} against {c.Accused.Value}");
            Console.WriteLine($"  about:     {About(c)}");
            Console.WriteLine($"  text:      {c.Text}");
            Console.WriteLine($"  agreement: {c.Filing.AgreementId ?? "(none recorded when it was filed)"}");
            Console.WriteLine($"  filed:     {Utc(c.FiledAt)} by {c.FiledBy}");
            Console.WriteLine($"  deadline:  {Utc(c.Deadline)} ({Hours(c.ResponsePeriod)}, {PeriodOrigin(c)})");
            Console.WriteLine($"  status at {Utc(now)}: {ComplaintEvents.Code(c.StatusAt(now))}");
            var table = new Table().AddColumns("#", "When (UTC)", "Step", "Who", "Details");
            var step = 0;
            var deadlineShown = false;
            foreach (var e in c.Events.Where(e => e.At <= now))
            {
                if (!deadlineShown && c.Deadline <= e.At && MissedDeadline(c, now))
                {
                    AddDeadlineRow(table, c);
                    deadlineShown = true;
                }
                table.AddRow((++step).ToString(CultureInfo.InvariantCulture), Utc(e.At), Step(e), Markup.Escape(e.By), Markup.Escape(Details(c, e)));
            }
            if (!deadlineShown && MissedDeadline(c, now))
            {
                AddDeadlineRow(table, c);
            }
            Terminal.Out.Write(table);
            var later = c.Events.Count(e => e.At > now);
            Console.WriteLine($"{step} step(s) recorded by {Utc(now)}{(later > 0 ? $"; {later} later step(s) not shown (see without --at)" : "")}.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Complaints()
    {
        var at = AtOption();
        var status = new Option<string?>("--status") { Description = $"Only complaints with this status at --at: {string.Join(", ", Statuses)}." };
        status.AcceptOnlyFromAmong(Statuses);
        var json = new Option<bool>("--json") { Description = "Write JSON (one object with every complaint) instead of a table." };
        var command = new Command("complaints", "List the complaints with their deadlines and their status at --at (default: now).") { at, status, json };
        command.SetAction(CommandGuard.Guarded(async (parse, ct) =>
        {
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            var now = parse.GetValue(at) ?? TimeProvider.System.GetUtcNow();
            var all = await ReadAllAsync(store, ct);
            foreach (var problem in all.Problems)
            {
                Console.Error.WriteLine($"error: {problem}");
            }
            var notYet = all.Complaints.Count(s => s.Complaint.FiledAt > now);
            var shown = all.Complaints.Where(s => s.Complaint.FiledAt <= now)
                .Where(s => parse.GetValue(status) is not { } wanted || ComplaintEvents.Code(s.Complaint.StatusAt(now)) == wanted)
                .Select(s => s.Complaint).ToList();
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(Json(shown, now));
            }
            else
            {
                var table = new Table().AddColumns("Complaint", "Complainant", "Accused", "Filed (UTC)", "Deadline (UTC)", "Period", "About", "Status");
                foreach (var c in shown)
                {
                    table.AddRow(Markup.Escape(c.Id.Value), c.Complainant.Value, c.Accused.Value, Utc(c.FiledAt), Utc(c.Deadline),
                        Hours(c.ResponsePeriod) + (c.ResponsePeriod.IsDefault ? " (default)" : " (agreement)"), Markup.Escape(About(c)), Markup.Escape(StatusText(c, now)));
                }
                Terminal.Out.Write(table);
                Console.WriteLine($"{shown.Count} complaint(s), status at {Utc(now)}{(notYet > 0 ? $"; {notYet} filed after that not shown" : "")}.");
            }
            return all.Problems.Count > 0 ? ExitCodes.ValidationFailed : ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>
    /// Appends the step <paramref name="after"/> was made by (its <see cref="global::Ceasefire.Complaints.Complaint.LastEvent"/>) to the
    /// complaint's stream, which must still be at <paramref name="expectedVersion"/>. When another writer got there
    /// first, prints why and returns <see cref="ExitCodes.ValidationFailed"/> with nothing written.
    /// </summary>
    internal static async Task<int> RecordAsync(IStore store, Complaint after, long expectedVersion, TextWriter err, bool numberedHere, CancellationToken ct)
    {
        var e = after.LastEvent;
        try
        {
            await store.AppendAsync(StreamOf(after.Id), LogEntryTypes.ComplaintEvent, ComplaintEvents.ToJson(e), e.By, expectedVersion, ct);
            return ExitCodes.Ok;
        }
        catch (StreamConcurrencyException)
        {
            err.WriteLine(expectedVersion == 0
                ? numberedHere
                    ? $"error: someone else filed complaint {after.Id} at the same moment; nothing was recorded. Run the command again: it will take the next number."
                    : $"error: someone else filed complaint {after.Id} at the same moment; nothing was recorded. Give another --id."
                : $"error: someone else changed complaint {after.Id} while this command ran; nothing was recorded. Run it again: it will see their change first.");
            return ExitCodes.ValidationFailed;
        }
    }

    /// <summary>A complaint replayed from its stream, with the stream's version (the number of steps on the log).</summary>
    internal sealed record StoredComplaint(Complaint Complaint, long Version);

    /// <summary>
    /// Replays complaint <paramref name="id"/> from the store; prints why and returns null with an exit code when it is
    /// not there or cannot be read back.
    /// </summary>
    internal static async Task<(StoredComplaint? Complaint, int Code)> ReadOneAsync(IStore store, string id, TextWriter err, CancellationToken ct)
    {
        var stream = StreamPrefix + id.Trim();
        var entries = new List<LogEntry>();
        await foreach (var e in store.ReadStreamsAsync(stream, ct))
        {
            if (e.Stream == stream && e.Type == LogEntryTypes.ComplaintEvent)
            {
                entries.Add(e);
            }
        }
        if (entries.Count == 0)
        {
            err.WriteLine($"error: the store holds no complaint '{id.Trim()}' (ceasefire complaints lists them).");
            return (null, ExitCodes.NotFound);
        }
        try
        {
            return (Replay(entries), ExitCodes.Ok);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            err.WriteLine($"error: complaint '{id.Trim()}' cannot be read back from the log: {e.Message}");
            return (null, ExitCodes.ValidationFailed);
        }
    }

    private static async Task<int> ChangeAsync(ParseResult parse, string id, Func<ComplaintDesk, Complaint, Complaint> change, CancellationToken ct, IReadOnlyList<string>? reportKeys = null)
    {
        await using var store = await StoreOptions.OpenAsync(parse, ct);
        if (store is null)
        {
            return ExitCodes.StoreUnavailable;
        }
        var (stored, code) = await ReadOneAsync(store, id, Console.Error, ct);
        if (stored is null)
        {
            return code;
        }
        Complaint after;
        try
        {
            after = change(new ComplaintDesk(TimeProvider.System), stored.Complaint);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {Message(e)} Nothing was recorded.");
            return ExitCodes.ValidationFailed;
        }
        if (reportKeys is { Count: > 0 } && !await ReferencesExistAsync(store, reportKeys, null, Console.Error, ct))
        {
            return ExitCodes.ValidationFailed;
        }
        code = await RecordAsync(store, after, stored.Version, Console.Error, numberedHere: false, ct);
        if (code == ExitCodes.Ok)
        {
            var e = after.LastEvent;
            Console.WriteLine($"Complaint {after.Id}: {Step(e)} at {Utc(e.At)} by {e.By}.");
            if (Details(after, e) is { Length: > 0 } details)
            {
                Console.WriteLine("  " + details);
            }
            Console.WriteLine($"Status now: {StatusText(after, e.At)}.");
        }
        return code;
    }

    private sealed record AllComplaints(IReadOnlyList<StoredComplaint> Complaints, IReadOnlySet<string> Streams, IReadOnlyList<string> Problems);

    /// <summary>
    /// <c>ceasefire complaint import FILE</c>: complaints kept elsewhere (a liaison office's register, another mission's
    /// store), one event a line in the JSON the log keeps (docs/complaints.md). Each complaint is replayed through the
    /// lifecycle's rules before anything is written; a complaint with a bad line or a broken rule is rejected whole
    /// (file, line and reason printed), the others are recorded; a complaint already in the store is skipped.
    /// </summary>
    public static Command Import()
    {
        var file = new Argument<FileInfo>("file") { Description = "JSON Lines: one complaint event a line (kind complaint_filed, complaint_acknowledged, complaint_answered, complaint_ruled)." };
        var command = new Command("import", "Import complaints (JSON Lines of complaint events), checked against the lifecycle's rules.") { file };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                Console.Error.WriteLine($"error: {path.FullName} not found.");
                return ExitCodes.NotFound;
            }
            var events = new List<(int Line, ComplaintEvent Event)>();
            var bad = new Dictionary<string, string>(StringComparer.Ordinal);
            var problems = 0;
            var n = 0;
            foreach (var line in await System.IO.File.ReadAllLinesAsync(path.FullName, ct))
            {
                n++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }
                try
                {
                    events.Add((n, ComplaintEvents.FromJson(line)));
                }
                catch (JsonException e)
                {
                    problems++;
                    Console.Error.WriteLine($"{path.Name}:{n}: error complaint.event: {e.Message}");
                    if (TryId(line) is { } id)
                    {
                        bad[id] = $"line {n} is not a valid event";
                    }
                }
            }
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            var existing = (await ReadAllAsync(store, ct)).Streams;
            int imported = 0, skipped = 0, rejected = 0;
            foreach (var group in events.GroupBy(e => e.Event.ComplaintId.Value))
            {
                if (bad.TryGetValue(group.Key, out var why))
                {
                    rejected++;
                    Console.Error.WriteLine($"{path.Name}: complaint {group.Key} rejected: {why}.");
                    continue;
                }
                if (existing.Contains(StreamPrefix + group.Key))
                {
                    skipped++;
                    continue;
                }
                Complaint complaint;
                try
                {
                    complaint = global::Ceasefire.Complaints.Complaint.Replay(group.Select(g => g.Event));
                }
                catch (Exception e) when (e is InvalidOperationException or ArgumentException)
                {
                    rejected++;
                    Console.Error.WriteLine($"{path.Name}:{group.First().Line}: complaint {group.Key} rejected: {e.Message}");
                    continue;
                }
                var version = 0L;
                foreach (var e in complaint.Events)
                {
                    await store.AppendAsync(StreamPrefix + group.Key, LogEntryTypes.ComplaintEvent, ComplaintEvents.ToJson(e), e.By, version, ct);
                    version++;
                }
                imported++;
            }
            Console.WriteLine($"{path.Name}: {imported} complaint(s) imported, {skipped} already in the store, {rejected} rejected; {problems} bad line(s).");
            return rejected + problems > 0 ? (imported > 0 ? ExitCodes.PartialSuccess : ExitCodes.ValidationFailed) : ExitCodes.Ok;
        });
        return command;

        static string? TryId(string line)
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                return doc.RootElement.TryGetProperty("complaint_id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    private static async Task<AllComplaints> ReadAllAsync(IStore store, CancellationToken ct)
    {
        var byStream = new Dictionary<string, List<LogEntry>>(StringComparer.Ordinal);
        await foreach (var e in store.ReadStreamsAsync(StreamPrefix, ct))
        {
            if (e.Type != LogEntryTypes.ComplaintEvent)
            {
                continue;
            }
            if (!byStream.TryGetValue(e.Stream, out var list))
            {
                byStream[e.Stream] = list = [];
            }
            list.Add(e);
        }
        var complaints = new List<StoredComplaint>();
        var problems = new List<string>();
        foreach (var (stream, entries) in byStream)
        {
            try
            {
                complaints.Add(Replay(entries));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                problems.Add($"complaint '{stream[StreamPrefix.Length..]}' cannot be read back from the log: {e.Message}");
            }
        }
        var ordered = complaints.OrderBy(s => s.Complaint.FiledAt).ThenBy(s => s.Complaint.Id.Value, StringComparer.Ordinal).ToList();
        return new AllComplaints(ordered, byStream.Keys.ToHashSet(StringComparer.Ordinal), problems);
    }

    private static StoredComplaint Replay(List<LogEntry> entries)
    {
        var ordered = entries.OrderBy(e => e.Version).ToList();
        return new StoredComplaint(global::Ceasefire.Complaints.Complaint.Replay(ordered.Select(e => ComplaintEvents.FromJson(e.Data))), ordered[^1].Version);
    }

    private static string StreamOf(ComplaintId id) => StreamPrefix + id.Value;

    /// <summary>The next C-0001-style id: one more than the highest C-number in the store.</summary>
    private static string NextId(IEnumerable<string> streams)
    {
        var highest = 0;
        foreach (var s in streams)
        {
            var id = s[StreamPrefix.Length..];
            if (id.StartsWith("C-", StringComparison.Ordinal) && int.TryParse(id[2..], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                highest = Math.Max(highest, n);
            }
        }
        return $"C-{highest + 1:0000}";
    }

    /// <summary>The agreement that gives the response period, and a phrase saying where the period came from.</summary>
    private sealed record PeriodSource(Agreement? Agreement, string Origin);

    /// <summary>
    /// The latest version of the agreement recorded in the store (the one <paramref name="agreementId"/> names when it
    /// holds several); a source with no agreement when it holds none. Prints why and returns null when it cannot tell.
    /// </summary>
    private static async Task<PeriodSource?> AgreementAsync(IStore store, string? agreementId, TextWriter err, CancellationToken ct)
    {
        var versions = new List<Agreement>();
        foreach (var doc in await store.AgreementFilesAsync(ct))
        {
            // Zones are not needed for the response period: the stored files were checked against theirs when recorded.
            var result = AgreementFileReader.Parse(doc.Text, doc.Name, knownZones: null, checkZoneFiles: false);
            if (result.Value is null)
            {
                Inputs.Print(result.Problems, err);
                err.WriteLine($"error: the agreement file {doc.Name} recorded in the store cannot be read; nothing was recorded.");
                return null;
            }
            versions.AddRange(result.Value.Versions);
        }
        var ids = versions.Select(v => v.Id).Distinct().ToList();
        if (ids.Count == 0)
        {
            if (agreementId is not null)
            {
                err.WriteLine($"error: the store holds no agreement '{agreementId}' (it holds none). Nothing was recorded.");
                return null;
            }
            return new PeriodSource(null, "(the default: the store holds no agreement)");
        }
        var id = agreementId ?? (ids.Count == 1 ? ids[0] : null);
        if (id is null || !ids.Contains(id))
        {
            err.WriteLine($"error: {(id is null ? "the store holds several agreements" : $"the store holds no agreement '{id}'")} ({string.Join(", ", ids)}): " +
                "choose the one the complaint is made under with --agreement-id. Nothing was recorded.");
            return null;
        }
        // The latest version; a version recorded twice counts as last recorded.
        var latest = versions.Where(v => v.Id == id).GroupBy(v => v.Version).Select(g => g.Last()).MaxBy(v => v.Version)!;
        return new PeriodSource(latest, latest.ComplaintResponsePeriod is null
            ? $"(the default: agreement {latest.Id} version {latest.Version} sets no complaints.response_period)"
            : $"(complaints.response_period of agreement {latest.Id} version {latest.Version})");
    }

    private static async Task<bool> ReferencesExistAsync(IStore store, IReadOnlyList<string> keys, string? incident, TextWriter err, CancellationToken ct)
    {
        var ok = true;
        foreach (var key in keys)
        {
            if ((await store.ReportHistoryAsync(key, ct)).Count == 0)
            {
                err.WriteLine($"error: report '{key}' is not in the store (ceasefire reports lists them; import it first). Nothing was recorded.");
                ok = false;
            }
        }
        if (incident is not null && (await store.QueryIncidentsAsync(new IncidentQuery(Id: incident, Limit: 1), ct)).Count == 0)
        {
            err.WriteLine($"error: incident '{incident}' is not in the store. Nothing was recorded.");
            ok = false;
        }
        return ok;
    }

    private static string PeriodOrigin(Complaint c) =>
        !c.ResponsePeriod.IsDefault ? $"from agreement {c.Filing.AgreementId}'s complaints.response_period"
        : c.Filing.AgreementId is { } a ? $"the default: agreement {a} set none"
        : "the default: no agreement was recorded when it was filed";

    private static bool MissedDeadline(Complaint c, DateTimeOffset now) =>
        now >= c.Deadline && !(c.Answer is { } a && a.At < c.Deadline) && !(c.Ruling is { } r && r.At < c.Deadline);

    private static void AddDeadlineRow(Table table, Complaint c) =>
        table.AddRow("-", Utc(c.Deadline), "deadline passed", "-",
            Markup.Escape($"no answer from {c.Accused} within {Hours(c.ResponsePeriod)}{(c.ResponsePeriod.IsDefault ? " (default)" : "")}"));

    private static string Step(ComplaintEvent e) => e switch
    {
        ComplaintFiled => "filed",
        ComplaintAcknowledged => "acknowledged",
        ComplaintAnswered => "answered",
        ComplaintRuled => "ruled",
        _ => e.Kind,
    };

    private static string Details(Complaint c, ComplaintEvent e) => e switch
    {
        ComplaintFiled f => $"{f.Complainant} against {f.Accused}; {About(c)}; deadline {Utc(f.Deadline)}",
        ComplaintAcknowledged a => a.Note ?? "",
        ComplaintAnswered a => $"{a.Party}: {ComplaintEvents.Code(a.AnswerKind)}{(a.At >= c.Deadline ? " (late)" : "")}: {a.Text}" +
            (a.CounterReportKeys.Count > 0 ? $" (reports named: {string.Join(", ", a.CounterReportKeys)})" : ""),
        ComplaintRuled r => $"{ComplaintEvents.Code(r.Outcome)}: {r.Reasons}",
        _ => "",
    };

    private static string StatusText(Complaint c, DateTimeOffset now)
    {
        var status = c.StatusAt(now);
        var code = ComplaintEvents.Code(status);
        return status switch
        {
            ComplaintStatus.Answered when c.Answer is { } a => $"{code} ({ComplaintEvents.Code(a.AnswerKind)}{(c.AnswerIsLate ? ", late" : "")})",
            ComplaintStatus.Ruled when c.Ruling is { } r => $"{code} ({ComplaintEvents.Code(r.Outcome)})",
            _ => code,
        };
    }

    private static string About(Complaint c) =>
        string.Join("; ", new[]
        {
            c.ReportKeys.Count > 0 ? "reports " + string.Join(", ", c.ReportKeys) : null,
            c.Incident is { } i ? "incident " + i.Value : null,
        }.Where(s => s is not null));

    private static string Json(IReadOnlyList<Complaint> complaints, DateTimeOffset now)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("at", Iso(now));
            w.WriteStartArray("complaints");
            foreach (var c in complaints)
            {
                w.WriteStartObject();
                w.WriteString("id", c.Id.Value);
                w.WriteString("complainant", c.Complainant.Value);
                w.WriteString("accused", c.Accused.Value);
                w.WriteStartArray("report_keys");
                foreach (var k in c.ReportKeys)
                {
                    w.WriteStringValue(k);
                }
                w.WriteEndArray();
                w.WriteString("incident_id", c.Incident?.Value);
                w.WriteString("text", c.Text);
                w.WriteString("agreement_id", c.Filing.AgreementId);
                w.WriteString("filed_at", Iso(c.FiledAt));
                w.WriteString("filed_by", c.FiledBy);
                w.WriteString("deadline", Iso(c.Deadline));
                w.WriteString("response_period", System.Xml.XmlConvert.ToString(c.ResponsePeriod.Length));
                w.WriteString("response_period_source", ComplaintEvents.Code(c.ResponsePeriod.Source));
                w.WriteBoolean("response_period_is_default", c.ResponsePeriod.IsDefault);
                w.WriteString("status", ComplaintEvents.Code(c.StatusAt(now)));
                var answer = c.Answer is { } a && a.At <= now ? a : null;
                if (answer is null)
                {
                    w.WriteNull("answer");
                }
                else
                {
                    w.WriteStartObject("answer");
                    w.WriteString("party", answer.Party.Value);
                    w.WriteString("kind", ComplaintEvents.Code(answer.AnswerKind));
                    w.WriteString("at", Iso(answer.At));
                    w.WriteString("by", answer.By);
                    w.WriteBoolean("late", c.AnswerIsLate);
                    w.WriteString("text", answer.Text);
                    w.WriteStartArray("counter_report_keys");
                    foreach (var k in answer.CounterReportKeys)
                    {
                        w.WriteStringValue(k);
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                var ruling = c.Ruling is { } r && r.At <= now ? r : null;
                if (ruling is null)
                {
                    w.WriteNull("ruling");
                }
                else
                {
                    w.WriteStartObject("ruling");
                    w.WriteString("outcome", ComplaintEvents.Code(ruling.Outcome));
                    w.WriteString("at", Iso(ruling.At));
                    w.WriteString("by", ruling.By);
                    w.WriteString("reasons", ruling.Reasons);
                    w.WriteEndObject();
                }
                w.WriteNumber("steps", c.Events.Count(e => e.At <= now));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static Argument<string> IdArgument()
    {
        var id = new Argument<string>("ID") { Description = "The complaint's id (ceasefire complaints lists them)." };
        id.Validators.Add(r =>
        {
            if (string.IsNullOrWhiteSpace(r.GetValueOrDefault<string>()))
            {
                r.AddError("ID: give the complaint's id, such as C-0001.");
            }
        });
        return id;
    }

    private static Option<string> PartyOption(string name, string description)
    {
        var option = new Option<string>(name) { Description = description, Required = true };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is { } v && !PartyCode.IsValid(v))
            {
                r.AddError($"{name}: '{v}' is not a party code (1-16 upper-case letters, digits, '-' or '_'; for example RU, UA).");
            }
        });
        return option;
    }

    private static Option<string> TextOption(string name, string description)
    {
        var option = new Option<string>(name) { Description = description, Required = true };
        option.Validators.Add(r =>
        {
            if (string.IsNullOrWhiteSpace(r.GetValueOrDefault<string>()))
            {
                r.AddError($"{name} must not be empty.");
            }
        });
        return option;
    }

    private static Option<string[]> ReportsOption(string description) => new("--reports") { Description = description };

    private static Option<string> UserOption(string description)
    {
        var option = new Option<string>("--user")
        {
            Description = description + " Default: the login name.",
            DefaultValueFactory = _ => string.IsNullOrWhiteSpace(Environment.UserName) ? "unknown" : Environment.UserName,
        };
        option.Validators.Add(r =>
        {
            if (string.IsNullOrWhiteSpace(r.GetValueOrDefault<string>()))
            {
                r.AddError("--user must not be empty.");
            }
        });
        return option;
    }

    private static Option<DateTimeOffset?> AtOption() => new("--at")
    {
        Description = "The instant to show the status at (ISO 8601, e.g. 2025-04-23T09:00:00+03:00; without an offset: UTC). Default: now.",
        CustomParser = ParseInstant,
    };

    /// <summary>An ISO 8601 instant; a time without an offset is UTC (never the machine's local time).</summary>
    internal static DateTimeOffset? ParseInstant(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return at;
        }
        result.AddError($"'{text}' is not an instant: write 2025-04-23T09:00:00+03:00 or 2025-04-23T06:00:00Z.");
        return null;
    }

    private static IReadOnlyList<string> SplitKeys(string[]? values) =>
        (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();

    /// <summary>The exception's message without the " (Parameter 'x')" tail <see cref="ArgumentException"/> adds.</summary>
    private static string Message(Exception e)
    {
        if (e is ArgumentException { ParamName: { } p } && e.Message.EndsWith($" (Parameter '{p}')", StringComparison.Ordinal))
        {
            return e.Message[..^$" (Parameter '{p}')".Length];
        }
        return e.Message;
    }

    /// <summary>A period as people write it: "72h" for whole hours, else ISO 8601 (PT1H30M, PT5S).</summary>
    private static string Hours(ResponsePeriod period) =>
        period.Length.Ticks % TimeSpan.TicksPerHour == 0
            ? (period.Length.Ticks / TimeSpan.TicksPerHour).ToString(CultureInfo.InvariantCulture) + "h"
            : System.Xml.XmlConvert.ToString(period.Length);

    internal static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}

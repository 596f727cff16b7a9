using System.Text.Json;
using Ceasefire.Claims;
using Ceasefire.Complaints;
using Ceasefire.Import.Claims;
using Ceasefire.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ceasefire.Web.Apis;

/// <summary>
/// <c>/api/claims</c> and <c>/api/complaints</c>: the parties' aggregate claims (kept apart from incidents; a running
/// total is never summed) and the formal complaints replayed from their log streams.
/// </summary>
internal static class ClaimsApi
{
    private const string ComplaintStreamPrefix = "complaint:";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/claims", ClaimsAsync).WithTags("Claims").WithName("ListClaims").RequireAuthorization(Policies.Public)
            .WithSummary("The parties' aggregate claims, series by series, with each series' total (the latest running total for a cumulative series, never a sum of them).");
        api.MapGet("/complaints", ComplaintsAsync).WithTags("Complaints").WithName("ListComplaints").RequireAuthorization(Policies.Liaison)
            .WithSummary("The formal complaints filed by the time 'at' (default now), each with its deadline and its status at that time.");
        api.MapPost("/complaints", FileAsync).WithTags("Complaints").WithName("FileComplaint").RequireAuthorization(Policies.Liaison)
            .WithSummary("File a formal complaint: a liaison files for its own party; its deadline comes from the store's agreement (72 h by default).");
    }

    /// <summary>A complaint as filed through the API.</summary>
    /// <param name="Accused">The party complained about.</param>
    /// <param name="ReportKeys">Reports it is about.</param>
    /// <param name="IncidentId">The incident it is about, if any.</param>
    /// <param name="Text">What the party complains of.</param>
    /// <param name="Complainant">The complaining party: a liaison's own party (which it may leave out); required of analysts.</param>
    internal sealed record ComplaintRequest(string? Accused, IReadOnlyList<string>? ReportKeys, string? IncidentId, string? Text, string? Complainant = null);

    private static async Task<Results<Created<ComplaintView>, ValidationProblem, ProblemHttpResult>> FileAsync(
        ComplaintRequest body, HttpRequest request, StoreAccess store, TimeProvider clock, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct)
    {
        var errors = new RequestErrors();
        errors.OnlyKnown(request);
        var liaisonParty = user.IsInRole("liaison") ? user.FindFirst(Policies.PartyClaim)?.Value : null;
        var complainant = errors.Party("$.complainant", body.Complainant) ?? liaisonParty;
        var accused = errors.Party("$.accused", body.Accused);
        if (liaisonParty is not null && complainant != liaisonParty)
        {
            errors.Add("$.complainant", $"A liaison files complaints for its own party ({liaisonParty}).");
        }
        if (complainant is null)
        {
            errors.Add("$.complainant", "Name the complaining party (a party code such as UA).");
        }
        if (accused is null)
        {
            errors.Add("$.accused", "Name the party complained about (a party code such as RU).");
        }
        var keys = (body.ReportKeys ?? []).Select(k => k?.Trim() ?? "").ToList();
        foreach (var (k, i) in keys.Select((k, i) => (k, i)))
        {
            if (!RequestErrors.IsIdentifier(k))
            {
                errors.Add($"$.report_keys[{i}]", "A report key is dataset:id (letters, digits and _ - . : # /).");
            }
        }
        var incident = body.IncidentId?.Trim() is { Length: > 0 } inc ? inc : null;
        if (incident is not null && !RequestErrors.IsIdentifier(incident))
        {
            errors.Add("$.incident_id", "An incident id is inc:dataset:id.");
        }
        if (keys.Count == 0 && incident is null)
        {
            errors.Add("$.report_keys", "A complaint is about at least one report or an incident.");
        }
        if (string.IsNullOrWhiteSpace(body.Text) || body.Text.Length > 20_000)
        {
            errors.Add("$.text", "Say what the complaint is about (at most 20,000 characters).");
        }
        if (errors.Any)
        {
            return errors.Problem();
        }
        var result = await store.WriteAsync<(Complaint? Filed, string? Problem)>(async s =>
        {
            foreach (var k in keys)
            {
                if ((await s.ReportHistoryAsync(k, ct).ConfigureAwait(false)).Count == 0)
                {
                    return (null, $"The store holds no report '{k}'.");
                }
            }
            var streams = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var e in s.ReadStreamsAsync(ComplaintStreamPrefix, ct).ConfigureAwait(false))
            {
                streams.Add(e.Stream);
            }
            var number = streams.Select(x => x[ComplaintStreamPrefix.Length..]).Where(x => x.StartsWith("C-", StringComparison.Ordinal) && int.TryParse(x[2..], out _))
                .Select(x => int.Parse(x[2..], System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max() + 1;
            var agreement = await LatestAgreementAsync(s, ct).ConfigureAwait(false);
            var filed = new ComplaintDesk(clock).File(new ComplaintId($"C-{number:0000}"), new Parties.PartyCode(complainant!), new Parties.PartyCode(accused!),
                keys, incident is null ? null : new Incidents.IncidentId(incident), body.Text!.Trim(), user.Identity?.Name ?? "api", agreement);
            await s.AppendAsync(ComplaintStreamPrefix + filed.Id.Value, LogEntryTypes.ComplaintEvent, ComplaintEvents.ToJson(filed.LastEvent), filed.LastEvent.By, 0, ct).ConfigureAwait(false);
            return (filed, null);
        }, ct).ConfigureAwait(false);
        if (result.Filed is not { } complaint)
        {
            return RequestErrors.One("$.report_keys", result.Problem!);
        }
        return TypedResults.Created($"/api/complaints?id={Uri.EscapeDataString(complaint.Id.Value)}", ComplaintView.Of(complaint, clock.GetUtcNow()));
    }

    private static async Task<Agreements.Agreement?> LatestAgreementAsync(IStore s, CancellationToken ct)
    {
        var versions = new List<Agreements.Agreement>();
        foreach (var doc in await s.AgreementFilesAsync(ct).ConfigureAwait(false))
        {
            if (Import.Agreements.AgreementFileReader.Parse(doc.Text, doc.Name, knownZones: null, checkZoneFiles: false).Value is { } file)
            {
                versions.AddRange(file.Versions);
            }
        }
        return versions.Count == 0 || versions.Select(v => v.Id).Distinct().Count() > 1 ? null : versions.MaxBy(v => v.Version);
    }

    private static async Task<Results<Ok<List<ClaimSeriesView>>, ValidationProblem>> ClaimsAsync(HttpRequest request, StoreAccess store, CancellationToken ct)
    {
        var errors = new RequestErrors();
        errors.OnlyKnown(request);
        if (errors.Any)
        {
            return errors.Problem();
        }
        var docs = await store.UseAsync(s => s.DocumentsAsync("claims", ct), ct).ConfigureAwait(false);
        var views = new List<ClaimSeriesView>();
        foreach (var doc in docs)
        {
            var result = ClaimsFileReader.Parse(doc.Text, doc.Name);
            if (result.Value is null)
            {
                continue;
            }
            foreach (var s in result.Value.Series)
            {
                ClaimTotalView? total = null;
                string? note = null;
                try
                {
                    var t = s.Total;
                    total = new ClaimTotalView(t.Count, Code(t.Qualifier), Code(t.Basis), t.Claims.Select(c => c.Id.Value).ToList(), t.ToString());
                }
                catch (InvalidOperationException e)
                {
                    note = e.Message;
                }
                views.Add(new ClaimSeriesView(doc.Name, s.Id.Value, s.Claimant.Value, s.Accused.Value, s.Latest.Subject,
                    new PeriodView(s.Claims.Min(c => c.PeriodFrom), s.Claims.Max(c => c.PeriodTo)), s.IsCumulative,
                    s.Claims.Select(c => new ClaimView(c.Id.Value, c.AsOf, c.Count, Code(c.Qualifier), c.CountText, new PeriodView(c.PeriodFrom, c.PeriodTo), c.Subject,
                        c.Breakdown.Select(b => new BreakdownView(b.Key, b.Value)).ToList(), c.SourceName, c.SourceUrl?.ToString(), c.Notes)).ToList(),
                    total, note));
            }
        }
        return TypedResults.Ok(views);
    }

    private static async Task<Results<Ok<ComplaintsView>, ValidationProblem>> ComplaintsAsync(
        HttpRequest request, StoreAccess store, TimeProvider clock, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct, [FromQuery] string? at = null)
    {
        var errors = new RequestErrors();
        errors.OnlyKnown(request, "at");
        var when = errors.Time("at", at);
        if (errors.Any)
        {
            return errors.Problem();
        }
        var now = when ?? clock.GetUtcNow();
        var entries = await store.UseAsync(async s =>
        {
            var list = new List<LogEntry>();
            await foreach (var e in s.ReadStreamsAsync(ComplaintStreamPrefix, ct).ConfigureAwait(false))
            {
                if (e.Type == LogEntryTypes.ComplaintEvent)
                {
                    list.Add(e);
                }
            }
            return list;
        }, ct).ConfigureAwait(false);
        var complaints = new List<Complaint>();
        foreach (var stream in entries.GroupBy(e => e.Stream))
        {
            try
            {
                complaints.Add(Complaint.Replay(stream.OrderBy(e => e.Version).Select(e => ComplaintEvents.FromJson(e.Data))));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
            {
                // A stream that cannot be replayed is left out; `ceasefire complaints` names it.
            }
        }
        // A party's liaison sees the complaints its party filed, and those against its party once the mission has
        // acknowledged (published) them; nothing else of the other parties'.
        var party = user.IsInRole("liaison") ? user.FindFirst(Policies.PartyClaim)?.Value : null;
        var shown = complaints.Where(c => c.FiledAt <= now && (party is null || c.Filing.Complainant.Value == party
            || (c.Filing.Accused.Value == party && c.Acknowledgement is { } ack && ack.At <= now))).OrderBy(c => c.FiledAt).ThenBy(c => c.Id.Value, StringComparer.Ordinal)
            .Select(c => ComplaintView.Of(c, now)).ToList();
        return TypedResults.Ok(new ComplaintsView(now.ToUniversalTime(), shown));
    }

    private static string Code<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}

/// <summary>A series of aggregate claims by one claimant about one accused party.</summary>
internal sealed record ClaimSeriesView(
    string Document, string Id, string Claimant, string Accused, string Subject, PeriodView Period, bool Cumulative, IReadOnlyList<ClaimView> Claims,
    ClaimTotalView? Total, string? TotalNote);

/// <summary>A half-open period [from, to).</summary>
internal sealed record PeriodView(DateTimeOffset From, DateTimeOffset To);

/// <summary>One claim: as of when, how many (with its qualifier), the breakdown as given, the source.</summary>
internal sealed record ClaimView(
    string Id, DateTimeOffset AsOf, long Count, string Qualifier, string CountText, PeriodView Period, string Subject, IReadOnlyList<BreakdownView> Breakdown,
    string Source, string? Url, string? Notes);

/// <summary>One part of a breakdown.</summary>
internal sealed record BreakdownView(string Label, int Count);

/// <summary>A series' total and how it was reached (latest running total, or sum of periods).</summary>
internal sealed record ClaimTotalView(long Count, string Qualifier, string Basis, IReadOnlyList<string> Claims, string Text);

/// <summary>The complaints at a time.</summary>
internal sealed record ComplaintsView(DateTimeOffset At, IReadOnlyList<ComplaintView> Complaints);

/// <summary>A complaint and its status at a time.</summary>
internal sealed record ComplaintView(
    string Id, string Complainant, string Accused, IReadOnlyList<string> ReportKeys, string? IncidentId, string Text, string? AgreementId,
    DateTimeOffset FiledAt, string FiledBy, DateTimeOffset Deadline, double ResponsePeriodHours, bool ResponsePeriodIsDefault, string Status,
    ComplaintAnswerView? Answer, ComplaintRulingView? Ruling)
{
    public static ComplaintView Of(Complaint c, DateTimeOffset now)
    {
        var answer = c.Answer is { } a && a.At <= now
            ? new ComplaintAnswerView(a.Party.Value, ComplaintEvents.Code(a.AnswerKind), a.At, a.By, c.AnswerIsLate, a.Text, a.CounterReportKeys)
            : null;
        var ruling = c.Ruling is { } r && r.At <= now ? new ComplaintRulingView(ComplaintEvents.Code(r.Outcome), r.At, r.By, r.Reasons) : null;
        return new ComplaintView(c.Id.Value, c.Complainant.Value, c.Accused.Value, c.ReportKeys, c.Incident?.Value, c.Text, c.Filing.AgreementId,
            c.FiledAt, c.FiledBy, c.Deadline, c.ResponsePeriod.Length.TotalHours, c.ResponsePeriod.IsDefault, ComplaintEvents.Code(c.StatusAt(now)), answer, ruling);
    }
}

/// <summary>The accused party's answer.</summary>
internal sealed record ComplaintAnswerView(string Party, string Kind, DateTimeOffset At, string By, bool Late, string? Text, IReadOnlyList<string> CounterReportKeys);

/// <summary>The ruling.</summary>
internal sealed record ComplaintRulingView(string Outcome, DateTimeOffset At, string By, string Reasons);

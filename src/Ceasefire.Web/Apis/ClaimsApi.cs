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
        // A party's liaison sees the complaints its party filed or must answer, nothing of the other parties'.
        var party = user.IsInRole("liaison") ? user.FindFirst(Policies.PartyClaim)?.Value : null;
        var shown = complaints.Where(c => c.FiledAt <= now && (party is null || c.Filing.Complainant.Value == party || c.Filing.Accused.Value == party)).OrderBy(c => c.FiledAt).ThenBy(c => c.Id.Value, StringComparer.Ordinal)
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

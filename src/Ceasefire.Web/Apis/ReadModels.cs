using Ceasefire.Import.Export;
using Ceasefire.Storage;

namespace Ceasefire.Web.Apis;

/// <summary>
/// The lookups of <see cref="ReadModels"/>, computed once per state of the store (its last log sequence) instead of on
/// every request: a list request would otherwise read every finding. Requests use it at once (and, with a read
/// replica, over stores at different sequences): each state is one immutable snapshot, swapped whole.
/// </summary>
internal sealed class ReadModelCache
{
    private Snapshot? _current;

    /// <summary>Worst verdict per report, worst verdict per incident, and the incident of each report.</summary>
    public async Task<(IReadOnlyDictionary<string, string> WorstReports, IReadOnlyDictionary<string, string> WorstIncidents, IReadOnlyDictionary<string, string> IncidentOf)> GetAsync(IStore store, CancellationToken ct)
    {
        var sequence = await store.LastSequenceAsync(ct).ConfigureAwait(false);
        var current = Volatile.Read(ref _current);
        if (current is null || current.Sequence != sequence)
        {
            current = new Snapshot(sequence,
                await ReadModels.WorstVerdictsAsync(store, incidents: false, ct).ConfigureAwait(false),
                await ReadModels.WorstVerdictsAsync(store, incidents: true, ct).ConfigureAwait(false),
                await ReadModels.IncidentOfReportAsync(store, ct).ConfigureAwait(false));
            Volatile.Write(ref _current, current);
        }
        return (current.WorstReports, current.WorstIncidents, current.IncidentOf);
    }

    private sealed record Snapshot(long Sequence, Dictionary<string, string> WorstReports, Dictionary<string, string> WorstIncidents, Dictionary<string, string> IncidentOf);
}

/// <summary>Lookups over the store's read models that several endpoints need: worst verdicts and incident membership.</summary>
internal static class ReadModels
{
    /// <summary>The most serious verdict of each subject's findings (report keys; incident ids, sides <c>ID#PARTY</c> folded into the incident).</summary>
    public static async Task<Dictionary<string, string>> WorstVerdictsAsync(IStore store, bool incidents, CancellationToken ct)
    {
        var worst = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in await store.QueryFindingsAsync(new FindingQuery(Limit: int.MaxValue), ct).ConfigureAwait(false))
        {
            if (IsIncident(f.ReportKey) != incidents)
            {
                continue;
            }
            var subject = incidents ? IncidentOf(f.ReportKey) : f.ReportKey;
            if (!worst.TryGetValue(subject, out var v) || StoreExport.Severity(f.Verdict) < StoreExport.Severity(v))
            {
                worst[subject] = f.Verdict;
            }
        }
        return worst;
    }

    /// <summary>The incident each report belongs to.</summary>
    public static async Task<Dictionary<string, string>> IncidentOfReportAsync(IStore store, CancellationToken ct)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var i in await store.QueryIncidentsAsync(new IncidentQuery(Limit: int.MaxValue), ct).ConfigureAwait(false))
        {
            foreach (var m in i.Members)
            {
                map.TryAdd(m, i.Id);
            }
        }
        return map;
    }

    /// <summary>True for a finding's subject that is an incident (<c>inc:...</c>).</summary>
    public static bool IsIncident(string subject) => subject.StartsWith("inc:", StringComparison.Ordinal);

    /// <summary>The incident of a subject: <c>inc:X#RU</c> is <c>inc:X</c>.</summary>
    public static string IncidentOf(string subject)
    {
        var hash = subject.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? subject : subject[..hash];
    }
}

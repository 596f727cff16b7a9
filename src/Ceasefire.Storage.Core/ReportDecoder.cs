using Ceasefire.Incidents;

namespace Ceasefire.Storage.Core;

/// <summary>
/// Reports read back from the log entries that hold them: the store adds each entry's stored bytes as it reads them
/// (on its own thread), and every <see cref="BatchSize"/> entries are inflated and their reports parsed on all cores;
/// <paramref name="found"/> gets each report with the index the store gave it. <see cref="Flush"/> decodes the rest.
/// </summary>
internal sealed class ReportDecoder(Action<int, Incident> found, CancellationToken ct)
{
    /// <summary>Entries decoded together.</summary>
    public const int BatchSize = 32;

    private readonly List<(long Seq, string Encoding, byte[] Bytes, IReadOnlyList<(int Index, int Start, int Length)> Reports)> _pending = new(BatchSize);

    /// <summary>Adds an entry's stored bytes and where its reports lie in the decoded bytes.</summary>
    public void Add(long sequence, string encoding, byte[] bytes, IReadOnlyList<(int Index, int Start, int Length)> reports)
    {
        _pending.Add((sequence, encoding, bytes, reports));
        if (_pending.Count == BatchSize)
        {
            Flush();
        }
    }

    /// <summary>Decodes the entries added since the last batch.</summary>
    public void Flush()
    {
        Parallel.ForEach(_pending, new ParallelOptions { CancellationToken = ct }, e =>
        {
            var payload = PayloadCodec.Decode(e.Bytes, e.Encoding, e.Seq);
            foreach (var (index, start, length) in e.Reports)
            {
                found(index, IncidentJson.ReadUtf8(payload.AsSpan(start, length)));
            }
        });
        _pending.Clear();
    }
}

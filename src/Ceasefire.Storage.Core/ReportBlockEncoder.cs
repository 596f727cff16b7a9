using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Ceasefire.Incidents;

namespace Ceasefire.Storage.Core;

/// <summary>
/// The reading side of an import: cuts the reports into blocks (one <c>reports.received</c> entry each), encodes every
/// block on all cores (stored JSON, content hash, read-model columns) and decides for each report, against the
/// current version of its key, whether it is new, a new version or unchanged. Blocks are decided in order, one at
/// a time, so a later row of one key always becomes the newer version. The payload is compressed here, in pieces on all
/// cores (<see cref="PayloadCodec.DeflatePiece"/>), and digested for the hash chain, so the writer only stores it.
/// </summary>
/// <param name="dataset">The dataset: a report's key is <c>dataset:id</c>.</param>
/// <param name="prefix">The payload up to its array's opening bracket: <c>{"dataset":...,"file":...,"reports":[</c>.</param>
/// <param name="heads">The current version and content hash of each key; updated block by block.</param>
internal sealed class ReportBlockEncoder(string dataset, byte[] prefix, Dictionary<string, (int Version, ContentHash Hash)> heads)
{

    /// <summary>Reports per part: small enough to spread a block over the cores, large enough to amortise a task.</summary>
    private const int ReportsPerPart = 250;

    private readonly ConcurrentQueue<EncodedPart> _spare = new();

    /// <summary>Row lists of written blocks, for the next blocks (a block's rows are over 85 KB: the large object heap).</summary>
    private readonly ConcurrentQueue<List<ReceivedReport>> _spareRows = new();

    [ThreadStatic]
    private static (IncidentJson.Utf8Buffer Report, IncrementalHash Sha)? t_scratch;

    /// <summary>The payload's opening (<c>{"dataset":...,"reports":[</c>) as a piece of its DEFLATE stream; the same for every block.</summary>
    private readonly byte[] _prefixPiece = PayloadCodec.DeflatePieceBytes(prefix, [], [], last: false);

    /// <summary>The payload's closing <c>]}</c>, the last piece of its DEFLATE stream.</summary>
    private static readonly byte[] TailPiece = PayloadCodec.DeflatePieceBytes("]}"u8, [], [], last: true);

    /// <summary>Blocks read ahead of the encoder: enough to keep the cores busy, few enough that reports stay young for the GC.</summary>
    private const int BlocksReadAhead = 3;

    /// <summary>
    /// The blocks of <paramref name="reports"/>, encoded and decided, in order. The reports are read (parsed) on a
    /// thread of their own, a few blocks ahead, so that reading and encoding (each on all cores) fill each other's
    /// pauses; an exception of the reading is rethrown here.
    /// </summary>
    public IEnumerable<EncodedBlock> Encode(IEnumerable<Incident> reports, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var queue = new BlockingCollection<List<Incident>>(BlocksReadAhead);
        System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
        var reader = Task.Factory.StartNew(() =>
        {
            try
            {
                foreach (var block in Blocks(reports, stop.Token))
                {
                    queue.Add(block, stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The consumer stopped (or was cancelled): nothing more to read.
            }
            catch (Exception e)
            {
                failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                queue.CompleteAdding();
            }
        }, stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            foreach (var block in queue.GetConsumingEnumerable(stop.Token))
            {
                yield return EncodeBlock(block, stop.Token);
            }
        }
        finally
        {
            stop.Cancel();
            reader.Wait(CancellationToken.None);
        }
        failure?.Throw();
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>Gives a written block's buffers back for the next blocks.</summary>
    public void Return(EncodedBlock block)
    {
        foreach (var part in block.Parts)
        {
            _spare.Enqueue(part);
        }
        if (block.Rows.Capacity > 0)
        {
            block.Rows.Clear();
            _spareRows.Enqueue(block.Rows);
        }
    }

    private EncodedBlock EncodeBlock(List<Incident> block, CancellationToken ct)
    {
        var parts = new EncodedPart[(block.Count + ReportsPerPart - 1) / ReportsPerPart];
        for (var p = 0; p < parts.Length; p++)
        {
            parts[p] = _spare.TryDequeue(out var spare) ? spare.Reset() : new EncodedPart();
        }
        // The heads are only read while the parts are encoded (a block never holds a key twice), and updated after.
        // Each part is compressed as soon as it is encoded, as the piece of the payload's DEFLATE stream that holds
        // its elements, preceded by the comma that separates it from the part before (none for the first part).
        Parallel.For(0, parts.Length, new ParallelOptions { CancellationToken = ct }, p =>
        {
            var part = parts[p];
            EncodePart(block, p * ReportsPerPart, Math.Min(block.Count, (p + 1) * ReportsPerPart), part);
            if (part.Rows.Count > 0)
            {
                PayloadCodec.DeflatePiece(p == 0 ? [] : ","u8, part.Elements, [], last: false, part.Compressed);
                part.Comma = p > 0;
            }
        });
        foreach (var part in parts)
        {
            foreach (var row in part.Rows)
            {
                heads[row.Key] = (row.Version, row.Hash);
            }
        }
        var live = parts.Where(p => p.Rows.Count > 0).ToArray();
        if (live.Length == 0)
        {
            return new EncodedBlock(parts, block.Count, live, [], prefix, _prefixPiece, TailPiece);
        }
        if (live[0].Comma)
        {
            // Only when the first parts had nothing new: the first live part opens the array, without a comma.
            PayloadCodec.DeflatePiece([], live[0].Elements, [], last: false, live[0].Compressed);
            live[0].Comma = false;
        }

        // The payload is the prefix, the parts' elements joined by commas, and "]}". A report at offset o of its
        // part (which starts with '[') lies at start(i) + o - 1 of the payload.
        var rows = _spareRows.TryDequeue(out var spareRows) ? spareRows : new List<ReceivedReport>(LogPayloads.ReportsPerEntry);
        var start = prefix.Length;
        foreach (var part in live)
        {
            foreach (var row in part.Rows)
            {
                rows.Add(row with { Offset = start + row.Offset - 1 });
            }
            start += part.Json.Length - 2 + 1;
        }
        return new EncodedBlock(parts, block.Count, live, rows, prefix, _prefixPiece, TailPiece);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void EncodePart(List<Incident> block, int from, int to, EncodedPart part)
    {
        var (scratch, sha) = t_scratch ??= (new IncidentJson.Utf8Buffer(), IncrementalHash.CreateHash(HashAlgorithmName.SHA256));
        var json = part.Json;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        json.Raw("["u8);
        for (var i = from; i < to; i++)
        {
            var incident = block[i];
            scratch.Clear();
            IncidentJson.WriteUtf8(scratch, incident);
            var report = scratch.Written;
            sha.AppendData(report); // one hash object per thread: a one-shot call per report costs more than the hashing
            sha.GetHashAndReset(hash);
            var contentHash = ContentHash.FromBytes(hash);
            var key = $"{dataset}:{incident.Id.Value}";
            var version = 1;
            if (heads.TryGetValue(key, out var head))
            {
                if (head.Hash == contentHash)
                {
                    part.Unchanged++;
                    continue;
                }
                version = head.Version + 1;
                part.Changed++;
            }
            else
            {
                part.Added++;
            }
            json.Raw(part.Rows.Count == 0 ? "{\"key\":"u8 : ",{\"key\":"u8);
            json.String(key);
            json.Raw(",\"version\":"u8);
            json.Number(version);
            json.Raw(",\"report\":"u8);
            var offset = json.Length; // the report's JSON starts here: the read model points at it
            json.Raw(report);
            json.Raw("}"u8);
            part.Rows.Add(new ReceivedReport(key, version, contentHash, incident.Time.Earliest.UtcTicks, incident.Time.Latest.UtcTicks,
                incident.Location.Longitude, incident.Location.Latitude, incident.Act.Code, incident.Perpetrator?.Value, incident.Location.PlaceName,
                offset, report.Length));
        }
        json.Raw("]"u8);
    }

    /// <summary>
    /// Cuts the reports into blocks of at most <see cref="LogPayloads.ReportsPerEntry"/>; a block never holds one
    /// report id twice (a repeated id starts a new block, so the later row becomes the newer version).
    /// </summary>
    private static IEnumerable<List<Incident>> Blocks(IEnumerable<Incident> reports, CancellationToken ct)
    {
        var block = new List<Incident>(LogPayloads.ReportsPerEntry);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in reports)
        {
            ct.ThrowIfCancellationRequested();
            if (block.Count == LogPayloads.ReportsPerEntry || !ids.Add(r.Id.Value))
            {
                yield return block;
                block = new List<Incident>(LogPayloads.ReportsPerEntry);
                ids.Clear();
                ids.Add(r.Id.Value);
            }
            block.Add(r);
        }
        if (block.Count > 0)
        {
            yield return block;
        }
    }
}

/// <summary>
/// A part of a block: a JSON array of report elements (<c>{"key", "version", "content_hash", "report"}</c>) and their
/// rows, with each report's offset inside <see cref="Json"/>.
/// </summary>
internal sealed class EncodedPart
{
    public IncidentJson.Utf8Buffer Json { get; } = new(1 << 20);

    public List<ReceivedReport> Rows { get; } = [];

    /// <summary>The part's elements: its JSON without the array's brackets.</summary>
    public ReadOnlySpan<byte> Elements => Json.Written[1..^1];

    /// <summary>Whether <see cref="Compressed"/> starts with the comma that follows the part before.</summary>
    public bool Comma { get; set; }

    /// <summary>This part's piece of the compressed payload.</summary>
    public MemoryStream Compressed { get; } = new(1 << 18);

    public int Added { get; set; }

    public int Changed { get; set; }

    public int Unchanged { get; set; }

    public EncodedPart Reset()
    {
        Json.Clear();
        Rows.Clear();
        Added = Changed = Unchanged = 0;
        return this;
    }
}

/// <summary>
/// One block of an import, encoded and decided: the parts holding new or changed reports (<paramref name="Live"/>, whose
/// compressed pieces make the payload in order, between the prefix's piece and the tail's), and the read-model rows with
/// offsets inside the payload. No entry is written when nothing is live.
/// </summary>
internal sealed record EncodedBlock(EncodedPart[] Parts, int Read, EncodedPart[] Live, List<ReceivedReport> Rows, byte[] Prefix, byte[] PrefixPiece, byte[] TailPiece)
{
    private string? _digest;

    public int Added => Parts.Sum(p => p.Added);

    public int Changed => Parts.Sum(p => p.Changed);

    public int Unchanged => Parts.Sum(p => p.Unchanged);

    /// <summary>
    /// The SHA-256 (lower-case hex) of the payload's JSON, for the hash chain: computed on first use, by the thread that
    /// writes the block, while the encoder's threads go on with the next blocks.
    /// </summary>
    public string PayloadDigest => _digest ??= Digest();

    private string Digest()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Prefix);
        for (var j = 0; j < Live.Length; j++)
        {
            if (j > 0)
            {
                sha.AppendData(","u8);
            }
            sha.AppendData(Live[j].Elements);
        }
        sha.AppendData("]}"u8);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Writes the stored (compressed) payload into <paramref name="entry"/>.</summary>
    public void WriteStored(ArrayBufferWriter<byte> entry)
    {
        entry.ResetWrittenCount();
        entry.Write(PrefixPiece);
        foreach (var part in Live)
        {
            entry.Write(part.Compressed.GetBuffer().AsSpan(0, (int)part.Compressed.Length));
        }
        entry.Write(TailPiece);
    }
}

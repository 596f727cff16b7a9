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
    private static readonly JsonEncodedText KeyName = JsonEncodedText.Encode("key");
    private static readonly JsonEncodedText VersionName = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText ReportName = JsonEncodedText.Encode("report");

    /// <summary>Reports per part: small enough to spread a block over the cores, large enough to amortise a task.</summary>
    private const int ReportsPerPart = 250;

    private readonly ConcurrentQueue<EncodedPart> _spare = new();

    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer, IncrementalHash Sha)? t_scratch;

    /// <summary>The blocks of <paramref name="reports"/>, encoded and decided, in order.</summary>
    public IEnumerable<EncodedBlock> Encode(IEnumerable<Incident> reports, CancellationToken ct)
    {
        foreach (var block in Blocks(reports, ct))
        {
            yield return EncodeBlock(block, ct);
        }
    }

    /// <summary>Gives a written block's buffers back for the next blocks.</summary>
    public void Return(EncodedBlock block)
    {
        foreach (var part in block.Parts)
        {
            _spare.Enqueue(part);
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
        Parallel.For(0, parts.Length, new ParallelOptions { CancellationToken = ct }, p =>
            EncodePart(block, p * ReportsPerPart, Math.Min(block.Count, (p + 1) * ReportsPerPart), parts[p]));
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
            return new EncodedBlock(parts, block.Count, live, [], "");
        }

        // The payload is the prefix, the parts' elements joined by commas, and "]}"; part i is piece i of it. A
        // report at offset o of its part (which starts with '[') lies at start(i) + o - 1 of the payload.
        var rows = new List<ReceivedReport>(block.Count);
        var start = prefix.Length;
        foreach (var part in live)
        {
            foreach (var row in part.Rows)
            {
                rows.Add(row with { Offset = start + row.Offset - 1 });
            }
            start += part.Json.WrittenCount - 2 + 1;
        }
        string digest = "";
        Parallel.For(0, live.Length + 1, new ParallelOptions { CancellationToken = ct }, i =>
        {
            if (i == live.Length)
            {
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                for (var j = 0; j < live.Length; j++)
                {
                    sha.AppendData(j == 0 ? prefix : ","u8);
                    sha.AppendData(Elements(live[j]));
                }
                sha.AppendData("]}"u8);
                digest = Convert.ToHexStringLower(sha.GetHashAndReset());
                return;
            }
            var last = i == live.Length - 1;
            PayloadCodec.DeflatePiece(i == 0 ? prefix : ","u8, Elements(live[i]), last ? "]}"u8 : [], last, live[i].Compressed);
        });
        return new EncodedBlock(parts, block.Count, live, rows, digest);

        static ReadOnlySpan<byte> Elements(EncodedPart part) => part.Json.WrittenSpan[1..^1];
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void EncodePart(List<Incident> block, int from, int to, EncodedPart part)
    {
        var (scratch, report, sha) = t_scratch ??= NewScratch();
        var w = part.Writer;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        w.WriteStartArray();
        for (var i = from; i < to; i++)
        {
            var incident = block[i];
            scratch.ResetWrittenCount();
            report.Reset(scratch);
            IncidentJson.Write(report, incident);
            report.Flush();
            var json = scratch.WrittenSpan;
            sha.AppendData(json); // one hash object per thread: a one-shot call per report costs more than the hashing
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
            w.WriteStartObject();
            w.WriteString(KeyName, key);
            w.WriteNumber(VersionName, version);
            w.WritePropertyName(ReportName);
            var offset = w.BytesCommitted + w.BytesPending; // the report's JSON starts here: the read model points at it
            w.WriteRawValue(json, skipInputValidation: true);
            w.WriteEndObject();
            part.Rows.Add(new ReceivedReport(key, version, contentHash, incident.Time.Earliest.UtcTicks, incident.Time.Latest.UtcTicks,
                incident.Location.Longitude, incident.Location.Latitude, incident.Act.Code, incident.Perpetrator?.Value, incident.Location.PlaceName,
                offset, json.Length));
        }
        w.WriteEndArray();
        w.Flush();

        static (ArrayBufferWriter<byte>, Utf8JsonWriter, IncrementalHash) NewScratch()
        {
            var b = new ArrayBufferWriter<byte>(4096);
            return (b, new Utf8JsonWriter(b, IncidentJson.UncheckedWriterOptions), IncrementalHash.CreateHash(HashAlgorithmName.SHA256));
        }
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
    public EncodedPart()
    {
        Writer = new Utf8JsonWriter(Json, IncidentJson.UncheckedWriterOptions);
    }

    public ArrayBufferWriter<byte> Json { get; } = new(1 << 20);

    public Utf8JsonWriter Writer { get; }

    public List<ReceivedReport> Rows { get; } = [];

    /// <summary>This part's piece of the compressed payload.</summary>
    public MemoryStream Compressed { get; } = new(1 << 18);

    public int Added { get; set; }

    public int Changed { get; set; }

    public int Unchanged { get; set; }

    public EncodedPart Reset()
    {
        Json.ResetWrittenCount();
        Writer.Reset(Json);
        Rows.Clear();
        Added = Changed = Unchanged = 0;
        return this;
    }
}

/// <summary>
/// One block of an import, encoded and decided: the parts holding new or changed reports (<paramref name="Live"/>, whose
/// compressed pieces make the payload in order), the read-model rows with offsets inside the payload, and the SHA-256
/// of the payload's JSON. No entry is written when nothing is live.
/// </summary>
internal sealed record EncodedBlock(EncodedPart[] Parts, int Read, EncodedPart[] Live, List<ReceivedReport> Rows, string PayloadDigest)
{
    public int Added => Parts.Sum(p => p.Added);

    public int Changed => Parts.Sum(p => p.Changed);

    public int Unchanged => Parts.Sum(p => p.Unchanged);

    /// <summary>Writes the stored (compressed) payload into <paramref name="entry"/>.</summary>
    public void WriteStored(ArrayBufferWriter<byte> entry)
    {
        entry.ResetWrittenCount();
        foreach (var part in Live)
        {
            entry.Write(part.Compressed.GetBuffer().AsSpan(0, (int)part.Compressed.Length));
        }
    }
}

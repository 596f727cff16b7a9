using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ceasefire.Storage;

/// <summary>
/// The hash chain of the log. An entry's hash is SHA-256 over its canonical form: the UTF-8 bytes of
/// <c>ceasefire-log/2</c>, sequence, id, stream, version, type, recorded time (ISO 8601 UTC with microseconds),
/// author, previous hash and the SHA-256 of the payload (its JSON as UTF-8, lower-case hex), each followed by a line
/// feed. Changing any stored field of any entry changes its hash and breaks the link to the next entry. The payload
/// enters through its digest so that a writer can digest large payloads while it prepares them, and a store may keep
/// payloads compressed: the digest is of the JSON, however it is stored.
/// </summary>
/// <remarks>
/// Form 1 (entries written before form 2 existed) hashed <c>ceasefire-log/1</c> and the same fields, then the payload's
/// bytes themselves instead of their digest; an entry records its form and is checked by it.
/// </remarks>
public static class LogHash
{
    /// <summary>The form new entries are hashed by.</summary>
    public const int CurrentForm = 2;

    /// <summary>The previous hash of the first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>The recorded time as it is hashed and stored: UTC, microseconds.</summary>
    public static string FormatTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The SHA-256 of a payload's UTF-8 bytes, lower-case hex, as form 2 hashes it.</summary>
    public static string PayloadDigest(ReadOnlySpan<byte> utf8) => Convert.ToHexStringLower(SHA256.HashData(utf8));

    /// <summary>Computes the (form 2) hash of an entry from its fields and its payload's digest (<see cref="PayloadDigest"/>).</summary>
    public static string Compute(long sequence, Guid id, string stream, long version, string type, string payloadDigest, DateTimeOffset recordedAt, string author, string previousHash)
    {
        var canonical = string.Create(CultureInfo.InvariantCulture,
            $"ceasefire-log/2\n{sequence}\n{id:D}\n{stream}\n{version}\n{type}\n{FormatTime(recordedAt)}\n{author}\n{previousHash}\n{payloadDigest}\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Recomputes an entry's hash from its stored fields, by the form it was written in.</summary>
    public static string Compute(LogEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var data = Encoding.UTF8.GetBytes(e.Data);
        return e.Form switch
        {
            1 => ComputeForm1(e.Sequence, e.Id, e.Stream, e.Version, e.Type, data, e.RecordedAt, e.Author, e.PreviousHash),
            2 => Compute(e.Sequence, e.Id, e.Stream, e.Version, e.Type, PayloadDigest(data), e.RecordedAt, e.Author, e.PreviousHash),
            _ => throw new InvalidDataException($"Log entry {e.Sequence} is hashed by form {e.Form}, which this version does not know."),
        };
    }

    private static string ComputeForm1(long sequence, Guid id, string stream, long version, string type, ReadOnlySpan<byte> data, DateTimeOffset recordedAt, string author, string previousHash)
    {
        var header = string.Create(CultureInfo.InvariantCulture,
            $"ceasefire-log/1\n{sequence}\n{id:D}\n{stream}\n{version}\n{type}\n{FormatTime(recordedAt)}\n{author}\n{previousHash}\n");
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(header));
        sha.AppendData(data);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}

/// <summary>The outcome of checking the chain: how many entries were checked and the first that breaks it, if any.</summary>
/// <param name="EntriesChecked">Entries read.</param>
/// <param name="BrokenAt">Sequence of the first entry that breaks the chain, or null when it is intact.</param>
/// <param name="Reason">Why it breaks there.</param>
public sealed record ChainVerification(long EntriesChecked, long? BrokenAt, string? Reason)
{
    /// <summary>True when every entry's hash and link hold.</summary>
    public bool Intact => BrokenAt is null;

    /// <summary>Checks entries in sequence order; stops at the first break.</summary>
    public static ChainVerification Check(IEnumerable<LogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var checker = new Checker();
        foreach (var e in entries)
        {
            if (checker.Next(e) is { } broken)
            {
                return broken;
            }
        }
        return checker.Result;
    }

    /// <summary>Checks a stream of entries in sequence order without holding them; stops at the first break.</summary>
    public static async Task<ChainVerification> CheckAsync(IAsyncEnumerable<LogEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var checker = new Checker();
        await foreach (var e in entries.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (checker.Next(e) is { } broken)
            {
                return broken;
            }
        }
        return checker.Result;
    }

    /// <summary>The running state of a check: the hash and sequence the next entry must link to.</summary>
    private sealed class Checker
    {
        private string _previous = LogHash.Genesis;
        private long _expected = 1;
        private long _count;

        public ChainVerification Result => new(_count, null, null);

        public ChainVerification? Next(LogEntry e)
        {
            _count++;
            if (e.Sequence != _expected)
            {
                return new(_count, e.Sequence, $"entry {e.Sequence} follows entry {_expected - 1}: entries {_expected}..{e.Sequence - 1} are missing");
            }
            if (e.PreviousHash != _previous)
            {
                return new(_count, e.Sequence, $"entry {e.Sequence} links to previous hash {e.PreviousHash[..12]}..., but entry {e.Sequence - 1} hashes to {_previous[..12]}... (an entry before it was changed or removed)");
            }
            var actual = LogHash.Compute(e);
            if (actual != e.Hash)
            {
                return new(_count, e.Sequence, $"entry {e.Sequence} ({e.Type}, stream {e.Stream}) was changed: its stored hash is {e.Hash[..12]}..., its content hashes to {actual[..12]}...");
            }
            _previous = e.Hash;
            _expected++;
            return null;
        }
    }
}

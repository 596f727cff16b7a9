using System.Text;

namespace Ceasefire.Storage.Core;

/// <summary>What every store checks of an entry copied from another store's log (<see cref="IStore.AppendCopiedAsync"/>).</summary>
internal static class LogCopy
{
    /// <summary>
    /// Checks that <paramref name="e"/> follows entry <paramref name="last"/> (whose hash is <paramref name="previous"/>)
    /// and hashes to its recorded hash, and returns its payload as the store keeps it.
    /// </summary>
    /// <exception cref="InvalidDataException">It does not follow, or it does not hash to its recorded hash.</exception>
    public static (byte[] Stored, string Encoding) Check(LogEntry e, long last, string previous)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Sequence != last + 1 || e.PreviousHash != previous)
        {
            throw new InvalidDataException(e.Sequence != last + 1
                ? $"Entry {e.Sequence} cannot follow entry {last} of this log."
                : $"Entry {e.Sequence} links to {e.PreviousHash[..12]}..., but this log's entry {last} hashes to {previous[..12]}...");
        }
        if (LogHash.Compute(e) != e.Hash)
        {
            throw new InvalidDataException($"Entry {e.Sequence} ({e.Type}) does not hash to its recorded hash: the source log is broken there.");
        }
        return PayloadCodec.ForStorage(Encoding.UTF8.GetBytes(e.Data));
    }
}

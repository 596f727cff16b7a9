using Ceasefire.Parties;

namespace Ceasefire.Import.Acled;

/// <summary>How to read an ACLED file. Immutable; <see cref="Default"/> reads times in UTC with the Russia-Ukraine actor map.</summary>
public sealed record AcledReadOptions : ReadOptions
{
    /// <summary>UTC, <see cref="ActorMap.RussiaUkraineDefault"/>, all cores.</summary>
    public static AcledReadOptions Default { get; } = new();



    /// <summary>How many threads parse at once: -1 (the default) for one per core, otherwise at least 1.</summary>
    public int MaxDegreeOfParallelism
    {
        get;
        init
        {
            if (value is 0 or < -1)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Use -1 for one thread per core, or a positive number.");
            }
            field = value;
        }
    } = -1;

    /// <summary>Bytes read from the input at a time (the file is parsed window by window); small in tests.</summary>
    internal int WindowBytes { get; init; } = 64 << 20;

    /// <summary>The smallest piece of a window worth giving a thread of its own; small in tests.</summary>
    internal int MinPieceBytes { get; init; } = 1 << 20;

    /// <summary>
    /// The longest row (or header) read, in bytes: a quoted field left open mid-file would otherwise swallow the rest
    /// of the file into one row held in memory; small in tests.
    /// </summary>
    internal int MaxRecordBytes { get; init; } = 16 << 20;
}

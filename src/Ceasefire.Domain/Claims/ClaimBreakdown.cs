using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Ceasefire.Claims;

/// <summary>
/// The parts of a claimed count as the claimant gave them, in the claimant's order: label (for example
/// <c>artillery, MLRS and mortar shelling of positions</c>) to count. Immutable, compared by value. The parts need
/// not add up to the claim's count (claimants leave things out, and round); what they add up to is
/// <see cref="Sum"/>.
/// </summary>
public sealed class ClaimBreakdown : IReadOnlyList<KeyValuePair<string, int>>, IReadOnlyDictionary<string, int>, IEquatable<ClaimBreakdown>
{
    private readonly KeyValuePair<string, int>[] _items;

    /// <summary>
    /// Creates a breakdown from labelled counts in order; throws <see cref="ArgumentException"/> on an empty or repeated
    /// label or a negative count.
    /// </summary>
    public ClaimBreakdown(IEnumerable<KeyValuePair<string, int>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = new List<KeyValuePair<string, int>>();
        foreach (var (label, count) in items)
        {
            if (string.IsNullOrWhiteSpace(label))
            {
                throw new ArgumentException("A breakdown label must not be empty.", nameof(items));
            }
            if (count < 0)
            {
                throw new ArgumentException($"Breakdown '{label}' has a negative count ({count}).", nameof(items));
            }
            if (list.Any(x => x.Key == label.Trim()))
            {
                throw new ArgumentException($"Breakdown label '{label.Trim()}' appears twice.", nameof(items));
            }
            list.Add(new(label.Trim(), count));
        }
        _items = [.. list];
    }

    /// <summary>The empty breakdown (the claimant gave no parts).</summary>
    public static ClaimBreakdown Empty { get; } = new([]);

    /// <summary>Number of parts.</summary>
    public int Count => _items.Length;

    /// <summary>True when the claimant gave no parts.</summary>
    public bool IsEmpty => _items.Length == 0;

    /// <summary>The parts' total (<see cref="long"/>: the parts are the claimant's and may be large).</summary>
    public long Sum => _items.Sum(x => (long)x.Value);

    /// <summary>The labels, in order.</summary>
    public IEnumerable<string> Keys => _items.Select(x => x.Key);

    /// <summary>The counts, in order.</summary>
    public IEnumerable<int> Values => _items.Select(x => x.Value);

    /// <summary>The part at <paramref name="index"/> (0-based, in the claimant's order).</summary>
    public KeyValuePair<string, int> this[int index] => _items[index];

    /// <summary>The count of the part labelled <paramref name="key"/>; throws <see cref="KeyNotFoundException"/> when there is none.</summary>
    public int this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"No breakdown part is labelled '{key}'.");

    /// <summary>True when a part is labelled <paramref name="key"/> (ordinal comparison).</summary>
    public bool ContainsKey(string key) => TryGetValue(key, out _);

    /// <summary>The count of the part labelled <paramref name="key"/>, if any.</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out int value)
    {
        foreach (var (k, v) in _items)
        {
            if (k == key)
            {
                value = v;
                return true;
            }
        }
        value = 0;
        return false;
    }

    /// <summary>The parts in the claimant's order.</summary>
    public IEnumerator<KeyValuePair<string, int>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, int>>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Same labels with the same counts in the same order.</summary>
    public bool Equals(ClaimBreakdown? other) => other is not null && _items.SequenceEqual(other._items);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ClaimBreakdown);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (k, v) in _items)
        {
            hash.Add(k, StringComparer.Ordinal);
            hash.Add(v);
        }
        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", _items.Select(x => $"{x.Key}: {x.Value}"));
}

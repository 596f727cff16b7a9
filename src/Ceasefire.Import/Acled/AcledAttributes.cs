using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Ceasefire.Import.Acled;

/// <summary>
/// The names under which the columns of one file that map to no field of an incident are kept (see
/// <see cref="Incidents.Incident.Attributes"/>): the header name as written, or, for a column without a name or with
/// the name of an earlier column, <c>#N</c> or <c>name#N</c> (N: its 1-based position), so that no two columns share a
/// key. Looked up ignoring case, like the columns themselves. Shared by every row of the file; immutable.
/// </summary>
internal sealed class AttributeKeys
{
    /// <param name="names">The names of all the columns of the file, trimmed.</param>
    /// <param name="kept">The 0-based columns to keep, in increasing order.</param>
    public AttributeKeys(string[] names, int[] kept)
    {
        Columns = kept;
        Names = new string[kept.Length];
        Index = new Dictionary<string, int>(kept.Length, StringComparer.OrdinalIgnoreCase);
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var next = 0;
        for (var column = 0; column < names.Length; column++)
        {
            var name = names[column];
            var key = name.Length == 0 ? $"#{column + 1}" : name;
            while (!taken.Add(key))
            {
                // A name already used by an earlier column, kept or mapped to a field.
                key = $"{key}#{column + 1}";
            }
            if (next < kept.Length && kept[next] == column)
            {
                Names[next] = key;
                Index.Add(key, next);
                next++;
            }
        }
    }

    /// <summary>The 0-based columns kept, in file order.</summary>
    public int[] Columns { get; }

    /// <summary>The key of each kept column.</summary>
    public string[] Names { get; }

    /// <summary>Key to position in <see cref="Names"/>.</summary>
    public Dictionary<string, int> Index { get; }
}

/// <summary>
/// The non-empty unmapped fields of one row: a value per kept column (null when empty), keyed by
/// <see cref="AttributeKeys"/> shared across the file, so a row costs one small array, not a hash table. Enumerates in
/// column order; keys are looked up ignoring case. Immutable.
/// </summary>
internal sealed class AcledAttributes : IReadOnlyDictionary<string, string>
{
    private readonly AttributeKeys _keys;
    private readonly string?[] _values;

    public AcledAttributes(AttributeKeys keys, string?[] values, int count)
    {
        _keys = keys;
        _values = values;
        Count = count;
    }

    public int Count { get; }

    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No attribute '{key}'.");

    public IEnumerable<string> Keys => this.Select(p => p.Key);

    public IEnumerable<string> Values => this.Select(p => p.Value);

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        value = _keys.Index.TryGetValue(key, out var k) ? _values[k] : null;
        return value is not null;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        for (var k = 0; k < _values.Length; k++)
        {
            if (_values[k] is { } value)
            {
                yield return new(_keys.Names[k], value);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(", ", this.Select(p => $"{p.Key}={p.Value}"));
}

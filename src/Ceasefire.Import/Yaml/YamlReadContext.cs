using System.Globalization;
using Ceasefire.Import.Errors;
using Ceasefire.Time;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ceasefire.Import.Yaml;

/// <summary>
/// What the readers of the project's YAML files (agreements, claims) share: errors placed at a node's line and column
/// with the file's own code prefix (<c>agreement.type</c>, <c>claims.type</c>), keys checked against the allowed ones
/// with a suggestion, lists of mappings, single values, and times in the file's time zone.
/// </summary>
/// <param name="fileName">The file, as errors name it.</param>
/// <param name="errors">Where errors go.</param>
/// <param name="codePrefix">The prefix of error codes (<c>agreement</c>, <c>claims</c>).</param>
/// <param name="timeExample">A time as the file would write it, for the message of a time that is not one.</param>
internal abstract class YamlReadContext(string fileName, List<ImportError> errors, string codePrefix, string timeExample)
{
    public string FileName { get; } = fileName;

    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>Where errors go.</summary>
    protected List<ImportError> Errors { get; } = errors;

    public int ErrorCount => Errors.Count(e => e.Severity == Severity.Error);

    public void Error(YamlNode node, string field, string code, string message) =>
        Errors.Add(new ImportError(FileName, (int)node.Start.Line, (int)node.Start.Column, field, code, message));

    public void Warning(YamlNode node, string field, string code, string message) =>
        Errors.Add(new ImportError(FileName, (int)node.Start.Line, (int)node.Start.Column, field, code, message, Severity.Warning));

    /// <summary>The value of <paramref name="key"/>, or null when it is absent or empty (<c>~</c>, <c>null</c>).</summary>
    public YamlNode? Get(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) && !(v is YamlScalarNode { Value: null or "" or "~" or "null" } s && s.Style == ScalarStyle.Plain) ? v : null;

    public void CheckKeys(YamlMappingNode map, string path, string[] allowed)
    {
        foreach (var key in map.Children.Keys)
        {
            var k = (key as YamlScalarNode)?.Value ?? "";
            if (!allowed.Contains(k))
            {
                var near = allowed.OrderBy(a => Distance(a, k)).First();
                Error(key, Join(path, k), $"{codePrefix}.unknown_key",
                    $"Unknown key '{k}'{(Distance(near, k) <= 2 ? $" (did you mean '{near}'?)" : "")}; allowed here: {string.Join(", ", allowed)}.");
            }
        }
    }

    public IEnumerable<(YamlNode Node, string Path)> Items(YamlNode node, string path)
    {
        if (node is YamlSequenceNode seq)
        {
            return seq.Children.Select((c, i) => (c, $"{path}[{i}]"));
        }
        Error(node, path, $"{codePrefix}.type", $"'{path}' must be a list.");
        return [];
    }

    /// <summary>The mappings of a list, their keys checked; an item that is not a mapping is reported with <paramref name="whatItIs"/>.</summary>
    public IEnumerable<(YamlMappingNode Map, string Path)> Mappings(YamlNode node, string path, string whatItIs, string[] keys)
    {
        foreach (var (item, itemPath) in Items(node, path))
        {
            if (item is YamlMappingNode map)
            {
                CheckKeys(map, itemPath, keys);
                yield return (map, itemPath);
            }
            else
            {
                Error(item, itemPath, $"{codePrefix}.type", whatItIs);
            }
        }
    }

    public string? String(YamlMappingNode map, string path, string key)
    {
        var node = Get(map, key);
        if (node is null)
        {
            return null;
        }
        if (node is YamlScalarNode s)
        {
            return s.Value;
        }
        Error(node, Join(path, key), $"{codePrefix}.type", $"'{key}' must be a single value (text), not a list or mapping.");
        return null;
    }

    /// <summary>A time: with an offset, local in <see cref="TimeZone"/>, or a date (midnight in <see cref="TimeZone"/>).</summary>
    public DateTimeOffset? Instant(YamlNode node, string path)
    {
        var v = (node as YamlScalarNode)?.Value?.Trim();
        if (v is null)
        {
            Error(node, path, $"{codePrefix}.type", "A time must be a single value.");
            return null;
        }
        if (DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return IncidentTime.LocalMidnight(day, TimeZone);
        }
        if (v.Length > 10 && (v.EndsWith('Z') || v[^6] is '+' or '-') &&
            DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant))
        {
            return instant;
        }
        if (DateTime.TryParseExact(v, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return new DateTimeOffset(local, TimeZone.GetUtcOffset(local));
        }
        Error(node, path, $"{codePrefix}.time", $"'{v}' is not a time: write {timeExample}.");
        return null;
    }

    protected static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }
        return d[a.Length, b.Length];
    }
}

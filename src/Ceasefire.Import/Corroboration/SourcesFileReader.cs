using Ceasefire.Corroboration;
using Ceasefire.Import.Errors;
using Ceasefire.Parties;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ceasefire.Import.Corroboration;

/// <summary>
/// Reads a source registry (YAML; the format is in <c>docs/sources-format.md</c>): a list of sources, each with id,
/// name, aliases, type, reliability, independence group and party. Every problem names the file, line, column and
/// key path; unknown keys are errors.
/// </summary>
public static class SourcesFileReader
{
    private static readonly string[] SourceKeys = ["id", "name", "aliases", "type", "reliability", "group", "party", "notes"];

    /// <summary>Reads the registry at <paramref name="path"/>.</summary>
    public static ImportResult<SourceRegistry> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return Parse(File.ReadAllText(path), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new(null, [new ImportError(path, 0, 0, "", "sources.io", e.Message)]);
        }
    }

    /// <summary>Reads a registry from YAML text; <paramref name="fileName"/> names it in errors.</summary>
    public static ImportResult<SourceRegistry> Parse(string yaml, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(fileName);
        var errors = new List<ImportError>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            var (line, column) = e is YamlException y ? ((int)y.Start.Line, (int)y.Start.Column) : (0, 0);
            return new(null, [new ImportError(fileName, line, column, "", "sources.syntax", e.InnerException?.Message ?? e.Message)]);
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return new(null, [new ImportError(fileName, 1, 1, "", "sources.type", "A sources file is one YAML mapping with the key 'sources'.")]);
        }
        void Error(YamlNode node, string path, string code, string message) =>
            errors.Add(new ImportError(fileName, (int)node.Start.Line, (int)node.Start.Column, path, code, message));
        foreach (var key in root.Children.Keys.OfType<YamlScalarNode>().Where(k => k.Value is not ("sources" or "title" or "notes")))
        {
            Error(key, key.Value ?? "", "sources.unknown_key", $"Unknown key '{key.Value}' (the file has title, notes and sources).");
        }
        if (!root.Children.TryGetValue(new YamlScalarNode("sources"), out var list) || list is not YamlSequenceNode sequence)
        {
            Error(root, "sources", "sources.missing", "The file has no list of sources (key 'sources').");
            return new(null, errors);
        }
        var sources = new List<Source>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var n = 0; n < sequence.Children.Count; n++)
        {
            var path = $"sources[{n}]";
            if (sequence.Children[n] is not YamlMappingNode map)
            {
                Error(sequence.Children[n], path, "sources.type", "A source is a mapping (id, name, type, reliability, ...).");
                continue;
            }
            foreach (var key in map.Children.Keys.OfType<YamlScalarNode>().Where(k => !SourceKeys.Contains(k.Value)))
            {
                Error(key, $"{path}.{key.Value}", "sources.unknown_key", $"Unknown key '{key.Value}' (a source has {string.Join(", ", SourceKeys)}).");
            }
            string? Scalar(string key)
            {
                if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
                {
                    return null;
                }
                if (node is YamlScalarNode s && !string.IsNullOrWhiteSpace(s.Value))
                {
                    return s.Value.Trim();
                }
                Error(node, $"{path}.{key}", "sources.type", $"'{key}' must be a single value.");
                return null;
            }
            YamlNode At(string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : map;
            var id = Scalar("id");
            var name = Scalar("name");
            if (id is null || name is null)
            {
                Error(map, path, "sources.missing", "A source needs an id and a name.");
                continue;
            }
            if (!ids.TryAdd(id, n))
            {
                Error(At("id"), $"{path}.id", "sources.duplicate", $"Source id '{id}' is used twice (first at sources[{ids[id]}]).");
                continue;
            }
            var typeText = Scalar("type") ?? "unknown";
            if (!Enum.TryParse<SourceType>(typeText, ignoreCase: true, out var type) || int.TryParse(typeText, out _))
            {
                Error(At("type"), $"{path}.type", "sources.enum", $"'{typeText}' is not a source type (one of {string.Join(", ", Enum.GetNames<SourceType>().Select(x => x.ToLowerInvariant()))}).");
                continue;
            }
            var reliabilityText = Scalar("reliability") ?? "F";
            if (reliabilityText.Length != 1 || char.ToUpperInvariant(reliabilityText[0]) is < 'A' or > 'F')
            {
                Error(At("reliability"), $"{path}.reliability", "sources.reliability", $"'{reliabilityText}' is not a source reliability: use one letter A (completely reliable) to F (cannot be judged).");
                continue;
            }
            PartyCode? party = Scalar("party") is { } p ? new PartyCode(p) : null;
            var aliases = new List<string>();
            if (map.Children.TryGetValue(new YamlScalarNode("aliases"), out var aliasNode))
            {
                if (aliasNode is YamlSequenceNode aliasList)
                {
                    aliases.AddRange(aliasList.Children.OfType<YamlScalarNode>().Select(a => a.Value ?? "").Where(a => a.Length > 0));
                }
                else
                {
                    Error(aliasNode, $"{path}.aliases", "sources.type", "'aliases' is a list of names.");
                }
            }
            sources.Add(new Source(id, name, aliases, type, char.ToUpperInvariant(reliabilityText[0]), Scalar("group") ?? id, party));
        }
        if (errors.Count > 0)
        {
            return new(null, errors);
        }
        try
        {
            return new(new SourceRegistry(sources), errors);
        }
        catch (ArgumentException e)
        {
            return new(null, [new ImportError(fileName, (int)sequence.Start.Line, (int)sequence.Start.Column, "sources", "sources.conflict", e.Message.Split(" (Parameter")[0])]);
        }
    }
}

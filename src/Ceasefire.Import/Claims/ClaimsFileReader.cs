using System.Globalization;
using System.Text.RegularExpressions;
using Ceasefire.Claims;
using Ceasefire.Import.Errors;
using Ceasefire.Parties;
using Ceasefire.Time;
using Ceasefire.Import.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ceasefire.Import.Claims;

/// <summary>What a claims file gave: every claim, and the same claims grouped into series (in file order).</summary>
/// <param name="Title">The file's title, if any.</param>
/// <param name="Claims">Every claim, in file order.</param>
/// <param name="Series">The claims grouped by series, in file order.</param>
public sealed record ClaimsFile(string? Title, IReadOnlyList<AggregateClaim> Claims, IReadOnlyList<ClaimSeries> Series);

/// <summary>
/// Reads claims files: parties' aggregate counts (YAML; the format is in <c>docs/claims-format.md</c>). Every problem
/// is reported with the file, line, column and key path, in the form of <see cref="Agreements.AgreementFileReader"/>;
/// unknown keys are errors, never silently ignored. Overlapping periods in a series that is not cumulative are a
/// warning (the claims are kept; the series cannot be summed). Reading claims never makes incidents.
/// </summary>
public static partial class ClaimsFileReader
{
    private static readonly string[] TopKeys = ["title", "time_zone", "notes", "series"];
    private static readonly string[] SeriesKeys = ["id", "claimant", "accused", "subject", "cumulative", "from", "to", "notes", "claims"];
    private static readonly string[] ClaimKeys = ["id", "as_of", "count", "qualifier", "breakdown", "from", "to", "subject", "source", "url", "notes"];

    /// <summary>Reads and validates the claims file at <paramref name="path"/>.</summary>
    public static ImportResult<ClaimsFile> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new(null, [new ImportError(path, 0, 0, "", "claims.io", e.Message)]);
        }
        return Parse(text, path);
    }

    /// <summary>Reads claims from YAML text; <paramref name="fileName"/> names it in errors.</summary>
    public static ImportResult<ClaimsFile> Parse(string yaml, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(fileName);
        var errors = new List<ImportError>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            errors.Add(new ImportError(fileName, (int)e.Start.Line, (int)e.Start.Column, "", "claims.syntax", e.InnerException?.Message ?? e.Message));
            return new(null, errors);
        }
        catch (InvalidOperationException)
        {
            errors.Add(new ImportError(fileName, 0, 0, "", "claims.syntax", "Malformed YAML: a '[' or '{' is not closed."));
            return new(null, errors);
        }
        if (stream.Documents.Count != 1)
        {
            errors.Add(new ImportError(fileName, 1, 1, "", stream.Documents.Count == 0 ? "claims.empty" : "claims.syntax",
                stream.Documents.Count == 0 ? "The file holds no claims." : "A claims file is one YAML document (no '---' separators)."));
            return new(null, errors);
        }
        var ctx = new Context(fileName, errors);
        var file = ReadFile(ctx, stream.Documents[0].RootNode);
        return new(ctx.HasErrors ? null : file, errors);
    }

    private static ClaimsFile? ReadFile(Context ctx, YamlNode root)
    {
        if (root is not YamlMappingNode map)
        {
            ctx.Error(root, "", "claims.type", "A claims file is a mapping of keys (title, time_zone, series).");
            return null;
        }
        ctx.CheckKeys(map, "", TopKeys);
        if (ctx.Get(map, "time_zone") is { } tzNode)
        {
            var tz = (tzNode as YamlScalarNode)?.Value ?? "";
            try
            {
                ctx.TimeZone = TimeZoneInfo.FindSystemTimeZoneById(tz);
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                ctx.Error(tzNode, "time_zone", "claims.time_zone", $"Unknown time zone '{tz}' (use an IANA name such as Europe/Kyiv or Europe/Moscow).");
            }
        }
        var title = ctx.String(map, "", "title");
        if (ctx.Get(map, "series") is not { } seriesNode)
        {
            ctx.Error(map, "series", "claims.missing", "The file has no series (key 'series').");
            return null;
        }
        var claims = new List<AggregateClaim>();
        var series = new List<ClaimSeries>();
        var seriesIds = new HashSet<string>(StringComparer.Ordinal);
        var claimIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (sm, path) in ctx.Mappings(seriesNode, "series", "A series is a mapping with id, claimant, accused, subject, cumulative, from, to and claims.", SeriesKeys))
        {
            var read = ReadSeries(ctx, sm, path, seriesIds, claimIds);
            if (read is null)
            {
                continue;
            }
            try
            {
                var s = new ClaimSeries(read);
                foreach (var overlap in s.Overlaps)
                {
                    var index = read.IndexOf(overlap.Second);
                    ctx.Warning(ctx.ClaimNodes[overlap.Second], $"{path}.claims[{index}]", "claims.overlap",
                        $"Series '{s.Id}' is not cumulative but {overlap}; its claims are kept, but the series cannot be summed.");
                }
                series.Add(s);
                claims.AddRange(read);
            }
            catch (ArgumentException e)
            {
                ctx.Error(sm, path, "claims.series", e.Message);
            }
        }
        return new ClaimsFile(title, claims, series);
    }

    private static List<AggregateClaim>? ReadSeries(Context ctx, YamlMappingNode sm, string path, HashSet<string> seriesIds, HashSet<string> claimIds)
    {
        var errorsBefore = ctx.ErrorCount;
        var id = ctx.RequiredString(sm, path, "id");
        if (id is not null && !seriesIds.Add(id))
        {
            ctx.Error(ctx.Get(sm, "id")!, path + ".id", "claims.duplicate_series", $"Series '{id}' is defined twice.");
        }
        var claimant = ctx.Party(sm, path, "claimant");
        var accused = ctx.Party(sm, path, "accused");
        if (claimant is not null && claimant == accused)
        {
            ctx.Error(ctx.Get(sm, "accused")!, path + ".accused", "claims.accused", $"The accused party cannot be the claimant ({claimant}).");
        }
        var subject = ctx.String(sm, path, "subject");
        var cumulative = ctx.Bool(sm, path, "cumulative") ?? false;
        var from = ctx.Get(sm, "from") is { } fromNode ? ctx.Instant(fromNode, path + ".from") : null;
        var to = ctx.Get(sm, "to") is { } toNode ? ctx.Instant(toNode, path + ".to") : null;
        var claimsNode = ctx.Get(sm, "claims");
        if (claimsNode is null)
        {
            ctx.Error(sm, path + ".claims", "claims.missing", $"Series '{id}' has no claims (key 'claims').");
            return null;
        }
        var list = new List<AggregateClaim>();
        var asOfs = new Dictionary<DateTimeOffset, string>();
        foreach (var (cm, cpath) in ctx.Mappings(claimsNode, path + ".claims", "A claim is a mapping with id, as_of, count, source and url.", ClaimKeys))
        {
            var claim = ReadClaim(ctx, cm, cpath, id, claimant, accused, subject, cumulative, (from, ctx.Get(sm, "from") is not null), (to, ctx.Get(sm, "to") is not null), claimIds);
            if (claim is null)
            {
                continue;
            }
            if (cumulative && asOfs.TryGetValue(claim.AsOf, out var other))
            {
                ctx.Error(ctx.Get(cm, "as_of")!, cpath + ".as_of", "claims.as_of",
                    $"Running totals '{other}' and '{claim.Id}' are both as of {claim.AsOf:O}; in a cumulative series each publication has its own instant.");
                continue;
            }
            asOfs[claim.AsOf] = claim.Id.Value;
            ctx.ClaimNodes[claim] = cm;
            list.Add(claim);
        }
        if (list.Count == 0 && ctx.ErrorCount == errorsBefore)
        {
            ctx.Error(claimsNode, path + ".claims", "claims.missing", $"Series '{id}' has no claims.");
        }
        return ctx.ErrorCount > errorsBefore || list.Count == 0 ? null : list;
    }

    private static AggregateClaim? ReadClaim(
        Context ctx, YamlMappingNode cm, string path, string? seriesId, PartyCode? claimant, PartyCode? accused, string? seriesSubject,
        bool cumulative, (DateTimeOffset? Value, bool Given) seriesFrom, (DateTimeOffset? Value, bool Given) seriesTo, HashSet<string> claimIds)
    {
        var errorsBefore = ctx.ErrorCount;
        var id = ctx.RequiredString(cm, path, "id");
        if (id is not null && !claimIds.Add(id))
        {
            ctx.Error(ctx.Get(cm, "id")!, path + ".id", "claims.duplicate_claim", $"Claim '{id}' appears twice in the file.");
        }
        var asOf = ctx.Get(cm, "as_of") is { } asOfNode ? ctx.Instant(asOfNode, path + ".as_of") : ctx.Missing<DateTimeOffset>(cm, path, "as_of", "when the count was published, or the cut-off it states");
        var count = ctx.Count(cm, path, "count", required: true);
        var qualifier = ctx.Qualifier(cm, path);
        var breakdown = ReadBreakdown(ctx, cm, path);
        var subject = ctx.String(cm, path, "subject") ?? seriesSubject;
        if (string.IsNullOrWhiteSpace(subject))
        {
            ctx.Error(cm, path + ".subject", "claims.missing", "Say what is counted: 'subject' on the series or the claim.");
        }
        var source = ctx.RequiredString(cm, path, "source");
        var url = ctx.Url(cm, path);
        var fromNode = ctx.Get(cm, "from");
        var toNode = ctx.Get(cm, "to");
        var from = fromNode is not null ? ctx.Instant(fromNode, path + ".from") : seriesFrom.Value;
        var to = toNode is not null ? ctx.Instant(toNode, path + ".to") : seriesTo.Value;
        if (fromNode is not null && cumulative && from is not null && seriesFrom.Value is { } sf && from != sf)
        {
            ctx.Error(fromNode, path + ".from", "claims.period", "In a cumulative series every running total counts from the series' 'from'; do not give another one here.");
        }
        if (fromNode is null && !seriesFrom.Given)
        {
            ctx.Error(cm, path + ".from", "claims.missing", "The period's start is missing: give 'from' on the series or the claim.");
        }
        if (toNode is null && !seriesTo.Given)
        {
            ctx.Error(cm, path + ".to", "claims.missing", "The period's end is missing: give 'to' on the series or the claim.");
        }
        if (from is { } f && to is { } t && t <= f)
        {
            ctx.Error(toNode ?? cm, path + ".to", "claims.period", $"The period's end ({t:O}) must be after its start ({f:O}).");
        }
        if (from is { } f2 && asOf is { } a && a < f2)
        {
            ctx.Error(ctx.Get(cm, "as_of")!, path + ".as_of", "claims.as_of", $"As of {a:O} is before the period it counts begins ({f2:O}).");
        }
        if (ctx.ErrorCount > errorsBefore || id is null || seriesId is null || claimant is null || accused is null || claimant == accused ||
            asOf is null || count is null || source is null || from is null || to is null || subject is null)
        {
            return null;
        }
        try
        {
            return new AggregateClaim(new ClaimId(id), new ClaimSeriesId(seriesId), claimant.Value, accused.Value, subject, from.Value, to.Value,
                count.Value, qualifier, breakdown, cumulative, asOf.Value, source, url, ctx.String(cm, path, "notes"));
        }
        catch (ArgumentException e)
        {
            ctx.Error(cm, path, "claims.invalid", e.Message);
            return null;
        }
    }

    private static ClaimBreakdown? ReadBreakdown(Context ctx, YamlMappingNode cm, string path)
    {
        if (ctx.Get(cm, "breakdown") is not { } node)
        {
            return null;
        }
        if (node is not YamlMappingNode bm)
        {
            ctx.Error(node, path + ".breakdown", "claims.type", "breakdown is a mapping of label to count, in the claimant's order, e.g. { shelling: 1404, quadcopter strikes: 3316 }.");
            return null;
        }
        var items = new List<KeyValuePair<string, int>>();
        foreach (var (k, v) in bm.Children)
        {
            var label = (k as YamlScalarNode)?.Value;
            var field = $"{path}.breakdown.{label}";
            if (string.IsNullOrWhiteSpace(label))
            {
                ctx.Error(k, field, "claims.type", "A breakdown label is text.");
                continue;
            }
            if (items.Any(x => x.Key == label.Trim()))
            {
                ctx.Error(k, field, "claims.duplicate_label", $"Breakdown label '{label}' appears twice.");
                continue;
            }
            if (ctx.CountValue(v, field) is { } n)
            {
                items.Add(new(label.Trim(), n));
            }
        }
        return new ClaimBreakdown(items);
    }

    [GeneratedRegex(@"^(\d+|\d{1,3}(,\d{3})+)$", RegexOptions.CultureInvariant)]
    private static partial Regex WholeNumber();

    /// <summary>Parse state: file name, errors, time zone, and helpers that read typed values and report with locations.</summary>
    private sealed class Context(string fileName, List<ImportError> errors)
        : YamlReadContext(fileName, errors, "claims", "2025-04-20T20:00:00+03:00 (with offset), 2025-04-20T20:00 (in time_zone) or 2025-04-20 (midnight in time_zone)")
    {
        /// <summary>The node each claim was read from, to place warnings found later.</summary>
        public Dictionary<AggregateClaim, YamlNode> ClaimNodes { get; } = new(ReferenceEqualityComparer.Instance);

        public bool HasErrors => ErrorCount > 0;

        public T? Missing<T>(YamlMappingNode map, string path, string key, string what) where T : struct
        {
            Error(map, Join(path, key), "claims.missing", $"Missing required key '{key}' ({what}).");
            return null;
        }

        public string? RequiredString(YamlMappingNode map, string path, string key)
        {
            var v = String(map, path, key);
            if (string.IsNullOrWhiteSpace(v) && Get(map, key) is null)
            {
                Error(map, Join(path, key), "claims.missing", $"Missing required key '{key}'.");
            }
            return string.IsNullOrWhiteSpace(v) ? null : v.Trim();
        }

        public bool? Bool(YamlMappingNode map, string path, string key)
        {
            var v = String(map, path, key);
            return v switch
            {
                null => null,
                "true" => true,
                "false" => false,
                _ => Invalid(),
            };

            bool? Invalid()
            {
                Error(Get(map, key)!, Join(path, key), "claims.bool", $"'{key}' must be true or false, not '{v}'.");
                return null;
            }
        }

        public PartyCode? Party(YamlMappingNode map, string path, string key)
        {
            var v = String(map, path, key);
            if (v is null)
            {
                Error(map, Join(path, key), "claims.missing", $"Missing required key '{key}' (a party code such as RU or UA).");
                return null;
            }
            if (PartyCode.IsValid(v))
            {
                return new PartyCode(v);
            }
            Error(Get(map, key)!, Join(path, key), "claims.party_code", $"'{v}' is not a party code (1-16 upper-case letters, digits, '-' or '_').");
            return null;
        }

        public int? Count(YamlMappingNode map, string path, string key, bool required)
        {
            var node = Get(map, key);
            if (node is null)
            {
                if (required)
                {
                    Error(map, Join(path, key), "claims.missing", $"Missing required key '{key}' (the number claimed).");
                }
                return null;
            }
            return CountValue(node, Join(path, key));
        }

        /// <summary>A whole number 0 or more, written 4900 or 4,900.</summary>
        public int? CountValue(YamlNode node, string field)
        {
            var v = (node as YamlScalarNode)?.Value?.Trim() ?? "";
            if (WholeNumber().IsMatch(v) &&
                int.TryParse(v.Replace(",", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }
            Error(node, field, "claims.number", $"'{v}' is not a count: write a whole number, 0 or more (4900 or 4,900); put 'more than' or 'about' in 'qualifier'.");
            return null;
        }

        public CountQualifier Qualifier(YamlMappingNode map, string path)
        {
            var v = String(map, path, "qualifier");
            switch (v)
            {
                case null:
                case "exact":
                    return CountQualifier.Exact;
                case "at_least":
                    return CountQualifier.AtLeast;
                case "about":
                    return CountQualifier.About;
                default:
                    Error(Get(map, "qualifier")!, Join(path, "qualifier"), "claims.enum", $"'{v}' is not a valid qualifier (one of exact, at_least, about).");
                    return CountQualifier.Exact;
            }
        }

        public Uri? Url(YamlMappingNode map, string path)
        {
            var v = String(map, path, "url");
            if (v is null)
            {
                return null;
            }
            if (Uri.TryCreate(v.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                return uri;
            }
            Error(Get(map, "url")!, Join(path, "url"), "claims.url", $"'{v}' is not an absolute http or https address.");
            return null;
        }
    }
}

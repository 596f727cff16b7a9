using System.Globalization;
using System.Xml;
using Ceasefire.Agreements;
using Ceasefire.Import.Errors;
using Ceasefire.Parties;
using Ceasefire.Taxonomy;
using Ceasefire.Time;
using Ceasefire.Zones;
using Ceasefire.Import.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Ceasefire.Import.Agreements;

/// <summary>What an agreement file gave: its versions (one per YAML document) and the zone files it names.</summary>
/// <param name="Versions">Agreement versions in file order.</param>
/// <param name="ZoneFiles">Absolute paths of the zone libraries named under <c>zones.library</c>.</param>
public sealed record AgreementFile(IReadOnlyList<Agreement> Versions, IReadOnlyList<string> ZoneFiles);

/// <summary>
/// Reads agreement files (YAML; the format is in <c>docs/agreement-format.md</c>). Every problem is reported with the
/// file, line, column and key path; unknown keys, parties, phases, zones, act kinds and target categories are errors,
/// never silently ignored. A file may hold several YAML documents, one per version.
/// </summary>
public static class AgreementFileReader
{
    /// <summary>
    /// Reads and validates <paramref name="path"/>. When <paramref name="knownZones"/> is given, every zone an
    /// obligation or derived zone names must be in it or be derived in the file.
    /// </summary>
    public static ImportResult<AgreementFile> Read(string path, IReadOnlySet<string>? knownZones = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new(null, [new ImportError(path, 0, 0, "", "agreement.io", e.Message)]);
        }
        return Parse(text, path, knownZones);
    }

    /// <summary>
    /// Reads an agreement from YAML text; <paramref name="fileName"/> names it in errors and anchors relative paths.
    /// With <paramref name="checkZoneFiles"/> false, the zone files it names are not looked for on disk (the text
    /// comes from the store, which keeps the zone files itself).
    /// </summary>
    public static ImportResult<AgreementFile> Parse(string yaml, string fileName, IReadOnlySet<string>? knownZones = null, bool checkZoneFiles = true)
    {
        var errors = new List<ImportError>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            errors.Add(new ImportError(fileName, (int)e.Start.Line, (int)e.Start.Column, "", "agreement.syntax", e.InnerException?.Message ?? e.Message));
            return new(null, errors);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner gives up on some malformed flow collections without a position; find the line ourselves.
            var (line, column) = FirstUnbalancedBracket(yaml);
            errors.Add(new ImportError(fileName, line, column, "", "agreement.syntax", "Malformed YAML: a '[' or '{' is not closed on its line."));
            return new(null, errors);
        }
        var versions = new List<Agreement>();
        var zoneFiles = new List<string>();
        foreach (var doc in stream.Documents)
        {
            var ctx = new Context(fileName, errors) { CheckZoneFiles = checkZoneFiles };
            var agreement = ReadAgreement(ctx, doc.RootNode, knownZones, zoneFiles);
            if (agreement is not null)
            {
                versions.Add(agreement);
            }
        }
        if (stream.Documents.Count == 0)
        {
            errors.Add(new ImportError(fileName, 1, 1, "", "agreement.empty", "The file holds no agreement."));
        }
        var dupes = versions.GroupBy(v => (v.Id, v.Version)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        foreach (var (id, version) in dupes)
        {
            errors.Add(new ImportError(fileName, 0, 0, "version", "agreement.duplicate_version", $"Agreement '{id}' version {version} appears twice."));
        }
        var ok = errors.All(e => e.Severity != Severity.Error);
        return new(ok ? new AgreementFile(versions, zoneFiles.Distinct().ToList()) : null, errors);
    }

    private static (int Line, int Column) FirstUnbalancedBracket(string yaml)
    {
        var lines = yaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var depth = 0;
            var first = -1;
            for (var c = 0; c < lines[i].Length; c++)
            {
                if (lines[i][c] is '[' or '{')
                {
                    first = depth == 0 ? c : first;
                    depth++;
                }
                else if (lines[i][c] is ']' or '}')
                {
                    depth--;
                }
            }
            if (depth > 0)
            {
                return (i + 1, first + 1);
            }
        }
        return (0, 0);
    }

    private static readonly string[] TopKeys = ["agreement", "version", "title", "effective", "time_zone", "source", "amends", "parties", "zones", "phases", "obligations", "complaints", "notes"];

    private static Agreement? ReadAgreement(Context ctx, YamlNode root, IReadOnlySet<string>? knownZones, List<string> zoneFiles)
    {
        if (root is not YamlMappingNode map)
        {
            ctx.Error(root, "", "agreement.type", "An agreement must be a mapping of keys (agreement, version, parties, phases, obligations, ...).");
            return null;
        }
        ctx.CheckKeys(map, "", TopKeys);
        var id = ctx.RequiredString(map, "", "agreement");
        var version = ctx.Int(map, "", "version") ?? 1;
        if (version < 1)
        {
            ctx.Error(ctx.Get(map, "version")!, "version", "agreement.version", "The version must be 1 or more.");
        }
        if (ctx.Get(map, "amends") is { } amendsNode && ctx.Int(map, "", "amends") is { } amends && amends >= version)
        {
            ctx.Error(amendsNode, "amends", "agreement.amends", $"Version {version} cannot amend version {amends}: an amendment amends an earlier version.");
        }
        var title = ctx.String(map, "", "title") ?? id ?? "";
        var tz = TimeZoneInfo.Utc;
        if (ctx.Get(map, "time_zone") is YamlScalarNode tzNode)
        {
            try
            {
                tz = TimeZoneInfo.FindSystemTimeZoneById(tzNode.Value ?? "");
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                ctx.Error(tzNode, "time_zone", "agreement.time_zone", $"Unknown time zone '{tzNode.Value}' (use an IANA name such as Europe/Kyiv or Europe/Moscow).");
            }
        }
        ctx.TimeZone = tz;
        var effective = ctx.Get(map, "effective") is { } effNode ? ctx.Instant(effNode, "effective") : null;

        var parties = ReadParties(ctx, map);
        var partyCodes = parties.Select(p => p.Code).ToHashSet();
        var derived = ReadZones(ctx, map, zoneFiles);
        var declaredDerived = ctx.Get(map, "zones") is YamlMappingNode zonesMap ? DeclaredIds(ctx, zonesMap, "derived") : [];
        var zoneNames = knownZones is null ? null : new HashSet<string>(knownZones.Concat(declaredDerived), StringComparer.Ordinal);
        foreach (var (d, i) in derived.Select((d, i) => (d, i)))
        {
            var node = ctx.DerivedNodes[i];
            foreach (var op in d.Operands)
            {
                var earlier = derived.Take(i).Any(x => x.Id == op);
                if (zoneNames is not null && !knownZones!.Contains(op.Value) && !earlier)
                {
                    ctx.Error(node, $"zones.derived[{i}]", "agreement.unknown_zone",
                        $"Derived zone '{d.Id}' uses unknown zone or line '{op}' (not in the zone library, nor derived above it).");
                }
            }
        }
        var phases = ReadPhases(ctx, map, partyCodes);
        var phaseIds = DeclaredIds(ctx, map, "phases");
        var obligations = ReadObligations(ctx, map, partyCodes, phaseIds, zoneNames);
        var responsePeriod = ReadComplaints(ctx, map);

        if (ctx.HasErrors || id is null)
        {
            return null;
        }
        try
        {
            return new Agreement(id, version, title, effective, tz, parties, phases, obligations, derived,
                ctx.String(map, "", "source") ?? ctx.FileName, responsePeriod);
        }
        catch (ArgumentException e)
        {
            ctx.Error(map, "", "agreement.invalid", e.Message);
            return null;
        }
    }

    /// <summary>
    /// The optional <c>complaints</c> mapping: <c>response_period</c>, how long an accused party has to answer a formal
    /// complaint. Null when absent (the complaints module then falls back to its documented default).
    /// </summary>
    private static TimeSpan? ReadComplaints(Context ctx, YamlMappingNode map)
    {
        if (ctx.Get(map, "complaints") is not { } node)
        {
            return null;
        }
        if (node is not YamlMappingNode cm)
        {
            ctx.Error(node, "complaints", "agreement.type", "complaints is a mapping: { response_period: 72h }.");
            return null;
        }
        ctx.CheckKeys(cm, "complaints", ["response_period"]);
        return ctx.Get(cm, "response_period") is { } period ? ctx.Duration(period, "complaints.response_period") : null;
    }

    /// <summary>Ids declared under <paramref name="key"/>, valid or not, so one bad entry does not cascade into "unknown id" errors.</summary>
    private static HashSet<string> DeclaredIds(Context ctx, YamlMappingNode map, string key) =>
        ctx.Get(map, key) is YamlSequenceNode seq
            ? seq.Children.OfType<YamlMappingNode>().Select(m => (ctx.Get(m, "id") as YamlScalarNode)?.Value).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!).ToHashSet(StringComparer.Ordinal)
            : [];

    private static List<Party> ReadParties(Context ctx, YamlMappingNode map)
    {
        var list = new List<Party>();
        if (ctx.Get(map, "parties") is not { } node)
        {
            ctx.Error(map, "parties", "agreement.missing", "The agreement names no parties (key 'parties').");
            return list;
        }
        foreach (var (pm, path) in ctx.Mappings(node, "parties", "A party is a mapping with code, role and names.", ["code", "role", "names", "notes"]))
        {
            var code = ctx.RequiredString(pm, path, "code");
            if (code is null)
            {
                continue;
            }
            if (!PartyCode.IsValid(code))
            {
                ctx.Error(ctx.Get(pm, "code")!, path + ".code", "agreement.party_code", $"'{code}' is not a party code (1-16 upper-case letters, digits, '-' or '_').");
                continue;
            }
            if (list.Any(p => p.Code.Value == code))
            {
                ctx.Error(ctx.Get(pm, "code")!, path + ".code", "agreement.duplicate_party", $"Party '{code}' is listed twice.");
                continue;
            }
            var role = ctx.Enum(pm, path, "role", PartyRole.Signatory);
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            if (ctx.Get(pm, "names") is { } namesNode)
            {
                if (namesNode is YamlMappingNode nm)
                {
                    foreach (var (k, v) in nm.Children)
                    {
                        names[((YamlScalarNode)k).Value ?? ""] = (v as YamlScalarNode)?.Value ?? "";
                    }
                }
                else
                {
                    ctx.Error(namesNode, path + ".names", "agreement.type", "names is a mapping of language tag to name, e.g. { en: Ukraine, uk: Україна }.");
                }
            }
            list.Add(new Party(new PartyCode(code), role, names));
        }
        return list;
    }

    private static List<DerivedZone> ReadZones(Context ctx, YamlMappingNode map, List<string> zoneFiles)
    {
        var list = new List<DerivedZone>();
        if (ctx.Get(map, "zones") is not { } node)
        {
            return list;
        }
        if (node is not YamlMappingNode zm)
        {
            ctx.Error(node, "zones", "agreement.type", "zones is a mapping with 'library' (zone files) and 'derived' (zones computed from others).");
            return list;
        }
        ctx.CheckKeys(zm, "zones", ["library", "derived"]);
        if (ctx.Get(zm, "library") is { } lib)
        {
            var baseDir = Path.GetDirectoryName(Path.GetFullPath(ctx.FileName)) ?? ".";
            foreach (var (item, path) in ctx.ItemsOrScalar(lib, "zones.library"))
            {
                if (item is YamlScalarNode s && !string.IsNullOrWhiteSpace(s.Value))
                {
                    var full = Path.GetFullPath(Path.Combine(baseDir, s.Value));
                    if (ctx.CheckZoneFiles && !File.Exists(full))
                    {
                        ctx.Error(item, path, "agreement.zone_file", $"Zone file '{s.Value}' not found (looked at {full}).");
                    }
                    zoneFiles.Add(full);
                }
                else
                {
                    ctx.Error(item, path, "agreement.type", "A zone library entry is a file path.");
                }
            }
        }
        if (ctx.Get(zm, "derived") is not { } derivedNode)
        {
            return list;
        }
        foreach (var (dm, path) in ctx.Mappings(derivedNode, "zones.derived", "A derived zone is a mapping with id and one of union, difference, buffer.", ["id", "name", "union", "difference", "buffer", "notes"]))
        {
            var id = ctx.RequiredString(dm, path, "id");
            var name = ctx.String(dm, path, "name") ?? id ?? "";
            var ops = new[] { "union", "difference", "buffer" }.Where(k => ctx.Get(dm, k) is not null).ToList();
            if (ops.Count != 1)
            {
                ctx.Error(dm, path, "agreement.derived_zone", $"Derived zone '{id}' needs exactly one of union, difference, buffer (found {(ops.Count == 0 ? "none" : string.Join(", ", ops))}).");
                continue;
            }
            if (id is null)
            {
                continue;
            }
            if (list.Any(d => d.Id.Value == id))
            {
                ctx.Error(ctx.Get(dm, "id")!, path + ".id", "agreement.duplicate_zone", $"Derived zone '{id}' is defined twice.");
                continue;
            }
            DerivedZone? zone = null;
            switch (ops[0])
            {
                case "union":
                case "difference":
                    var operands = ctx.StringList(ctx.Get(dm, ops[0])!, $"{path}.{ops[0]}");
                    var min = ops[0] == "union" ? 1 : 2;
                    if (operands.Count < min)
                    {
                        ctx.Error(ctx.Get(dm, ops[0])!, $"{path}.{ops[0]}", "agreement.derived_zone", $"{ops[0]} needs at least {min} zones.");
                        break;
                    }
                    zone = new DerivedZone(new ZoneId(id), name, ops[0] == "union" ? DerivedZoneOperation.Union : DerivedZoneOperation.Difference,
                        operands.Select(o => new ZoneId(o)).ToList());
                    break;
                case "buffer":
                    if (ctx.Get(dm, "buffer") is not YamlMappingNode bm)
                    {
                        ctx.Error(ctx.Get(dm, "buffer")!, path + ".buffer", "agreement.type", "buffer is a mapping: { of: ZONE_OR_LINE, km: DISTANCE }.");
                        break;
                    }
                    ctx.CheckKeys(bm, path + ".buffer", ["of", "km"]);
                    var of = ctx.RequiredString(bm, path + ".buffer", "of");
                    var km = ctx.Double(bm, path + ".buffer", "km");
                    if (km is null)
                    {
                        ctx.Error(bm, path + ".buffer.km", "agreement.missing", "buffer needs 'km', the distance in kilometres.");
                    }
                    else if (km <= 0 || km > 2000)
                    {
                        ctx.Error(ctx.Get(bm, "km")!, path + ".buffer.km", "agreement.buffer_km", $"Buffer distance {km} km is out of range (0, 2000].");
                    }
                    else if (of is not null)
                    {
                        zone = new DerivedZone(new ZoneId(id), name, DerivedZoneOperation.Buffer, [new ZoneId(of)], km.Value);
                    }
                    break;
            }
            if (zone is not null)
            {
                list.Add(zone);
                ctx.DerivedNodes.Add(dm);
            }
        }
        return list;
    }

    private static List<Phase> ReadPhases(Context ctx, YamlMappingNode map, HashSet<PartyCode> parties)
    {
        var list = new List<Phase>();
        if (ctx.Get(map, "phases") is not { } node)
        {
            ctx.Error(map, "phases", "agreement.missing", "The agreement has no phases (key 'phases').");
            return list;
        }
        foreach (var (pm, path) in ctx.Mappings(node, "phases", "A phase is a mapping with id, name, status, start and end or duration.", ["id", "name", "status", "start", "end", "duration", "preconditions", "notes", "source"]))
        {
            var id = ctx.RequiredString(pm, path, "id");
            var name = ctx.String(pm, path, "name") ?? id ?? "";
            var status = ctx.Enum(pm, path, "status", PhaseStatus.Proposed, required: true);
            var window = ctx.Window(pm, path, required: status is PhaseStatus.InForce or PhaseStatus.Expired);
            var preconditions = new List<Precondition>();
            if (ctx.Get(pm, "preconditions") is { } pre)
            {
                foreach (var (prm, ppath) in ctx.Mappings(pre, path + ".preconditions", "A precondition is a mapping with text, demanded_by, status, source.", ["text", "demanded_by", "status", "source"]))
                {
                    var text = ctx.RequiredString(prm, ppath, "text");
                    var by = ctx.Party(prm, ppath, "demanded_by", parties);
                    var pst = ctx.Enum(prm, ppath, "status", PreconditionStatus.Unmet);
                    if (text is not null && by is not null)
                    {
                        preconditions.Add(new Precondition(text, by.Value, pst, ctx.String(prm, ppath, "source")));
                    }
                }
            }
            if (id is null)
            {
                continue;
            }
            if (list.Any(p => p.Id == id))
            {
                ctx.Error(ctx.Get(pm, "id")!, path + ".id", "agreement.duplicate_phase", $"Phase '{id}' is defined twice.");
                continue;
            }
            if ((status is PhaseStatus.InForce or PhaseStatus.Expired) && window is null)
            {
                continue; // error already reported
            }
            list.Add(new Phase(id, name, status, window, preconditions, ctx.String(pm, path, "notes")));
        }
        return list;
    }

    private static List<Obligation> ReadObligations(Context ctx, YamlMappingNode map, HashSet<PartyCode> parties, HashSet<string> phases, HashSet<string>? zones)
    {
        var list = new List<Obligation>();
        if (ctx.Get(map, "obligations") is not { } node)
        {
            ctx.Error(map, "obligations", "agreement.missing", "The agreement has no obligations (key 'obligations').");
            return list;
        }
        foreach (var (om, path) in ctx.Mappings(node, "obligations", "An obligation is a mapping with id, phase, clause, bound, acts, targets, zones.", ["id", "phase", "clause", "bound", "acts", "targets", "zones", "start", "end", "duration", "readings", "notes", "source"]))
        {
            var errorsBefore = ctx.ErrorCount;
            var id = ctx.RequiredString(om, path, "id");
            var phase = ctx.RequiredString(om, path, "phase");
            if (phase is not null && !phases.Contains(phase))
            {
                ctx.Error(ctx.Get(om, "phase")!, path + ".phase", "agreement.unknown_phase", $"Unknown phase '{phase}' (defined: {string.Join(", ", phases)}).");
            }
            var clause = ctx.String(om, path, "clause") ?? "";
            var bound = ReadBound(ctx, om, path, parties);
            var acts = ReadActs(ctx, om, path);
            var targets = ctx.Get(om, "targets") is { } tn ? ReadTargets(ctx, tn, path + ".targets") : null;
            if (targets is null && ctx.Get(om, "targets") is null)
            {
                ctx.Error(om, path + ".targets", "agreement.missing", "An obligation needs 'targets': a list of target categories or 'all'.");
            }
            var (include, exclude) = ReadObligationZones(ctx, om, path, zones);
            var window = ctx.Window(om, path, required: false);
            var readings = new List<Reading>();
            if (ctx.Get(om, "readings") is { } rn)
            {
                foreach (var (rm, rpath) in ctx.Mappings(rn, path + ".readings", "A reading is a mapping with party and the start/end/duration and/or targets that party reads.", ["party", "start", "end", "duration", "targets", "source", "notes"]))
                {
                    var party = ctx.Party(rm, rpath, "party", parties);
                    var rw = ctx.Window(rm, rpath, required: false);
                    var rt = ctx.Get(rm, "targets") is { } rtn ? ReadTargets(ctx, rtn, rpath + ".targets") : null;
                    if (party is { } p)
                    {
                        if (readings.Any(r => r.Party == p))
                        {
                            ctx.Error(ctx.Get(rm, "party")!, rpath + ".party", "agreement.duplicate_reading", $"Party {p} has two readings of obligation '{id}'.");
                            continue;
                        }
                        readings.Add(new Reading(p, rw, rt, ctx.String(rm, rpath, "source")));
                    }
                }
            }
            if (id is not null && list.Any(o => o.Id == id))
            {
                ctx.Error(ctx.Get(om, "id")!, path + ".id", "agreement.duplicate_obligation", $"Obligation '{id}' is defined twice.");
                continue;
            }
            if (ctx.ErrorCount > errorsBefore || id is null || phase is null || targets is null)
            {
                continue;
            }
            list.Add(new Obligation(id, phase, clause, bound, acts, targets.Value, include, exclude, window, readings));
        }
        return list;
    }

    private static List<PartyCode> ReadBound(Context ctx, YamlMappingNode om, string path, HashSet<PartyCode> parties)
    {
        var node = ctx.Get(om, "bound");
        if (node is null)
        {
            ctx.Error(om, path + ".bound", "agreement.missing", "An obligation needs 'bound': the parties it binds, or 'all' (every signatory).");
            return [];
        }
        if (node is YamlScalarNode { Value: "all" })
        {
            return parties.ToList();
        }
        var list = new List<PartyCode>();
        foreach (var (item, ipath) in ctx.Items(node, path + ".bound"))
        {
            var v = (item as YamlScalarNode)?.Value;
            if (v is not null && PartyCode.IsValid(v) && parties.Contains(new PartyCode(v)))
            {
                list.Add(new PartyCode(v));
            }
            else
            {
                ctx.Error(item, ipath, "agreement.unknown_party", $"Unknown party '{v}' (parties: {string.Join(", ", parties)}).");
            }
        }
        if (list.Count == 0 && !ctx.HasErrors)
        {
            ctx.Error(node, path + ".bound", "agreement.missing", "An obligation must bind at least one party.");
        }
        return list;
    }

    private static List<ActKind> ReadActs(Context ctx, YamlMappingNode om, string path)
    {
        var node = ctx.Get(om, "acts");
        if (node is null)
        {
            ctx.Error(om, path + ".acts", "agreement.missing", "An obligation needs 'acts': the act kinds it prohibits.");
            return [];
        }
        var list = new List<ActKind>();
        foreach (var (item, ipath) in ctx.Items(node, path + ".acts"))
        {
            var v = (item as YamlScalarNode)?.Value ?? "";
            if (ActKinds.TryParse(v, out var kind) && !kind.IsUnknown)
            {
                list.Add(kind);
            }
            else if (ActKinds.FromAcledSubEventType(v) is { } fromAcled)
            {
                list.Add(fromAcled);
            }
            else
            {
                ctx.Error(item, ipath, "agreement.unknown_act", $"Unknown act kind '{v}' (known: {string.Join(", ", ActKinds.Codes.Skip(1))}).");
            }
        }
        if (list.Count == 0 && node is YamlSequenceNode { Children.Count: 0 })
        {
            ctx.Error(node, path + ".acts", "agreement.missing", "An obligation must prohibit at least one act kind.");
        }
        return list;
    }

    private static TargetSet? ReadTargets(Context ctx, YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: "all" })
        {
            return TargetSet.All;
        }
        var list = new List<TargetCategory>();
        var ok = true;
        foreach (var (item, ipath) in ctx.Items(node, path))
        {
            var v = (item as YamlScalarNode)?.Value ?? "";
            if (TargetCategories.TryExpand(v, out var cats))
            {
                list.AddRange(cats);
            }
            else
            {
                ok = false;
                ctx.Error(item, ipath, "agreement.unknown_target", $"Unknown target category '{v}' (known: {string.Join(", ", TargetCategories.Codes.Skip(1))}; a family may be written 'energy.*').");
            }
        }
        if (ok && list.Count == 0)
        {
            ctx.Error(node, path, "agreement.missing", "The target list is empty; write 'all' or list categories.");
            return null;
        }
        return ok ? TargetSet.Of(list) : null;
    }

    private static (List<ZoneId>, List<ZoneId>) ReadObligationZones(Context ctx, YamlMappingNode om, string path, HashSet<string>? zones)
    {
        var include = new List<ZoneId>();
        var exclude = new List<ZoneId>();
        var node = ctx.Get(om, "zones");
        if (node is not YamlMappingNode zm)
        {
            ctx.Error(node ?? om, path + ".zones", node is null ? "agreement.missing" : "agreement.type",
                "An obligation needs 'zones': { include: [ZONE, ...], exclude: [ZONE, ...] }.");
            return (include, exclude);
        }
        ctx.CheckKeys(zm, path + ".zones", ["include", "exclude"]);
        foreach (var (key, list) in new[] { ("include", include), ("exclude", exclude) })
        {
            if (ctx.Get(zm, key) is not { } ln)
            {
                if (key == "include")
                {
                    ctx.Error(zm, path + ".zones.include", "agreement.missing", "An obligation must include at least one zone.");
                }
                continue;
            }
            foreach (var (item, ipath) in ctx.Items(ln, $"{path}.zones.{key}"))
            {
                var v = (item as YamlScalarNode)?.Value;
                if (string.IsNullOrWhiteSpace(v))
                {
                    ctx.Error(item, ipath, "agreement.type", "A zone is named by its id.");
                    continue;
                }
                if (zones is not null && !zones.Contains(v))
                {
                    ctx.Error(item, ipath, "agreement.unknown_zone", $"Unknown zone '{v}' (not in the zone library nor derived in this file).");
                    continue;
                }
                list.Add(new ZoneId(v));
            }
        }
        return (include, exclude);
    }

    /// <summary>Parse state: file name, errors, and helpers that read typed values and report with locations.</summary>
    private sealed class Context(string fileName, List<ImportError> errors)
        : YamlReadContext(fileName, errors, "agreement", "2025-03-18T19:30:00+03:00 (with offset), 2025-03-18T19:30 (in time_zone) or 2025-03-18 (midnight in time_zone)")
    {
        private readonly int _start = errors.Count(e => e.Severity == Severity.Error);

        public bool CheckZoneFiles { get; init; } = true;

        public List<YamlMappingNode> DerivedNodes { get; } = [];

        public bool HasErrors => ErrorCount > _start;

        public IEnumerable<(YamlNode Node, string Path)> ItemsOrScalar(YamlNode node, string path) =>
            node is YamlScalarNode ? [(node, path)] : Items(node, path);

        public List<string> StringList(YamlNode node, string path) =>
            Items(node, path).Select(x => (x.Node as YamlScalarNode)?.Value).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!).ToList();

        public string? RequiredString(YamlMappingNode map, string path, string key)
        {
            var v = String(map, path, key);
            if (string.IsNullOrWhiteSpace(v) && Get(map, key) is null)
            {
                Error(map, Join(path, key), "agreement.missing", $"Missing required key '{key}'.");
            }
            return string.IsNullOrWhiteSpace(v) ? null : v;
        }

        public int? Int(YamlMappingNode map, string path, string key)
        {
            var v = String(map, path, key);
            if (v is null)
            {
                return null;
            }
            if (int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
            {
                return i;
            }
            Error(Get(map, key)!, Join(path, key), "agreement.number", $"'{key}' must be a whole number, not '{v}'.");
            return null;
        }

        public double? Double(YamlMappingNode map, string path, string key)
        {
            var v = String(map, path, key);
            if (v is null)
            {
                return null;
            }
            if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            {
                return d;
            }
            Error(Get(map, key)!, Join(path, key), "agreement.number", $"'{key}' must be a number, not '{v}'.");
            return null;
        }

        public TEnum Enum<TEnum>(YamlMappingNode map, string path, string key, TEnum fallback, bool required = false) where TEnum : struct, Enum
        {
            var v = String(map, path, key);
            if (v is null)
            {
                if (required)
                {
                    Error(map, Join(path, key), "agreement.missing", $"Missing required key '{key}' ({string.Join(", ", Names<TEnum>())}).");
                }
                return fallback;
            }
            var normalized = v.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
            if (System.Enum.TryParse<TEnum>(normalized, ignoreCase: true, out var e) && System.Enum.IsDefined(e) && !int.TryParse(normalized, out _))
            {
                return e;
            }
            Error(Get(map, key)!, Join(path, key), "agreement.enum", $"'{v}' is not a valid {key} (one of {string.Join(", ", Names<TEnum>())}).");
            return fallback;
        }

        public PartyCode? Party(YamlMappingNode map, string path, string key, HashSet<PartyCode> parties)
        {
            var v = String(map, path, key);
            if (v is null)
            {
                Error(map, Join(path, key), "agreement.missing", $"Missing required key '{key}' (a party code).");
                return null;
            }
            if (PartyCode.IsValid(v) && parties.Contains(new PartyCode(v)))
            {
                return new PartyCode(v);
            }
            Error(Get(map, key)!, Join(path, key), "agreement.unknown_party", $"Unknown party '{v}' (parties: {string.Join(", ", parties)}).");
            return null;
        }

        /// <summary>Reads start with end or duration; the end is exclusive.</summary>
        public TimeWindow? Window(YamlMappingNode map, string path, bool required)
        {
            var startNode = Get(map, "start");
            var endNode = Get(map, "end");
            var durationNode = Get(map, "duration");
            if (startNode is null)
            {
                if (required)
                {
                    Error(map, Join(path, "start"), "agreement.missing", "A phase that is in force or expired needs 'start'.");
                }
                if (endNode is not null || durationNode is not null)
                {
                    Error(endNode ?? durationNode!, Join(path, "start"), "agreement.missing", "'end' or 'duration' needs a 'start'.");
                }
                return null;
            }
            var start = Instant(startNode, Join(path, "start"));
            if (endNode is not null && durationNode is not null)
            {
                Error(durationNode, Join(path, "duration"), "agreement.window", "Give 'end' or 'duration', not both.");
                return null;
            }
            DateTimeOffset? end = null;
            if (endNode is not null)
            {
                end = Instant(endNode, Join(path, "end"));
                if (end is null)
                {
                    return null;
                }
            }
            else if (durationNode is not null)
            {
                var d = Duration(durationNode, Join(path, "duration"));
                if (d is null || start is null)
                {
                    return null;
                }
                end = start.Value + d.Value;
            }
            if (start is null)
            {
                return null;
            }
            if (end is { } e && e <= start)
            {
                Error(endNode ?? durationNode!, Join(path, endNode is null ? "duration" : "end"), "agreement.window", $"The end ({e:O}) must be after the start ({start:O}).");
                return null;
            }
            return new TimeWindow(start.Value, end);
        }

        /// <summary>An instant with an offset (2025-03-18T19:30:00+03:00), or a date (midnight in the agreement's time zone).</summary>
        public TimeSpan? Duration(YamlNode node, string path)
        {
            var v = (node as YamlScalarNode)?.Value?.Trim() ?? "";
            if (v.Length >= 2 && char.IsDigit(v[0]) && v[^1] is 'd' or 'h' &&
                double.TryParse(v[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0)
            {
                return v[^1] == 'd' ? TimeSpan.FromDays(n) : TimeSpan.FromHours(n);
            }
            if (v.StartsWith('P'))
            {
                try
                {
                    var ts = XmlConvert.ToTimeSpan(v);
                    if (ts > TimeSpan.Zero)
                    {
                        return ts;
                    }
                }
                catch (FormatException)
                {
                }
            }
            Error(node, path, "agreement.duration", $"'{v}' is not a duration: write 30d, 12h or ISO 8601 (P30D, PT12H).");
            return null;
        }

        private static IEnumerable<string> Names<TEnum>() where TEnum : struct, Enum =>
            System.Enum.GetNames<TEnum>().Select(n => string.Concat(n.Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())));
    }
}

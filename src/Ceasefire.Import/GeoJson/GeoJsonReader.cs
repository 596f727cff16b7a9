using System.Globalization;
using System.Text;
using System.Text.Json;
using Ceasefire.Geo;
using Ceasefire.Import.Errors;
using Ceasefire.Zones;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Valid;

namespace Ceasefire.Import.GeoJson;

/// <summary>What <see cref="GeoJsonReader.ReadZones(string, ZoneReadOptions)"/> does with polygonal geometry that is not valid.</summary>
public enum InvalidGeometryPolicy
{
    /// <summary>Repair it with NTS <see cref="GeometryFixer"/>, keep the polygonal part and report a warning.</summary>
    Repair,
    /// <summary>Report an error and drop the feature; the other features are still read.</summary>
    Reject,
}

/// <summary>How to read a zone file. Immutable.</summary>
public sealed record ZoneReadOptions
{
    /// <summary>Defaults: id from <c>id</c>, <c>zone_id</c>, <c>iso_3166_2</c> or the feature id; invalid geometry rejected.</summary>
    public static ZoneReadOptions Default { get; } = new();

    /// <summary>
    /// The feature property that holds the zone id. When null, the first present of the properties <c>id</c>,
    /// <c>zone_id</c>, <c>iso_3166_2</c> and then the feature's own <c>id</c> member is used. Numeric ids are taken as
    /// written (<c>7</c> becomes <c>"7"</c>).
    /// </summary>
    public string? IdProperty { get; init; }

    /// <summary>Repair or reject invalid polygonal geometry. Default <see cref="InvalidGeometryPolicy.Reject"/>: repair is opt-in.</summary>
    public InvalidGeometryPolicy InvalidGeometry { get; init; } = InvalidGeometryPolicy.Reject;

    /// <summary>Attribution stored as <see cref="Zone.Source"/> of every zone read (for example "Natural Earth 50m").</summary>
    public string? Source { get; init; }
}

/// <summary>
/// The content of a zone file: the areal features as zones, in file order, and the linear features (a line of
/// contact, a corridor axis) by id, ready to be buffered into zones. Every geometry is SRID 4326, 2-D. Immutable.
/// </summary>
public sealed class ZoneFile
{
    /// <summary>Creates a zone file value.</summary>
    public ZoneFile(IReadOnlyList<Zone> zones, IReadOnlyDictionary<ZoneId, Geometry> lines)
    {
        ArgumentNullException.ThrowIfNull(zones);
        ArgumentNullException.ThrowIfNull(lines);
        Zones = zones;
        Lines = lines;
    }

    /// <summary>Zones read from features with Polygon or MultiPolygon geometry (valid, possibly repaired).</summary>
    public IReadOnlyList<Zone> Zones { get; }

    /// <summary>LineString or MultiLineString geometry of linear features, by feature id.</summary>
    public IReadOnlyDictionary<ZoneId, Geometry> Lines { get; }
}

/// <summary>Stable codes of the problems <see cref="GeoJsonReader"/> reports (<see cref="ImportError.Code"/>).</summary>
public static class GeoJsonCodes
{
    /// <summary>The file could not be read.</summary>
    public const string Io = "geojson.io";
    /// <summary>The text is not well-formed JSON.</summary>
    public const string Syntax = "geojson.syntax";
    /// <summary>A missing or unknown <c>type</c>, or a member of the wrong JSON kind.</summary>
    public const string Type = "geojson.type";
    /// <summary>The file declares a coordinate reference system other than WGS 84 longitude, latitude.</summary>
    public const string Crs = "geojson.crs";
    /// <summary>Coordinates nested wrongly, too few positions, not numbers, or out of range.</summary>
    public const string Coordinates = "geojson.coordinates";
    /// <summary>A polygon ring whose last position differs from its first.</summary>
    public const string RingNotClosed = "geojson.ring_not_closed";
    /// <summary>A feature with no geometry (null or empty) where one is needed.</summary>
    public const string EmptyGeometry = "geojson.empty_geometry";
    /// <summary>Invalid polygonal geometry: an error when rejected, a warning when repaired.</summary>
    public const string InvalidGeometry = "geojson.invalid_geometry";
    /// <summary>A feature that a zone file cannot use (points), or parts of one that were dropped; a warning.</summary>
    public const string Skipped = "geojson.skipped";
    /// <summary>A feature without an id.</summary>
    public const string MissingId = "geojson.missing_id";
    /// <summary>A feature whose id an earlier feature already has.</summary>
    public const string DuplicateId = "geojson.duplicate_id";
}

/// <summary>
/// Reads GeoJSON (RFC 7946): a FeatureCollection, a single Feature or a bare geometry, into NTS geometries of
/// <see cref="Wgs84.Factory"/> (SRID 4326). Positions are (longitude, latitude) degrees; a third ordinate (height) is
/// accepted and dropped, so every geometry is 2-D. Every problem is an <see cref="ImportError"/> with the file, the
/// 1-based line and column of the offending value and its JSON path (<c>$.features[3].geometry.coordinates[0][5]</c>);
/// features with problems are left out and the others are kept. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// The whole file is read into memory and parsed with <see cref="Utf8JsonReader"/> into a small tree that remembers
/// where each value starts, so that errors about meaning (not only about syntax) can give a line and column.
/// Polygon rings must be closed (they are never closed silently); ring orientation is not checked, as RFC 7946 asks of
/// parsers.
/// </remarks>
public static class GeoJsonReader
{
    private static readonly string[] DefaultIdProperties = ["id", "zone_id", "iso_3166_2"];
    private static readonly string[] NameProperties = ["name", "name_en"];

    /// <summary>Reads the zones and lines of a GeoJSON file.</summary>
    /// <param name="path">The file; errors name it as given.</param>
    /// <param name="options">Id property, invalid-geometry policy, attribution.</param>
    /// <returns>The zones and lines that could be read (null only when the file as a whole is unusable) and every problem.</returns>
    public static ImportResult<ZoneFile> ReadZones(string path, ZoneReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        return TryReadFile(path, out var bytes, out var error)
            ? ReadZones(bytes, path, options)
            : new ImportResult<ZoneFile>(null, [error]);
    }

    /// <summary>Reads the zones and lines of GeoJSON from a stream (read to its end, not closed).</summary>
    /// <param name="stream">The GeoJSON text, UTF-8.</param>
    /// <param name="displayName">The name errors give as the file.</param>
    /// <param name="options">Id property, invalid-geometry policy, attribution.</param>
    public static ImportResult<ZoneFile> ReadZones(Stream stream, string displayName, ZoneReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(displayName);
        ArgumentNullException.ThrowIfNull(options);
        return ReadZones(ReadAll(stream), displayName, options);
    }

    /// <summary>Reads the zones and lines of GeoJSON from a stream asynchronously (read to its end, not closed).</summary>
    /// <param name="stream">The GeoJSON text, UTF-8.</param>
    /// <param name="displayName">The name errors give as the file.</param>
    /// <param name="options">Id property, invalid-geometry policy, attribution.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<ImportResult<ZoneFile>> ReadZonesAsync(Stream stream, string displayName, ZoneReadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(displayName);
        ArgumentNullException.ThrowIfNull(options);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return ReadZones(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), displayName, options);
    }

    /// <summary>
    /// Reads every feature of a GeoJSON file as it is: id, geometry (null for an unlocated feature) and properties
    /// (strings, <see cref="long"/> for integers, <see cref="double"/>, <see cref="bool"/>, null, lists and nested
    /// dictionaries). A bare geometry is read as one feature. Geometry is checked for structure, not validity.
    /// </summary>
    /// <param name="path">The file; errors name it as given.</param>
    public static ImportResult<IReadOnlyList<GeoJsonFeature>> ReadFeatures(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return TryReadFile(path, out var bytes, out var error)
            ? ReadFeatures(bytes, path)
            : new ImportResult<IReadOnlyList<GeoJsonFeature>>(null, [error]);
    }

    /// <summary>Reads every feature of GeoJSON from a stream (see <see cref="ReadFeatures(string)"/>); the stream is not closed.</summary>
    /// <param name="stream">The GeoJSON text, UTF-8.</param>
    /// <param name="displayName">The name errors give as the file.</param>
    public static ImportResult<IReadOnlyList<GeoJsonFeature>> ReadFeatures(Stream stream, string displayName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(displayName);
        return ReadFeatures(ReadAll(stream), displayName);
    }

    private static ImportResult<ZoneFile> ReadZones(ReadOnlyMemory<byte> utf8, string file, ZoneReadOptions options)
    {
        var doc = new Document(file, utf8);
        var features = doc.ParseFeatures();
        if (features is null)
        {
            return new ImportResult<ZoneFile>(null, doc.Problems);
        }
        var zones = new List<Zone>();
        var lines = new Dictionary<ZoneId, Geometry>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in features)
        {
            ReadZoneFeature(doc, f, options, seen, zones, lines);
        }
        return new ImportResult<ZoneFile>(new ZoneFile(zones, lines), doc.Problems);
    }

    private static void ReadZoneFeature(Document doc, FeatureNode f, ZoneReadOptions options, Dictionary<string, string> seen,
        List<Zone> zones, Dictionary<ZoneId, Geometry> lines)
    {
        var (id, idNode, idPath) = ResolveId(f, options);
        var label = id is null ? f.Path : $"'{id}'";
        if (f.GeometryNode is null or Literal { Kind: JsonTokenType.Null })
        {
            doc.Report(f.GeometryNode ?? f.Node, $"{f.Path}.geometry", GeoJsonCodes.EmptyGeometry, Messages.NoGeometry(label));
            return;
        }
        var geometry = doc.ReadGeometry(f.GeometryNode, $"{f.Path}.geometry");
        if (geometry is null)
        {
            return;
        }
        if (geometry.IsEmpty)
        {
            doc.Report(f.GeometryNode, $"{f.Path}.geometry", GeoJsonCodes.EmptyGeometry, Messages.NoGeometry(label));
            return;
        }
        if (geometry.Dimension == Dimension.Point)
        {
            doc.Report(f.GeometryNode, $"{f.Path}.geometry", GeoJsonCodes.Skipped, Messages.PointSkipped(label, geometry.GeometryType), Severity.Warning);
            return;
        }
        if (id is null)
        {
            doc.Report(idNode ?? f.Node, idPath, GeoJsonCodes.MissingId, Messages.MissingId(options.IdProperty));
            return;
        }
        if (!seen.TryAdd(id, f.Path))
        {
            doc.Report(idNode ?? f.Node, idPath, GeoJsonCodes.DuplicateId, Messages.DuplicateId(id, seen[id]));
            return;
        }

        var zoneId = new ZoneId(id);
        var kept = geometry.Dimension == Dimension.Curve
            ? KeepParts<LineString>(doc, f, geometry, label, "LineString")
            : KeepParts<Polygon>(doc, f, geometry, label, "Polygon");
        if (kept.IsEmpty)
        {
            doc.Report(f.GeometryNode, $"{f.Path}.geometry", GeoJsonCodes.EmptyGeometry, Messages.NoGeometry(label));
            return;
        }
        if (kept.Dimension == Dimension.Curve)
        {
            lines.Add(zoneId, kept);
            return;
        }

        var area = kept;
        var validity = new IsValidOp(area);
        if (!validity.IsValid)
        {
            var problem = Messages.Describe(validity.ValidationError);
            if (options.InvalidGeometry == InvalidGeometryPolicy.Reject)
            {
                doc.Report(f.GeometryNode, $"{f.Path}.geometry", GeoJsonCodes.InvalidGeometry, Messages.InvalidRejected(label, problem));
                return;
            }
            area = Polygonal(GeometryFixer.Fix(area));
            if (area.IsEmpty || !area.IsValid)
            {
                doc.Report(f.GeometryNode, $"{f.Path}.geometry", GeoJsonCodes.InvalidGeometry, Messages.RepairFailed(label, problem));
                return;
            }
            doc.Report(f.GeometryNode, $"{f.Path}.geometry", GeoJsonCodes.InvalidGeometry, Messages.Repaired(label, problem), Severity.Warning);
        }
        var name = FirstText(f.Properties, NameProperties) ?? id;
        var kind = FirstText(f.Properties, ["kind"]);
        zones.Add(new Zone(zoneId, name, area, kind, options.Source));
    }

    /// <summary>The parts of the wanted type (polygons of an areal feature, lines of a linear one); a warning when others are dropped.</summary>
    private static Geometry KeepParts<T>(Document doc, FeatureNode f, Geometry geometry, string label, string kind) where T : Geometry
    {
        if (geometry is not GeometryCollection collection || geometry is MultiPolygon or MultiLineString)
        {
            return geometry;
        }
        var parts = new List<T>();
        Flatten(collection, parts, out var dropped);
        if (dropped > 0)
        {
            doc.Report(f.GeometryNode!, $"{f.Path}.geometry", GeoJsonCodes.Skipped, Messages.PartsDropped(label, dropped, kind), Severity.Warning);
        }
        return parts switch
        {
            [var one] => one,
            List<Polygon> polygons => Wgs84.Factory.CreateMultiPolygon([.. polygons]),
            _ => Wgs84.Factory.CreateMultiLineString([.. parts.Cast<LineString>()]),
        };

        static void Flatten(Geometry g, List<T> parts, out int dropped)
        {
            dropped = 0;
            for (var i = 0; i < g.NumGeometries; i++)
            {
                var part = g.GetGeometryN(i);
                if (part is T t)
                {
                    parts.Add(t);
                }
                else if (part is GeometryCollection && !ReferenceEquals(part, g))
                {
                    Flatten(part, parts, out var d);
                    dropped += d;
                }
                else if (!part.IsEmpty)
                {
                    dropped++;
                }
            }
        }
    }

    /// <summary>The polygonal part of a repaired geometry as a Polygon or MultiPolygon.</summary>
    private static Geometry Polygonal(Geometry g)
    {
        if (g is Polygon or MultiPolygon)
        {
            return g;
        }
        var polygons = PolygonExtracter.GetPolygons(g).Cast<Polygon>().ToArray();
        Geometry result = polygons.Length == 1 ? polygons[0] : Wgs84.Factory.CreateMultiPolygon(polygons);
        // Polygons from different parts of a collection may overlap; their union is the area meant.
        return result.IsValid ? result : Polygonal(result.Union());
    }

    private static (string? Id, Node? At, string Path) ResolveId(FeatureNode f, ZoneReadOptions options)
    {
        if (options.IdProperty is { } property)
        {
            var node = f.Properties?.Get(property);
            return (ScalarText(node), node ?? f.PropertiesNode, $"{f.Path}.properties.{property}");
        }
        foreach (var name in DefaultIdProperties)
        {
            var node = f.Properties?.Get(name);
            if (ScalarText(node) is { } text)
            {
                return (text, node, $"{f.Path}.properties.{name}");
            }
        }
        return (ScalarText(f.IdNode), f.IdNode, f.IdNode is null ? f.Path : $"{f.Path}.id");
    }

    private static string? FirstText(ObjectNode? properties, string[] names)
    {
        foreach (var name in names)
        {
            if (ScalarText(properties?.Get(name)) is { } text)
            {
                return text;
            }
        }
        return null;
    }

    private static string? ScalarText(Node? node) => node switch
    {
        StringNode s when !string.IsNullOrWhiteSpace(s.Value) => s.Value,
        NumberNode n => n.Raw,
        _ => null,
    };

    private static ImportResult<IReadOnlyList<GeoJsonFeature>> ReadFeatures(ReadOnlyMemory<byte> utf8, string file)
    {
        var doc = new Document(file, utf8);
        var features = doc.ParseFeatures();
        if (features is null)
        {
            return new ImportResult<IReadOnlyList<GeoJsonFeature>>(null, doc.Problems);
        }
        var result = new List<GeoJsonFeature>(features.Count);
        foreach (var f in features)
        {
            Geometry? geometry = null;
            if (f.GeometryNode is not (null or Literal { Kind: JsonTokenType.Null }))
            {
                geometry = doc.ReadGeometry(f.GeometryNode, $"{f.Path}.geometry");
                if (geometry is null)
                {
                    continue;
                }
            }
            var properties = f.Properties is null ? null : (IReadOnlyDictionary<string, object?>)ToValue(f.Properties)!;
            result.Add(new GeoJsonFeature(geometry, properties, ScalarText(f.IdNode)));
        }
        return new ImportResult<IReadOnlyList<GeoJsonFeature>>(result, doc.Problems);
    }

    private static object? ToValue(Node node) => node switch
    {
        StringNode s => s.Value,
        NumberNode n => n.IsInteger && long.TryParse(n.Raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? (object)l : n.Value,
        NumbersNode ns => ns.AllIntegers && ns.Values.All(v => Math.Abs(v) < 9e15)
            ? ns.Values.Select(v => (object?)(long)v).ToList()
            : ns.Values.Select(v => (object?)v).ToList(),
        ArrayNode a => a.Items.Select(ToValue).ToList(),
        ObjectNode o => o.Members.GroupBy(m => m.Key).ToDictionary(g => g.Key, g => ToValue(g.First().Value)),
        Literal { Kind: JsonTokenType.True } => true,
        Literal { Kind: JsonTokenType.False } => false,
        _ => null,
    };

    private static bool TryReadFile(string path, out ReadOnlyMemory<byte> bytes, out ImportError error)
    {
        try
        {
            bytes = File.ReadAllBytes(path);
            error = null!;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            bytes = default;
            error = new ImportError(path, 0, 0, "", GeoJsonCodes.Io, Messages.CannotRead(e.Message));
            return false;
        }
    }

    private static ReadOnlyMemory<byte> ReadAll(Stream stream)
    {
        using var buffer = stream.CanSeek ? new MemoryStream(checked((int)Math.Max(0, stream.Length - stream.Position))) : new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    /// <summary>One feature as found: its path, id member, properties and geometry nodes.</summary>
    private sealed record FeatureNode(string Path, Node Node, Node? IdNode, Node? PropertiesNode, Node? GeometryNode)
    {
        public ObjectNode? Properties => PropertiesNode as ObjectNode;
    }

    /// <summary>A file being read: its bytes, the tree parsed from them and the problems found so far.</summary>
    private sealed class Document(string file, ReadOnlyMemory<byte> utf8)
    {
        private readonly ReadOnlyMemory<byte> _utf8 = utf8.Span.StartsWith("\uFEFF"u8) ? utf8[3..] : utf8;
        private readonly List<ImportError> _problems = [];
        private int[]? _lineStarts;

        public IReadOnlyList<ImportError> Problems => _problems;

        /// <summary>The features of the file (a bare geometry or a lone feature counts as one); null when the file is unusable.</summary>
        public List<FeatureNode>? ParseFeatures()
        {
            Node root;
            try
            {
                root = new TreeBuilder(_utf8).Build();
            }
            catch (JsonException e)
            {
                var (line, column) = e is NumberOutOfRange n ? Position(n.Offset) : Position(e.LineNumber, e.BytePositionInLine);
                _problems.Add(new ImportError(file, line, column, "$", GeoJsonCodes.Syntax, Messages.Syntax(e.Message)));
                return null;
            }
            if (root is not ObjectNode top)
            {
                Report(root, "$", GeoJsonCodes.Type, Messages.NotAnObject("The document"));
                return null;
            }
            if (!CheckCrs(top))
            {
                return null;
            }
            switch (TypeOf(top, "$"))
            {
                case null:
                    return null;
                case "FeatureCollection":
                    if (top.Get("features") is not ArrayNode list)
                    {
                        Report(top.Get("features") ?? top, "$.features", GeoJsonCodes.Type, Messages.FeaturesNotArray);
                        return null;
                    }
                    var features = new List<FeatureNode>(list.Items.Count);
                    for (var i = 0; i < list.Items.Count; i++)
                    {
                        if (Feature(list.Items[i], $"$.features[{i}]") is { } f)
                        {
                            features.Add(f);
                        }
                    }
                    return features;
                case "Feature":
                    return Feature(top, "$") is { } one ? [one] : [];
                case var t when GeometryTypes.Contains(t):
                    return [new FeatureNode("$", top, null, null, top)];
                case var t:
                    Report(top.Get("type")!, "$.type", GeoJsonCodes.Type, Messages.UnknownType(t, "FeatureCollection, Feature or a geometry"));
                    return null;
            }
        }

        private FeatureNode? Feature(Node node, string path)
        {
            if (node is not ObjectNode o)
            {
                Report(node, path, GeoJsonCodes.Type, Messages.NotAnObject("A feature"));
                return null;
            }
            var type = TypeOf(o, path);
            if (type is null)
            {
                return null;
            }
            if (type != "Feature")
            {
                Report(o.Get("type")!, $"{path}.type", GeoJsonCodes.Type, Messages.UnknownType(type, "Feature"));
                return null;
            }
            var properties = o.Get("properties");
            if (properties is not (null or ObjectNode or Literal { Kind: JsonTokenType.Null }))
            {
                Report(properties, $"{path}.properties", GeoJsonCodes.Type, Messages.NotAnObject("'properties'"));
                return null;
            }
            return new FeatureNode(path, o, o.Get("id"), properties, o.Get("geometry"));
        }

        /// <summary>A geometry from its node, or null after reporting why not.</summary>
        public Geometry? ReadGeometry(Node node, string path)
        {
            if (node is not ObjectNode o)
            {
                Report(node, path, GeoJsonCodes.Type, Messages.NotAnObject("A geometry"));
                return null;
            }
            var type = TypeOf(o, path);
            if (type is null)
            {
                return null;
            }
            if (type == "GeometryCollection")
            {
                if (o.Get("geometries") is not ArrayNode members)
                {
                    Report(o.Get("geometries") ?? o, $"{path}.geometries", GeoJsonCodes.Type, Messages.GeometriesNotArray);
                    return null;
                }
                var parts = new Geometry[members.Items.Count];
                for (var i = 0; i < parts.Length; i++)
                {
                    if (ReadGeometry(members.Items[i], $"{path}.geometries[{i}]") is not { } part)
                    {
                        return null;
                    }
                    parts[i] = part;
                }
                return Wgs84.Factory.CreateGeometryCollection(parts);
            }
            if (!GeometryTypes.Contains(type))
            {
                Report(o.Get("type")!, $"{path}.type", GeoJsonCodes.Type, Messages.UnknownType(type, "a GeoJSON geometry type"));
                return null;
            }
            var coordinates = o.Get("coordinates");
            if (coordinates is null)
            {
                Report(o, $"{path}.coordinates", GeoJsonCodes.Coordinates, Messages.NoCoordinates(type));
                return null;
            }
            path += ".coordinates";
            var f = Wgs84.Factory;
            switch (type)
            {
                case "Point":
                    if (coordinates is ArrayNode { Items.Count: 0 })
                    {
                        return f.CreatePoint();
                    }
                    return Position(coordinates, path, -1) is { } c ? f.CreatePoint(c) : null;
                case "MultiPoint":
                    return Positions(coordinates, path, 0) is { } cs ? f.CreateMultiPointFromCoords(cs) : null;
                case "LineString":
                    return Line(coordinates, path);
                case "MultiLineString":
                    {
                        var lines = Children(coordinates, path, "lines");
                        if (lines is null)
                        {
                            return null;
                        }
                        var result = new LineString[lines.Count];
                        for (var i = 0; i < result.Length; i++)
                        {
                            if (Line(lines[i], $"{path}[{i}]") is not { } line)
                            {
                                return null;
                            }
                            result[i] = line;
                        }
                        return f.CreateMultiLineString(result);
                    }
                case "Polygon":
                    return Polygon(coordinates, path);
                default: // MultiPolygon
                    {
                        var polygons = Children(coordinates, path, "polygons");
                        if (polygons is null)
                        {
                            return null;
                        }
                        var result = new Polygon[polygons.Count];
                        for (var i = 0; i < result.Length; i++)
                        {
                            if (Polygon(polygons[i], $"{path}[{i}]") is not { } polygon)
                            {
                                return null;
                            }
                            result[i] = polygon;
                        }
                        return f.CreateMultiPolygon(result);
                    }
            }
        }

        private LineString? Line(Node node, string path) =>
            Positions(node, path, 2) is { } cs ? Wgs84.Factory.CreateLineString(cs) : null;

        private Polygon? Polygon(Node node, string path)
        {
            var rings = Children(node, path, "rings");
            if (rings is null)
            {
                return null;
            }
            if (rings.Count == 0)
            {
                return Wgs84.Factory.CreatePolygon();
            }
            var result = new LinearRing[rings.Count];
            for (var i = 0; i < result.Length; i++)
            {
                var ringPath = $"{path}[{i}]";
                var cs = Positions(rings[i], ringPath, 0);
                if (cs is null)
                {
                    return null;
                }
                if (cs.Length > 0 && !cs[0].Equals2D(cs[^1]))
                {
                    Report(rings[i], ringPath, GeoJsonCodes.RingNotClosed, Messages.RingNotClosed(i, cs[0], cs[^1]));
                    return null;
                }
                if (cs.Length < 4)
                {
                    Report(rings[i], ringPath, GeoJsonCodes.Coordinates, Messages.RingTooShort(i, cs.Length));
                    return null;
                }
                result[i] = Wgs84.Factory.CreateLinearRing(cs);
            }
            return Wgs84.Factory.CreatePolygon(result[0], result[1..]);
        }

        /// <summary>The items of an array of arrays (lines, rings, polygons).</summary>
        private List<Node>? Children(Node node, string path, string what)
        {
            if (node is ArrayNode a && a.Items.All(i => i is ArrayNode or NumbersNode))
            {
                return a.Items;
            }
            Report(node, path, GeoJsonCodes.Coordinates, Messages.ExpectedArrayOf(what));
            return null;
        }

        private Coordinate[]? Positions(Node node, string path, int minimum)
        {
            if (node is not ArrayNode a)
            {
                Report(node, path, GeoJsonCodes.Coordinates, Messages.ExpectedArrayOf("positions"));
                return null;
            }
            if (a.Items.Count < minimum)
            {
                Report(node, path, GeoJsonCodes.Coordinates, Messages.TooFewPositions(minimum, a.Items.Count));
                return null;
            }
            var result = new Coordinate[a.Items.Count];
            for (var i = 0; i < result.Length; i++)
            {
                if (Position(a.Items[i], path, i) is not { } c)
                {
                    return null;
                }
                result[i] = c;
            }
            return result;
        }

        private Coordinate? Position(Node node, string path, int index)
        {
            if (node is not NumbersNode { Values: var v } || v.Length < 2)
            {
                Report(node, index < 0 ? path : $"{path}[{index}]", GeoJsonCodes.Coordinates, Messages.BadPosition);
                return null;
            }
            var (x, y) = (v[0], v[1]);
            if (!(x >= -180 && x <= 180 && y >= -90 && y <= 90))
            {
                Report(node, index < 0 ? path : $"{path}[{index}]", GeoJsonCodes.Coordinates, Messages.OutOfRange(x, y));
                return null;
            }
            return new Coordinate(x, y);
        }

        /// <summary>The value of <c>type</c>, or null after reporting that it is missing.</summary>
        private string? TypeOf(ObjectNode o, string path)
        {
            if (o.Get("type") is StringNode { Value: var type })
            {
                return type;
            }
            Report(o.Get("type") ?? o, $"{path}.type", GeoJsonCodes.Type, Messages.NoType);
            return null;
        }

        /// <summary>RFC 7946 drops <c>crs</c>; the 2008 form is accepted when it names WGS 84 longitude, latitude.</summary>
        private bool CheckCrs(ObjectNode top)
        {
            var crs = top.Get("crs");
            if (crs is null or Literal { Kind: JsonTokenType.Null })
            {
                return true;
            }
            var name = ((crs as ObjectNode)?.Get("properties") as ObjectNode)?.Get("name") as StringNode;
            if (name?.Value is "urn:ogc:def:crs:OGC:1.3:CRS84" or "urn:ogc:def:crs:OGC::CRS84" or "EPSG:4326" or "urn:ogc:def:crs:EPSG::4326")
            {
                return true;
            }
            Report(name ?? crs, "$.crs", GeoJsonCodes.Crs, Messages.Crs(name?.Value));
            return false;
        }

        public void Report(Node at, string path, string code, string message, Severity severity = Severity.Error)
        {
            var (line, column) = Position(at.Offset);
            _problems.Add(new ImportError(file, line, column, path, code, message, severity));
        }

        /// <summary>1-based line and column (in characters) of a byte offset.</summary>
        private (int Line, int Column) Position(int offset)
        {
            var starts = _lineStarts ??= LineStarts(_utf8.Span);
            var line = Array.BinarySearch(starts, offset);
            if (line < 0)
            {
                line = ~line - 1;
            }
            var text = _utf8.Span[starts[line]..Math.Min(offset, _utf8.Length)];
            var column = 1;
            foreach (var b in text)
            {
                if ((b & 0xC0) != 0x80)
                {
                    column++;
                }
            }
            return (line + 1, column);
        }

        /// <summary>Converts the 0-based line and byte position that <see cref="JsonException"/> gives.</summary>
        private (int Line, int Column) Position(long? line, long? bytePositionInLine)
        {
            if (line is not { } l || bytePositionInLine is not { } b)
            {
                return (0, 0);
            }
            var starts = _lineStarts ??= LineStarts(_utf8.Span);
            return l < starts.Length && starts[l] + b <= _utf8.Length
                ? Position((int)(starts[l] + b))
                : ((int)l + 1, (int)b + 1);
        }

        private static int[] LineStarts(ReadOnlySpan<byte> text)
        {
            var starts = new List<int> { 0 };
            for (var i = text.IndexOf((byte)'\n'); i >= 0;)
            {
                starts.Add(i + 1);
                var next = text[(i + 1)..].IndexOf((byte)'\n');
                i = next < 0 ? -1 : i + 1 + next;
            }
            return starts.ToArray();
        }
    }

    private static readonly HashSet<string> GeometryTypes =
        ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"];

    // The parsed tree. Every node keeps the byte offset where its value starts; an array of numbers only (a position)
    // is kept as one node holding a double[], which keeps the tree small for files of many vertices.

    private abstract class Node(int offset)
    {
        public int Offset { get; } = offset;
    }

    private sealed class ObjectNode(int offset, List<KeyValuePair<string, Node>> members) : Node(offset)
    {
        public List<KeyValuePair<string, Node>> Members { get; } = members;

        /// <summary>The first member so named (JSON leaves duplicates undefined; the first one wins here).</summary>
        public Node? Get(string name)
        {
            foreach (var m in Members)
            {
                if (m.Key == name)
                {
                    return m.Value;
                }
            }
            return null;
        }
    }

    private sealed class ArrayNode(int offset, List<Node> items) : Node(offset)
    {
        public List<Node> Items { get; } = items;
    }

    private sealed class NumbersNode(int offset, double[] values, bool allIntegers) : Node(offset)
    {
        public double[] Values { get; } = values;
        public bool AllIntegers { get; } = allIntegers;
    }

    private sealed class StringNode(int offset, string value) : Node(offset)
    {
        public string Value { get; } = value;
    }

    private sealed class NumberNode(int offset, double value, string raw) : Node(offset)
    {
        public double Value { get; } = value;
        /// <summary>The number as written, which is what an id made of digits means.</summary>
        public string Raw { get; } = raw;
        public bool IsInteger => Raw.AsSpan().IndexOfAny(".eE") < 0;
    }

    private sealed class Literal(int offset, JsonTokenType kind) : Node(offset)
    {
        public JsonTokenType Kind { get; } = kind;
    }

    /// <summary>Builds the tree with <see cref="Utf8JsonReader"/>; throws <see cref="JsonException"/> on malformed JSON.</summary>
    private sealed class TreeBuilder(ReadOnlyMemory<byte> utf8)
    {
        private double[] _numbers = new double[16];
        private int[] _offsets = new int[16];
        private int[] _lengths = new int[16];

        public Node Build()
        {
            var reader = new Utf8JsonReader(utf8.Span, new JsonReaderOptions { MaxDepth = 128 });
            if (!reader.Read())
            {
                throw new JsonException("The input holds no JSON value.", null, 0, 0);
            }
            var root = Value(ref reader);
            if (reader.Read())
            {
                throw new JsonException("Text follows the JSON value.");
            }
            return root;
        }

        private Node Value(ref Utf8JsonReader r)
        {
            var start = (int)r.TokenStartIndex;
            switch (r.TokenType)
            {
                case JsonTokenType.StartObject:
                    var members = new List<KeyValuePair<string, Node>>();
                    while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                    {
                        var name = r.GetString()!;
                        r.Read();
                        members.Add(new(name, Value(ref r)));
                    }
                    return new ObjectNode(start, members);
                case JsonTokenType.StartArray:
                    return Array(ref r, start);
                case JsonTokenType.String:
                    return new StringNode(start, r.GetString()!);
                case JsonTokenType.Number:
                    return new NumberNode(start, Number(ref r), Encoding.UTF8.GetString(r.ValueSpan));
                default:
                    return new Literal(start, r.TokenType);
            }
        }

        private Node Array(ref Utf8JsonReader r, int start)
        {
            // A run of numbers is gathered into scratch arrays and becomes one NumbersNode if nothing else follows.
            var n = 0;
            var integers = true;
            r.Read();
            while (r.TokenType == JsonTokenType.Number)
            {
                if (n == _numbers.Length)
                {
                    System.Array.Resize(ref _numbers, n * 2);
                    System.Array.Resize(ref _offsets, n * 2);
                    System.Array.Resize(ref _lengths, n * 2);
                }
                _numbers[n] = Number(ref r);
                _offsets[n] = (int)r.TokenStartIndex;
                _lengths[n] = r.ValueSpan.Length;
                integers &= r.ValueSpan.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0;
                n++;
                r.Read();
            }
            if (r.TokenType == JsonTokenType.EndArray && n > 0)
            {
                return new NumbersNode(start, _numbers.AsSpan(0, n).ToArray(), integers);
            }
            var items = new List<Node>(n + 4);
            for (var i = 0; i < n; i++)
            {
                var raw = Encoding.UTF8.GetString(utf8.Span.Slice(_offsets[i], _lengths[i]));
                items.Add(new NumberNode(_offsets[i], _numbers[i], raw));
            }
            while (r.TokenType != JsonTokenType.EndArray)
            {
                items.Add(Value(ref r));
                r.Read();
            }
            return new ArrayNode(start, items);
        }

        private static double Number(ref Utf8JsonReader r) =>
            r.TryGetDouble(out var value) && double.IsFinite(value)
                ? value
                : throw new NumberOutOfRange((int)r.TokenStartIndex, Encoding.UTF8.GetString(r.ValueSpan));
    }

    /// <summary>A number too large for a double: well-formed JSON, but not a usable value.</summary>
    private sealed class NumberOutOfRange(int offset, string raw) : JsonException($"The number {raw} is out of range.")
    {
        public int Offset { get; } = offset;
    }

    /// <summary>Every message the reader gives, in one place.</summary>
    private static class Messages
    {
        public const string NoType = "A 'type' member (a string) is required here.";
        public const string FeaturesNotArray = "A FeatureCollection needs a 'features' array.";
        public const string GeometriesNotArray = "A GeometryCollection needs a 'geometries' array.";
        public const string BadPosition = "A position is an array of 2 or 3 numbers: [longitude, latitude] or [longitude, latitude, height].";

        public static string Syntax(string detail) => $"Malformed JSON: {detail}";
        public static string CannotRead(string detail) => $"Cannot read the file: {detail}";
        public static string NotAnObject(string what) => $"{what} must be a JSON object.";
        public static string UnknownType(string type, string expected) => $"Type '{type}' is not {expected} (GeoJSON type names are case-sensitive).";
        public static string NoCoordinates(string type) => $"A {type} needs a 'coordinates' member.";
        public static string ExpectedArrayOf(string what) => $"Expected an array of {what} here.";
        public static string TooFewPositions(int minimum, int count) => $"At least {minimum} positions are needed, found {count}.";
        public static string RingTooShort(int ring, int count) => $"Ring {ring} has {count} positions; a closed ring needs at least 4.";

        public static string RingNotClosed(int ring, Coordinate first, Coordinate last) =>
            Invariant($"Ring {ring} is not closed: it starts at ({first.X}, {first.Y}) and ends at ({last.X}, {last.Y}). Repeat the first position at the end.");

        public static string OutOfRange(double x, double y) =>
            Invariant($"Position ({x}, {y}) is not longitude in [-180, 180], latitude in [-90, 90]. GeoJSON is WGS 84 degrees, longitude first.");

        public static string Crs(string? name) =>
            $"The file declares the coordinate reference system '{name ?? "(unnamed)"}'; only WGS 84 longitude, latitude (CRS84, EPSG:4326) is read.";

        public static string NoGeometry(string feature) => $"Feature {feature} has no geometry.";

        public static string PointSkipped(string feature, string type) =>
            $"Feature {feature} is a {type}; a zone file holds areas and lines, so it was skipped.";

        public static string PartsDropped(string feature, int count, string kind) =>
            $"Feature {feature} mixes geometry types; {count} part(s) that are not {kind} were dropped.";

        public static string MissingId(string? property) => property is null
            ? "The feature has no id: none of the properties 'id', 'zone_id', 'iso_3166_2', nor a feature 'id' is set."
            : $"The feature has no id: property '{property}' is missing or empty.";

        public static string DuplicateId(string id, string first) => $"Zone id '{id}' was already used by {first}; this feature was dropped.";

        public static string InvalidRejected(string zone, string problem) =>
            $"Zone {zone} has invalid geometry ({problem}); it was rejected. Fix the data or read with InvalidGeometryPolicy.Repair.";

        public static string Repaired(string zone, string problem) =>
            $"Zone {zone} had invalid geometry ({problem}); it was repaired with GeometryFixer and its polygonal part kept.";

        public static string RepairFailed(string zone, string problem) =>
            $"Zone {zone} has invalid geometry ({problem}) that could not be repaired into an area; it was rejected.";

        public static string Describe(TopologyValidationError? error) => error is null
            ? "unknown problem"
            : error.Coordinate is { } c ? Invariant($"{error.Message} at ({c.X}, {c.Y})") : error.Message;

        private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
    }
}

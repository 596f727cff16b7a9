using System.Globalization;
using System.Text.Json;
using Ceasefire.Import.Acled;
using Ceasefire.Import.Errors;
using Ceasefire.Import.Json;
using Ceasefire.Import.Text;
using Ceasefire.Incidents;

namespace Ceasefire.Import.GeoJson;

/// <summary>Stable codes of the problems only <see cref="GeoJsonReportReader"/> reports; the others are in <see cref="GeoJsonCodes"/> and <see cref="ReportCodes"/>.</summary>
public static class GeoJsonReportCodes
{
    /// <summary>A feature whose geometry is not a Point (an incident happened at a point, with an uncertainty radius).</summary>
    public const string NotPoint = "geojson.not_point";
}

/// <summary>
/// Reads reports from a GeoJSON FeatureCollection (RFC 7946) of Point features, one incident per feature, streaming
/// (one feature at a time through a window of the file, so memory is bounded by the largest feature). The properties use
/// the field names of the JSON report format (<see cref="ReportJsonReader"/>, <c>docs/report-format.md</c>), except
/// that there is no <c>location</c>: the point is the geometry (longitude, latitude; a third ordinate is ignored) and
/// <c>precision</c>, <c>radius_km</c> and <c>place</c> are properties. The id is the <c>id</c> property, else the
/// feature's own <c>id</c>. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// Features whose geometry is not a Point (a LineString, a Polygon, a MultiPoint) or is null are rejected, each with an
/// error naming the feature (by id, else by its index), and kept verbatim; so are features with unknown members or
/// unknown properties (typos are never dropped silently). Members of the FeatureCollection other than <c>type</c>,
/// <c>features</c> and <c>crs</c> (<c>bbox</c>, <c>name</c>, foreign members) are ignored, as RFC 7946 allows; a
/// <c>crs</c> other than WGS 84 longitude, latitude is an error that stops the read. This reader streams the file itself
/// rather than calling <see cref="GeoJsonReader.ReadFeatures(string)"/>, which reads the whole file into memory and
/// keeps no positions for the properties.
/// </remarks>
public static class GeoJsonReportReader
{
    /// <summary>Reads the file at <paramref name="path"/> into incidents (all in memory; see <see cref="ReadRecords(string, ReportReadOptions, CancellationToken)"/> to stream).</summary>
    /// <param name="path">The GeoJSON file; errors name it as given.</param>
    /// <param name="options">Time zone, actor map, encoding; <see cref="ReportReadOptions.Default"/> when null (the layout is ignored).</param>
    /// <param name="cancellationToken">Stops the read between features (<see cref="OperationCanceledException"/>).</param>
    /// <returns>The accepted incidents, errors, rejected features (verbatim) and counts; never throws for bad input.</returns>
    public static AcledReadResult<IReadOnlyList<Incident>> ReadIncidents(string path, ReportReadOptions? options = null, CancellationToken cancellationToken = default) =>
        InputRecords.Collect(ReadRecords(path, options, cancellationToken));

    /// <summary>Reads GeoJSON from <paramref name="stream"/> (named <paramref name="fileName"/> in errors) into incidents.</summary>
    /// <param name="stream">The GeoJSON; read to its end, not closed.</param>
    /// <param name="fileName">The name errors give as the file.</param>
    /// <param name="options">Time zone, actor map, encoding; <see cref="ReportReadOptions.Default"/> when null (the layout is ignored).</param>
    /// <param name="cancellationToken">Stops the read between features (<see cref="OperationCanceledException"/>).</param>
    /// <returns>The accepted incidents, errors, rejected features (verbatim) and counts; never throws for bad input.</returns>
    public static AcledReadResult<IReadOnlyList<Incident>> ReadIncidents(Stream stream, string fileName, ReportReadOptions? options = null, CancellationToken cancellationToken = default) =>
        InputRecords.Collect(ReadRecords(stream, fileName, options, cancellationToken));

    /// <summary>Streams the features of the file at <paramref name="path"/>, one <see cref="InputRecord"/> each, as they are read.</summary>
    /// <param name="path">The GeoJSON file; opened when enumeration starts, closed when it ends.</param>
    /// <param name="options">Time zone, actor map, encoding; <see cref="ReportReadOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the read between features (<see cref="OperationCanceledException"/>).</param>
    public static IEnumerable<InputRecord> ReadRecords(string path, ReportReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        return JsonInput.ReadFile(path, ReportCodes.File, s => ReadRecords(s, path, options, cancellationToken));
    }

    /// <summary>Streams the features of <paramref name="stream"/>, one <see cref="InputRecord"/> each, as they are read.</summary>
    /// <param name="stream">The GeoJSON; read to its end, not closed.</param>
    /// <param name="fileName">The name errors give as the file.</param>
    /// <param name="options">Time zone, actor map, encoding; <see cref="ReportReadOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the read between features (<see cref="OperationCanceledException"/>).</param>
    public static IEnumerable<InputRecord> ReadRecords(Stream stream, string fileName, ReportReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        options ??= ReportReadOptions.Default;
        return JsonInput.ReadUtf8(stream, fileName, options, utf8 => Read(utf8, fileName, options, cancellationToken));
    }

    private static IEnumerable<InputRecord> Read(Stream utf8, string file, ReportReadOptions options, CancellationToken cancellationToken)
    {
        var reader = new CollectionReader(new JsonCursor(utf8, options.MaxReportBytes), new ReportParser(file, options), file);
        var n = 0;
        while (reader.Next(out var record))
        {
            if ((++n & 255) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            yield return record;
        }
    }

    /// <summary>Walks a FeatureCollection, giving each feature to <see cref="FeatureParser"/>.</summary>
    private sealed class CollectionReader(JsonCursor cursor, ReportParser parser, string file)
    {
        private enum Phase
        {
            Start,
            Members,
            Features,
            Trailing,
            Done,
        }

        private readonly Queue<InputRecord> _queue = new();
        private readonly FeatureParser _features = new(parser);
        private Phase _phase = Phase.Start;
        private int _index;
        private bool _sawFeatures;
        private bool _sawType;

        public bool Next(out InputRecord record)
        {
            while (_queue.Count == 0 && _phase != Phase.Done)
            {
                try
                {
                    Step();
                }
                catch (JsonCursorException e)
                {
                    Fail(e);
                }
            }
            return _queue.TryDequeue(out record!);
        }

        private void Step()
        {
            JsonTokenType type;
            long offset;
            switch (_phase)
            {
                case Phase.Start:
                    if (cursor.AtEndOfInput() || !cursor.Next(out type, out offset, out _))
                    {
                        _queue.Enqueue(InputRecord.Problem(new ImportError(file, 0, 0, "$", ReportCodes.Empty, ReportMessages.Empty)));
                        _phase = Phase.Done;
                        return;
                    }
                    if (type != JsonTokenType.StartObject)
                    {
                        Problem(offset, "$", GeoJsonCodes.Type, GeoJsonReportMessages.NotACollection(ReportJsonReader.Kind(type)));
                        _phase = Phase.Done;
                        return;
                    }
                    _phase = Phase.Members;
                    return;
                case Phase.Members:
                    Member();
                    return;
                case Phase.Features:
                    cursor.NextValue(out type, out offset, out var slice);
                    if (type == JsonTokenType.EndArray)
                    {
                        _phase = Phase.Members;
                        return;
                    }
                    var (line, column) = cursor.Locate(offset);
                    _queue.Enqueue(_features.Parse(slice, line, column, $"$.features[{_index++}]"));
                    return;
                case Phase.Trailing:
                    _phase = Phase.Done;
                    try
                    {
                        if (cursor.Next(out _, out offset, out _))
                        {
                            Problem(offset, "$", ReportCodes.Trailing, GeoJsonReportMessages.Trailing);
                        }
                    }
                    catch (JsonCursorException e) when (e.Code == ReportCodes.Syntax)
                    {
                        Problem(e.Offset, "$", ReportCodes.Trailing, GeoJsonReportMessages.Trailing);
                    }
                    return;
            }
        }

        private void Member()
        {
            cursor.Next(out var type, out var offset, out var name);
            if (type == JsonTokenType.EndObject)
            {
                if (!_sawFeatures)
                {
                    Problem(offset, "$.features", GeoJsonCodes.Type, GeoJsonReportMessages.NoFeatures);
                }
                else if (!_sawType)
                {
                    Problem(offset, "$.type", GeoJsonCodes.Type, GeoJsonReportMessages.NoType);
                }
                _phase = Phase.Trailing;
                return;
            }
            switch (name)
            {
                case "type":
                    _sawType = true;
                    cursor.NextValue(out var valueType, out var at, out var value);
                    var text = valueType == JsonTokenType.String ? JsonSerializer.Deserialize<string>(value.Span) : null;
                    if (text != "FeatureCollection")
                    {
                        Problem(at, "$.type", GeoJsonCodes.Type, GeoJsonReportMessages.NotACollection(text is null ? ReportJsonReader.Kind(valueType) : $"type '{text}'"));
                        _phase = Phase.Done;
                    }
                    return;
                case "features":
                    _sawFeatures = true;
                    cursor.Next(out var open, out var openAt, out _);
                    if (open == JsonTokenType.StartArray)
                    {
                        _phase = Phase.Features;
                        return;
                    }
                    Problem(openAt, "$.features", GeoJsonCodes.Type, GeoJsonReportMessages.FeaturesNotArray(ReportJsonReader.Kind(open)));
                    _phase = Phase.Done;
                    return;
                case "crs":
                    cursor.NextValue(out _, out var crsAt, out var crs);
                    if (CrsName(crs) is { } bad)
                    {
                        Problem(crsAt, "$.crs", GeoJsonCodes.Crs, GeoJsonReportMessages.Crs(bad));
                        _phase = Phase.Done;
                    }
                    return;
                default:
                    // bbox, name and foreign members: RFC 7946 lets them be.
                    cursor.NextValue(out _, out _, out _);
                    return;
            }
        }

        /// <summary>Null when a <c>crs</c> member is absent in effect (null) or names WGS 84 longitude, latitude; else the name found.</summary>
        private static string? CrsName(ReadOnlyMemory<byte> crs)
        {
            using var doc = JsonDocument.Parse(crs);
            if (doc.RootElement.ValueKind == JsonValueKind.Null)
            {
                return null;
            }
            var name = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("properties", out var p) &&
                       p.ValueKind == JsonValueKind.Object && p.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String
                ? n.GetString()
                : null;
            return name is "urn:ogc:def:crs:OGC:1.3:CRS84" or "urn:ogc:def:crs:OGC::CRS84" or "EPSG:4326" or "urn:ogc:def:crs:EPSG::4326"
                ? null
                : name ?? "(unnamed)";
        }

        private void Fail(JsonCursorException e)
        {
            var path = _phase == Phase.Features ? $"$.features[{_index}]" : "$";
            _phase = Phase.Done;
            if (e.ValueStart is { } start && e.ValueText is { } text)
            {
                var (line, _) = cursor.Locate(start);
                var (errorLine, errorColumn) = cursor.Locate(Math.Max(start, e.Offset));
                _queue.Enqueue(InputRecord.Reject(new RejectedRow(line, text), [new ImportError(file, errorLine, errorColumn, path, e.Code, e.Message)]));
                return;
            }
            var (l, c) = cursor.Locate(e.Offset);
            _queue.Enqueue(InputRecord.Problem(new ImportError(file, l, c, path, e.Code, e.Message)));
        }

        private void Problem(long offset, string path, string code, string message)
        {
            var (line, column) = cursor.Locate(offset);
            _queue.Enqueue(InputRecord.Problem(new ImportError(file, line, column, path, code, message)));
        }
    }

    /// <summary>Parses one feature (its complete bytes) into an incident or a rejection.</summary>
    private sealed class FeatureParser(ReportParser parser)
    {
        private static readonly string[] FeatureMembers = ["type", "id", "geometry", "properties", "bbox"];

        public InputRecord Parse(ReadOnlyMemory<byte> slice, int line, int column, string path)
        {
            parser.Begin(slice, line, column);
            var r = new Utf8JsonReader(slice.Span, new JsonReaderOptions { MaxDepth = 64 });
            r.Read();
            Incident? incident = null;
            if (parser.TooLarge(path))
            {
            }
            else if (r.TokenType != JsonTokenType.StartObject)
            {
                parser.Error(r.TokenStartIndex, path, GeoJsonCodes.Type, GeoJsonReportMessages.FeatureNotObject(ReportJsonReader.Kind(r.TokenType)));
            }
            else
            {
                incident = Feature(ref r, path);
            }
            return incident is not null && parser.Errors.Count == 0
                ? InputRecord.Accepted(incident)
                : InputRecord.Reject(new RejectedRow(line, System.Text.Encoding.UTF8.GetString(slice.Span)), parser.Errors);
        }

        private Incident? Feature(ref Utf8JsonReader r, string path)
        {
            var fields = new ReportFields { Offset = r.TokenStartIndex };
            var featureAt = r.TokenStartIndex;
            string? type = null, featureId = null;
            long typeAt = featureAt, idAt = -1;
            var geometry = new Geometry();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var at = r.TokenStartIndex;
                var name = parser.Name(ref r);
                r.Read();
                var p = $"{path}.{name}";
                if (!seen.Add(name))
                {
                    parser.Error(at, p, ReportCodes.DuplicateProperty, ReportMessages.Duplicate(name));
                    r.Skip();
                    continue;
                }
                switch (name)
                {
                    case "type":
                        typeAt = r.TokenStartIndex;
                        type = parser.String(ref r, p, nullable: false);
                        break;
                    case "id":
                        idAt = r.TokenStartIndex;
                        if (r.TokenType == JsonTokenType.Number)
                        {
                            featureId = System.Text.Encoding.UTF8.GetString(r.ValueSpan);
                        }
                        else if (r.TokenType != JsonTokenType.Null)
                        {
                            featureId = parser.String(ref r, p, nullable: true);
                        }
                        break;
                    case "geometry":
                        geometry.Seen = true;
                        geometry.At = r.TokenStartIndex;
                        if (r.TokenType != JsonTokenType.Null)
                        {
                            if (parser.Expect(ref r, JsonTokenType.StartObject, p, "a Point geometry object"))
                            {
                                ReadGeometry(ref r, p, geometry);
                            }
                            else
                            {
                                geometry.Invalid = true;
                            }
                        }
                        break;
                    case "properties":
                        if (r.TokenType != JsonTokenType.Null && parser.Expect(ref r, JsonTokenType.StartObject, p, "an object of report fields"))
                        {
                            fields.Offset = r.TokenStartIndex;
                            parser.ParseMembers(ref r, fields, p, geo: true);
                        }
                        break;
                    case "bbox":
                        r.Skip();
                        break;
                    default:
                        parser.Unknown(at, p, name, FeatureMembers, "a feature (report fields go in 'properties')");
                        r.Skip();
                        break;
                }
            }

            if (type != "Feature" && (type is not null || !seen.Contains("type")))
            {
                parser.Error(typeAt, $"{path}.type", GeoJsonCodes.Type, GeoJsonReportMessages.NotAFeature(type));
            }
            if (fields.Id is null && fields.IdOffset < 0 && featureId is not null)
            {
                fields.Id = featureId;
                fields.IdOffset = idAt;
            }
            var label = fields.Id is { Length: > 0 } id ? $"'{id}' ({path})" : path;
            var point = Point(geometry, path, label);
            return point is null ? null : parser.Build(fields, $"{path}.properties", point);
        }

        private (double Lon, double Lat)? Point(Geometry g, string path, string label)
        {
            var p = $"{path}.geometry";
            if (g.Invalid)
            {
                return null;
            }
            if (!g.Seen || g.Null)
            {
                parser.Error(g.Seen ? g.At : 0, p, GeoJsonCodes.EmptyGeometry, GeoJsonReportMessages.NoGeometry(label));
                return null;
            }
            if (g.Type != "Point")
            {
                if (g.Type is null)
                {
                    parser.Error(g.At, $"{p}.type", GeoJsonCodes.Type, GeoJsonReportMessages.NoGeometryType(label));
                }
                else
                {
                    parser.Error(g.TypeAt, $"{p}.type", GeoJsonReportCodes.NotPoint, GeoJsonReportMessages.NotPoint(label, g.Type));
                }
                return null;
            }
            if (g.Coordinates is not { Count: 2 or 3 } c)
            {
                parser.Error(g.CoordinatesAt >= 0 ? g.CoordinatesAt : g.At, $"{p}.coordinates", GeoJsonCodes.Coordinates, GeoJsonReportMessages.BadPosition(label));
                return null;
            }
            var ok = true;
            if (!(c[0].Value is >= -180 and <= 180))
            {
                parser.Error(c[0].At, $"{p}.coordinates[0]", ReportCodes.Longitude, ReportMessages.Longitude(c[0].Text));
                ok = false;
            }
            if (!(c[1].Value is >= -90 and <= 90))
            {
                parser.Error(c[1].At, $"{p}.coordinates[1]", ReportCodes.Latitude, ReportMessages.Latitude(c[1].Text) + " GeoJSON positions are [longitude, latitude].");
                ok = false;
            }
            return ok ? (c[0].Value, c[1].Value) : null;
        }

        private void ReadGeometry(ref Utf8JsonReader r, string path, Geometry g)
        {
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                var name = parser.Name(ref r);
                r.Read();
                switch (name)
                {
                    case "type":
                        g.TypeAt = r.TokenStartIndex;
                        g.Type = parser.String(ref r, $"{path}.type", nullable: false);
                        break;
                    case "coordinates":
                        g.CoordinatesAt = r.TokenStartIndex;
                        g.Coordinates = Position(ref r);
                        break;
                    default:
                        // bbox and foreign members of a geometry are allowed and carry nothing a report needs.
                        r.Skip();
                        break;
                }
            }
            g.Null = false;
        }

        /// <summary>The numbers of an array of numbers (a position); null for anything else (which is skipped).</summary>
        private static List<(double Value, string Text, long At)>? Position(ref Utf8JsonReader r)
        {
            if (r.TokenType != JsonTokenType.StartArray)
            {
                r.Skip();
                return null;
            }
            var list = new List<(double, string, long)>(3);
            var ok = true;
            while (r.Read() && r.TokenType != JsonTokenType.EndArray)
            {
                if (r.TokenType == JsonTokenType.Number && r.TryGetDouble(out var v) && double.IsFinite(v))
                {
                    list.Add((v, System.Text.Encoding.UTF8.GetString(r.ValueSpan), r.TokenStartIndex));
                }
                else
                {
                    ok = false;
                    r.Skip();
                }
            }
            return ok ? list : null;
        }

        private sealed class Geometry
        {
            public bool Seen { get; set; }
            public bool Null { get; set; } = true;
            public bool Invalid { get; set; }
            public long At { get; set; }
            public string? Type { get; set; }
            public long TypeAt { get; set; }
            public List<(double Value, string Text, long At)>? Coordinates { get; set; }
            public long CoordinatesAt { get; set; } = -1;
        }
    }

    /// <summary>The messages of the GeoJSON report reader, in one place.</summary>
    private static class GeoJsonReportMessages
    {
        public const string NoFeatures = "The FeatureCollection has no 'features' array.";
        public const string NoType = "The FeatureCollection has no 'type' member (\"type\": \"FeatureCollection\").";
        public const string Trailing = "More JSON follows the end of the FeatureCollection.";

        public static string NotACollection(string found) =>
            $"A report GeoJSON file is a FeatureCollection of Point features; found {found}.";

        public static string FeaturesNotArray(string found) => $"'features' must be an array of features; found {found}.";

        public static string FeatureNotObject(string found) => $"A feature must be a JSON object; found {found}.";

        public static string NotAFeature(string? type) =>
            type is null ? "The feature has no 'type' member (\"type\": \"Feature\")." : $"Type '{type}' is not Feature (GeoJSON type names are case-sensitive).";

        public static string NoGeometry(string feature) =>
            $"Feature {feature} has no geometry: a report feature is a Point where the incident happened.";

        public static string NoGeometryType(string feature) => $"The geometry of feature {feature} has no 'type' member.";

        public static string NotPoint(string feature, string type) =>
            $"Feature {feature} is a '{type}'; only Point features are reports (give the point where it happened, and the uncertainty in 'radius_km').";

        public static string BadPosition(string feature) =>
            $"The coordinates of feature {feature} are not a position: use [longitude, latitude] (or [longitude, latitude, height]).";

        public static string Crs(string name) =>
            string.Create(CultureInfo.InvariantCulture, $"The file declares the coordinate reference system '{name}'; only WGS 84 longitude, latitude (CRS84, EPSG:4326) is read.");
    }
}

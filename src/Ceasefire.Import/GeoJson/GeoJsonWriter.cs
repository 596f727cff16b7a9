using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ceasefire.Zones;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace Ceasefire.Import.GeoJson;

/// <summary>
/// A GeoJSON feature: an optional id, a geometry (SRID 4326; null for an unlocated feature) and properties. Property
/// values the writer accepts: null, strings, booleans, numbers, <see cref="DateTime"/>/<see cref="DateTimeOffset"/>
/// (ISO 8601), <see cref="DateOnly"/>, <see cref="Guid"/>, enums (by name), <see cref="ZoneId"/>,
/// <see cref="JsonNode"/>, <see cref="JsonElement"/>, dictionaries with string keys and sequences of these.
/// </summary>
/// <param name="Geometry">The geometry, or null.</param>
/// <param name="Properties">The properties, or null for none.</param>
/// <param name="Id">The feature id, or null.</param>
public sealed record GeoJsonFeature(Geometry? Geometry, IReadOnlyDictionary<string, object?>? Properties = null, string? Id = null);

/// <summary>
/// Writes geometries and features as GeoJSON (RFC 7946) with <see cref="Utf8JsonWriter"/>: (longitude, latitude)
/// positions rounded to at most <see cref="DefaultDecimals"/> decimals (about 1 cm), 2-D (Z and M are not written),
/// polygon exteriors counter-clockwise and holes clockwise (the right-hand rule). Numbers are written in the invariant
/// form JSON requires whatever the current culture. Stateless and thread-safe.
/// </summary>
public static class GeoJsonWriter
{
    /// <summary>Decimals kept by default: 7, about 1.1 cm of latitude.</summary>
    public const int DefaultDecimals = 7;

    private const int FlushThreshold = 64 * 1024;

    /// <summary>Writes a FeatureCollection to a stream (left open).</summary>
    /// <param name="stream">Where to write UTF-8 JSON.</param>
    /// <param name="features">The features, in order.</param>
    /// <param name="decimals">Decimals of each ordinate, 0 to 15.</param>
    /// <param name="indented">Indent for people to read; compact otherwise.</param>
    public static void WriteFeatureCollection(Stream stream, IEnumerable<GeoJsonFeature> features, int decimals = DefaultDecimals, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented });
        WriteFeatureCollection(writer, features, decimals);
    }

    /// <summary>Writes a FeatureCollection to a stream (left open) asynchronously, flushing as it goes.</summary>
    /// <param name="stream">Where to write UTF-8 JSON.</param>
    /// <param name="features">The features, in order.</param>
    /// <param name="decimals">Decimals of each ordinate, 0 to 15.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static async Task WriteFeatureCollectionAsync(Stream stream, IEnumerable<GeoJsonFeature> features, int decimals = DefaultDecimals,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(features);
        CheckDecimals(decimals);
        await using var writer = new Utf8JsonWriter(stream);
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writer.WriteStartArray("features");
        foreach (var feature in features)
        {
            WriteFeature(writer, feature, decimals);
            if (writer.BytesPending > FlushThreshold)
            {
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a FeatureCollection as one JSON object.</summary>
    /// <param name="writer">The JSON writer (not flushed).</param>
    /// <param name="features">The features, in order.</param>
    /// <param name="decimals">Decimals of each ordinate, 0 to 15.</param>
    public static void WriteFeatureCollection(Utf8JsonWriter writer, IEnumerable<GeoJsonFeature> features, int decimals = DefaultDecimals)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(features);
        CheckDecimals(decimals);
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writer.WriteStartArray("features");
        foreach (var feature in features)
        {
            WriteFeature(writer, feature, decimals);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Writes one Feature object.</summary>
    /// <param name="writer">The JSON writer (not flushed).</param>
    /// <param name="feature">The feature.</param>
    /// <param name="decimals">Decimals of each ordinate, 0 to 15.</param>
    public static void WriteFeature(Utf8JsonWriter writer, GeoJsonFeature feature, int decimals = DefaultDecimals)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(feature);
        CheckDecimals(decimals);
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        if (feature.Id is not null)
        {
            writer.WriteString("id", feature.Id);
        }
        writer.WritePropertyName("properties");
        if (feature.Properties is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            WriteObject(writer, feature.Properties, "properties");
        }
        writer.WritePropertyName("geometry");
        if (feature.Geometry is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            WriteGeometry(writer, feature.Geometry, decimals);
        }
        writer.WriteEndObject();
    }

    /// <summary>Writes one geometry object. A LinearRing is written as a LineString (GeoJSON has no ring type).</summary>
    /// <param name="writer">The JSON writer (not flushed).</param>
    /// <param name="geometry">The geometry (SRID 4326, longitude, latitude).</param>
    /// <param name="decimals">Decimals of each ordinate, 0 to 15.</param>
    public static void WriteGeometry(Utf8JsonWriter writer, Geometry geometry, int decimals = DefaultDecimals)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(geometry);
        CheckDecimals(decimals);
        writer.WriteStartObject();
        switch (geometry)
        {
            case Point p:
                writer.WriteString("type", "Point");
                writer.WritePropertyName("coordinates");
                if (p.IsEmpty)
                {
                    writer.WriteStartArray();
                    writer.WriteEndArray();
                }
                else
                {
                    WritePosition(writer, p.CoordinateSequence, 0, decimals);
                }
                break;
            case LineString l:
                writer.WriteString("type", "LineString");
                writer.WritePropertyName("coordinates");
                WritePositions(writer, l.CoordinateSequence, false, decimals);
                break;
            case Polygon p:
                writer.WriteString("type", "Polygon");
                writer.WritePropertyName("coordinates");
                WritePolygon(writer, p, decimals);
                break;
            case MultiPoint mp:
                writer.WriteString("type", "MultiPoint");
                writer.WriteStartArray("coordinates");
                foreach (var part in mp.Geometries)
                {
                    WritePosition(writer, ((Point)part).CoordinateSequence, 0, decimals);
                }
                writer.WriteEndArray();
                break;
            case MultiLineString ml:
                writer.WriteString("type", "MultiLineString");
                writer.WriteStartArray("coordinates");
                foreach (var part in ml.Geometries)
                {
                    WritePositions(writer, ((LineString)part).CoordinateSequence, false, decimals);
                }
                writer.WriteEndArray();
                break;
            case MultiPolygon mpoly:
                writer.WriteString("type", "MultiPolygon");
                writer.WriteStartArray("coordinates");
                foreach (var part in mpoly.Geometries)
                {
                    WritePolygon(writer, (Polygon)part, decimals);
                }
                writer.WriteEndArray();
                break;
            case GeometryCollection gc:
                writer.WriteString("type", "GeometryCollection");
                writer.WriteStartArray("geometries");
                foreach (var part in gc.Geometries)
                {
                    WriteGeometry(writer, part, decimals);
                }
                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"GeoJSON has no form for {geometry.GeometryType}.", nameof(geometry));
        }
        writer.WriteEndObject();
    }

    /// <summary>A geometry as a GeoJSON string.</summary>
    /// <param name="geometry">The geometry (SRID 4326, longitude, latitude).</param>
    /// <param name="decimals">Decimals of each ordinate, 0 to 15.</param>
    public static string ToJson(Geometry geometry, int decimals = DefaultDecimals)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteGeometry(writer, geometry, decimals);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>A FeatureCollection as a GeoJSON string.</summary>
    /// <param name="features">The features, in order.</param>
    /// <param name="decimals">Decimals of each ordinate, 0 to 15.</param>
    /// <param name="indented">Indent for people to read; compact otherwise.</param>
    public static string ToJson(IEnumerable<GeoJsonFeature> features, int decimals = DefaultDecimals, bool indented = false)
    {
        using var buffer = new MemoryStream();
        WriteFeatureCollection(buffer, features, decimals, indented);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>
    /// A zone as a feature: the zone id as feature id, and properties <c>name</c>, <c>kind</c> and <c>source</c>
    /// (the last two when set), which <see cref="GeoJsonReader.ReadZones(string, ZoneReadOptions)"/> reads back.
    /// </summary>
    /// <param name="zone">The zone.</param>
    public static GeoJsonFeature ToFeature(Zone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var properties = new Dictionary<string, object?> { ["name"] = zone.Name };
        if (zone.Kind is not null)
        {
            properties["kind"] = zone.Kind;
        }
        if (zone.Source is not null)
        {
            properties["source"] = zone.Source;
        }
        return new GeoJsonFeature(zone.Geometry, properties, zone.Id.Value);
    }

    /// <summary>The zones of a zone file, then its lines, as features (see <see cref="ToFeature(Zone)"/>).</summary>
    /// <param name="file">The zone file.</param>
    public static IEnumerable<GeoJsonFeature> ToFeatures(ZoneFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return file.Zones.Select(ToFeature)
            .Concat(file.Lines.Select(l => new GeoJsonFeature(l.Value, new Dictionary<string, object?>(), l.Key.Value)));
    }

    private static void WritePolygon(Utf8JsonWriter writer, Polygon polygon, int decimals)
    {
        writer.WriteStartArray();
        if (!polygon.IsEmpty)
        {
            WriteRing(writer, polygon.Shell.CoordinateSequence, counterClockwise: true, decimals);
            foreach (var hole in polygon.Holes)
            {
                WriteRing(writer, hole.CoordinateSequence, counterClockwise: false, decimals);
            }
        }
        writer.WriteEndArray();
    }

    private static void WriteRing(Utf8JsonWriter writer, CoordinateSequence ring, bool counterClockwise, int decimals)
    {
        // Orientation needs a proper ring; a degenerate one is written as it is.
        var reverse = ring.Count >= 4 && Orientation.IsCCW(ring) != counterClockwise;
        WritePositions(writer, ring, reverse, decimals);
    }

    private static void WritePositions(Utf8JsonWriter writer, CoordinateSequence seq, bool reverse, int decimals)
    {
        writer.WriteStartArray();
        for (var i = 0; i < seq.Count; i++)
        {
            WritePosition(writer, seq, reverse ? seq.Count - 1 - i : i, decimals);
        }
        writer.WriteEndArray();
    }

    private static void WritePosition(Utf8JsonWriter writer, CoordinateSequence seq, int index, int decimals)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue(Round(seq.GetX(index), decimals));
        writer.WriteNumberValue(Round(seq.GetY(index), decimals));
        writer.WriteEndArray();
    }

    private static double Round(double value, int decimals)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"GeoJSON cannot hold the ordinate {value}.", nameof(value));
        }
        var rounded = Math.Round(value, decimals, MidpointRounding.AwayFromZero);
        return rounded == 0 ? 0 : rounded; // no "-0"
    }

    private static void CheckDecimals(int decimals)
    {
        if (decimals is < 0 or > 15)
        {
            throw new ArgumentOutOfRangeException(nameof(decimals), decimals, "Decimals must be between 0 and 15.");
        }
    }

    private static void WriteObject(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, object?>> members, string path)
    {
        writer.WriteStartObject();
        foreach (var (key, value) in members)
        {
            writer.WritePropertyName(key);
            WriteValue(writer, value, $"{path}.{key}");
        }
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value, string path)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case byte or sbyte or short or ushort or int or long:
                writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case uint or ulong:
                writer.WriteNumberValue(Convert.ToUInt64(value, CultureInfo.InvariantCulture));
                break;
            case float or double:
                var d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (!double.IsFinite(d))
                {
                    throw new ArgumentException($"Property {path} is {d}, which JSON cannot hold.", nameof(value));
                }
                writer.WriteNumberValue(d);
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case DateTimeOffset dto:
                writer.WriteStringValue(dto);
                break;
            case DateTime dt:
                writer.WriteStringValue(dt);
                break;
            case DateOnly date:
                writer.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case Guid g:
                writer.WriteStringValue(g);
                break;
            case Enum e:
                writer.WriteStringValue(e.ToString());
                break;
            case ZoneId id:
                writer.WriteStringValue(id.Value);
                break;
            case JsonNode node:
                node.WriteTo(writer);
                break;
            case JsonElement element:
                element.WriteTo(writer);
                break;
            case IEnumerable<KeyValuePair<string, object?>> members:
                WriteObject(writer, members, path);
                break;
            case IDictionary dictionary:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    var key = entry.Key as string ?? throw new ArgumentException($"Property {path} has a key that is not a string.", nameof(value));
                    writer.WritePropertyName(key);
                    WriteValue(writer, entry.Value, $"{path}.{key}");
                }
                writer.WriteEndObject();
                break;
            case IEnumerable items:
                writer.WriteStartArray();
                var i = 0;
                foreach (var item in items)
                {
                    WriteValue(writer, item, $"{path}[{i++}]");
                }
                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"Property {path} is a {value.GetType().Name}, which GeoJsonWriter does not write.", nameof(value));
        }
    }
}

using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ceasefire.Incidents;

namespace Ceasefire.Storage;

public static partial class IncidentJson
{
    /// <summary>
    /// Writes <paramref name="incident"/> as <see cref="Write"/> does, byte for byte, straight into
    /// <paramref name="into"/>: the import's hot path. Property names go in as UTF-8 literals; a string of printable
    /// ASCII other than <c>"</c> and <c>\</c> (which the stored form's encoder leaves as it is) is copied as it is,
    /// any other string is escaped by the same encoder <see cref="Write"/> uses; numbers are formatted as
    /// <see cref="Utf8JsonWriter"/> formats them. <c>IncidentJsonTests</c> checks the bytes against <see cref="Write"/>.
    /// </summary>
    public static void WriteUtf8(Utf8Buffer into, Incident incident)
    {
        ArgumentNullException.ThrowIfNull(into);
        ArgumentNullException.ThrowIfNull(incident);
        var b = into;
        b.Raw("{\"id\":"u8);
        b.String(incident.Id.Value);
        b.Raw(",\"time\":{\"earliest\":\""u8);
        b.Instant(incident.Time.Earliest);
        b.Raw("\",\"latest\":\""u8);
        b.Instant(incident.Time.Latest);
        b.Raw("\",\"precision\":"u8);
        b.Raw(TimePrecisionNames[(int)incident.Time.Precision].EncodedUtf8Bytes, quoted: true);
        b.Raw("},\"location\":{\"lon\":"u8);
        b.Number(incident.Location.Longitude);
        b.Raw(",\"lat\":"u8);
        b.Number(incident.Location.Latitude);
        b.Raw(",\"precision\":"u8);
        b.Raw(LocationPrecisionNames[(int)incident.Location.Precision].EncodedUtf8Bytes, quoted: true);
        b.Raw(",\"radius_m\":"u8);
        b.Number(incident.Location.RadiusMetres);
        if (incident.Location.PlaceName is { } place)
        {
            b.Raw(",\"place\":"u8);
            b.String(place);
        }
        b.Raw("},\"act\":"u8);
        b.String(incident.Act.Code);
        b.Raw(",\"target\":{\"category\":"u8);
        b.String(incident.Target.Category.Code);
        b.Raw(",\"basis\":"u8);
        b.Raw(BasisNames[(int)incident.Target.Basis].EncodedUtf8Bytes, quoted: true);
        b.Raw(",\"evidence\":["u8);
        var first = true;
        foreach (var e in incident.Target.Evidence)
        {
            if (!first)
            {
                b.Raw(","u8);
            }
            b.String(e);
            first = false;
        }
        b.Raw("]}"u8);
        Optional(b, ",\"perpetrator\":"u8, incident.Perpetrator?.Value);
        Optional(b, ",\"actor\":"u8, incident.PerpetratorActor);
        Optional(b, ",\"claimant\":"u8, incident.Claimant);
        Optional(b, ",\"source\":"u8, incident.Source);
        b.Raw(",\"grade\":"u8);
        b.String(incident.Grade.Reliability == default ? "" : incident.Grade.ToString());
        b.Raw(",\"links\":["u8);
        first = true;
        foreach (var l in incident.Links)
        {
            if (!first)
            {
                b.Raw(","u8);
            }
            b.String(l);
            first = false;
        }
        b.Raw("]"u8);
        Optional(b, ",\"notes\":"u8, incident.Notes);
        if (incident.Casualties != default)
        {
            b.Raw(",\"casualties\":{"u8);
            var comma = false;
            OptionalNumber(b, "\"low\":"u8, incident.Casualties.Low, ref comma);
            OptionalNumber(b, "\"best\":"u8, incident.Casualties.Best, ref comma);
            OptionalNumber(b, "\"high\":"u8, incident.Casualties.High, ref comma);
            b.Raw("}"u8);
        }
        if (incident.Attributes.Count > 0)
        {
            b.Raw(",\"attributes\":{"u8);
            WriteAttributes(b, incident.Attributes);
            b.Raw("}"u8);
        }
        b.Raw("}"u8);
    }

    private static void Optional(Utf8Buffer b, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            b.Raw(name);
            b.String(value);
        }
    }

    private static void OptionalNumber(Utf8Buffer b, ReadOnlySpan<byte> name, int? value, ref bool comma)
    {
        if (value is { } v)
        {
            if (comma)
            {
                b.Raw(","u8);
            }
            b.Raw(name);
            b.Number(v);
            comma = true;
        }
    }

    private static void WriteAttributes(Utf8Buffer b, IReadOnlyDictionary<string, string> attributes)
    {
        var pairs = SortedAttributes(attributes, out var n);
        try
        {
            for (var i = 0; i < n; i++)
            {
                if (i > 0)
                {
                    b.Raw(","u8);
                }
                b.String(pairs[i].Key);
                b.Raw(":"u8);
                b.String(pairs[i].Value);
            }
        }
        finally
        {
            ArrayPool<KeyValuePair<string, string>>.Shared.Return(pairs, clearArray: true);
        }
    }

    /// <summary>A growable UTF-8 buffer that <see cref="WriteUtf8"/> writes into; reusable (<see cref="Clear"/>) and cut back (<see cref="Length"/>).</summary>
    public sealed class Utf8Buffer(int capacity = 4096)
    {
        private byte[] _bytes = new byte[Math.Max(capacity, 16)];
        private int _length;

        /// <summary>Bytes written; may be set lower to drop what was written after.</summary>
        public int Length
        {
            get => _length;
            set => _length = value >= 0 && value <= _length ? value : throw new ArgumentOutOfRangeException(nameof(value));
        }

        /// <summary>What was written.</summary>
        public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, _length);

        /// <summary>What was written from <paramref name="start"/> on.</summary>
        public ReadOnlySpan<byte> From(int start) => _bytes.AsSpan(start, _length - start);

        /// <summary>Empties the buffer (its capacity stays).</summary>
        public void Clear() => _length = 0;

        /// <summary>Appends bytes as they are (with quotes around them when <paramref name="quoted"/>).</summary>
        public void Raw(ReadOnlySpan<byte> bytes, bool quoted = false)
        {
            var span = Reserve(bytes.Length + 2);
            if (quoted)
            {
                span[0] = (byte)'"';
                bytes.CopyTo(span[1..]);
                span[bytes.Length + 1] = (byte)'"';
                _length += bytes.Length + 2;
                return;
            }
            bytes.CopyTo(span);
            _length += bytes.Length;
        }

        /// <summary>Appends a JSON string, escaped as the stored form escapes it.</summary>
        public void String(string value)
        {
            var chars = value.AsSpan();
            if (!chars.ContainsAnyExceptInRange(' ', '~') && !chars.ContainsAny('"', '\\'))
            {
                var span = Reserve(chars.Length + 2);
                span[0] = (byte)'"';
                Ascii.FromUtf16(chars, span.Slice(1, chars.Length), out _);
                span[chars.Length + 1] = (byte)'"';
                _length += chars.Length + 2;
                return;
            }
            Raw(Encoded(value).EncodedUtf8Bytes, quoted: true);
        }

        /// <summary>Appends a number as <see cref="Utf8JsonWriter"/> writes a double (shortest round-trip form; finite only).</summary>
        public void Number(double value)
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentException($".NET number values such as positive and negative infinity cannot be written as valid JSON ({value}).", nameof(value));
            }
            var span = Reserve(32);
            if (!value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException("A double did not fit 32 bytes.");
            }
            _length += written;
        }

        /// <summary>Appends an integer.</summary>
        public void Number(int value)
        {
            Utf8Formatter.TryFormat(value, Reserve(11), out var written);
            _length += written;
        }

        /// <summary>Appends an instant as ISO 8601 UTC with ticks' precision, without quotes.</summary>
        public void Instant(DateTimeOffset t)
        {
            Utf8Formatter.TryFormat(new DateTime(t.UtcTicks, DateTimeKind.Utc), Reserve(40), out var written, new StandardFormat('O'));
            _length += written;
        }

        private Span<byte> Reserve(int n)
        {
            if (_bytes.Length - _length < n)
            {
                Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + n));
            }
            return _bytes.AsSpan(_length);
        }
    }
}

using System.Globalization;
using System.Text;
using Ceasefire.Import.Acled;
using Ceasefire.Import.Errors;
using Ceasefire.Incidents;
using Ceasefire.Parties;

namespace Ceasefire.Tests.Import;

/// <summary>
/// Temporary ACLED files for the reader's tests (deleted on dispose), the layouts they use, and the check that every
/// path of the reader (full, bulk, streaming) gives the same rows, errors and counts.
/// </summary>
internal sealed class AcledTestFiles : IDisposable
{
    public const string BenchHeader = "id,event_date,event_type,sub_event_type,actor1,actor2,admin1,location,latitude,longitude,source,notes,fatalities";

    public const string CurrentHeader =
        "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1," +
        "actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location," +
        "latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";

    private readonly List<string> _files = [];

    public void Dispose()
    {
        foreach (var f in _files)
        {
            File.Delete(f);
        }
    }

    public string Write(string content, bool bom = false) =>
        Write([.. (bom ? Encoding.UTF8.GetPreamble() : []), .. Encoding.UTF8.GetBytes(content)]);

    public string Write(byte[] bytes)
    {
        var path = NewPath();
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string NewPath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"acled-{Guid.NewGuid():N}.csv");
        _files.Add(path);
        return path;
    }

    /// <summary>Reads <paramref name="content"/> on every path, checks that they agree, and returns the full result.</summary>
    public AcledReadResult<IReadOnlyList<Incident>> Read(string content, AcledReadOptions? options = null, bool bom = false) =>
        ReadPath(Write(content, bom), options);

    /// <summary>Reads the file on every path, checks that they agree, and returns the full result.</summary>
    public static AcledReadResult<IReadOnlyList<Incident>> ReadPath(string path, AcledReadOptions? options = null)
    {
        var full = AcledReader.ReadIncidents(path, options);
        AssertSame(full, AcledReader.ReadBatch(path, options));
        AssertStreamsTheSame(full, path, options);
        return full;
    }

    public static string Bench(string id, string date, string sub, string lat, string lon, string notes = "\"Shelling.\"",
        string actor1 = "Military Forces of Russia (2000-)", string fatalities = "0") =>
        $"{id},{date},Explosions/Remote violence,{sub},{actor1},,Kharkiv,Kharkiv,{lat},{lon},Suspilne,{notes},{fatalities}";

    public static string Current(string id, string date, string precision, string sub, string lat, string lon, string geo, string notes,
        string tags = "", string fatalities = "0", string inter1 = "State forces", string inter2 = "Civilians", string timestamp = "1742900000") =>
        $"{id},{date},2025,{precision},Political violence,Explosions/Remote violence,{sub},Military Forces of Russia (2000-),,{inter1}," +
        $"Civilians (Ukraine),,{inter2},State forces-Civilians,Civilian targeting,804,Europe,Ukraine,Dnipropetrovsk,Nikopolskyi,Nikopol,Nikopol," +
        $"{lat},{lon},{geo},Suspilne; https://suspilne.media/123,National,{notes},{fatalities},{tags},{timestamp}";

    /// <summary>The bulk path must agree with the full path on every row, error and count.</summary>
    public static void AssertSame(AcledReadResult<IReadOnlyList<Incident>> full, AcledReadResult<IncidentBatch> batch)
    {
        Assert.Equal(full.RowsRead, batch.RowsRead);
        Assert.Equal(full.RowsAccepted, batch.RowsAccepted);
        Assert.Equal(full.Errors, batch.Errors);
        Assert.Equal(full.Rejected, batch.Rejected);
        Assert.Equal(full.Header, batch.Header);
        var b = batch.Value;
        Assert.Equal(full.Value.Count, b.Count);
        for (var i = 0; i < b.Count; i++)
        {
            var x = full.Value[i];
            Assert.Equal(x.Id.Value, b.Ids[i]);
            Assert.Equal(x.Time.Earliest.UtcTicks, b.Earliest[i]);
            Assert.Equal(x.Time.Latest.UtcTicks, b.Latest[i]);
            Assert.Equal(x.Location.Longitude, b.Longitudes[i]);
            Assert.Equal(x.Location.Latitude, b.Latitudes[i]);
            Assert.Equal(x.Location.RadiusMetres, b.Radii[i]);
            Assert.Equal(x.Act.Index, b.Acts[i]);
            Assert.Equal(x.Target.Category.Index, b.Targets[i]);
            Assert.Equal(x.Perpetrator, b.Perpetrators[i] < 0 ? (PartyCode?)null : b.Parties[b.Perpetrators[i]]);
        }
    }

    /// <summary>The streaming path must give exactly the incidents, errors and rejected rows of the full path.</summary>
    public static void AssertStreamsTheSame(AcledReadResult<IReadOnlyList<Incident>> full, string path, AcledReadOptions? options)
    {
        var errors = new List<ImportError>();
        var rejected = new List<RejectedRow>();

        var streamed = AcledReader.EnumerateIncidents(path, options, errors.Add, rejected.Add, CancellationToken.None).ToList();

        Assert.Equal(full.Errors, errors);
        Assert.Equal(full.Rejected, rejected);
        AssertSameIncidents(full.Value, streamed);
    }

    /// <summary>Field by field, attributes as sets of pairs.</summary>
    public static void AssertSameIncidents(IReadOnlyList<Incident> expected, IReadOnlyList<Incident> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (x, y) = (expected[i], actual[i]);
            Assert.Equal(x.Id, y.Id);
            Assert.Equal(x.Time, y.Time);
            Assert.Equal(x.Location, y.Location);
            Assert.Equal(x.Act, y.Act);
            Assert.Equal(x.Target, y.Target, TargetComparer.Instance);
            Assert.Equal(x.Perpetrator, y.Perpetrator);
            Assert.Equal(x.PerpetratorActor, y.PerpetratorActor);
            Assert.Equal(x.Claimant, y.Claimant);
            Assert.Equal(x.Source, y.Source);
            Assert.Equal(x.Grade, y.Grade);
            Assert.Equal(x.Links, y.Links);
            Assert.Equal(x.Notes, y.Notes);
            Assert.Equal(x.Casualties, y.Casualties);
            Assert.Equal(x.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal), y.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal));
        }
    }

    /// <summary>An ACLED-like file with quoted notes (commas, doubled quotes, line breaks), CRLF and LF, and some bad rows.</summary>
    public static string Generated(int rows, int seed)
    {
        var random = new Random(seed);
        string[] subs = ["Air/drone strike", "Shelling/artillery/missile attack", "Armed clash", "Attack"];
        string[] notes =
        [
            "\"Russian forces struck a substation, cutting power.\"",
            "\"Drones hit a \"\"railway traction substation\"\".\"",
            "\"Shelling damaged a school\nand a residential building.\"",
            "plain note without keywords",
            "\"Удар по тяговій підстанції, пошкоджено житловий будинок.\"",
            "\"\"",
        ];
        var sb = new StringBuilder("event_id_cnty,event_date,time_precision,sub_event_type,actor1,latitude,longitude,geo_precision,source,notes,tags\n");
        for (var i = 0; i < rows; i++)
        {
            var bad = random.Next(40);
            var date = bad == 0 ? "2025-02-30" : random.Next(3) switch
            {
                0 => $"2025-03-{random.Next(1, 29):00}",
                1 => $"{random.Next(1, 29)} March 2025",
                _ => $"2025-03-{random.Next(1, 29):00}T{random.Next(24):00}:{random.Next(60):00}:00Z",
            };
            var lat = bad == 1 ? "x" : (44 + random.NextDouble() * 8).ToString("0.#####", CultureInfo.InvariantCulture);
            var sub = bad == 2 ? "Unknown thing" : subs[random.Next(subs.Length)];
            sb.Append("UKR").Append(i).Append(',').Append(date).Append(',').Append(random.Next(1, 4)).Append(',').Append(sub).Append(',')
              .Append(random.Next(2) == 0 ? "Military Forces of Russia (2000-)" : "Military Forces of Ukraine (2019-)").Append(',')
              .Append(lat).Append(',').Append((30 + random.NextDouble() * 8).ToString("0.#####", CultureInfo.InvariantCulture)).Append(',')
              .Append(random.Next(4) switch { 0 => "", var g => g.ToString(CultureInfo.InvariantCulture) }).Append(",Source,")
              .Append(notes[random.Next(notes.Length)]).Append(',').Append(random.Next(5) == 0 ? "\"energy infrastructure\"" : "")
              .Append(random.Next(3) == 0 ? "\r\n" : "\n");
        }
        return sb.ToString();
    }

    /// <summary>
    /// A file in the current ACLED layout (every column), with the date forms of real exports, quoted multi-line notes,
    /// tags, some bad rows (date, fatalities, inter, timestamp, quoting), and, when <paramref name="truncated"/>, a last
    /// row cut off inside its notes.
    /// </summary>
    public static string GeneratedCurrent(int rows, int seed, bool truncated = false)
    {
        var random = new Random(seed);
        string[] subs = ["Air/drone strike", "Shelling/artillery/missile attack", "Armed clash", "Attack"];
        string[] notes =
        [
            "\"Russian forces struck a substation, cutting power.\"",
            "\"Shelling damaged a school\nand a residential building.\"",
            "plain note without keywords",
            "\"Удар по тяговій підстанції.\"",
        ];
        string[] tags = ["", "\"crowd size=no report; local administrators\"", "energy infrastructure;substation", "traction; substation"];
        string[] inters = ["State forces", "1", "8", "Rebel group", ""];
        var sb = new StringBuilder(AcledTestFiles.CurrentHeader).Append('\n');
        for (var i = 0; i < rows; i++)
        {
            var bad = random.Next(60);
            var date = bad == 0 ? "31/02/2025" : random.Next(5) switch
            {
                0 => $"2025-03-{random.Next(1, 29):00}",
                1 => $"{random.Next(1, 29)} March 2025",
                2 => $"{random.Next(1, 29):00}/03/2025",
                3 => $"{random.Next(1, 29):00}/03/2025 {random.Next(24):00}:{random.Next(60):00}",
                _ => $"{random.Next(1, 29)}-March-2025",
            };
            var fatalities = bad == 1 ? "many" : random.Next(3) == 0 ? "" : random.Next(20).ToString(CultureInfo.InvariantCulture);
            var inter1 = bad == 2 ? "9" : inters[random.Next(inters.Length)];
            var timestamp = bad == 3 ? "soon" : (1742900000 + i).ToString(CultureInfo.InvariantCulture);
            var note = bad == 4 ? "\"closed\"junk" : notes[random.Next(notes.Length)];
            var lat = (44 + random.NextDouble() * 8).ToString("0.#####", CultureInfo.InvariantCulture);
            var lon = (30 + random.NextDouble() * 8).ToString("0.#####", CultureInfo.InvariantCulture);
            sb.Append(Current($"UKR{i}", date, random.Next(1, 4).ToString(CultureInfo.InvariantCulture), subs[random.Next(subs.Length)], lat, lon,
                    random.Next(1, 4).ToString(CultureInfo.InvariantCulture), note, tags[random.Next(tags.Length)], fatalities, inter1,
                    timestamp: timestamp))
              .Append(random.Next(3) == 0 ? "\r\n" : "\n");
        }
        if (truncated)
        {
            sb.Append($"UKR{rows},2025-03-19,2025,1,Political violence,Explosions/Remote violence,Air/drone strike,Military Forces of Russia (2000-),,1,")
              .Append("Civilians (Ukraine),,7,12,Civilian targeting,804,Europe,Ukraine,Kharkiv,Kharkivskyi,Kharkiv,Kharkiv,49.99,36.23,1,Suspilne,National,")
              .Append("\"On 19 March 2025, Russian forces struck a sub");
        }
        return sb.ToString();
    }

    /// <summary>Compares inferences by category, basis and evidence.</summary>
    public sealed class TargetComparer : IEqualityComparer<TargetInference>
    {
        public static TargetComparer Instance { get; } = new();

        public bool Equals(TargetInference? x, TargetInference? y) =>
            x!.Category == y!.Category && x.Basis == y.Basis && x.Evidence.SequenceEqual(y.Evidence);

        public int GetHashCode(TargetInference obj) => obj.Category.GetHashCode();
    }

    /// <summary>A stream that cannot seek and returns few bytes per read, like a network upload.</summary>
    public sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, 700), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

using System.Globalization;
using System.Text;
using Ceasefire.Import.GeoJson;
using Ceasefire.Import.Json;
using Ceasefire.Import.Text;
using Ceasefire.Import.Ucdp;

namespace Ceasefire.Tests.Import;

/// <summary>
/// The readers stream: they read a generated 50 MB input (never held in memory: the stream makes it as it is read)
/// record by record, and the live heap stays far below the size of the input while they do.
/// </summary>
[Collection(nameof(ImportStreamingTests))]
public sealed class ImportStreamingTests
{
    private const long InputBytes = 50L << 20;

    /// <summary>
    /// The largest live heap allowed while reading 50 MB: the read window, one record and slack (measured: under 1 MB).
    /// Holding the input, or the incidents made from it, would take several times the input's size.
    /// </summary>
    private const long MaxLiveBytes = 16L << 20;

    private static readonly string UcdpHeader = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "import", "ucdp-ged-sample.csv")).First();

    private static readonly string UcdpRow = string.Join('\n', File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "import", "ucdp-ged-sample.csv")).Skip(1).Take(1));

    [Fact]
    public void UcdpGedReader_50MegabyteFile_IsReadInBoundedMemory()
    {
        using var input = new GeneratedStream(UcdpHeader + "\n", i => UcdpRow.Replace("500001,", $"{i},", StringComparison.Ordinal) + "\n", "");
        var (records, peak) = Consume(UcdpGedReader.ReadRecords(input, "big.csv"));

        Assert.True(input.Served >= InputBytes);
        Assert.True(records > 70_000, $"{records} records");
        Assert.True(peak < MaxLiveBytes, $"live heap peaked at {peak >> 20} MB");
    }

    [Fact]
    public void ReportJsonReader_50MegabyteDocument_IsReadInBoundedMemory()
    {
        using var input = new GeneratedStream("{ \"reports\": [\n", Report, "\n] }\n", separator: ",\n");
        var (records, peak) = Consume(ReportJsonReader.ReadRecords(input, "big.json"));

        Assert.True(records > 100_000, $"{records} records");
        Assert.True(peak < MaxLiveBytes, $"live heap peaked at {peak >> 20} MB");
    }

    [Fact]
    public void GeoJsonReportReader_50MegabyteCollection_IsReadInBoundedMemory()
    {
        using var input = new GeneratedStream("{ \"type\": \"FeatureCollection\", \"features\": [\n", Feature, "\n] }\n", separator: ",\n");
        var (records, peak) = Consume(GeoJsonReportReader.ReadRecords(input, "big.geojson"));

        Assert.True(records > 100_000, $"{records} records");
        Assert.True(peak < MaxLiveBytes, $"live heap peaked at {peak >> 20} MB");
    }

    private static string Report(int i) => string.Create(CultureInfo.InvariantCulture,
        $"  {{ \"id\": \"R-{i}\", \"time\": {{ \"date\": \"2025-04-17\", \"time_zone\": \"Europe/Kyiv\" }}, \"location\": {{ \"lon\": {30 + i % 1000 / 100.0}, \"lat\": 49.9 }}, \"act\": \"air_drone_strike\", \"notes\": \"Удар по підстанції {i}\", \"attributes\": {{ \"n\": \"{i}\" }} }}");

    private static string Feature(int i) => string.Create(CultureInfo.InvariantCulture,
        $"  {{ \"type\": \"Feature\", \"id\": {i}, \"geometry\": {{ \"type\": \"Point\", \"coordinates\": [{30 + i % 1000 / 100.0}, 49.9] }}, \"properties\": {{ \"time\": {{ \"date\": \"2025-04-17\" }}, \"act\": \"air_drone_strike\", \"notes\": \"substation {i}\" }} }}");

    /// <summary>Reads every record, as a store would (keeping none), measuring the live heap every 20,000 records.</summary>
    private static (int Records, long PeakLiveBytes) Consume(IEnumerable<InputRecord> records)
    {
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var count = 0;
        long peak = 0;
        foreach (var record in records)
        {
            Assert.True(record.Kind is InputRecordKind.Incident or InputRecordKind.Header, record.ToString());
            if (++count % 20_000 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        }
        return (count, peak);
    }

    /// <summary>A read-only stream that makes a header, rows until <see cref="InputBytes"/> have been served, and a footer.</summary>
    private sealed class GeneratedStream(string header, Func<int, string> row, string footer, string separator = "") : Stream
    {
        private byte[] _pending = Encoding.UTF8.GetBytes(header);
        private int _offset;
        private int _row;
        private bool _footerDone;

        public long Served { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var written = 0;
            while (written < count)
            {
                if (_offset == _pending.Length)
                {
                    if (_footerDone)
                    {
                        break;
                    }
                    if (Served >= InputBytes)
                    {
                        _pending = Encoding.UTF8.GetBytes(footer);
                        _footerDone = true;
                    }
                    else
                    {
                        _pending = Encoding.UTF8.GetBytes((_row > 0 ? separator : "") + row(_row));
                        _row++;
                    }
                    _offset = 0;
                    continue;
                }
                var n = Math.Min(count - written, _pending.Length - _offset);
                _pending.AsSpan(_offset, n).CopyTo(buffer.AsSpan(offset + written));
                _offset += n;
                written += n;
                Served += n;
            }
            return written;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>Runs the memory measurements alone, so that other tests' allocations do not count.</summary>
[CollectionDefinition(nameof(ImportStreamingTests), DisableParallelization = true)]
public sealed class ImportStreamingCollection;

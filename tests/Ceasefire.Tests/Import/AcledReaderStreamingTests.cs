using System.Globalization;
using System.Text;
using Ceasefire.Import.Acled;
using Ceasefire.Import.Errors;
using Ceasefire.Incidents;

namespace Ceasefire.Tests.Import;

/// <summary><see cref="AcledReader.EnumerateIncidents(string, AcledReadOptions, Action{ImportError}, Action{RejectedRow}, CancellationToken)"/>.</summary>
public sealed class AcledReaderStreamingTests : IDisposable
{
    private readonly AcledTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EnumerateIncidents_ManyWindows_GivesExactlyWhatReadIncidentsGives(bool truncated)
    {
        var path = _files.Write(AcledTestFiles.GeneratedCurrent(rows: 3000, seed: 3, truncated));
        var small = new AcledReadOptions { WindowBytes = 4096, MinPieceBytes = 256, MaxDegreeOfParallelism = 4 };
        var whole = AcledReader.ReadIncidents(path, new AcledReadOptions { MaxDegreeOfParallelism = 1 });
        var errors = new List<ImportError>();
        var rejected = new List<RejectedRow>();

        var streamed = AcledReader.EnumerateIncidents(path, small, errors.Add, rejected.Add, CancellationToken.None).ToList();

        Assert.True(whole.Value.Count > 2500);
        Assert.Contains(whole.Errors, e => e.Code == "acled.fatalities");
        Assert.Contains(whole.Errors, e => e.Code == "acled.inter");
        Assert.Contains(whole.Errors, e => e.Code == "acled.timestamp");
        Assert.Contains(whole.Errors, e => e.Code == "acled.csv");
        Assert.Equal(truncated, whole.Errors[^1].Code == "acled.truncated");
        Assert.Equal(whole.Errors, errors);
        Assert.Equal(whole.Rejected, rejected);
        AcledTestFiles.AssertSameIncidents(whole.Value, streamed);
        AcledTestFiles.AssertSame(whole, AcledReader.ReadBatch(path, small));
    }

    [Fact]
    public void EnumerateIncidents_FromAForwardOnlyStream_GivesWhatTheFileGives()
    {
        var content = AcledTestFiles.GeneratedCurrent(rows: 500, seed: 4);
        var whole = AcledReader.ReadIncidents(_files.Write(content));
        var errors = new List<ImportError>();

        var streamed = AcledReader.EnumerateIncidents(new AcledTestFiles.ForwardOnlyStream(Encoding.UTF8.GetBytes(content)), "upload.csv",
            new AcledReadOptions { WindowBytes = 2048, MinPieceBytes = 128 }, errors.Add, _ => { }, CancellationToken.None).ToList();

        AcledTestFiles.AssertSameIncidents(whole.Value, streamed);
        Assert.Equal(whole.Errors.Select(e => e with { File = "upload.csv" }), errors);
    }

    [Fact]
    public void EnumerateIncidents_IsLazyAndChecksItsArgumentsAtOnce()
    {
        var errors = new List<ImportError>();
        var missing = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.csv");

        var incidents = AcledReader.EnumerateIncidents(missing, null, errors.Add, _ => { }, CancellationToken.None);

        Assert.Empty(errors);
        Assert.Empty(incidents);
        Assert.Equal("acled.file", Assert.Single(errors).Code);
        Assert.Throws<ArgumentNullException>(() => AcledReader.EnumerateIncidents(missing, null, null!, _ => { }, CancellationToken.None));
        Assert.Throws<ArgumentNullException>(() => AcledReader.EnumerateIncidents(missing, null, _ => { }, null!, CancellationToken.None));
    }

    [Fact]
    public void EnumerateIncidents_StoppedEarly_ClosesTheFile()
    {
        var path = _files.Write(AcledTestFiles.GeneratedCurrent(rows: 2000, seed: 5));
        var options = new AcledReadOptions { WindowBytes = 4096, MinPieceBytes = 256 };

        var firstFive = AcledReader.EnumerateIncidents(path, options, _ => { }, _ => { }, CancellationToken.None).Take(5).ToList();

        Assert.Equal(5, firstFive.Count);
        using var exclusive = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
    }

    [Fact]
    public void EnumerateIncidents_CancelledToken_Throws()
    {
        var path = _files.Write(AcledTestFiles.GeneratedCurrent(rows: 10, seed: 6));

        Assert.ThrowsAny<OperationCanceledException>(() =>
            AcledReader.EnumerateIncidents(path, null, _ => { }, _ => { }, new CancellationToken(canceled: true)).ToList());
    }
}

/// <summary>Tests that measure the managed heap: run alone, so that other tests' allocations do not count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasuringCollection
{
    public const string Name = "Heap measuring";
}

[Collection(HeapMeasuringCollection.Name)]
public sealed class AcledReaderStreamingMemoryTests : IDisposable
{
    private const int Rows = 200_000;

    private readonly AcledTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void EnumerateIncidents_LargeFileInSmallWindows_KeepsTheHeapBounded()
    {
        var path = _files.NewPath();
        using (var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 16))
        {
            writer.Write(AcledTestFiles.BenchHeader);
            writer.Write('\n');
            for (var i = 0; i < Rows; i++)
            {
                writer.Write(AcledTestFiles.Bench(i.ToString(CultureInfo.InvariantCulture), $"2025-03-{i % 28 + 1:00}", "Air/drone strike",
                    (44 + i % 8 + 0.12345).ToString(CultureInfo.InvariantCulture), "36.25",
                    "\"Russian forces struck a substation, cutting power to several villages in the district.\"",
                    fatalities: (i % 5).ToString(CultureInfo.InvariantCulture)));
                writer.Write('\n');
            }
        }
        var fileBytes = new FileInfo(path).Length;
        var options = new AcledReadOptions { WindowBytes = 1 << 20, MinPieceBytes = 64 << 10 };
        var errors = 0;
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        var count = 0;
        WeakReference? first = null;

        foreach (var incident in AcledReader.EnumerateIncidents(path, options, _ => errors++, _ => { }, CancellationToken.None))
        {
            first ??= new WeakReference(incident);
            if (++count % 25_000 == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
                Assert.False(first.IsAlive, "an incident yielded windows ago is still held");
            }
        }

        Assert.Equal(Rows, count);
        Assert.Equal(0, errors);
        Assert.True(fileBytes > 25 << 20, $"the file is {fileBytes} bytes");
        // Two 1 MB windows and the incidents of one (about 4,500) measure about 6 MB; all 200,000 would be tens of MB.
        Assert.True(peak < 16 << 20, $"the heap grew by {peak:N0} bytes while streaming a {fileBytes:N0}-byte file");
    }
}

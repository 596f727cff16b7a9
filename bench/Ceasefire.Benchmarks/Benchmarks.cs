using BenchmarkDotNet.Attributes;
using Ceasefire.Adjudication;
using Ceasefire.Import.Acled;
using Ceasefire.Import.GeoJson;
using Ceasefire.Incidents;
using Ceasefire.Zones;

namespace Ceasefire.Benchmarks;

/// <summary>Building the zone index, and locating every event of the workload in it.</summary>
[MemoryDiagnoser]
public class ZoneIndexBenchmarks
{
    private ZoneFile _zones = null!;
    private ZoneLibrary _library = null!;
    private IncidentBatch _events = null!;

    [GlobalSetup]
    public void Setup()
    {
        _zones = Workload.Zones();
        _library = new ZoneLibrary(_zones.Zones);
        _events = Workload.Events();
    }

    [Benchmark]
    public ZoneLibrary Build() => new(_zones.Zones);

    [Benchmark]
    public int LocateEveryEvent()
    {
        Span<ulong> inside = stackalloc ulong[_library.BitWords];
        Span<ulong> edge = stackalloc ulong[_library.BitWords];
        var hits = 0;
        for (var i = 0; i < _events.Count; i++)
        {
            _library.LocatePoint(_events.Longitudes[i], _events.Latitudes[i], inside, edge);
            hits += (int)ulong.PopCount(inside[0]);
        }
        return hits;
    }
}

/// <summary>Ruling the workload's events against its 127 obligations (the bulk path, all cores).</summary>
public class AdjudicatorBenchmarks
{
    private Adjudicator _adjudicator = null!;
    private IncidentBatch _events = null!;

    [GlobalSetup]
    public void Setup()
    {
        _adjudicator = Workload.Adjudicator(new ZoneLibrary(Workload.Zones().Zones));
        _events = Workload.Events();
    }

    [Benchmark]
    public int AdjudicateBulk() => _adjudicator.AdjudicateBulk(_events).Findings.Count;
}

/// <summary>Reading the workload's ACLED-format CSV: the bulk (columnar, parallel) path and the full path.</summary>
[MemoryDiagnoser]
public class AcledImportBenchmarks
{
    [Benchmark]
    public int ReadBatch() => AcledReader.ReadBatch(Workload.EventsPath).Value.Count;

    [Benchmark]
    public int ReadIncidents() => AcledReader.ReadIncidents(Workload.EventsPath).Value.Count;
}

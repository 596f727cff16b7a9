using Ceasefire.Geo;
using Ceasefire.Parties;
using Ceasefire.Taxonomy;

namespace Ceasefire.Incidents;

/// <summary>
/// Many incidents in columns (structure of arrays), the form the adjudicator rules on in bulk: times as UTC ticks
/// (<c>[Earliest, Latest)</c>, equal for an exact instant), places as (lon, lat) degrees with an uncertainty radius in
/// metres, act and target as taxonomy indices, perpetrator as an index into <see cref="Parties"/> (-1: undetermined).
/// Filled by one writer through the <c>Add</c> methods; read-only and safe to share once filled.
/// </summary>
public sealed class IncidentBatch
{
    private readonly Dictionary<PartyCode, short> _partyIndex = new();
    private readonly List<PartyCode> _parties = [];
    private string[] _ids;
    private long[] _earliest, _latest;
    private double[] _lon, _lat, _radius;
    private byte[] _act, _target;
    private short[] _perp;

    /// <summary>Creates an empty batch with room for <paramref name="capacity"/> incidents.</summary>
    public IncidentBatch(int capacity = 1024)
    {
        capacity = Math.Max(capacity, 16);
        _ids = new string[capacity];
        _earliest = new long[capacity];
        _latest = new long[capacity];
        _lon = new double[capacity];
        _lat = new double[capacity];
        _radius = new double[capacity];
        _act = new byte[capacity];
        _target = new byte[capacity];
        _perp = new short[capacity];
    }

    /// <summary>Number of incidents.</summary>
    public int Count { get; private set; }

    /// <summary>Party table the perpetrator indices refer to.</summary>
    public IReadOnlyList<PartyCode> Parties => _parties;

    /// <summary>Incident ids.</summary>
    public ReadOnlySpan<string> Ids => _ids.AsSpan(0, Count);

    /// <summary>Earliest possible instants, UTC ticks.</summary>
    public ReadOnlySpan<long> Earliest => _earliest.AsSpan(0, Count);

    /// <summary>Latest possible instants (exclusive), UTC ticks.</summary>
    public ReadOnlySpan<long> Latest => _latest.AsSpan(0, Count);

    /// <summary>Longitudes, degrees.</summary>
    public ReadOnlySpan<double> Longitudes => _lon.AsSpan(0, Count);

    /// <summary>Latitudes, degrees.</summary>
    public ReadOnlySpan<double> Latitudes => _lat.AsSpan(0, Count);

    /// <summary>Uncertainty radii, metres.</summary>
    public ReadOnlySpan<double> Radii => _radius.AsSpan(0, Count);

    /// <summary>Act kinds (index into <see cref="ActKinds.All"/>).</summary>
    public ReadOnlySpan<byte> Acts => _act.AsSpan(0, Count);

    /// <summary>Target categories (index into <see cref="TargetCategories.All"/>).</summary>
    public ReadOnlySpan<byte> Targets => _target.AsSpan(0, Count);

    /// <summary>Perpetrators (index into <see cref="Parties"/>, -1 when undetermined).</summary>
    public ReadOnlySpan<short> Perpetrators => _perp.AsSpan(0, Count);

    /// <summary>Appends one incident's facts.</summary>
    public void Add(string id, long earliestTicks, long latestTicks, double lon, double lat, double radiusMetres, ActKind act, TargetCategory target, PartyCode? perpetrator)
    {
        if (Count == _ids.Length)
        {
            Grow();
        }
        var i = Count++;
        _ids[i] = id;
        _earliest[i] = earliestTicks;
        _latest[i] = latestTicks;
        _lon[i] = lon;
        _lat[i] = lat;
        _radius[i] = radiusMetres;
        _act[i] = act.Index;
        _target[i] = target.Index;
        _perp[i] = perpetrator is { } p ? PartyIndex(p) : (short)-1;
    }

    /// <summary>Appends an incident.</summary>
    public void Add(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        Add(incident.Id.Value, incident.Time.Earliest.UtcTicks, incident.Time.Latest.UtcTicks, incident.Location.Longitude,
            incident.Location.Latitude, incident.Location.RadiusMetres, incident.Act, incident.Target.Category, incident.Perpetrator);
    }

    /// <summary>A batch of the given incidents.</summary>
    public static IncidentBatch Of(IEnumerable<Incident> incidents)
    {
        var batch = new IncidentBatch();
        foreach (var i in incidents)
        {
            batch.Add(i);
        }
        return batch;
    }

    /// <summary>Appends every incident of <paramref name="other"/>, re-indexing its parties.</summary>
    public void AddRange(IncidentBatch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var map = other._parties.Select(PartyIndex).ToArray();
        EnsureCapacity(Count + other.Count);
        other._ids.AsSpan(0, other.Count).CopyTo(_ids.AsSpan(Count));
        other._earliest.AsSpan(0, other.Count).CopyTo(_earliest.AsSpan(Count));
        other._latest.AsSpan(0, other.Count).CopyTo(_latest.AsSpan(Count));
        other._lon.AsSpan(0, other.Count).CopyTo(_lon.AsSpan(Count));
        other._lat.AsSpan(0, other.Count).CopyTo(_lat.AsSpan(Count));
        other._radius.AsSpan(0, other.Count).CopyTo(_radius.AsSpan(Count));
        other._act.AsSpan(0, other.Count).CopyTo(_act.AsSpan(Count));
        other._target.AsSpan(0, other.Count).CopyTo(_target.AsSpan(Count));
        for (var i = 0; i < other.Count; i++)
        {
            var p = other._perp[i];
            _perp[Count + i] = p < 0 ? (short)-1 : map[p];
        }
        Count += other.Count;
    }

    private short PartyIndex(PartyCode p)
    {
        if (!_partyIndex.TryGetValue(p, out var idx))
        {
            idx = (short)_parties.Count;
            _parties.Add(p);
            _partyIndex[p] = idx;
        }
        return idx;
    }

    private void Grow() => EnsureCapacity(_ids.Length * 2);

    private void EnsureCapacity(int n)
    {
        if (n <= _ids.Length)
        {
            return;
        }
        n = Math.Max(n, _ids.Length * 2);
        Array.Resize(ref _ids, n);
        Array.Resize(ref _earliest, n);
        Array.Resize(ref _latest, n);
        Array.Resize(ref _lon, n);
        Array.Resize(ref _lat, n);
        Array.Resize(ref _radius, n);
        Array.Resize(ref _act, n);
        Array.Resize(ref _target, n);
        Array.Resize(ref _perp, n);
    }
}

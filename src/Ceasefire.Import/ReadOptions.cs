using Ceasefire.Parties;

namespace Ceasefire.Import;

/// <summary>
/// What every reader of reports needs to know: the time zone in which dates without an offset are local (a day runs
/// from local midnight to local midnight) and the map from actor names to parties. Immutable.
/// </summary>
public abstract record ReadOptions
{
    /// <summary>The zone of dates and times given without an offset. Default UTC.</summary>
    public TimeZoneInfo TimeZone
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            field = value;
        }
    } = TimeZoneInfo.Utc;

    /// <summary>Maps the source's actor names to parties. Default <see cref="ActorMap.RussiaUkraineDefault"/>.</summary>
    public ActorMap ActorMap
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            field = value;
        }
    } = ActorMap.RussiaUkraineDefault;
}

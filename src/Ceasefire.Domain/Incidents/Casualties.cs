namespace Ceasefire.Incidents;

/// <summary>
/// Reported deaths as a range: low, best and high estimates (UCDP GED's <c>low</c>/<c>best</c>/<c>high</c>; ACLED's
/// single <c>fatalities</c> figure is all three). Null members are unknown. Invariant: low &lt;= best &lt;= high where given.
/// </summary>
public readonly record struct Casualties
{
    /// <summary>Creates a range; throws on negative figures or low &gt; best &gt; high.</summary>
    public Casualties(int? low, int? best, int? high)
    {
        if (low < 0 || best < 0 || high < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(low), "Casualty figures cannot be negative.");
        }
        if ((low is { } l && best is { } b1 && l > b1) || (best is { } b2 && high is { } h && b2 > h) || (low is { } l2 && high is { } h2 && l2 > h2))
        {
            throw new ArgumentException($"Casualty range must satisfy low <= best <= high (got {low}, {best}, {high}).", nameof(best));
        }
        Low = low;
        Best = best;
        High = high;
    }

    /// <summary>One figure for all three estimates.</summary>
    public static Casualties Exactly(int n) => new(n, n, n);

    /// <summary>Nothing reported.</summary>
    public static Casualties Unknown => default;

    /// <summary>Low estimate.</summary>
    public int? Low { get; }

    /// <summary>Best estimate.</summary>
    public int? Best { get; }

    /// <summary>High estimate.</summary>
    public int? High { get; }

    /// <inheritdoc />
    public override string ToString() => Best is null && Low is null && High is null ? "unknown"
        : Low == High ? $"{Best}" : $"{Best} ({Low}-{High})";
}

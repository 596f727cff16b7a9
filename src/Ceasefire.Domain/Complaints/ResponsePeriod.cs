using System.Globalization;
using Ceasefire.Agreements;

namespace Ceasefire.Complaints;

/// <summary>Where a complaint's response period came from.</summary>
public enum ResponsePeriodSource
{
    /// <summary>The agreement states it (<c>complaints.response_period</c> in the agreement file).</summary>
    Agreement,

    /// <summary>The agreement states none (or no agreement was given): <see cref="ResponsePeriod.DefaultHours"/> applies.</summary>
    Default,
}

/// <summary>
/// How long the accused party has to answer a complaint, counted from the instant it was filed (exact elapsed time),
/// and where that length came from. The deadline is <c>filed-at + Length</c>; an answer at or after it is late.
/// The period is fixed when the complaint is filed (it travels in <see cref="ComplaintFiled"/>), so a later
/// agreement version cannot move the deadline of a complaint already filed.
/// </summary>
public readonly record struct ResponsePeriod
{
    /// <summary>
    /// The response period used when the agreement states none: 72 hours. The March 2025 arrangements set no period
    /// for answering complaints; 72 hours is this system's working default, not a term of any agreement.
    /// </summary>
    public const int DefaultHours = 72;

    /// <summary>Creates a period; throws <see cref="ArgumentOutOfRangeException"/> when <paramref name="length"/> is not positive.</summary>
    public ResponsePeriod(TimeSpan length, ResponsePeriodSource source)
    {
        if (length <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "A response period must be positive.");
        }
        if (!Enum.IsDefined(source))
        {
            throw new ArgumentOutOfRangeException(nameof(source), source, "Unknown response period source.");
        }
        Length = length;
        Source = source;
    }

    /// <summary>The length of the period (exact elapsed time).</summary>
    public TimeSpan Length { get; }

    /// <summary>Where the length came from: the agreement, or the default.</summary>
    public ResponsePeriodSource Source { get; }

    /// <summary>True when the agreement stated no period and <see cref="DefaultHours"/> applies.</summary>
    public bool IsDefault => Source == ResponsePeriodSource.Default;

    /// <summary>The default period, <see cref="DefaultHours"/> hours, marked as such.</summary>
    public static ResponsePeriod Default => new(TimeSpan.FromHours(DefaultHours), ResponsePeriodSource.Default);

    /// <summary>
    /// The period <paramref name="agreement"/> states (<see cref="Agreement.ComplaintResponsePeriod"/>), or
    /// <see cref="Default"/> when it states none or no agreement is given.
    /// </summary>
    public static ResponsePeriod For(Agreement? agreement) =>
        agreement?.ComplaintResponsePeriod is { } length ? new(length, ResponsePeriodSource.Agreement) : Default;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Length.TotalHours.ToString("0.##", CultureInfo.InvariantCulture)}h ({(IsDefault ? "default" : "from the agreement")})";
}

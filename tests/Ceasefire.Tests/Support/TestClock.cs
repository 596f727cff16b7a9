namespace Ceasefire.Tests.Support;

/// <summary>A clock the test sets and moves by hand (NodaTime.Testing's FakeClock, for <see cref="TimeProvider"/>).</summary>
internal sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start.ToUniversalTime();

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    public void Set(DateTimeOffset now) => _now = now.ToUniversalTime();
}

namespace Ceasefire.Findings;

/// <summary>The ruling of one incident against one obligation under one reading.</summary>
public enum Verdict : byte
{
    /// <summary>Outside the obligation's scope, window, acts, targets or bound parties.</summary>
    NotCovered = 0,
    /// <summary>
    /// Could be a violation: every aspect matches or is uncertain, at least one is uncertain (time or place straddles
    /// an edge, attribution undetermined, target unknown).
    /// </summary>
    PossibleViolation = 1,
    /// <summary>Every aspect matches without doubt.</summary>
    Violation = 2,
}

/// <summary>An aspect of an obligation that a finding checks.</summary>
public enum Aspect : byte
{
    /// <summary>Whether the obligation's phase binds at all (in force or expired, not proposed or suspended).</summary>
    Phase,
    /// <summary>Whether the alleged perpetrator is bound.</summary>
    Party,
    /// <summary>Whether the act is prohibited.</summary>
    Act,
    /// <summary>Whether the target is protected.</summary>
    Target,
    /// <summary>Whether the place is in the obligation's zones.</summary>
    Zone,
    /// <summary>Whether the time is in the window.</summary>
    Window,
}

/// <summary>The outcome of one check.</summary>
public enum Outcome : byte
{
    /// <summary>The aspect fails: the incident is not covered.</summary>
    Fails,
    /// <summary>The aspect matches.</summary>
    Matches,
    /// <summary>It cannot be said whether the aspect matches.</summary>
    Uncertain,
}

/// <summary>One checked aspect with the detail a person can verify ("2025-03-19 (day, Europe/Moscow) lies inside [..)").</summary>
public sealed record Check(Aspect Aspect, Outcome Outcome, string Detail)
{
    /// <inheritdoc />
    public override string ToString() => $"{Aspect.ToString().ToLowerInvariant()}: {Outcome.ToString().ToLowerInvariant()} - {Detail}";
}

namespace Ceasefire.Claims;

/// <summary>How exact a claimed count is, as the claimant worded it. Written <c>exact</c>, <c>at_least</c>, <c>about</c>.</summary>
public enum CountQualifier
{
    /// <summary>The count as an exact number ("4,900 violations").</summary>
    Exact,

    /// <summary>A lower bound: "more than 2,000", "at least 60", "over 950". The count is the number as written.</summary>
    AtLeast,

    /// <summary>An approximation: "about 3,000", "nearly 3,000", "some 300".</summary>
    About,
}

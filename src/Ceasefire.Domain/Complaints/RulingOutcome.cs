namespace Ceasefire.Complaints;

/// <summary>An analyst's ruling on a complaint. Written in JSON as <c>upheld</c>, <c>rejected</c>, <c>inconclusive</c>.</summary>
public enum RulingOutcome
{
    /// <summary>The evidence supports the complaint.</summary>
    Upheld,

    /// <summary>The evidence does not support the complaint.</summary>
    Rejected,

    /// <summary>The evidence does not allow a ruling either way.</summary>
    Inconclusive,
}

namespace Ceasefire.Complaints;

/// <summary>How the accused party answers a complaint. Written in JSON and files as <c>denial</c>, <c>admission</c>, <c>counter_accusation</c>.</summary>
public enum AnswerKind
{
    /// <summary>The accused party denies the act or its attribution.</summary>
    Denial,

    /// <summary>The accused party admits the act (possibly disputing that it was a violation).</summary>
    Admission,

    /// <summary>The accused party accuses the complainant in turn; it may name reports of its own.</summary>
    CounterAccusation,
}

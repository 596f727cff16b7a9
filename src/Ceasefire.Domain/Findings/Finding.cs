using Ceasefire.Incidents;
using Ceasefire.Parties;

namespace Ceasefire.Findings;

/// <summary>
/// The ruling of one incident against one obligation under one reading, with the agreement version applied, every
/// check that decided it and a confidence in [0, 1]. Immutable.
/// </summary>
/// <param name="IncidentId">The incident.</param>
/// <param name="AgreementId">The agreement.</param>
/// <param name="AgreementVersion">The version applied.</param>
/// <param name="ObligationId">The obligation.</param>
/// <param name="PhaseId">Its phase.</param>
/// <param name="Reading">Whose reading (null: the text, where the parties read it alike).</param>
/// <param name="Verdict">The ruling.</param>
/// <param name="Confidence">
/// Source weight (<see cref="SourceGrade.Weight"/>), halved for a possible violation.
/// </param>
/// <param name="Checks">Each aspect checked, in a fixed order (phase, party, act, target, zone, window).</param>
public sealed record Finding(
    IncidentId IncidentId, string AgreementId, int AgreementVersion, string ObligationId, string PhaseId,
    PartyCode? Reading, Verdict Verdict, double Confidence, IReadOnlyList<Check> Checks)
{
    /// <summary>"RU reading", "UA reading", or "text".</summary>
    public string ReadingLabel => Reading is { } p ? p.Value : "text";

    /// <summary>The checks that failed (why it is not covered).</summary>
    public IEnumerable<Check> Failed => Checks.Where(c => c.Outcome == Outcome.Fails);

    /// <summary>The checks that were uncertain (why it is only possible).</summary>
    public IEnumerable<Check> Uncertain => Checks.Where(c => c.Outcome == Outcome.Uncertain);

    /// <summary>A one-paragraph explanation a person can check.</summary>
    public string Explain()
    {
        var why = Verdict switch
        {
            Verdict.NotCovered => "not covered, because " + string.Join("; ", Failed.Select(c => c.Detail)),
            Verdict.PossibleViolation => "a possible violation, because " + string.Join("; ", Uncertain.Select(c => c.Detail)),
            _ => "a violation: every aspect matches",
        };
        return $"Under the {(Reading is null ? "text" : Reading.Value.Value + " reading")} of obligation {ObligationId} " +
               $"({AgreementId} v{AgreementVersion}, phase {PhaseId}), incident {IncidentId} is {why}.";
    }
}

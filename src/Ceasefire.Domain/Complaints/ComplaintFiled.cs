using Ceasefire.Incidents;
using Ceasefire.Parties;

namespace Ceasefire.Complaints;

/// <summary>
/// A party filed a formal complaint against another party about reports and/or an incident. Opens the complaint; the
/// response deadline is <see cref="ComplaintEvent.At"/> plus <see cref="ResponsePeriod"/>.
/// </summary>
public sealed record ComplaintFiled : ComplaintEvent
{
    /// <summary>
    /// Creates the event. Throws <see cref="ArgumentException"/> when the complainant is also the accused, when neither
    /// a report key nor an incident is named, or when the text or user is empty.
    /// </summary>
    /// <param name="complaintId">The new complaint's id.</param>
    /// <param name="at">When it was filed (the response period runs from here).</param>
    /// <param name="by">The user who filed it on the complainant's behalf.</param>
    /// <param name="complainant">The party complaining.</param>
    /// <param name="accused">The party complained about; not the complainant.</param>
    /// <param name="reportKeys">Store report keys (<c>dataset:id</c>) the complaint is about; may be empty when an incident is named.</param>
    /// <param name="incident">The incident the complaint is about, if any; at least one of this and a report key.</param>
    /// <param name="text">The complaint's text, as filed.</param>
    /// <param name="responsePeriod">How long the accused has to answer (<see cref="ResponsePeriod.For"/> the agreement).</param>
    /// <param name="agreementId">The agreement the complaint is made under, if any.</param>
    public ComplaintFiled(
        ComplaintId complaintId, DateTimeOffset at, string by, PartyCode complainant, PartyCode accused,
        IEnumerable<string>? reportKeys, IncidentId? incident, string text, ResponsePeriod responsePeriod, string? agreementId = null)
        : base(complaintId, at, by)
    {
        if (complainant == default || accused == default)
        {
            throw new ArgumentException($"Complaint {complaintId} must name both the complainant and the accused party.",
                complainant == default ? nameof(complainant) : nameof(accused));
        }
        if (complainant == accused)
        {
            throw new ArgumentException(
                $"Complaint {complaintId}: the accused party cannot be the complainant ({complainant}); a party does not complain about itself.",
                nameof(accused));
        }
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (responsePeriod == default)
        {
            throw new ArgumentException($"Complaint {complaintId} needs a response period (ResponsePeriod.For(agreement)).", nameof(responsePeriod));
        }
        var keys = CheckReportKeys(reportKeys, nameof(reportKeys));
        if (keys.Count == 0 && incident is null)
        {
            throw new ArgumentException($"Complaint {complaintId} must be about at least one report key or an incident.", nameof(reportKeys));
        }
        Complainant = complainant;
        Accused = accused;
        ReportKeys = keys;
        Incident = incident;
        Text = text;
        ResponsePeriod = responsePeriod;
        AgreementId = string.IsNullOrWhiteSpace(agreementId) ? null : agreementId.Trim();
    }

    /// <summary>The party complaining.</summary>
    public PartyCode Complainant { get; }

    /// <summary>The party complained about: the only one who may answer.</summary>
    public PartyCode Accused { get; }

    /// <summary>Store report keys (<c>dataset:id</c>) the complaint is about, in the order given; may be empty.</summary>
    public IReadOnlyList<string> ReportKeys { get; }

    /// <summary>The incident the complaint is about, if any.</summary>
    public IncidentId? Incident { get; }

    /// <summary>The complaint's text, as filed.</summary>
    public string Text { get; }

    /// <summary>How long the accused has to answer, and whether that came from the agreement or the default.</summary>
    public ResponsePeriod ResponsePeriod { get; }

    /// <summary>The agreement the complaint is made under, if named.</summary>
    public string? AgreementId { get; }

    /// <summary>The instant from which an answer is late: <see cref="ComplaintEvent.At"/> + <see cref="ResponsePeriod"/>.</summary>
    public DateTimeOffset Deadline => At + ResponsePeriod.Length;

    /// <inheritdoc />
    public override string Kind => ComplaintEvents.FiledKind;

    /// <inheritdoc />
    public bool Equals(ComplaintFiled? other) =>
        other is not null && base.Equals(other) && Complainant == other.Complainant && Accused == other.Accused &&
        SameItems(ReportKeys, other.ReportKeys) && Incident == other.Incident && Text == other.Text &&
        ResponsePeriod == other.ResponsePeriod && AgreementId == other.AgreementId;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Complainant, Accused, ItemsHash(ReportKeys), Incident, Text, ResponsePeriod, AgreementId);
}

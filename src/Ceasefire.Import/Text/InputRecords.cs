using Ceasefire.Import.Acled;
using Ceasefire.Import.Errors;
using Ceasefire.Incidents;

namespace Ceasefire.Import.Text;

/// <summary>Helpers for streams of <see cref="InputRecord"/>.</summary>
public static class InputRecords
{
    /// <summary>
    /// Reads every item of <paramref name="records"/> and gathers them: the incidents in order, every error, the rejected
    /// records, the header and the count of records read (accepted plus rejected; file problems are not records).
    /// </summary>
    public static AcledReadResult<IReadOnlyList<Incident>> Collect(IEnumerable<InputRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var incidents = new List<Incident>();
        var errors = new List<ImportError>();
        var rejected = new List<RejectedRow>();
        string? header = null;
        foreach (var r in records)
        {
            switch (r.Kind)
            {
                case InputRecordKind.Incident:
                    incidents.Add(r.Incident!);
                    break;
                case InputRecordKind.Rejected:
                    rejected.Add(r.Rejected!);
                    errors.AddRange(r.Errors);
                    break;
                case InputRecordKind.Problem:
                    errors.AddRange(r.Errors);
                    break;
                default:
                    header ??= r.Header;
                    break;
            }
        }
        return new(incidents, errors, rejected, header, incidents.Count + rejected.Count);
    }
}

using Ceasefire.Import.Acled;
using Ceasefire.Import.Errors;
using Ceasefire.Incidents;

namespace Ceasefire.Import.Text;

/// <summary>What one record of an input file gave, in a streaming read.</summary>
public enum InputRecordKind
{
    /// <summary>An accepted record: <see cref="InputRecord.Incident"/> is set.</summary>
    Incident,
    /// <summary>A rejected record: <see cref="InputRecord.Rejected"/> holds it as it was and <see cref="InputRecord.Errors"/> why.</summary>
    Rejected,
    /// <summary>A problem with the file rather than a record (unreadable, empty, bad header, malformed JSON): <see cref="InputRecord.Errors"/>.</summary>
    Problem,
    /// <summary>The header row of a CSV file as it was (<see cref="InputRecord.Header"/>), to write above rejected rows.</summary>
    Header,
}

/// <summary>
/// One item of a streaming read (the <c>ReadRecords</c> methods of the readers): an accepted incident, a rejected
/// record with its errors, a problem with the file, or a CSV header. Streaming readers yield these one at a time, so a
/// caller that stores each incident as it comes (and writes rejected records out) reads a file of any size in
/// constant memory; <see cref="InputRecords.Collect"/> gathers them into an <see cref="AcledReadResult{T}"/>. Immutable.
/// </summary>
public sealed class InputRecord
{
    private InputRecord(InputRecordKind kind, Incident? incident, RejectedRow? rejected, string? header, IReadOnlyList<ImportError> errors)
    {
        Kind = kind;
        Incident = incident;
        Rejected = rejected;
        Header = header;
        Errors = errors;
    }

    /// <summary>What this item is.</summary>
    public InputRecordKind Kind { get; }

    /// <summary>The incident of an accepted record.</summary>
    public Incident? Incident { get; }

    /// <summary>A rejected record as it was in the file.</summary>
    public RejectedRow? Rejected { get; }

    /// <summary>The header row of a CSV file as it was.</summary>
    public string? Header { get; }

    /// <summary>Why a record was rejected, or the file's problem; empty otherwise.</summary>
    public IReadOnlyList<ImportError> Errors { get; }

    /// <summary>An accepted record.</summary>
    public static InputRecord Accepted(Incident incident)
    {
        ArgumentNullException.ThrowIfNull(incident);
        return new(InputRecordKind.Incident, incident, null, null, []);
    }

    /// <summary>A rejected record with at least one error.</summary>
    public static InputRecord Reject(RejectedRow row, IReadOnlyList<ImportError> errors)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("A rejected record needs at least one error.", nameof(errors));
        }
        return new(InputRecordKind.Rejected, null, row, null, errors);
    }

    /// <summary>A problem with the file.</summary>
    public static InputRecord Problem(ImportError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(InputRecordKind.Problem, null, null, null, [error]);
    }

    /// <summary>The header row of a CSV file.</summary>
    public static InputRecord HeaderRow(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return new(InputRecordKind.Header, null, null, header, []);
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        InputRecordKind.Incident => $"incident {Incident!.Id}",
        InputRecordKind.Rejected => $"rejected line {Rejected!.Line}: {Errors[0]}",
        InputRecordKind.Problem => $"problem: {Errors[0]}",
        _ => $"header: {Header}",
    };
}

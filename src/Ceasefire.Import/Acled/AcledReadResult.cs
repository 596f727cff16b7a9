using Ceasefire.Import.Errors;
using Ceasefire.Incidents;

namespace Ceasefire.Import.Acled;

/// <summary>
/// The outcome of reading an ACLED file: the accepted records, every error (with file, line and column name), the
/// rejected rows as they were (so they can be fixed and read again), and counts. A bad row never stops the import
/// and never costs a good one: <c>RowsRead = RowsAccepted + RowsRejected</c>.
/// </summary>
/// <typeparam name="T">The records: a list of <see cref="Incident"/> or an <see cref="IncidentBatch"/>.</typeparam>
/// <param name="Value">The accepted records (empty, never null, when the file could not be used).</param>
/// <param name="Errors">Every problem, in file order; a problem with the file or its header has no rows after it.</param>
/// <param name="Rejected">The rejected rows, in file order.</param>
/// <param name="Header">The header row as it was, to write above the rejected rows; null when the file has none.</param>
/// <param name="RowsRead">Data rows read (blank lines not counted).</param>
public sealed record AcledReadResult<T>(T Value, IReadOnlyList<ImportError> Errors, IReadOnlyList<RejectedRow> Rejected, string? Header, int RowsRead)
    where T : class
{
    /// <summary>Rows accepted.</summary>
    public int RowsAccepted => RowsRead - Rejected.Count;

    /// <summary>Rows rejected.</summary>
    public int RowsRejected => Rejected.Count;

    /// <summary>True when nothing was wrong.</summary>
    public bool Succeeded => Errors.Count == 0;

    /// <summary>Writes the header and the rejected rows as a CSV file (LF line breaks), for correction and re-import.</summary>
    public void WriteRejected(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (Header is not null)
        {
            writer.Write(Header);
            writer.Write('\n');
        }
        foreach (var row in Rejected)
        {
            writer.Write(row.Text);
            writer.Write('\n');
        }
    }
}

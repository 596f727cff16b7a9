using Ceasefire.Import.Acled;
using Ceasefire.Import.Errors;
using Ceasefire.Incidents;

namespace Ceasefire.Cli.Commands;

/// <summary>Reads incident files for the commands (ACLED-format CSV), in full or as a columnar batch.</summary>
internal static class IncidentFiles
{
    /// <summary>Incidents read in full, the problems found and how many rows were rejected.</summary>
    public sealed record Full(IReadOnlyList<Incident> Incidents, IReadOnlyList<ImportError> Problems, int Rejected, Action<TextWriter> WriteRejected);

    /// <summary>Incidents read into a batch, the problems found and how many rows were rejected.</summary>
    public sealed record Bulk(IncidentBatch Batch, IReadOnlyList<ImportError> Problems, int Rejected);

    /// <summary>Reads every incident with its notes and links; dates without a time are days in <paramref name="timeZone"/>.</summary>
    public static Full Read(string path, TimeZoneInfo timeZone)
    {
        var result = AcledReader.ReadIncidents(path, new AcledReadOptions { TimeZone = timeZone });
        return new Full(result.Value, result.Errors, result.RowsRejected, result.WriteRejected);
    }

    /// <summary>Reads the incidents into a columnar batch, in parallel (the bulk path).</summary>
    public static Bulk ReadBatch(string path, TimeZoneInfo timeZone)
    {
        var result = AcledReader.ReadBatch(path, new AcledReadOptions { TimeZone = timeZone });
        return new Bulk(result.Value, result.Errors, result.RowsRejected);
    }
}

using Ceasefire.Import.Acled;
using Ceasefire.Import.Errors;
using Ceasefire.Import.GeoJson;
using Ceasefire.Import.Json;
using Ceasefire.Import.Text;
using Ceasefire.Import.Ucdp;

namespace Ceasefire.Import;

/// <summary>
/// Every report format as one stream of <see cref="InputRecord"/> (incidents, rejected records, file problems): what
/// <c>ceasefire import</c> and the web's import upload read. Stateless and thread-safe.
/// </summary>
public static class ReportFiles
{
    /// <summary>The formats, as named on the command line and in the API: <c>acled</c>, <c>ucdp</c>, <c>json</c>, <c>geojson</c>.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["acled", "ucdp", "json", "geojson"];

    /// <summary>The format a file name suggests (<c>.csv</c> acled, <c>.json</c>/<c>.jsonl</c>/<c>.ndjson</c> json, <c>.geojson</c>), or null.</summary>
    public static string? FormatOf(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".csv" => "acled",
        ".json" or ".jsonl" or ".ndjson" => "json",
        ".geojson" => "geojson",
        _ => null,
    };

    /// <summary>Streams the records of the file at <paramref name="path"/> in <paramref name="format"/> (one of <see cref="Formats"/>).</summary>
    /// <param name="format">acled, ucdp, json or geojson.</param>
    /// <param name="path">The file; errors name it as given.</param>
    /// <param name="encoding">The text encoding of the file.</param>
    /// <param name="timeZone">The time zone of dates without a time (ACLED, UCDP).</param>
    /// <param name="cancellationToken">Stops the read between records.</param>
    public static IEnumerable<InputRecord> Read(string format, string path, InputEncoding encoding, TimeZoneInfo timeZone, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(encoding);
        ArgumentNullException.ThrowIfNull(timeZone);
        return format switch
        {
            "ucdp" => UcdpGedReader.ReadRecords(path, new UcdpReadOptions { Encoding = encoding, TimeZone = timeZone }, cancellationToken),
            "json" => ReportJsonReader.ReadRecords(path, new ReportReadOptions { Encoding = encoding }, cancellationToken),
            "geojson" => GeoJsonReportReader.ReadRecords(path, new ReportReadOptions { Encoding = encoding }, cancellationToken),
            "acled" => AcledRecords(path, encoding, timeZone, cancellationToken),
            _ => throw new ArgumentException($"'{format}' is not a report format ({string.Join(", ", Formats)}).", nameof(format)),
        };
    }

    private static IEnumerable<InputRecord> AcledRecords(string path, InputEncoding encoding, TimeZoneInfo tz, CancellationToken ct)
    {
        // The ACLED reader reads UTF-8 bytes: the input goes through the strict decoder (other encodings are
        // transcoded, and bytes that are not valid in the named encoding stop the read with an error naming the line).
        using var file = File.OpenRead(path);
        using var utf8 = encoding.TranscodeToUtf8Stream(file, path, leaveOpen: true);
        var pending = new Queue<InputRecord>();
        var header = ReadHeader(path);
        if (header is not null)
        {
            yield return InputRecord.HeaderRow(header);
        }
        var errorsByLine = new Dictionary<int, List<ImportError>>();
        foreach (var incident in AcledReader.EnumerateIncidents(utf8, path, new AcledReadOptions { TimeZone = tz },
            e =>
            {
                if (AcledCodes.IsFileProblem(e.Code) || e.Line == 0)
                {
                    pending.Enqueue(InputRecord.Problem(e));
                }
                else
                {
                    (errorsByLine.TryGetValue(e.Line, out var list) ? list : errorsByLine[e.Line] = []).Add(e);
                }
            },
            row =>
            {
                pending.Enqueue(InputRecord.Reject(row, errorsByLine.Remove(row.Line, out var list) ? list : [new ImportError(path, row.Line, 0, "", "acled.row", "Rejected.")]));
            }, ct))
        {
            while (pending.Count > 0)
            {
                yield return pending.Dequeue();
            }
            yield return InputRecord.Accepted(incident);
        }
        // Bytes that do not decode end the stream early, so the reader may see a cut-off file: the decoding error is
        // the real problem and comes first.
        foreach (var e in utf8.Errors)
        {
            yield return InputRecord.Problem(e);
        }
        while (pending.Count > 0)
        {
            yield return pending.Dequeue();
        }
    }

    private static string? ReadHeader(string path)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        return reader.ReadLine();
    }
}

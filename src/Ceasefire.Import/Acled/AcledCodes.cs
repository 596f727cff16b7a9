namespace Ceasefire.Import.Acled;

/// <summary>
/// The codes of the <see cref="Errors.ImportError"/>s an ACLED read reports. Codes are stable (scripts may match on
/// them); messages are for people and may change.
/// </summary>
public static class AcledCodes
{
    /// <summary>The file cannot be opened or read.</summary>
    public const string File = "acled.file";

    /// <summary>The file is empty (no bytes, or only blank lines), or it has a header and no rows.</summary>
    public const string Empty = "acled.empty";

    /// <summary>
    /// The file is not CSV text: an image, a PDF, an archive (an Excel <c>.xlsx</c> workbook is one), a JSON or HTML
    /// document, UTF-16 text, other binary data, or a first line that is not a comma-separated header.
    /// </summary>
    public const string NotCsv = "acled.not_csv";

    /// <summary>The header row is malformed CSV or names none of the ACLED columns.</summary>
    public const string Header = "acled.header";

    /// <summary>A required column is missing from the header.</summary>
    public const string MissingColumn = "acled.missing_column";

    /// <summary>A row that ends the file inside a quoted field: the file was cut off, or a closing quote is missing.</summary>
    public const string Truncated = "acled.truncated";

    /// <summary>A row that is not valid CSV (a stray quote), or that is too long to be one.</summary>
    public const string Csv = "acled.csv";

    /// <summary>A row with more or fewer fields than the header.</summary>
    public const string FieldCount = "acled.field_count";

    /// <summary>An empty event id.</summary>
    public const string Id = "acled.id";

    /// <summary>An <c>event_date</c> that is not a date or time in a known form, or a local time that does not exist.</summary>
    public const string Date = "acled.date";

    /// <summary>A <c>time_precision</c> that is not 1, 2 or 3.</summary>
    public const string TimePrecision = "acled.time_precision";

    /// <summary>A latitude that is not a number from -90 to 90.</summary>
    public const string Latitude = "acled.latitude";

    /// <summary>A longitude that is not a number from -180 to 180.</summary>
    public const string Longitude = "acled.longitude";

    /// <summary>A <c>geo_precision</c> that is not 1, 2 or 3.</summary>
    public const string GeoPrecision = "acled.geo_precision";

    /// <summary>A <c>sub_event_type</c> that is not an ACLED sub-event type.</summary>
    public const string SubEventType = "acled.sub_event_type";

    /// <summary>A <c>fatalities</c> that is not a whole number from 0.</summary>
    public const string Fatalities = "acled.fatalities";

    /// <summary>An <c>inter1</c> or <c>inter2</c> that is a number outside 0-8.</summary>
    public const string Inter = "acled.inter";

    /// <summary>A <c>timestamp</c> that is not a whole number (Unix seconds).</summary>
    public const string Timestamp = "acled.timestamp";

    /// <summary>A <c>target_category</c> that is not a target category code.</summary>
    public const string TargetCategory = "acled.target_category";

    /// <summary>A <c>grade</c> that is not an Admiralty grade.</summary>
    public const string Grade = "acled.grade";

    /// <summary>
    /// True for a code that concerns the whole file (<see cref="File"/>, <see cref="Empty"/>, <see cref="NotCsv"/>,
    /// <see cref="Header"/>, <see cref="MissingColumn"/>): no row of such a file was read, or there were none.
    /// </summary>
    public static bool IsFileProblem(string code) => code is File or Empty or NotCsv or Header or MissingColumn;
}

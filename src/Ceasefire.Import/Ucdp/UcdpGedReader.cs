using System.Globalization;
using System.Text;
using Ceasefire.Geo;
using Ceasefire.Import.Acled;
using Ceasefire.Import.Classification;
using Ceasefire.Import.Errors;
using Ceasefire.Import.Text;
using Ceasefire.Incidents;
using Ceasefire.Parties;
using Ceasefire.Taxonomy;
using Ceasefire.Time;

namespace Ceasefire.Import.Ucdp;

/// <summary>
/// How to read a UCDP GED file. Immutable; <see cref="Default"/> reads UTF-8, dates in UTC, with
/// <see cref="UcdpGedReader.DefaultActorMap"/>.
/// </summary>
public sealed record UcdpReadOptions : ReadOptions
{
    /// <summary>UTF-8, UTC, <see cref="UcdpGedReader.DefaultActorMap"/>, dyads attributed to side A, grade F6.</summary>
    public static UcdpReadOptions Default { get; } = new();

    /// <summary>Options with the UCDP actor map (<see cref="UcdpGedReader.DefaultActorMap"/>) as the default.</summary>
    public UcdpReadOptions() => ActorMap = UcdpGedReader.DefaultActorMap;



    /// <summary>The file's encoding (<c>--encoding</c>). Default <see cref="InputEncoding.Utf8"/>.</summary>
    public InputEncoding Encoding
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            field = value;
        }
    } = InputEncoding.Utf8;

    /// <summary>
    /// Whether the perpetrator of a state-based (1) or non-state (2) event is <c>side_a</c> of its dyad. UCDP records
    /// who fought whom, not who struck first: in the Russia-Ukraine dyad side A is the Government of Russia for every
    /// event, including Ukrainian strikes. True (the default) attributes such events to side A through the actor map;
    /// false leaves them undetermined (the actor name is still kept). One-sided violence (3) is always attributed to
    /// side A, its perpetrator by definition.
    /// </summary>
    public bool AttributeDyadsToSideA { get; init; } = true;

    /// <summary>The Admiralty grade given to every event. Default <see cref="SourceGrade.Unassessed"/> (F6).</summary>
    public SourceGrade Grade { get; init; } = SourceGrade.Unassessed;

    /// <summary>The longest record accepted, in characters (a quoted field left open swallows the lines after it).</summary>
    internal int MaxRecordChars { get; init; } = 1 << 20;
}

/// <summary>Stable codes of the problems <see cref="UcdpGedReader"/> reports (<see cref="ImportError.Code"/>).</summary>
public static class UcdpCodes
{
    /// <summary>The file could not be opened or read.</summary>
    public const string File = "ucdp.file";
    /// <summary>No header row, or a malformed one (bad quoting, a column named twice).</summary>
    public const string Header = "ucdp.header";
    /// <summary>A required column is missing from the header.</summary>
    public const string MissingColumn = "ucdp.missing_column";
    /// <summary>A row that is not valid CSV.</summary>
    public const string Csv = "ucdp.csv";
    /// <summary>A row with more or fewer fields than the header.</summary>
    public const string FieldCount = "ucdp.field_count";
    /// <summary>An empty <c>id</c>.</summary>
    public const string Id = "ucdp.id";
    /// <summary>A <c>date_start</c> or <c>date_end</c> that is not a date.</summary>
    public const string Date = "ucdp.date";
    /// <summary><c>date_end</c> before <c>date_start</c>.</summary>
    public const string DateRange = "ucdp.date_range";
    /// <summary>A <c>date_prec</c> that is not 1-5.</summary>
    public const string DatePrecision = "ucdp.date_prec";
    /// <summary>A <c>where_prec</c> that is not 1-7.</summary>
    public const string WherePrecision = "ucdp.where_prec";
    /// <summary>A latitude that is not a number from -90 to 90.</summary>
    public const string Latitude = "ucdp.latitude";
    /// <summary>A longitude that is not a number from -180 to 180.</summary>
    public const string Longitude = "ucdp.longitude";
    /// <summary>A <c>type_of_violence</c> that is not 1, 2 or 3.</summary>
    public const string TypeOfViolence = "ucdp.type_of_violence";
    /// <summary>A death count that is not a whole number from 0, or <c>low</c>, <c>best</c>, <c>high</c> out of order.</summary>
    public const string Casualties = "ucdp.casualties";
}

/// <summary>
/// Reads the UCDP Georeferenced Event Dataset (GED) in CSV, one incident per event, streaming: the file is read line by
/// line (<see cref="InputEncoding.ReadLines"/>) and each incident is made as its row is read, so memory stays constant
/// whatever the size of the file when <see cref="ReadRecords(Stream, string, UcdpReadOptions, CancellationToken)"/> is
/// used. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// <para><b>Columns</b> are found by header name, ignoring case, in any order (RFC 4180 CSV: quoted fields may hold
/// commas, doubled quotes and line breaks). Required: <c>id</c>, <c>type_of_violence</c>, <c>date_start</c>,
/// <c>date_end</c>, <c>latitude</c>, <c>longitude</c>; every other column of the codebook is optional. The incident id
/// is <c>ucdp:</c> and the <c>id</c>.</para>
/// <para><b>Time.</b> <c>date_start</c> and <c>date_end</c> are <c>yyyy-MM-dd</c>, possibly followed by a midnight time
/// (<c>2022-02-24 00:00:00.000</c>, as GED exports write them); they are the earliest and latest possible day (both
/// inclusive), local days in <see cref="ReadOptions.TimeZone"/>, read as <see cref="IncidentTime.Days"/>. The GED
/// already widens that range to its date precision (<c>date_prec</c> 1 the day, 2 two to six days, 3 a week, 4 a
/// month, 5 a year), so the range is used as it is; only when <c>date_prec</c> is 3, 4 or 5 and the range is shorter
/// than a week, the month or the year (data that contradicts itself), it is widened to take in the ISO week, the
/// calendar month or the calendar year containing <c>date_start</c>, never narrowed. A range that is exactly an ISO week
/// or a calendar month then gets that precision (<see cref="IncidentTime.Week"/>, <see cref="IncidentTime.Month"/>).</para>
/// <para><b>Place.</b> <c>latitude</c>/<c>longitude</c> in decimal degrees; the place name is <c>where_coordinates</c>.
/// The uncertainty circle follows <c>where_prec</c> (see <see cref="Place"/>): 1 exact location, coordinates of the
/// settlement: <see cref="LocationPrecision.Settlement"/>, 5 km; 2 within 25 km of a known point: Settlement, 25 km;
/// 3 only the second-order administrative unit (a raion, a district): <see cref="LocationPrecision.Region"/>, 50 km;
/// 4 only the first-order unit (an oblast; Ukraine's oblasts average about 100 km in radius): Region, 100 km; 5 a part
/// of a country larger than a first-order unit, or a linear feature (a road, a river, a front): Region, 250 km; 6 only
/// the country, and 7 international waters or airspace or unclear: Region, 1,000 km, so large that such an event can
/// only make a finding uncertain. Empty or no column: 1.</para>
/// <para><b>Act.</b> The GED has no sub-event types, only <c>type_of_violence</c>: 1 (state-based) and 2 (non-state)
/// say that organised violence happened but not how (a clash, shelling, a missile or drone strike), so they give an
/// act of unknown kind, which the adjudicator treats as uncertain against any prohibited act (a possible violation,
/// never a certain one, never silently excluded); 3 (one-sided violence against civilians) gives <c>attack</c>. The
/// original code is kept in the attributes.</para>
/// <para><b>Who and what.</b> The perpetrator is <c>side_a</c> through <see cref="ReadOptions.ActorMap"/> (see
/// <see cref="UcdpReadOptions.AttributeDyadsToSideA"/> for the caveat); the claimant and the source are
/// <c>source_office</c>; there are no links. The notes are <c>source_headline</c> and <c>where_description</c>
/// joined by <c>" | "</c>, and the target is inferred from them by <see cref="TargetClassifier"/>
/// (<see cref="TargetBasis.Inferred"/>, or unknown). Casualties are <c>low</c>, <c>best</c>, <c>high</c>.
/// The grade is <see cref="UcdpReadOptions.Grade"/>.</para>
/// <para><b>Nothing is lost.</b> Every column not stored verbatim in a field of the incident (all but <c>id</c>,
/// <c>date_start</c>, <c>date_end</c>, <c>latitude</c>, <c>longitude</c>, <c>where_coordinates</c>, <c>side_a</c>,
/// <c>source_office</c>, <c>low</c>, <c>best</c>, <c>high</c>) is kept in <see cref="Incident.Attributes"/> under its
/// header name when its value is not empty: <c>type_of_violence</c>, <c>where_prec</c>, <c>date_prec</c>,
/// <c>side_b</c>, <c>source_headline</c>, <c>where_description</c>, <c>deaths_civilians</c>, ...</para>
/// <para><b>Errors are values.</b> A bad row is rejected with one <see cref="ImportError"/> per bad field (file, line
/// where the row starts, column name, code from <see cref="UcdpCodes"/>, the value quoted) and kept verbatim as a
/// <see cref="RejectedRow"/>; the rest of the file is read. A line whose bytes are not valid in the encoding rejects
/// its row with <see cref="EncodingCodes.Invalid"/>.</para>
/// </remarks>
public static class UcdpGedReader
{
    /// <summary>The prefix of every incident id read from the GED.</summary>
    public const string IdPrefix = "ucdp:";

    /// <summary>
    /// The UCDP names of the Russian and Ukrainian governments: <c>Government of Russia (Soviet Union)</c> → RU,
    /// <c>Government of Ukraine</c> → UA, and any name starting <c>Government of Russia</c> or
    /// <c>Government of Ukraine</c>.
    /// </summary>
    public static ActorMap DefaultActorMap { get; } = new(
        new Dictionary<string, PartyCode>
        {
            ["Government of Russia (Soviet Union)"] = new("RU"),
            ["Government of Ukraine"] = new("UA"),
        },
        new Dictionary<string, PartyCode>
        {
            ["Government of Russia"] = new("RU"),
            ["Government of Ukraine"] = new("UA"),
        });

    private static readonly string[] Required = ["id", "type_of_violence", "date_start", "date_end", "latitude", "longitude"];

    private static readonly HashSet<string> Consumed = new(StringComparer.OrdinalIgnoreCase)
    {
        "id", "date_start", "date_end", "latitude", "longitude", "where_coordinates", "side_a", "source_office", "low", "best", "high",
    };

    private static readonly ActKind Attack = Act("attack");

    /// <summary>
    /// The location precision and uncertainty radius (metres) of a GED <c>where_prec</c> (1-7; see the remarks of
    /// <see cref="UcdpGedReader"/>); null for any other value.
    /// </summary>
    public static (LocationPrecision Precision, double RadiusMetres)? Place(int wherePrec) => wherePrec switch
    {
        1 => (LocationPrecision.Settlement, 5_000),
        2 => (LocationPrecision.Settlement, 25_000),
        3 => (LocationPrecision.Region, 50_000),
        4 => (LocationPrecision.Region, 100_000),
        5 => (LocationPrecision.Region, 250_000),
        6 or 7 => (LocationPrecision.Region, 1_000_000),
        _ => null,
    };

    /// <summary>The act kind of a GED <c>type_of_violence</c> (1 state-based, 2 non-state: unknown kind of act; 3 one-sided: attack); null for any other value.</summary>
    public static ActKind? ActOf(int typeOfViolence) => typeOfViolence switch
    {
        // The GED says only that organised violence occurred between two sides, not how (a clash, shelling, an air
        // strike): the act kind is unknown, which makes every prohibited act uncertain rather than excluded.
        1 or 2 => ActKind.Unknown,
        3 => Attack,
        _ => null,
    };

    /// <summary>Reads the file at <paramref name="path"/> into incidents (all of them in memory; see <see cref="ReadRecords(string, UcdpReadOptions, CancellationToken)"/> to stream).</summary>
    /// <param name="path">The CSV file; errors name it as given.</param>
    /// <param name="options">How to read; <see cref="UcdpReadOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the read between rows (<see cref="OperationCanceledException"/>).</param>
    /// <returns>The accepted incidents, errors, rejected rows, the header and counts; never throws for bad input.</returns>
    public static AcledReadResult<IReadOnlyList<Incident>> ReadIncidents(string path, UcdpReadOptions? options = null, CancellationToken cancellationToken = default) =>
        InputRecords.Collect(ReadRecords(path, options, cancellationToken));

    /// <summary>Reads CSV from <paramref name="stream"/> (named <paramref name="fileName"/> in errors) into incidents.</summary>
    /// <param name="stream">The CSV bytes in <see cref="UcdpReadOptions.Encoding"/>; read to its end, not closed.</param>
    /// <param name="fileName">The name errors give as the file.</param>
    /// <param name="options">How to read; <see cref="UcdpReadOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the read between rows (<see cref="OperationCanceledException"/>).</param>
    /// <returns>The accepted incidents, errors, rejected rows, the header and counts; never throws for bad input.</returns>
    public static AcledReadResult<IReadOnlyList<Incident>> ReadIncidents(Stream stream, string fileName, UcdpReadOptions? options = null, CancellationToken cancellationToken = default) =>
        InputRecords.Collect(ReadRecords(stream, fileName, options, cancellationToken));

    /// <summary>
    /// Streams the file at <paramref name="path"/>: the header, then one <see cref="InputRecord"/> per row, in file
    /// order, as they are read (the file is opened when enumeration starts and closed when it ends).
    /// </summary>
    /// <param name="path">The CSV file; errors name it as given.</param>
    /// <param name="options">How to read; <see cref="UcdpReadOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the read between rows (<see cref="OperationCanceledException"/>).</param>
    public static IEnumerable<InputRecord> ReadRecords(string path, UcdpReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        return ReadFile(path, options ?? UcdpReadOptions.Default, cancellationToken);
    }

    /// <summary>Streams CSV from <paramref name="stream"/>: the header, then one <see cref="InputRecord"/> per row, as they are read.</summary>
    /// <param name="stream">The CSV bytes in <see cref="UcdpReadOptions.Encoding"/>; read to its end, not closed.</param>
    /// <param name="fileName">The name errors give as the file.</param>
    /// <param name="options">How to read; <see cref="UcdpReadOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the read between rows (<see cref="OperationCanceledException"/>).</param>
    public static IEnumerable<InputRecord> ReadRecords(Stream stream, string fileName, UcdpReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        return Read(stream, fileName, options ?? UcdpReadOptions.Default, cancellationToken);
    }

    private static IEnumerable<InputRecord> ReadFile(string path, UcdpReadOptions options, CancellationToken cancellationToken)
    {
        var stream = Open(path, out var error);
        if (stream is null)
        {
            yield return InputRecord.Problem(error!);
            yield break;
        }
        using (stream)
        {
            foreach (var record in Read(stream, path, options, cancellationToken))
            {
                yield return record;
            }
        }
    }

    private static FileStream? Open(string path, out ImportError? error)
    {
        try
        {
            error = null;
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            error = new ImportError(path, 0, 0, "", UcdpCodes.File, UcdpMessages.CannotOpen(e.Message));
            return null;
        }
    }

    private static IEnumerable<InputRecord> Read(Stream stream, string file, UcdpReadOptions options, CancellationToken cancellationToken)
    {
        using var lines = options.Encoding.ReadLines(stream, file, InputEncoding.DefaultMaxLineBytes, cancellationToken).GetEnumerator();
        var csv = new CsvLines(lines, options.MaxRecordChars);
        if (!csv.Next(out var header))
        {
            yield return InputRecord.Problem(new ImportError(file, 1, 0, "", UcdpCodes.Header, UcdpMessages.NoHeader));
            yield break;
        }
        if (header.Error is { } headerDecoding)
        {
            yield return InputRecord.Problem(headerDecoding);
            yield break;
        }
        if (header.Problem != CsvProblem.None)
        {
            yield return InputRecord.Problem(new ImportError(file, header.Line, 0, "", UcdpCodes.Header, UcdpMessages.Malformed(header.Problem)));
            yield break;
        }
        var headerErrors = new List<ImportError>();
        var columns = Columns.Resolve(header, file, headerErrors);
        if (columns is null)
        {
            foreach (var e in headerErrors)
            {
                yield return InputRecord.Problem(e);
            }
            yield break;
        }
        yield return InputRecord.HeaderRow(header.Raw);

        var parser = new RowParser(columns, options, file);
        var rows = 0;
        while (csv.Next(out var row))
        {
            if ((++rows & 255) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            if (row.Error is { Code: EncodingCodes.LineTooLong } tooLong)
            {
                yield return InputRecord.Problem(tooLong);
                yield break;
            }
            yield return parser.Parse(row);
        }
    }

    private static ActKind Act(string code) =>
        ActKinds.TryParse(code, out var kind) ? kind : throw new InvalidOperationException($"The act taxonomy has no '{code}'.");

    /// <summary>What is wrong with a CSV record.</summary>
    private enum CsvProblem : byte
    {
        None,
        QuoteInUnquotedField,
        TextAfterClosingQuote,
        UnterminatedQuote,
        TooLong,
    }

    /// <summary>One CSV record: the line it starts on, its text as it was, its fields, and what is wrong with it.</summary>
    private sealed record CsvRecord(int Line, string Raw, List<string> Fields, CsvProblem Problem, ImportError? Error);

    /// <summary>
    /// Joins decoded lines into RFC 4180 records (a quoted field may span lines) and splits them into fields. Like
    /// <see cref="Csv.CsvByteReader"/>, every double quote opens or closes a quoted section, also in a malformed record,
    /// so a record ends at the first line break after an even number of quotes. Empty lines are skipped.
    /// </summary>
    private sealed class CsvLines(IEnumerator<DecodedLine> lines, int maxChars)
    {
        private readonly StringBuilder _field = new();
        private readonly StringBuilder _raw = new();

        public bool Next(out CsvRecord record)
        {
            record = null!;
            DecodedLine line;
            do
            {
                if (!lines.MoveNext())
                {
                    return false;
                }
                line = lines.Current;
            }
            while (line.Text.Length == 0 && line.Error is null);

            var fields = new List<string>();
            var problem = CsvProblem.None;
            var error = line.Error;
            var start = line.Number;
            _raw.Clear();
            _field.Clear();
            var inQuotes = false;
            var quoted = false;
            var closed = false;
            while (true)
            {
                if (line.Error is { Code: EncodingCodes.LineTooLong })
                {
                    record = new CsvRecord(start, _raw.ToString(), fields, problem, line.Error);
                    return true;
                }
                var text = line.Text;
                _raw.Append(text);
                for (var i = 0; i < text.Length; i++)
                {
                    var c = text[i];
                    if (inQuotes)
                    {
                        if (c != '"')
                        {
                            _field.Append(c);
                        }
                        else if (i + 1 < text.Length && text[i + 1] == '"')
                        {
                            _field.Append('"');
                            i++;
                        }
                        else
                        {
                            inQuotes = false;
                            closed = true;
                        }
                    }
                    else if (c == ',')
                    {
                        fields.Add(_field.ToString());
                        _field.Clear();
                        quoted = closed = false;
                    }
                    else if (c == '"')
                    {
                        if (_field.Length > 0 || quoted)
                        {
                            problem = problem == CsvProblem.None ? (closed ? CsvProblem.TextAfterClosingQuote : CsvProblem.QuoteInUnquotedField) : problem;
                        }
                        inQuotes = quoted = true;
                        closed = false;
                    }
                    else
                    {
                        if (closed && problem == CsvProblem.None)
                        {
                            problem = CsvProblem.TextAfterClosingQuote;
                        }
                        _field.Append(c);
                    }
                }
                if (!inQuotes)
                {
                    break;
                }
                if (_raw.Length > maxChars)
                {
                    problem = CsvProblem.TooLong;
                    break;
                }
                if (!lines.MoveNext())
                {
                    problem = CsvProblem.UnterminatedQuote;
                    break;
                }
                line = lines.Current;
                error ??= line.Error;
                _raw.Append('\n');
                _field.Append('\n');
            }
            fields.Add(_field.ToString());
            record = new CsvRecord(start, _raw.ToString(), fields, problem, error);
            return true;
        }
    }

    /// <summary>Where the columns we read are (-1: absent) and what they are called in this file.</summary>
    private sealed class Columns
    {
        public required string[] Names { get; init; }

        public int Id { get; private init; }
        public int TypeOfViolence { get; private init; }
        public int DateStart { get; private init; }
        public int DateEnd { get; private init; }
        public int DatePrec { get; private init; }
        public int Latitude { get; private init; }
        public int Longitude { get; private init; }
        public int WherePrec { get; private init; }
        public int WhereCoordinates { get; private init; }
        public int WhereDescription { get; private init; }
        public int SideA { get; private init; }
        public int SourceOffice { get; private init; }
        public int SourceHeadline { get; private init; }
        public int Low { get; private init; }
        public int Best { get; private init; }
        public int High { get; private init; }

        /// <summary>True for a column kept in the attributes.</summary>
        public required bool[] IsAttribute { get; init; }

        public static Columns? Resolve(CsvRecord header, string file, List<ImportError> errors)
        {
            // A column without a name (a spreadsheet's or a data frame's index) is kept as an attribute "column_N".
            var names = header.Fields.Select((f, i) => f.Trim() is { Length: > 0 } name ? name : $"column_{i + 1}").ToArray();
            var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < names.Length; i++)
            {
                if (!index.TryAdd(names[i], i))
                {
                    errors.Add(new ImportError(file, header.Line, 0, names[i], UcdpCodes.Header, UcdpMessages.DuplicateColumn(names[i], index[names[i]] + 1, i + 1)));
                }
            }
            foreach (var name in Required.Where(n => !index.ContainsKey(n)))
            {
                errors.Add(new ImportError(file, header.Line, 0, name, UcdpCodes.MissingColumn, UcdpMessages.MissingColumn(name, names)));
            }
            if (errors.Count > 0)
            {
                return null;
            }
            int Find(string name) => index.TryGetValue(name, out var i) ? i : -1;
            return new Columns
            {
                Names = names,
                IsAttribute = names.Select(n => !Consumed.Contains(n)).ToArray(),
                Id = Find("id"),
                TypeOfViolence = Find("type_of_violence"),
                DateStart = Find("date_start"),
                DateEnd = Find("date_end"),
                DatePrec = Find("date_prec"),
                Latitude = Find("latitude"),
                Longitude = Find("longitude"),
                WherePrec = Find("where_prec"),
                WhereCoordinates = Find("where_coordinates"),
                WhereDescription = Find("where_description"),
                SideA = Find("side_a"),
                SourceOffice = Find("source_office"),
                SourceHeadline = Find("source_headline"),
                Low = Find("low"),
                Best = Find("best"),
                High = Find("high"),
            };
        }
    }

    /// <summary>Turns rows into incidents or rejections. One per read; keeps a cache of resolved actors.</summary>
    private sealed class RowParser(Columns columns, UcdpReadOptions options, string file)
    {
        private readonly Dictionary<string, PartyCode?> _parties = new(StringComparer.Ordinal);
        private List<ImportError> _errors = [];
        private int _line;

        public InputRecord Parse(CsvRecord row)
        {
            _line = row.Line;
            _errors = [];
            if (row.Error is { } decoding)
            {
                return Reject(row, [decoding]);
            }
            if (row.Problem != CsvProblem.None)
            {
                return Reject(row, [new ImportError(file, row.Line, 0, "row", UcdpCodes.Csv, UcdpMessages.Malformed(row.Problem))]);
            }
            if (row.Fields.Count != columns.Names.Length)
            {
                return Reject(row, [new ImportError(file, row.Line, 0, "row", UcdpCodes.FieldCount, UcdpMessages.FieldCount(row.Fields.Count, columns.Names.Length))]);
            }
            var f = row.Fields;

            var id = f[columns.Id].Trim();
            if (id.Length == 0)
            {
                Error(columns.Id, UcdpCodes.Id, UcdpMessages.EmptyId);
            }
            var type = TypeOfViolence(f[columns.TypeOfViolence]);
            var time = Time(f);
            var latitude = Coordinate(columns.Latitude, f[columns.Latitude], 90, UcdpCodes.Latitude);
            var longitude = Coordinate(columns.Longitude, f[columns.Longitude], 180, UcdpCodes.Longitude);
            var place = WherePrec(f);
            var casualties = Deaths(f);
            if (_errors.Count > 0)
            {
                return Reject(row, _errors);
            }

            var headline = Text(f, columns.SourceHeadline);
            var description = Text(f, columns.WhereDescription);
            var notes = headline is null ? description : description is null ? headline : $"{headline} | {description}";
            var target = headline is null && description is null ? TargetInference.None : TargetClassifier.Infer(headline, description);
            var sideA = Text(f, columns.SideA);
            var perpetrator = sideA is not null && (type == 3 || options.AttributeDyadsToSideA) ? Party(sideA) : null;
            var office = Text(f, columns.SourceOffice);
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < f.Count; i++)
            {
                if (columns.IsAttribute[i] && f[i].Length > 0)
                {
                    attributes[columns.Names[i]] = f[i];
                }
            }
            var location = new IncidentLocation(longitude, latitude, place.Precision, place.RadiusMetres, Text(f, columns.WhereCoordinates));
            var incident = new Incident(new IncidentId(IdPrefix + id), time, location, ActOf(type)!.Value, target, perpetrator, sideA,
                office, office, options.Grade, null, notes, casualties, attributes);
            return InputRecord.Accepted(incident);
        }

        private InputRecord Reject(CsvRecord row, List<ImportError> errors) => InputRecord.Reject(new RejectedRow(row.Line, row.Raw), errors);

        private int TypeOfViolence(string value)
        {
            var text = value.Trim();
            if (text is "1" or "2" or "3")
            {
                return text[0] - '0';
            }
            Error(columns.TypeOfViolence, UcdpCodes.TypeOfViolence, UcdpMessages.TypeOfViolence(text));
            return 0;
        }

        private IncidentTime Time(List<string> f)
        {
            var start = Day(columns.DateStart, f[columns.DateStart]);
            var end = Day(columns.DateEnd, f[columns.DateEnd]);
            var precision = 1;
            if (columns.DatePrec >= 0)
            {
                var p = f[columns.DatePrec].Trim();
                if (p.Length > 0 && !(p.Length == 1 && p[0] is >= '1' and <= '5'))
                {
                    Error(columns.DatePrec, UcdpCodes.DatePrecision, UcdpMessages.DatePrecision(p));
                    return default;
                }
                precision = p.Length == 0 ? 1 : p[0] - '0';
            }
            if (start is not { } first || end is not { } last)
            {
                return default;
            }
            if (last < first)
            {
                Error(columns.DateEnd, UcdpCodes.DateRange, UcdpMessages.DateRange(f[columns.DateEnd].Trim(), f[columns.DateStart].Trim()));
                return default;
            }
            return Widen(first, last, precision, options.TimeZone);
        }

        private DateOnly? Day(int column, string value)
        {
            if (TryParseDay(value.AsSpan().Trim(), out var day))
            {
                return day;
            }
            Error(column, UcdpCodes.Date, UcdpMessages.Date(value.Trim()));
            return null;
        }

        private double Coordinate(int column, string value, double limit, string code)
        {
            var text = value.Trim();
            if (double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                    CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && Math.Abs(v) <= limit)
            {
                return v;
            }
            Error(column, code, limit == 90 ? UcdpMessages.Latitude(text) : UcdpMessages.Longitude(text));
            return 0;
        }

        private (LocationPrecision Precision, double RadiusMetres) WherePrec(List<string> f)
        {
            var text = columns.WherePrec >= 0 ? f[columns.WherePrec].Trim() : "";
            if (text.Length == 0)
            {
                return Place(1)!.Value;
            }
            if (text.Length == 1 && Place(text[0] - '0') is { } place)
            {
                return place;
            }
            Error(columns.WherePrec, UcdpCodes.WherePrecision, UcdpMessages.WherePrecision(text));
            return default;
        }

        private Casualties Deaths(List<string> f)
        {
            var low = Count(f, columns.Low);
            var best = Count(f, columns.Best);
            var high = Count(f, columns.High);
            if (low is { } l && best is { } b && l > b)
            {
                Error(columns.Low, UcdpCodes.Casualties, UcdpMessages.Order("low", l, "best", b));
            }
            else if (best is { } b2 && high is { } h && b2 > h)
            {
                Error(columns.High, UcdpCodes.Casualties, UcdpMessages.Order("best", b2, "high", h));
            }
            else if (low is { } l2 && high is { } h2 && l2 > h2)
            {
                Error(columns.Low, UcdpCodes.Casualties, UcdpMessages.Order("low", l2, "high", h2));
            }
            else if (_errors.Count == 0)
            {
                return new Casualties(low, best, high);
            }
            return default;
        }

        private int? Count(List<string> f, int column)
        {
            if (column < 0)
            {
                return null;
            }
            var text = f[column].Trim();
            if (text.Length == 0)
            {
                return null;
            }
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }
            Error(column, UcdpCodes.Casualties, UcdpMessages.Count(columns.Names[column], text));
            return null;
        }

        private PartyCode? Party(string actor)
        {
            if (!_parties.TryGetValue(actor, out var party))
            {
                party = options.ActorMap.Resolve(actor);
                if (_parties.Count < 4096)
                {
                    _parties[actor] = party;
                }
            }
            return party;
        }

        private static string? Text(List<string> f, int column) =>
            column >= 0 && f[column].Trim() is { Length: > 0 } text ? text : null;

        private void Error(int column, string code, string message) =>
            _errors.Add(new ImportError(file, _line, 0, columns.Names[column], code, message));
    }

    /// <summary>
    /// Parses <c>yyyy-MM-dd</c>, optionally followed by a space or <c>T</c> and a midnight time (<c>00:00</c>,
    /// <c>00:00:00</c>, <c>00:00:00.000</c>, optionally <c>Z</c>), as GED exports write dates.
    /// </summary>
    internal static bool TryParseDay(ReadOnlySpan<char> text, out DateOnly day)
    {
        day = default;
        if (text.Length < 10 || !DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            return false;
        }
        var rest = text[10..];
        if (rest.IsEmpty)
        {
            return true;
        }
        if (rest[0] is not (' ' or 'T'))
        {
            return false;
        }
        rest = rest[1..];
        if (rest.EndsWith("Z"))
        {
            rest = rest[..^1];
        }
        if (!rest.StartsWith("00:00"))
        {
            return false;
        }
        rest = rest[5..];
        if (rest.IsEmpty)
        {
            return true;
        }
        if (!rest.StartsWith(":00"))
        {
            return false;
        }
        rest = rest[3..];
        return rest.IsEmpty || (rest.Length > 1 && rest[0] == '.' && rest[1..].TrimStart('0').IsEmpty);
    }

    /// <summary>
    /// The time of a GED event: the days <paramref name="first"/> to <paramref name="last"/>, widened to the ISO week,
    /// month or year of <paramref name="first"/> when <paramref name="datePrec"/> (3, 4, 5) says the date is known only
    /// that well and the range is shorter (see the remarks of <see cref="UcdpGedReader"/>).
    /// </summary>
    internal static IncidentTime Widen(DateOnly first, DateOnly last, int datePrec, TimeZoneInfo zone)
    {
        var monday = first.AddDays(-(((int)first.DayOfWeek + 6) % 7));
        var month = new DateOnly(first.Year, first.Month, 1);
        (DateOnly From, DateOnly To)? unit = datePrec switch
        {
            3 => (monday, monday.AddDays(6)),
            4 => (month, month.AddMonths(1).AddDays(-1)),
            5 => (new DateOnly(first.Year, 1, 1), new DateOnly(first.Year, 12, 31)),
            _ => null,
        };
        if (unit is { } u && last.DayNumber - first.DayNumber < u.To.DayNumber - u.From.DayNumber)
        {
            first = first < u.From ? first : u.From;
            last = last > u.To ? last : u.To;
        }
        if (datePrec >= 3)
        {
            var weekStart = first.AddDays(-(((int)first.DayOfWeek + 6) % 7));
            if (weekStart == first && last == first.AddDays(6))
            {
                return IncidentTime.Week(first, zone);
            }
            if (first.Day == 1 && last == first.AddMonths(1).AddDays(-1))
            {
                return IncidentTime.Month(first, zone);
            }
        }
        return IncidentTime.Days(first, last, zone);
    }

    /// <summary>The messages of every UCDP import error, in one place.</summary>
    private static class UcdpMessages
    {
        public const string NoHeader = "The file is empty: it has no header row.";

        public const string EmptyId = "The event id is empty.";

        public static string CannotOpen(string reason) => $"The file cannot be read: {reason}";

        public static string MissingColumn(string name, string[] found) =>
            $"The header has no '{name}' column (columns found: {string.Join(", ", found.Take(60))}{(found.Length > 60 ? ", ..." : "")}). Is this a UCDP GED CSV file?";

        public static string DuplicateColumn(string name, int first, int second) => $"Column '{name}' appears twice (columns {first} and {second}).";

        public static string Malformed(CsvProblem problem) => problem switch
        {
            CsvProblem.QuoteInUnquotedField => "The row is not valid CSV: a double quote inside a field that does not start with one (quote the field and double the quote).",
            CsvProblem.TextAfterClosingQuote => "The row is not valid CSV: text after the closing quote of a field.",
            CsvProblem.TooLong => "The row is not valid CSV: a quoted field is still open after 1 MiB of text (a quote missing its pair?).",
            _ => "The row is not valid CSV: a quoted field is not closed before the end of the file.",
        };

        public static string FieldCount(int found, int expected) => $"The row has {found} fields; the header has {expected}.";

        public static string Date(string value) =>
            $"'{Show(value)}' is not a date: use 2022-02-24 (a midnight time such as 2022-02-24 00:00:00.000 may follow).";

        public static string DateRange(string end, string start) => $"'{Show(end)}' is before date_start '{Show(start)}'.";

        public static string DatePrecision(string value) =>
            $"'{Show(value)}' is not a UCDP date precision: use 1 (day), 2 (2-6 days), 3 (week), 4 (month) or 5 (year).";

        public static string WherePrecision(string value) => $"'{Show(value)}' is not a UCDP location precision: use 1 to 7.";

        public static string Latitude(string value) => $"'{Show(value)}' is not a latitude: use decimal degrees from -90 to 90.";

        public static string Longitude(string value) => $"'{Show(value)}' is not a longitude: use decimal degrees from -180 to 180.";

        public static string TypeOfViolence(string value) =>
            $"'{Show(value)}' is not a UCDP type of violence: use 1 (state-based), 2 (non-state) or 3 (one-sided).";

        public static string Count(string column, string value) => $"'{Show(value)}' is not a number of deaths ({column}): use a whole number from 0.";

        public static string Order(string a, int x, string b, int y) =>
            $"'{x}' is more than {b} '{y}': the estimates must satisfy low <= best <= high ({a} is {x}, {b} is {y}).";

        private static string Show(string value) => value.Length > 80 ? value[..80] + "..." : value;
    }
}

using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Ceasefire.Geo;
using Ceasefire.Import.Classification;
using Ceasefire.Import.Csv;
using Ceasefire.Import.Errors;
using Ceasefire.Incidents;
using Ceasefire.Parties;
using Ceasefire.Taxonomy;
using Ceasefire.Time;

namespace Ceasefire.Import.Acled;
/// <summary>
/// Reads ACLED event data (CSV) into incidents: the current ACLED export (<c>event_id_cnty, event_date, year,
/// time_precision, disorder_type, event_type, sub_event_type, actor1, ..., latitude, longitude, geo_precision, source,
/// source_scale, notes, fatalities, tags, timestamp</c>), older exports (<c>data_id</c>, <c>event_id_no_cnty</c>,
/// <c>iso3</c>, ...) and the reduced benchmark layout (<c>id, event_date, event_type, sub_event_type, actor1, actor2,
/// admin1, location, latitude, longitude, source, notes, fatalities</c>). Thread-safe (stateless).
/// </summary>
/// <remarks>
/// <para><b>Columns</b> are found by header name, ignoring case; order is free. Required: an id (<c>event_id_cnty</c>,
/// else <c>id</c>, else <c>data_id</c>), <c>event_date</c>, <c>sub_event_type</c>, <c>latitude</c>, <c>longitude</c>;
/// a header without one of them gives one <c>acled.missing_column</c> error per missing column and no rows (a first
/// line with none of them gives one <c>acled.header</c> or <c>acled.not_csv</c> error). Our extensions, all optional:
/// <c>target_category</c> (a <see cref="TargetCategories"/> code; when present and not empty it is the target, with
/// <see cref="TargetBasis.Stated"/>), <c>claimant</c> (who makes the claim; default the <c>source</c>), <c>grade</c>
/// (Admiralty code such as <c>B2</c>; default <see cref="SourceGrade.Unassessed"/>), <c>links</c> (URLs separated by
/// spaces, <c>;</c> or <c>|</c>; URLs found in <c>source</c> are links too).</para>
/// <para><b>Nothing is lost.</b> The full path (<see cref="ReadIncidents(string, AcledReadOptions, CancellationToken)"/>,
/// <see cref="EnumerateIncidents(string, AcledReadOptions, Action{ImportError}, Action{RejectedRow}, CancellationToken)"/>)
/// keeps every column that maps to no field of the <see cref="Incident"/> in <see cref="Incident.Attributes"/>, under
/// its header name as written, with its text as it is (unquoted), when that is not empty or blank: <c>year</c>,
/// <c>time_precision</c>, <c>disorder_type</c>, <c>event_type</c>, <c>actor2</c>, <c>assoc_actor_1</c>,
/// <c>inter1</c>, <c>interaction</c>, <c>civilian_targeting</c>, <c>iso</c>, <c>region</c>, <c>country</c>,
/// <c>admin1</c>..<c>admin3</c>, <c>geo_precision</c>, <c>source_scale</c>, <c>tags</c>, <c>timestamp</c>, the id
/// columns not used as the id, and any unknown column. The columns that map to fields are the id, <c>event_date</c>
/// (<see cref="Incident.Time"/>), <c>sub_event_type</c> (<see cref="Incident.Act"/>), <c>actor1</c>,
/// <c>latitude</c>, <c>longitude</c>, <c>location</c>, <c>source</c>, <c>notes</c>, <c>fatalities</c>
/// (<see cref="Incident.Casualties"/>, <see cref="Casualties.Exactly"/>; empty: unknown) and our extensions. The two
/// precision codes are kept although they are read, because the incident holds only what they mean. A column without
/// a name, or repeating the name of an earlier one, is kept as <c>#N</c> or <c>name#N</c> (N: its 1-based position).
/// Attribute keys are looked up ignoring case.</para>
/// <para><b>Time.</b> <c>event_date</c> may be an ISO date (<c>2025-03-19</c>), <c>19/03/2025</c> (day first),
/// ACLED's older <c>19 March 2025</c>, <c>9 March 2025</c> or <c>19-March-2025</c> (month names in English, full or
/// three letters), <c>19/03/2025 14:27</c> or <c>19/03/2025 14:27:05</c> (local time in
/// <see cref="ReadOptions.TimeZone"/>), or an ISO date and time (<c>2025-01-03T14:27:00Z</c>, with an offset
/// such as <c>+02:00</c>, or with none, meaning local time in <see cref="ReadOptions.TimeZone"/>); a date and time
/// gives an exact instant. A date alone is read with ACLED's <c>time_precision</c>: 1 (or empty or no column) the
/// local day, 2 the ISO week (Monday to Sunday) containing it, 3 the calendar month containing it, all in
/// <see cref="ReadOptions.TimeZone"/>. <c>timestamp</c> (when ACLED last changed the row, Unix seconds) must be a
/// whole number when present; it is kept as an attribute.</para>
/// <para><b>Place.</b> <c>latitude</c>/<c>longitude</c> in decimal degrees; <c>location</c> is the place name.
/// <c>geo_precision</c> gives the uncertainty: empty or no column, exact (radius 0); 1 (ACLED: the town itself)
/// <see cref="LocationPrecision.Settlement"/>, 5 km; 2 (ACLED: near the town, or part of a region)
/// <see cref="LocationPrecision.Settlement"/> with 25 km; 3 (ACLED: a larger region, its centroid)
/// <see cref="LocationPrecision.Region"/>, 50 km.</para>
/// <para><b>Act, perpetrator, target.</b> The act kind is the <c>sub_event_type</c>
/// (<see cref="ActKinds.FromAcledSubEventType"/>); the perpetrator is <c>actor1</c> through
/// <see cref="ReadOptions.ActorMap"/> (unmapped: undetermined). <c>inter1</c>/<c>inter2</c> (actor types) may be
/// ACLED's codes (0-8) or names (<c>State forces</c>, <c>Rebel group</c>, ...); a number outside 0-8 is an error.
/// Without a stated target, the target is inferred from <c>tags</c> and <c>notes</c> by
/// <see cref="TargetClassifier"/> (<see cref="TargetBasis.Inferred"/>, or unknown); <c>tags</c> is a list separated
/// by <c>;</c> (<see cref="SplitTags"/>), and each tag is read on its own, so no keyword phrase runs from one tag into
/// the next.</para>
/// <para><b>Errors are values.</b> Each bad row is rejected with one <see cref="ImportError"/> per bad field (file,
/// line where the row starts, column name, a code from <see cref="AcledCodes"/>) and kept as a
/// <see cref="RejectedRow"/>; the rest of the file is read. A file that cannot be used gives one error and no rows:
/// <c>acled.file</c> (cannot be opened), <c>acled.empty</c> (no bytes, only blank lines, or a header and no rows),
/// <c>acled.not_csv</c> (an image, PDF, archive or <c>.xlsx</c> workbook, JSON or HTML document, UTF-16 text or other
/// binary data), <c>acled.header</c> (or one <c>acled.missing_column</c> per missing column); a file cut off inside a
/// quoted field ends with one <c>acled.truncated</c> row.
/// Reading never throws for bad input.</para>
/// <para><b>Speed.</b> Every path reads the input a window at a time, cuts each window at record boundaries
/// (quote-aware, <see cref="CsvByteReader.SplitRecords"/>), parses the pieces in parallel from UTF-8 bytes and joins the
/// pieces in file order, so results are the same on any number of cores. <see cref="ReadBatch(string, AcledReadOptions, CancellationToken)"/>
/// allocates only the id string of each row.</para>
/// </remarks>
public static class AcledReader
{
    /// <summary>The window of <see cref="EnumerateIncidents(string, AcledReadOptions, Action{ImportError}, Action{RejectedRow}, CancellationToken)"/>, at most.</summary>
    private const int StreamingWindowBytes = 8 << 20;

    /// <summary>Reads the file at <paramref name="path"/> into full incidents (notes, names, links, attributes kept).</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="options">How to read; <see cref="AcledReadOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the read between windows and pieces (<see cref="OperationCanceledException"/>).</param>
    /// <returns>The accepted records, errors, rejected rows and counts; never null, and never throws for bad input.</returns>
    public static AcledReadResult<IReadOnlyList<Incident>> ReadIncidents(string path, AcledReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var outcome = ReadFile(path, options, IncidentsKind.Instance, cancellationToken);
        return new(Merge(outcome, o => ((IncidentSink)o).Incidents), outcome.Errors, outcome.Rejected, outcome.Header, outcome.Rows);
    }

    /// <summary>Reads CSV from <paramref name="stream"/> (named <paramref name="fileName"/> in errors) into full incidents.</summary>
    /// <param name="stream">The CSV text (UTF-8); read to its end, not closed.</param>
    /// <param name="fileName">The name to give in errors.</param>
    /// <param name="options">How to read; <see cref="AcledReadOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the read between windows and pieces (<see cref="OperationCanceledException"/>).</param>
    /// <returns>The accepted records, errors, rejected rows and counts; never null, and never throws for bad input.</returns>
    public static AcledReadResult<IReadOnlyList<Incident>> ReadIncidents(Stream stream, string fileName, AcledReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        var outcome = Read(stream, fileName, options ?? AcledReadOptions.Default, IncidentsKind.Instance, cancellationToken);
        return new(Merge(outcome, o => ((IncidentSink)o).Incidents), outcome.Errors, outcome.Rejected, outcome.Header, outcome.Rows);
    }

    /// <summary>
    /// Reads the file at <paramref name="path"/> as a stream of full incidents, in file order, holding at most two
    /// windows of the file (8 MB each, or less) and the incidents of one: for files too large to hold as a list. The
    /// incidents, errors and rejected rows are exactly those of
    /// <see cref="ReadIncidents(string, AcledReadOptions, CancellationToken)"/>, and nothing is read until the
    /// enumeration starts; each enumeration reads the file anew.
    /// </summary>
    /// <remarks>
    /// Errors and rejected rows go to the callbacks, each in file order, on the enumerating thread, as the
    /// enumeration reaches them: those of a window are reported before its incidents are yielded (so an error can be
    /// reported before incidents from earlier lines of the same window), and none is reported after an incident from a
    /// later window. A problem with the whole file (<see cref="AcledCodes.IsFileProblem"/>) is reported and the sequence
    /// is empty. Stopping early (disposing the enumerator) closes the file; rows not reached are not reported. The header
    /// row, to write above saved rejected rows, is the first line of the file.
    /// </remarks>
    /// <param name="path">The CSV file.</param>
    /// <param name="options">How to read; <see cref="AcledReadOptions.Default"/> when null.</param>
    /// <param name="onError">Receives every <see cref="ImportError"/>, with its absolute line.</param>
    /// <param name="onRejected">Receives every rejected row, as it was.</param>
    /// <param name="cancellationToken">Stops the read between windows and pieces (<see cref="OperationCanceledException"/>).</param>
    /// <returns>The accepted incidents, lazily; never throws for bad input.</returns>
    public static IEnumerable<Incident> EnumerateIncidents(
        string path, AcledReadOptions? options, Action<ImportError> onError, Action<RejectedRow> onRejected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(onError);
        ArgumentNullException.ThrowIfNull(onRejected);
        return Enumerate(path, null, path, options ?? AcledReadOptions.Default, onError, onRejected, cancellationToken);
    }

    /// <summary>
    /// Reads CSV from <paramref name="stream"/> (named <paramref name="fileName"/> in errors) as a stream of full incidents;
    /// see <see cref="EnumerateIncidents(string, AcledReadOptions, Action{ImportError}, Action{RejectedRow}, CancellationToken)"/>.
    /// </summary>
    /// <param name="stream">The CSV text (UTF-8); read as the enumeration goes, not closed. Enumerate once.</param>
    /// <param name="fileName">The name to give in errors.</param>
    /// <param name="options">How to read; <see cref="AcledReadOptions.Default"/> when null.</param>
    /// <param name="onError">Receives every <see cref="ImportError"/>, with its absolute line.</param>
    /// <param name="onRejected">Receives every rejected row, as it was.</param>
    /// <param name="cancellationToken">Stops the read between windows and pieces (<see cref="OperationCanceledException"/>).</param>
    /// <returns>The accepted incidents, lazily; never throws for bad input.</returns>
    public static IEnumerable<Incident> EnumerateIncidents(
        Stream stream, string fileName, AcledReadOptions? options, Action<ImportError> onError, Action<RejectedRow> onRejected,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(onError);
        ArgumentNullException.ThrowIfNull(onRejected);
        return Enumerate(null, stream, fileName, options ?? AcledReadOptions.Default, onError, onRejected, cancellationToken);
    }

    /// <summary>
    /// Reads the file at <paramref name="path"/> into an <see cref="IncidentBatch"/> (the columns the adjudicator needs),
    /// in parallel on all cores (see <see cref="AcledReadOptions.MaxDegreeOfParallelism"/>). Same rows, errors and counts
    /// as <see cref="ReadIncidents(string, AcledReadOptions, CancellationToken)"/>.
    /// </summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="options">How to read; <see cref="AcledReadOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the read between windows and pieces (<see cref="OperationCanceledException"/>).</param>
    /// <returns>The accepted records, errors, rejected rows and counts; never null, and never throws for bad input.</returns>
    public static AcledReadResult<IncidentBatch> ReadBatch(string path, AcledReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var outcome = ReadFile(path, options, BatchKind.Instance, cancellationToken);
        return new(MergeBatch(outcome), outcome.Errors, outcome.Rejected, outcome.Header, outcome.Rows);
    }

    /// <summary>Reads CSV from <paramref name="stream"/> (named <paramref name="fileName"/> in errors) into an <see cref="IncidentBatch"/>.</summary>
    /// <param name="stream">The CSV text (UTF-8); read to its end, not closed.</param>
    /// <param name="fileName">The name to give in errors.</param>
    /// <param name="options">How to read; <see cref="AcledReadOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the read between windows and pieces (<see cref="OperationCanceledException"/>).</param>
    /// <returns>The accepted records, errors, rejected rows and counts; never null, and never throws for bad input.</returns>
    public static AcledReadResult<IncidentBatch> ReadBatch(Stream stream, string fileName, AcledReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        var outcome = Read(stream, fileName, options ?? AcledReadOptions.Default, BatchKind.Instance, cancellationToken);
        return new(MergeBatch(outcome), outcome.Errors, outcome.Rejected, outcome.Header, outcome.Rows);
    }

    /// <summary>
    /// The tags of an ACLED <c>tags</c> field (<c>crowd size=no report; local administrators</c>): split at <c>;</c>,
    /// trimmed, empty ones dropped; empty for null or blank text.
    /// </summary>
    /// <param name="tags">The text of the field (as kept in <see cref="Incident.Attributes"/> under <c>tags</c>).</param>
    /// <returns>The tags, in order.</returns>
    public static IReadOnlyList<string> SplitTags(string? tags) =>
        string.IsNullOrWhiteSpace(tags) ? [] : tags.Split(TagSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private const char TagSeparator = ';';

    private static List<Incident> Merge(Outcome outcome, Func<ChunkSink, List<Incident>> list)
    {
        var all = new List<Incident>(outcome.Rows - outcome.Rejected.Count);
        foreach (var sink in outcome.Sinks)
        {
            all.AddRange(list(sink));
        }
        return all;
    }

    private static IncidentBatch MergeBatch(Outcome outcome)
    {
        if (outcome.Sinks.Count == 1)
        {
            return ((BatchSink)outcome.Sinks[0]).Batch;
        }
        var all = new IncidentBatch(outcome.Rows - outcome.Rejected.Count);
        for (var i = 0; i < outcome.Sinks.Count; i++)
        {
            all.AddRange(((BatchSink)outcome.Sinks[i]).Batch);
            outcome.Sinks[i] = null!;
        }
        return all;
    }

    private static Outcome ReadFile(string path, AcledReadOptions? options, SinkKind kind, CancellationToken cancellationToken)
    {
        if (Open(path, out var failure) is not { } stream)
        {
            return Outcome.Failed(failure!);
        }
        using (stream)
        {
            return Read(stream, path, options ?? AcledReadOptions.Default, kind, cancellationToken);
        }
    }

    private static FileStream? Open(string path, out ImportError? failure)
    {
        failure = null;
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            failure = Problem(path, 0, "", AcledCodes.File, AcledMessages.CannotOpen(e.Message));
            return null;
        }
    }

    private static Outcome Read(Stream stream, string file, AcledReadOptions options, SinkKind kind, CancellationToken cancellationToken)
    {
        var reading = Reading.Start(stream, file, options, kind, options.WindowBytes, out var failed);
        if (reading is null)
        {
            return failed!;
        }
        var outcome = new Outcome { Header = reading.Header };
        while (reading.Next(cancellationToken) is { } pieces)
        {
            foreach (var piece in pieces)
            {
                outcome.Add(piece);
            }
        }
        return outcome;
    }

    private static IEnumerable<Incident> Enumerate(
        string? path, Stream? given, string file, AcledReadOptions options, Action<ImportError> onError, Action<RejectedRow> onRejected,
        CancellationToken cancellationToken)
    {
        ImportError? failure = null;
        var stream = given ?? Open(path!, out failure);
        if (stream is null)
        {
            onError(failure!);
            yield break;
        }
        try
        {
            var reading = Reading.Start(stream, file, options, IncidentsKind.Instance, Math.Min(options.WindowBytes, StreamingWindowBytes), out var failed);
            if (reading is null)
            {
                failed!.Errors.ForEach(onError);
                yield break;
            }
            try
            {
                while (reading.Next(cancellationToken) is { } pieces)
                {
                    for (var i = 0; i < pieces.Length; i++)
                    {
                        var piece = pieces[i];
                        pieces[i] = null!;
                        foreach (var error in piece.Errors ?? [])
                        {
                            onError(error with { Line = error.Line + piece.LineOffset });
                        }
                        foreach (var row in piece.Rejected ?? [])
                        {
                            onRejected(row with { Line = row.Line + piece.LineOffset });
                        }
                        foreach (var incident in ((IncidentSink)piece.Sink).Incidents)
                        {
                            yield return incident;
                        }
                    }
                }
            }
            finally
            {
                // The next window may still be being read in the background; let it finish before the file is closed.
                reading.Drain();
            }
        }
        finally
        {
            if (given is null)
            {
                stream.Dispose();
            }
        }
    }

    private static ImportError Problem(string file, int line, string field, string code, string message) =>
        new(file, line, 0, field, code, message);

    /// <summary>
    /// One read of one input: checks the start of the file, reads the header, then parses the input a window at a
    /// time (<see cref="Next"/>), each window cut into pieces at record boundaries and parsed in parallel. Holds the
    /// current window and the one being read ahead, nothing else of the input.
    /// </summary>
    private sealed class Reading
    {
        private readonly Window _window;
        private readonly Columns _columns;
        private readonly AcledReadOptions _options;
        private readonly SinkKind _kind;
        private readonly string _file;
        private readonly int _dop;
        private readonly int _headerLine;
        private int _line;
        private int _rows;
        private bool _ended;
        private bool _finished;

        private Reading(Window window, Columns columns, AcledReadOptions options, SinkKind kind, string file, string header, int headerLine, int line)
        {
            _window = window;
            _columns = columns;
            _options = options;
            _kind = kind;
            _file = file;
            Header = header;
            _headerLine = headerLine;
            _line = line;
            _dop = options.MaxDegreeOfParallelism == -1 ? Environment.ProcessorCount : options.MaxDegreeOfParallelism;
        }

        /// <summary>The header row as it was.</summary>
        public string Header { get; }

        /// <summary>Checks the start of the input and reads the header; null (and <paramref name="failed"/>) when the file cannot be used.</summary>
        public static Reading? Start(Stream stream, string file, AcledReadOptions options, SinkKind kind, int windowBytes, out Outcome? failed)
        {
            failed = null;
            var window = new Window(stream, windowBytes);
            window.Fill();
            window.Consume(window.Data.StartsWith("\uFEFF"u8) ? 3 : 0);
            if (AcledFileCheck.Check(window.Data) is var notCsv and not NotCsvKind.None)
            {
                failed = Outcome.Failed(Problem(file, 0, "", AcledCodes.NotCsv, AcledMessages.NotCsv(notCsv)));
                return null;
            }

            // Blank lines before the header are skipped (CsvByteReader would take a line of spaces for a record).
            var firstLine = 1;
            while (true)
            {
                var data = window.Data;
                var blank = data.IndexOfAnyExcept(" \t\r\n"u8);
                var upTo = blank < 0 ? data.Length : data[..blank].LastIndexOf((byte)'\n') + 1;
                firstLine += data[..upTo].Count((byte)'\n');
                window.Consume(upTo);
                if (blank >= 0)
                {
                    break;
                }
                if (window.AtEnd)
                {
                    failed = Outcome.Failed(Problem(file, 0, "", AcledCodes.Empty, AcledMessages.EmptyFile));
                    return null;
                }
                window.Refill();
            }

            // The header: the first complete record.
            int headerLength;
            while ((headerLength = CsvByteReader.SplitRecords(window.Data, 1, window.AtEnd)[^1]) == 0 && !window.AtEnd)
            {
                if (window.Data.Length >= options.MaxRecordBytes)
                {
                    failed = Outcome.Failed(Problem(file, firstLine, "", AcledCodes.NotCsv, AcledMessages.NoLineBreak(options.MaxRecordBytes)));
                    return null;
                }
                window.Refill();
            }
            var header = new CsvByteReader(window.Data[..headerLength], firstLine);
            if (!header.Read())
            {
                failed = Outcome.Failed(Problem(file, 0, "", AcledCodes.Empty, AcledMessages.EmptyFile));
                return null;
            }
            if (header.Problem != CsvRecordProblem.None)
            {
                failed = Outcome.Failed(Problem(file, header.Line, "", AcledCodes.Header, AcledMessages.MalformedHeader(header.Problem)));
                return null;
            }
            var names = new string[header.FieldCount];
            for (var i = 0; i < names.Length; i++)
            {
                names[i] = Encoding.UTF8.GetString(header[i]).Trim();
            }
            var headerText = Encoding.UTF8.GetString(header.RawRecord);
            var headerErrors = new List<ImportError>();
            var columns = Columns.Resolve(names, headerText, file, header.Line, headerErrors);
            if (columns is null)
            {
                failed = Outcome.Failed(headerErrors, headerText);
                return null;
            }
            window.Consume(header.Position);
            return new Reading(window, columns, options, kind, file, headerText, header.Line, header.NextLine);
        }

        /// <summary>
        /// Parses the next window: its pieces in file order, each with the offset of its lines; after the last, a piece
        /// with the error of a file without rows, if so; then null.
        /// </summary>
        public Piece[]? Next(CancellationToken cancellationToken)
        {
            while (!_ended)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var window = _window;
                var data = window.Data;
                var parts = (int)Math.Clamp((long)data.Length / Math.Max(1, _options.MinPieceBytes), 1, _dop * 4L);
                var cuts = CsvByteReader.SplitRecords(data, parts, window.AtEnd);
                var complete = cuts[^1];
                if (complete == 0)
                {
                    if (window.AtEnd)
                    {
                        _ended = true;
                        break;
                    }
                    if (data.Length >= _options.MaxRecordBytes)
                    {
                        // A quoted field left open: the rest of the file would be one row. Stop here.
                        (_ended, _finished) = (true, true);
                        var record = new CsvByteReader(data, _line);
                        record.Read();
                        return [ErrorPiece(Problem(_file, record.Line, "row", AcledCodes.Csv, AcledMessages.RowTooLong(_options.MaxRecordBytes)))];
                    }
                    window.Refill();
                    continue;
                }

                window.Prefetch(complete);
                var pieces = new Piece[cuts.Length - 1];
                var buffer = window.Buffer;
                var offset = window.Start;
                var kind = _kind;
                try
                {
                    if (pieces.Length == 1 || _dop == 1)
                    {
                        var parser = new RowParser(_columns, _options, _file, kind.WantsEvidence);
                        for (var i = 0; i < pieces.Length; i++)
                        {
                            pieces[i] = parser.Parse(buffer.AsSpan(offset + cuts[i], cuts[i + 1] - cuts[i]), kind);
                        }
                    }
                    else
                    {
                        Parallel.For(0, pieces.Length,
                            new ParallelOptions { MaxDegreeOfParallelism = _dop, CancellationToken = cancellationToken },
                            () => new RowParser(_columns, _options, _file, kind.WantsEvidence),
                            (i, _, parser) =>
                            {
                                pieces[i] = parser.Parse(buffer.AsSpan(offset + cuts[i], cuts[i + 1] - cuts[i]), kind);
                                return parser;
                            },
                            _ => { });
                    }
                }
                catch
                {
                    window.Drain();
                    throw;
                }

                foreach (var piece in pieces)
                {
                    piece.LineOffset = _line - 1;
                    _line += piece.Lines;
                    _rows += piece.Rows;
                }
                _ended = !window.Advance();
                return pieces;
            }
            if (_finished)
            {
                return null;
            }
            _finished = true;
            return _rows == 0 ? [ErrorPiece(Problem(_file, _headerLine, "", AcledCodes.Empty, AcledMessages.HeaderOnly))] : null;
        }

        /// <summary>Waits for a read ahead still running, so the stream can be closed.</summary>
        public void Drain() => _window.Drain();

        private Piece ErrorPiece(ImportError error) => new(_kind.Create(0), [error], null, 0, 0);
    }

    /// <summary>
    /// A buffer over the input: <see cref="Data"/> is the unread part. While one window is parsed, the next is read into
    /// a second buffer (<see cref="Prefetch"/>, <see cref="Advance"/>), so reading and parsing overlap.
    /// </summary>
    private sealed class Window(Stream stream, int size)
    {
        private readonly int _size = Math.Max(size, 16);
        private byte[] _spare = [];
        private Task<(int End, bool AtEnd)>? _pending;

        public byte[] Buffer { get; private set; } = new byte[InitialSize(stream, Math.Max(size, 16))];

        public int Start { get; private set; }

        public int End { get; private set; }

        public bool AtEnd { get; private set; }

        public ReadOnlySpan<byte> Data => Buffer.AsSpan(Start, End - Start);

        public void Consume(int bytes) => Start += bytes;

        /// <summary>Keeps the unread bytes, makes room (growing when the unread bytes fill the buffer) and reads more.</summary>
        public void Refill()
        {
            if (Start > 0)
            {
                Buffer.AsSpan(Start, End - Start).CopyTo(Buffer);
                End -= Start;
                Start = 0;
            }
            if (End == Buffer.Length)
            {
                var bigger = new byte[Buffer.Length * 2];
                Buffer.AsSpan(0, End).CopyTo(bigger);
                Buffer = bigger;
            }
            (End, AtEnd) = Fill(Buffer, End);
        }

        /// <summary>
        /// Starts reading the next window in the background: the bytes after the first <paramref name="bytes"/> unread
        /// ones (an incomplete record) go to the front of the spare buffer, and the rest of it is filled from the input.
        /// <see cref="Data"/> stays valid until <see cref="Advance"/>.
        /// </summary>
        public void Prefetch(int bytes)
        {
            // A stream of unknown length starts small; each full window doubles the next, up to the window size.
            var wanted = AtEnd ? Buffer.Length : Math.Max(Buffer.Length, Math.Min(_size, Buffer.Length * 2));
            if (_spare.Length < wanted)
            {
                _spare = new byte[wanted];
            }
            var tail = End - Start - bytes;
            Buffer.AsSpan(Start + bytes, tail).CopyTo(_spare);
            var spare = _spare;
            _pending = AtEnd ? Task.FromResult((tail, true)) : Task.Run(() => Fill(spare, tail));
        }

        /// <summary>Switches to the window read by <see cref="Prefetch"/>; false when the input is used up.</summary>
        public bool Advance()
        {
            var (end, atEnd) = _pending!.GetAwaiter().GetResult();
            _pending = null;
            (Buffer, _spare) = (_spare, Buffer);
            (Start, End, AtEnd) = (0, end, atEnd);
            return !(AtEnd && Start == End);
        }

        /// <summary>Waits for a read still running (after an exception), so the stream can be closed.</summary>
        public void Drain()
        {
            try
            {
                _pending?.GetAwaiter().GetResult();
            }
            catch (IOException)
            {
                // The read that failed belongs to a result that is being abandoned.
            }
        }

        public void Fill() => (End, AtEnd) = Fill(Buffer, End);

        private (int End, bool AtEnd) Fill(byte[] buffer, int end)
        {
            while (end < buffer.Length)
            {
                var n = stream.Read(buffer, end, buffer.Length - end);
                if (n == 0)
                {
                    return (end, true);
                }
                end += n;
            }
            return (end, false);
        }

        private static int InitialSize(Stream stream, int size)
        {
            if (stream.CanSeek)
            {
                var left = stream.Length - stream.Position;
                return (int)Math.Clamp(left + 1, 16, size);
            }
            return Math.Min(size, 1 << 20);
        }
    }

    /// <summary>
    /// What one piece of the input gave: records, and errors and rejected rows at lines counted from the start of the
    /// piece, to which <see cref="LineOffset"/> is added.
    /// </summary>
    private sealed class Piece(ChunkSink sink, List<ImportError>? errors, List<RejectedRow>? rejected, int rows, int lines)
    {
        public ChunkSink Sink { get; } = sink;

        public List<ImportError>? Errors { get; } = errors;

        public List<RejectedRow>? Rejected { get; } = rejected;

        public int Rows { get; } = rows;

        public int Lines { get; } = lines;

        /// <summary>Lines of the file before the piece.</summary>
        public int LineOffset { get; set; }
    }

    /// <summary>The pieces of a whole read, in file order, with errors and rejected rows at their absolute lines.</summary>
    private sealed class Outcome
    {
        public List<ChunkSink> Sinks { get; } = [];

        public List<ImportError> Errors { get; private init; } = [];

        public List<RejectedRow> Rejected { get; } = [];

        public string? Header { get; init; }

        public int Rows { get; private set; }

        public static Outcome Failed(ImportError error) => Failed([error], null);

        public static Outcome Failed(List<ImportError> errors, string? header) => new() { Errors = errors, Header = header };

        public void Add(Piece piece)
        {
            var lineOffset = piece.LineOffset;
            Sinks.Add(piece.Sink);
            Rows += piece.Rows;
            if (piece.Errors is not null)
            {
                Errors.AddRange(piece.Errors.Select(e => e with { Line = e.Line + lineOffset }));
            }
            if (piece.Rejected is not null)
            {
                Rejected.AddRange(piece.Rejected.Select(r => r with { Line = r.Line + lineOffset }));
            }
        }
    }

    /// <summary>Which records a read makes.</summary>
    private abstract class SinkKind
    {
        public abstract bool WantsEvidence { get; }

        public abstract ChunkSink Create(int capacity);
    }

    private sealed class BatchKind : SinkKind
    {
        public static BatchKind Instance { get; } = new();

        public override bool WantsEvidence => false;

        public override ChunkSink Create(int capacity) => new BatchSink(capacity);
    }

    private sealed class IncidentsKind : SinkKind
    {
        public static IncidentsKind Instance { get; } = new();

        public override bool WantsEvidence => true;

        public override ChunkSink Create(int capacity) => new IncidentSink(capacity);
    }

    /// <summary>Receives the accepted rows of one piece.</summary>
    private abstract class ChunkSink
    {
        public abstract void Add(ref CsvByteReader record, RowParser parser, in RowFacts facts);
    }

    private sealed class BatchSink(int capacity) : ChunkSink
    {
        public IncidentBatch Batch { get; } = new(capacity);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Add(ref CsvByteReader record, RowParser parser, in RowFacts facts) =>
            Batch.Add(parser.Id(ref record), facts.Earliest, facts.Latest, facts.Longitude,
                facts.Latitude, facts.Radius, facts.Act, facts.Target.Category, facts.Perpetrator);
    }

    private sealed class IncidentSink(int capacity) : ChunkSink
    {
        public List<Incident> Incidents { get; } = new(capacity);

        public override void Add(ref CsvByteReader record, RowParser parser, in RowFacts facts) =>
            Incidents.Add(parser.Incident(ref record, facts));
    }

    /// <summary>The facts of one valid row, parsed from bytes.</summary>
    private struct RowFacts
    {
        /// <summary>For a date (day, week, month): the time; for an instant, default (see <see cref="IsInstant"/>).</summary>
        public IncidentTime Time;
        public bool IsInstant;
        public long Earliest;
        public long Latest;
        public double Latitude;
        public double Longitude;
        public double Radius;
        public LocationPrecision Precision;
        public ActKind Act;
        public TargetInference Target;
        public PartyCode? Perpetrator;
        public SourceGrade Grade;
        /// <summary>The <c>fatalities</c>; -1 when empty or absent.</summary>
        public int Fatalities;
    }

    /// <summary>Where the columns we read are (-1: absent) and what they are called in this file.</summary>
    private sealed class Columns
    {
        private static readonly string[] IdNames = ["event_id_cnty", "id", "data_id"];

        private static readonly string[] RequiredNames = ["event_date", "sub_event_type", "latitude", "longitude"];

        public int Count { get; private init; }

        public int Id { get; private init; } = -1;

        public int Date { get; private init; } = -1;

        public int TimePrecision { get; private init; } = -1;

        public int SubEventType { get; private init; } = -1;

        public int Actor1 { get; private init; } = -1;

        public int Latitude { get; private init; } = -1;

        public int Longitude { get; private init; } = -1;

        public int GeoPrecision { get; private init; } = -1;

        public int Location { get; private init; } = -1;

        public int Source { get; private init; } = -1;

        public int Notes { get; private init; } = -1;

        public int Tags { get; private init; } = -1;

        public int Fatalities { get; private init; } = -1;

        public int Inter1 { get; private init; } = -1;

        public int Inter2 { get; private init; } = -1;

        public int Timestamp { get; private init; } = -1;

        public int TargetCategory { get; private init; } = -1;

        public int Claimant { get; private init; } = -1;

        public int Grade { get; private init; } = -1;

        public int Links { get; private init; } = -1;

        public required string[] Names { get; init; }

        /// <summary>The columns kept in <see cref="Incident.Attributes"/>: all but those mapped to a field.</summary>
        public required AttributeKeys Attributes { get; init; }

        public static Columns? Resolve(string[] names, string headerText, string file, int line, List<ImportError> errors)
        {
            var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < names.Length; i++)
            {
                index.TryAdd(names[i], i);
            }
            int Find(string name) => index.TryGetValue(name, out var i) ? i : -1;

            var id = IdNames.Select(Find).FirstOrDefault(i => i >= 0, -1);
            if (id < 0 && RequiredNames.All(n => Find(n) < 0))
            {
                // Not one ACLED column: one error about the line, not five about columns.
                var separator = names.Length > 1 ? ',' : headerText.Contains(';') ? ';' : headerText.Contains('\t') ? '\t' : '\0';
                errors.Add(separator switch
                {
                    ',' => Problem(file, line, "", AcledCodes.Header, AcledMessages.NoAcledColumns(headerText)),
                    '\0' => Problem(file, line, "", AcledCodes.NotCsv, AcledMessages.NotAHeaderLine(headerText)),
                    _ => Problem(file, line, "", AcledCodes.Header, AcledMessages.WrongSeparator(separator)),
                });
                return null;
            }
            if (id < 0)
            {
                errors.Add(Problem(file, line, IdNames[0], AcledCodes.MissingColumn, AcledMessages.MissingIdColumn(IdNames, names)));
            }
            foreach (var name in RequiredNames.Where(n => Find(n) < 0))
            {
                errors.Add(Problem(file, line, name, AcledCodes.MissingColumn, AcledMessages.MissingColumn(name, names)));
            }
            if (errors.Count > 0)
            {
                return null;
            }

            int[] mapped =
            [
                id, Find("event_date"), Find("sub_event_type"), Find("actor1"), Find("latitude"), Find("longitude"),
                Find("location"), Find("source"), Find("notes"), Find("fatalities"), Find("target_category"),
                Find("claimant"), Find("grade"), Find("links"),
            ];
            var kept = Enumerable.Range(0, names.Length).Where(i => !mapped.Contains(i)).ToArray();
            return new Columns
            {
                Names = names,
                Count = names.Length,
                Attributes = new AttributeKeys(names, kept),
                Id = id,
                Date = Find("event_date"),
                SubEventType = Find("sub_event_type"),
                Latitude = Find("latitude"),
                Longitude = Find("longitude"),
                TimePrecision = Find("time_precision"),
                Actor1 = Find("actor1"),
                GeoPrecision = Find("geo_precision"),
                Location = Find("location"),
                Source = Find("source"),
                Notes = Find("notes"),
                Tags = Find("tags"),
                Fatalities = Find("fatalities"),
                Inter1 = Find("inter1"),
                Inter2 = Find("inter2"),
                Timestamp = Find("timestamp"),
                TargetCategory = Find("target_category"),
                Claimant = Find("claimant"),
                Grade = Find("grade"),
                Links = Find("links"),
            };
        }
    }

    /// <summary>
    /// Parses rows of one piece at a time. One per thread: it keeps caches keyed by the bytes of repeated values
    /// (sub-event types, actors, stated targets, names) and the buffers it decodes text into.
    /// </summary>
    /// <remarks>
    /// The hot methods here (and in <see cref="CsvByteReader"/> and <see cref="TargetClassifier"/>) are compiled fully
    /// optimised at once (<see cref="MethodImplOptions.AggressiveOptimization"/>): a bulk import calls each of them a
    /// million times within a second, most of it before tiered compilation would replace the first, unoptimised code.
    /// </remarks>
    private sealed class RowParser(Columns columns, AcledReadOptions options, string file, bool wantsEvidence)
    {
        private const int MaxCachedStrings = 1 << 14;

        /// <summary>Distinct values remembered per attribute column; a column of unique values (timestamp) stops there.</summary>
        private const int MaxCachedAttributeValues = 1 << 11;

        /// <summary>A guess at the length of a row, to size a piece's records (they grow when it is wrong).</summary>
        private const int EstimatedRowBytes = 200;

        private readonly Utf8Cache<ActKind?> _acts = new(1024);
        private readonly Utf8Cache<PartyCode?> _parties = new(MaxCachedStrings);
        private readonly Utf8Cache<TargetInference?> _stated = new(1024);
        private readonly Utf8Cache<string> _strings = new(MaxCachedStrings);
        private readonly Utf8Cache<string>?[] _attributeStrings = new Utf8Cache<string>?[columns.Attributes.Columns.Length];
        private readonly (int Key, IncidentTime Time)[] _days = new (int, IncidentTime)[1024];
        private char[] _notes = new char[512];
        private char[] _tags = new char[128];
        private List<ImportError>? _errors;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Piece Parse(ReadOnlySpan<byte> piece, SinkKind kind)
        {
            var sink = kind.Create(piece.Length / EstimatedRowBytes + 16);
            _errors = null;
            List<RejectedRow>? rejected = null;
            var rows = 0;
            var record = new CsvByteReader(piece);
            while (record.Read())
            {
                rows++;
                if (TryParse(ref record, out var facts))
                {
                    sink.Add(ref record, this, facts);
                }
                else
                {
                    (rejected ??= []).Add(new RejectedRow(record.Line, Encoding.UTF8.GetString(record.RawRecord)));
                }
            }
            return new Piece(sink, _errors, rejected, rows, record.NextLine - 1);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public string Id(ref CsvByteReader record) => Encoding.UTF8.GetString(Trim(record[columns.Id]));

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public Incident Incident(ref CsvByteReader record, in RowFacts facts)
        {
            var source = Intern(ref record, columns.Source);
            var claimant = Intern(ref record, columns.Claimant) ?? source;
            var place = Intern(ref record, columns.Location);
            var location = new IncidentLocation(facts.Longitude, facts.Latitude, facts.Precision, facts.Radius, place);
            var notes = columns.Notes >= 0 && !Trim(record[columns.Notes]).IsEmpty ? Encoding.UTF8.GetString(record[columns.Notes]) : null;
            var time = facts.IsInstant ? IncidentTime.At(new DateTimeOffset(facts.Earliest, TimeSpan.Zero)) : facts.Time;
            var casualties = facts.Fatalities >= 0 ? Casualties.Exactly(facts.Fatalities) : Casualties.Unknown;
            return new Incident(new IncidentId(Id(ref record)), time, location, facts.Act, facts.Target, facts.Perpetrator,
                Intern(ref record, columns.Actor1), claimant, source, facts.Grade, Links(ref record, source), notes, casualties,
                Attributes(ref record));
        }

        /// <summary>The non-blank fields of the columns mapped to no field, as they are; null when there are none.</summary>
        private AcledAttributes? Attributes(ref CsvByteReader record)
        {
            var kept = columns.Attributes.Columns;
            string?[]? values = null;
            var count = 0;
            for (var k = 0; k < kept.Length; k++)
            {
                var bytes = record[kept[k]];
                if (Trim(bytes).IsEmpty)
                {
                    continue;
                }
                // Most of these columns repeat a few values (year, country, event_type, ...): one string per value.
                var cache = _attributeStrings[k] ??= new Utf8Cache<string>(MaxCachedAttributeValues);
                if (!cache.TryGet(bytes, out var value))
                {
                    value = Encoding.UTF8.GetString(bytes);
                    cache.Add(bytes, value);
                }
                (values ??= new string?[kept.Length])[k] = value;
                count++;
            }
            return values is null ? null : new AcledAttributes(columns.Attributes, values, count);
        }

        private List<string>? Links(ref CsvByteReader record, string? source)
        {
            List<string>? links = null;
            if (columns.Links >= 0)
            {
                AddUrls(Encoding.UTF8.GetString(record[columns.Links]), ref links, urlsOnly: false);
            }
            if (source is not null && source.Contains("://", StringComparison.Ordinal))
            {
                AddUrls(source, ref links, urlsOnly: true);
            }
            return links;

            static void AddUrls(string text, ref List<string>? links, bool urlsOnly)
            {
                foreach (var part in text.Split([' ', ';', '|', '\n', '\t', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    if (!urlsOnly || part.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || part.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                    {
                        links ??= [];
                        if (!links.Contains(part))
                        {
                            links.Add(part);
                        }
                    }
                }
            }
        }

        private string? Intern(ref CsvByteReader record, int column)
        {
            if (column < 0)
            {
                return null;
            }
            var bytes = Trim(record[column]);
            if (bytes.IsEmpty)
            {
                return null;
            }
            if (!_strings.TryGet(bytes, out var s))
            {
                s = Encoding.UTF8.GetString(bytes);
                _strings.Add(bytes, s);
            }
            return s;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TryParse(ref CsvByteReader record, out RowFacts facts)
        {
            facts = default;
            var line = record.Line;
            if (record.Problem != CsvRecordProblem.None)
            {
                if (record.Problem == CsvRecordProblem.UnterminatedQuote)
                {
                    // Quote parity makes this the last record of the file: it runs to the end.
                    Error(line, "row", AcledCodes.Truncated, AcledMessages.Truncated(record.NextLine - line + 1));
                }
                else
                {
                    Error(line, "row", AcledCodes.Csv, AcledMessages.Malformed(record.Problem));
                }
                return false;
            }
            if (record.FieldCount != columns.Count)
            {
                Error(line, "row", AcledCodes.FieldCount, AcledMessages.FieldCount(record.FieldCount, columns.Count));
                return false;
            }

            var ok = true;
            if (Trim(record[columns.Id]).IsEmpty)
            {
                ok = Error(line, columns.Names[columns.Id], AcledCodes.Id, AcledMessages.EmptyId);
            }
            ok &= TryTime(ref record, line, ref facts);
            ok &= TryCoordinate(record[columns.Latitude], 90, line, columns.Names[columns.Latitude], AcledCodes.Latitude, out facts.Latitude);
            ok &= TryCoordinate(record[columns.Longitude], 180, line, columns.Names[columns.Longitude], AcledCodes.Longitude, out facts.Longitude);
            ok &= TryGeoPrecision(ref record, line, out facts.Precision, out facts.Radius);
            ok &= TryAct(record[columns.SubEventType], line, out facts.Act);
            ok &= TryFatalities(ref record, line, out facts.Fatalities);
            if (columns.Inter1 >= 0 || columns.Inter2 >= 0 || columns.Timestamp >= 0)
            {
                ok &= TryInter(ref record, columns.Inter1, line);
                ok &= TryInter(ref record, columns.Inter2, line);
                ok &= TryTimestamp(ref record, line);
            }
            ok &= TryTarget(ref record, line, classify: ok, out facts.Target);
            ok &= TryGrade(ref record, line, out facts.Grade);
            if (!ok)
            {
                return false;
            }
            facts.Perpetrator = columns.Actor1 >= 0 ? Perpetrator(record[columns.Actor1]) : null;
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TryTime(ref CsvByteReader record, int line, ref RowFacts facts)
        {
            var precision = 1;
            if (columns.TimePrecision >= 0)
            {
                var p = Trim(record[columns.TimePrecision]);
                if (!p.IsEmpty && (p.Length != 1 || p[0] is < (byte)'1' or > (byte)'3'))
                {
                    return Error(line, columns.Names[columns.TimePrecision], AcledCodes.TimePrecision, AcledMessages.TimePrecision(Show(p)));
                }
                precision = p.IsEmpty ? 1 : p[0] - '0';
            }

            var text = Trim(record[columns.Date]);
            var dateColumn = columns.Names[columns.Date];
            long utc;
            switch (DateText.Parse(text, out var date, out var timeOfDay, out var offsetMinutes))
            {
                case DateForm.Date:
                    facts.Time = Day(date, precision);
                    facts.Earliest = facts.Time.Earliest.UtcTicks;
                    facts.Latest = facts.Time.Latest.UtcTicks;
                    return true;
                case DateForm.Instant:
                    utc = date.DayNumber * TimeSpan.TicksPerDay + timeOfDay - offsetMinutes * TimeSpan.TicksPerMinute;
                    if (utc < 0 || utc > DateTime.MaxValue.Ticks)
                    {
                        return Error(line, dateColumn, AcledCodes.Date, AcledMessages.Date(Show(text)));
                    }
                    break;
                case DateForm.LocalDateTime:
                    var local = new DateTime(date.DayNumber * TimeSpan.TicksPerDay + timeOfDay, DateTimeKind.Unspecified);
                    if (options.TimeZone.IsInvalidTime(local))
                    {
                        return Error(line, dateColumn, AcledCodes.Date, AcledMessages.SkippedLocalTime(Show(text), options.TimeZone.Id));
                    }
                    utc = TimeZoneInfo.ConvertTimeToUtc(local, options.TimeZone).Ticks;
                    break;
                default:
                    return Error(line, dateColumn, AcledCodes.Date, AcledMessages.Date(Show(text)));
            }
            facts.IsInstant = true;
            facts.Earliest = facts.Latest = utc;
            return true;
        }

        /// <summary>The local day, week or month of <paramref name="date"/>, from a small direct-mapped cache.</summary>
        private IncidentTime Day(DateOnly date, int precision)
        {
            var key = (date.DayNumber << 2) | precision;
            ref var slot = ref _days[key & (_days.Length - 1)];
            if (slot.Key != key)
            {
                var zone = options.TimeZone;
                slot = (key, precision switch
                {
                    2 => IncidentTime.Week(date, zone),
                    3 => IncidentTime.Month(date, zone),
                    _ => IncidentTime.Day(date, zone),
                });
            }
            return slot.Time;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TryCoordinate(ReadOnlySpan<byte> field, double limit, int line, string column, string code, out double value)
        {
            var text = Trim(field);
            if (Numbers.TryParseDouble(text, out value) && double.IsFinite(value) && Math.Abs(value) <= limit)
            {
                return true;
            }
            return Error(line, column, code, limit == 90 ? AcledMessages.Latitude(Show(text)) : AcledMessages.Longitude(Show(text)));
        }

        private bool TryGeoPrecision(ref CsvByteReader record, int line, out LocationPrecision precision, out double radius)
        {
            (precision, radius) = (LocationPrecision.Exact, 0);
            if (columns.GeoPrecision < 0)
            {
                return true;
            }
            var p = Trim(record[columns.GeoPrecision]);
            if (p.IsEmpty)
            {
                return true;
            }
            switch (p.Length == 1 ? p[0] : 0)
            {
                case (byte)'1':
                    (precision, radius) = (LocationPrecision.Settlement, 5_000);
                    return true;
                case (byte)'2':
                    (precision, radius) = (LocationPrecision.Settlement, 25_000);
                    return true;
                case (byte)'3':
                    (precision, radius) = (LocationPrecision.Region, 50_000);
                    return true;
                default:
                    return Error(line, columns.Names[columns.GeoPrecision], AcledCodes.GeoPrecision, AcledMessages.GeoPrecision(Show(p)));
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TryAct(ReadOnlySpan<byte> field, int line, out ActKind act)
        {
            if (!_acts.TryGet(field, out var known))
            {
                known = ActKinds.FromAcledSubEventType(Encoding.UTF8.GetString(field));
                _acts.Add(field, known);
            }
            act = known ?? ActKind.Unknown;
            return known is not null || Error(line, columns.Names[columns.SubEventType], AcledCodes.SubEventType, AcledMessages.SubEventType(Show(Trim(field))));
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TryTarget(ref CsvByteReader record, int line, bool classify, out TargetInference target)
        {
            target = TargetInference.None;
            if (columns.TargetCategory >= 0)
            {
                var stated = Trim(record[columns.TargetCategory]);
                if (!stated.IsEmpty)
                {
                    if (!_stated.TryGet(stated, out var known))
                    {
                        var code = Encoding.UTF8.GetString(stated);
                        known = TargetCategories.TryParse(code, out var category) ? TargetInference.StatedAs(category, code) : null;
                        _stated.Add(stated, known);
                    }
                    target = known ?? TargetInference.None;
                    return known is not null || Error(line, columns.Names[columns.TargetCategory], AcledCodes.TargetCategory, AcledMessages.TargetCategory(Show(stated)));
                }
            }
            if (!classify)
            {
                // The row is rejected anyway; spare the classifier.
                return true;
            }
            var tags = columns.Tags >= 0 ? Tags(record[columns.Tags]) : [];
            var notes = columns.Notes >= 0 ? Decode(record[columns.Notes], ref _notes) : [];
            if (wantsEvidence)
            {
                target = TargetClassifier.Infer(tags, notes);
            }
            else
            {
                var category = TargetClassifier.Classify(tags, notes);
                target = category.IsUnknown ? TargetInference.None : Inferred[category.Index];
            }
            return true;
        }

        /// <summary><c>fatalities</c>: a whole number from 0; -1 when empty or absent.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TryFatalities(ref CsvByteReader record, int line, out int fatalities)
        {
            fatalities = -1;
            if (columns.Fatalities < 0)
            {
                return true;
            }
            // The bulk path reads a million of these a second: digits alone need no trimming.
            var text = record[columns.Fatalities];
            if (!Numbers.TryParseWhole(text, out var n))
            {
                text = Trim(text);
                if (text.IsEmpty)
                {
                    return true;
                }
                if (!Numbers.TryParseWhole(text, out n))
                {
                    n = -1;
                }
            }
            if (n is >= 0 and <= int.MaxValue)
            {
                fatalities = (int)n;
                return true;
            }
            return Error(line, columns.Names[columns.Fatalities], AcledCodes.Fatalities, AcledMessages.Fatalities(Show(text)));
        }

        /// <summary>
        /// <c>inter1</c>/<c>inter2</c>: ACLED's actor-type code (0-8) or its name (any text); a number outside 0-8, or
        /// not whole, is an error.
        /// </summary>
        private bool TryInter(ref CsvByteReader record, int column, int line)
        {
            if (column < 0)
            {
                return true;
            }
            var text = Trim(record[column]);
            if (text.IsEmpty || !Numbers.TryParseDouble(text, out var code))
            {
                return true;
            }
            return code is >= 0 and <= 8 && code == Math.Floor(code) ||
                Error(line, columns.Names[column], AcledCodes.Inter, AcledMessages.Inter(Show(text)));
        }

        /// <summary><c>timestamp</c>: Unix seconds, a whole number (negative before 1970).</summary>
        private bool TryTimestamp(ref CsvByteReader record, int line)
        {
            if (columns.Timestamp < 0)
            {
                return true;
            }
            var text = Trim(record[columns.Timestamp]);
            return text.IsEmpty || Numbers.TryParseWhole(text[0] == '-' ? text[1..] : text, out _) ||
                Error(line, columns.Names[columns.Timestamp], AcledCodes.Timestamp, AcledMessages.Timestamp(Show(text)));
        }

        private bool TryGrade(ref CsvByteReader record, int line, out SourceGrade grade)
        {
            grade = SourceGrade.Unassessed;
            if (columns.Grade < 0)
            {
                return true;
            }
            var text = Trim(record[columns.Grade]);
            if (text.IsEmpty)
            {
                return true;
            }
            Span<char> chars = stackalloc char[2];
            if (text.Length == 2 && text[0] < 0x80 && text[1] < 0x80)
            {
                chars[0] = (char)text[0];
                chars[1] = (char)text[1];
                if (SourceGrade.TryParse(chars, out grade))
                {
                    return true;
                }
            }
            grade = SourceGrade.Unassessed;
            return Error(line, columns.Names[columns.Grade], AcledCodes.Grade, AcledMessages.Grade(Show(text)));
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private PartyCode? Perpetrator(ReadOnlySpan<byte> actor)
        {
            if (!_parties.TryGet(actor, out var party))
            {
                party = options.ActorMap.Resolve(Encoding.UTF8.GetString(actor));
                _parties.Add(actor, party);
            }
            return party;
        }

        /// <summary>
        /// The tags, each on a line of its own (<c>;</c> becomes a line break), so that the classifier reads them as
        /// the separate items they are: no keyword phrase can run from one tag into the next.
        /// </summary>
        private Span<char> Tags(ReadOnlySpan<byte> bytes)
        {
            var tags = Decode(bytes, ref _tags);
            tags.Replace(TagSeparator, '\n');
            return tags;
        }

        private static Span<char> Decode(ReadOnlySpan<byte> bytes, ref char[] buffer)
        {
            if (buffer.Length < bytes.Length)
            {
                buffer = new char[Math.Max(bytes.Length, buffer.Length * 2)];
            }
            var n = Encoding.UTF8.GetChars(bytes, buffer);
            return buffer.AsSpan(0, n);
        }

        private bool Error(int line, string field, string code, string message)
        {
            (_errors ??= []).Add(Problem(file, line, field, code, message));
            return false;
        }

        private static string Show(ReadOnlySpan<byte> value)
        {
            const int max = 80;
            var s = Encoding.UTF8.GetString(value.Length > max ? value[..max] : value);
            return value.Length > max ? s + "..." : s;
        }

        private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s) => s.Trim(" \t\r\n"u8);

        /// <summary>One shared inference per category for the bulk path, which keeps no evidence.</summary>
        private static readonly TargetInference[] Inferred =
            [.. TargetCategories.All.Select((_, i) => new TargetInference(new TargetCategory((byte)i), TargetBasis.Inferred, []))];
    }

    private enum DateForm : byte
    {
        Invalid,
        Date,
        LocalDateTime,
        Instant,
    }

    /// <summary>Dates and times as ACLED files write them, parsed from UTF-8 without allocating.</summary>
    private static class DateText
    {
        private static readonly string[] Months =
            ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

        /// <summary>
        /// Parses <c>yyyy-MM-dd</c>, <c>yyyy-MM-ddTHH:mm[:ss[.fffffff]][Z|±HH:mm|±HHmm|±HH]</c> (a space may stand for
        /// the T), <c>d/M/yyyy[ H:mm[:ss]]</c> (day first; one or two digits for day, month and hour), <c>d MMMM yyyy</c>,
        /// <c>d-MMMM-yyyy</c> (MMMM: English month name, full or three letters).
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static DateForm Parse(ReadOnlySpan<byte> s, out DateOnly date, out long timeOfDayTicks, out int offsetMinutes)
        {
            date = default;
            timeOfDayTicks = 0;
            offsetMinutes = 0;
            if (s.Length >= 10 && s[4] == '-' && s[7] == '-')
            {
                if (!Digits(s[..4], out var y) || !Digits(s.Slice(5, 2), out var m) || !Digits(s.Slice(8, 2), out var d) ||
                    !TryDate(y, m, d, out date))
                {
                    return DateForm.Invalid;
                }
                if (s.Length == 10)
                {
                    return DateForm.Date;
                }
                return ParseTime(s[10..], out timeOfDayTicks, out offsetMinutes);
            }
            if (s.IndexOf((byte)'/') >= 0)
            {
                return ParseDayFirst(s, out date, out timeOfDayTicks);
            }
            return ParseWithMonthName(s, out date);
        }

        /// <summary><c>dd/MM/yyyy</c>, optionally with a local time <c>HH:mm</c> or <c>HH:mm:ss</c> after a space.</summary>
        private static DateForm ParseDayFirst(ReadOnlySpan<byte> s, out DateOnly date, out long ticks)
        {
            date = default;
            ticks = 0;
            var i = 0;
            if (!Number(s, ref i, 1, 2, out var d) || !Expect(s, ref i, '/') || !Number(s, ref i, 1, 2, out var m) ||
                !Expect(s, ref i, '/') || !Number(s, ref i, 4, 4, out var y) || !TryDate(y, m, d, out date))
            {
                return DateForm.Invalid;
            }
            if (i == s.Length)
            {
                return DateForm.Date;
            }
            if (!Expect(s, ref i, ' ') || !Number(s, ref i, 1, 2, out var h) || h > 23 || !Expect(s, ref i, ':') ||
                !Number(s, ref i, 2, 2, out var min) || min > 59)
            {
                return DateForm.Invalid;
            }
            var sec = 0;
            if (i < s.Length && (!Expect(s, ref i, ':') || !Number(s, ref i, 2, 2, out sec) || sec > 59 || i != s.Length))
            {
                return DateForm.Invalid;
            }
            ticks = h * TimeSpan.TicksPerHour + min * TimeSpan.TicksPerMinute + sec * TimeSpan.TicksPerSecond;
            return DateForm.LocalDateTime;
        }

        /// <summary>Reads <paramref name="min"/> to <paramref name="max"/> digits at <paramref name="i"/>, and no more.</summary>
        private static bool Number(ReadOnlySpan<byte> s, ref int i, int min, int max, out int value)
        {
            value = 0;
            var start = i;
            while (i < s.Length && i - start < max && s[i] is >= (byte)'0' and <= (byte)'9')
            {
                value = value * 10 + s[i++] - '0';
            }
            return i - start >= min && (i == s.Length || s[i] is < (byte)'0' or > (byte)'9');
        }

        private static bool Expect(ReadOnlySpan<byte> s, ref int i, char c)
        {
            if (i < s.Length && s[i] == c)
            {
                i++;
                return true;
            }
            return false;
        }

        private static DateForm ParseTime(ReadOnlySpan<byte> s, out long ticks, out int offsetMinutes)
        {
            ticks = 0;
            offsetMinutes = 0;
            if (s.Length < 6 || s[0] is not ((byte)'T' or (byte)'t' or (byte)' ') || s[3] != ':' ||
                !Digits(s.Slice(1, 2), out var h) || !Digits(s.Slice(4, 2), out var min) || h > 23 || min > 59)
            {
                return DateForm.Invalid;
            }
            ticks = h * TimeSpan.TicksPerHour + min * TimeSpan.TicksPerMinute;
            s = s[6..];
            if (s.Length >= 3 && s[0] == ':')
            {
                if (!Digits(s.Slice(1, 2), out var sec) || sec > 59)
                {
                    return DateForm.Invalid;
                }
                ticks += sec * TimeSpan.TicksPerSecond;
                s = s[3..];
                if (s.Length >= 2 && s[0] is (byte)'.' or (byte)',')
                {
                    var n = 1;
                    long fraction = 0;
                    var scale = TimeSpan.TicksPerSecond;
                    while (n < s.Length && s[n] is >= (byte)'0' and <= (byte)'9')
                    {
                        if (scale > 1)
                        {
                            scale /= 10;
                            fraction += (s[n] - '0') * scale;
                        }
                        n++;
                    }
                    if (n == 1)
                    {
                        return DateForm.Invalid;
                    }
                    ticks += fraction;
                    s = s[n..];
                }
            }
            if (s.IsEmpty)
            {
                return DateForm.LocalDateTime;
            }
            if (s.Length == 1 && s[0] is (byte)'Z' or (byte)'z')
            {
                return DateForm.Instant;
            }
            if (s[0] is (byte)'+' or (byte)'-' && s.Length is 3 or 5 or 6)
            {
                var sign = s[0] == '-' ? -1 : 1;
                var om = 0;
                var okMinutes = s.Length switch
                {
                    3 => true,
                    5 => Digits(s.Slice(3, 2), out om),
                    _ => s[3] == ':' && Digits(s.Slice(4, 2), out om),
                };
                if (Digits(s.Slice(1, 2), out var oh) && okMinutes && oh <= 14 && om <= 59)
                {
                    offsetMinutes = sign * (oh * 60 + om);
                    return DateForm.Instant;
                }
            }
            return DateForm.Invalid;
        }

        private static DateForm ParseWithMonthName(ReadOnlySpan<byte> s, out DateOnly date)
        {
            date = default;
            var i = 0;
            var day = 0;
            while (i < s.Length && i < 2 && s[i] is >= (byte)'0' and <= (byte)'9')
            {
                day = day * 10 + s[i++] - '0';
            }
            if (i == 0 || i >= s.Length || s[i] is not ((byte)' ' or (byte)'-'))
            {
                return DateForm.Invalid;
            }
            i++;
            var start = i;
            while (i < s.Length && (uint)((s[i] | 0x20) - 'a') < 26)
            {
                i++;
            }
            var name = s[start..i];
            if (i >= s.Length || s[i] is not ((byte)' ' or (byte)'-') || name.Length < 3)
            {
                return DateForm.Invalid;
            }
            var month = 0;
            for (var m = 0; m < Months.Length && month == 0; m++)
            {
                var full = Months[m];
                if (name.Length <= full.Length && (name.Length == 3 || name.Length == full.Length || (m == 8 && name.Length == 4)) &&
                    Ascii.EqualsIgnoreCase(name, full.AsSpan(0, name.Length)))
                {
                    month = m + 1;
                }
            }
            var year = s[(i + 1)..];
            return month > 0 && year.Length == 4 && Digits(year, out var y) && TryDate(y, month, day, out date)
                ? DateForm.Date
                : DateForm.Invalid;
        }

        private static bool TryDate(int y, int m, int d, out DateOnly date)
        {
            if (y is >= 1 and <= 9999 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m))
            {
                date = new DateOnly(y, m, d);
                return true;
            }
            date = default;
            return false;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool Digits(ReadOnlySpan<byte> s, out int value)
        {
            value = 0;
            foreach (var b in s)
            {
                if (b is < (byte)'0' or > (byte)'9')
                {
                    return false;
                }
                value = value * 10 + b - '0';
            }
            return !s.IsEmpty;
        }
    }

    /// <summary>Decimal numbers from UTF-8.</summary>
    private static class Numbers
    {
        private static readonly double[] PowersOf10 =
            [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

        /// <summary>
        /// Parses a decimal such as <c>-47.36600</c>. Exact: with at most 15 significant digits and 22 decimals the
        /// digits and the power of ten are both exact doubles, so one division rounds correctly (Clinger's fast path);
        /// anything else goes to <see cref="Utf8Parser"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static bool TryParseDouble(ReadOnlySpan<byte> s, out double value)
        {
            var i = 0;
            var negative = false;
            if (i < s.Length && s[i] is (byte)'-' or (byte)'+')
            {
                negative = s[i] == '-';
                i++;
            }
            long mantissa = 0;
            var digits = 0;
            var decimals = 0;
            var seenPoint = false;
            var start = i;
            for (; i < s.Length; i++)
            {
                var b = s[i];
                if (b is >= (byte)'0' and <= (byte)'9')
                {
                    mantissa = mantissa * 10 + (b - '0');
                    if (mantissa != 0)
                    {
                        digits++;
                    }
                    if (seenPoint)
                    {
                        decimals++;
                    }
                }
                else if (b == '.' && !seenPoint)
                {
                    seenPoint = true;
                }
                else
                {
                    break;
                }
            }
            var length = i - start - (seenPoint ? 1 : 0);
            if (i == s.Length && length > 0 && digits <= 15 && decimals <= 22)
            {
                value = mantissa / PowersOf10[decimals];
                value = negative ? -value : value;
                return true;
            }
            return Utf8Parser.TryParse(s, out value, out var consumed) && consumed == s.Length && !s.IsEmpty;
        }

        /// <summary>Parses a whole number from 0 written with digits only (at most 18 of them).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static bool TryParseWhole(ReadOnlySpan<byte> s, out long value)
        {
            value = 0;
            if (s.IsEmpty || s.Length > 18)
            {
                return false;
            }
            foreach (var b in s)
            {
                if (b is < (byte)'0' or > (byte)'9')
                {
                    return false;
                }
                value = value * 10 + (b - '0');
            }
            return true;
        }
    }

    /// <summary>
    /// A small hash table from the bytes of a repeated value to what it means, looked up without allocating (open
    /// addressing, linear probing). It stops taking new keys at its capacity, so a column of all-distinct values
    /// costs a lookup and no memory.
    /// </summary>
    private sealed class Utf8Cache<T>(int capacity)
    {
        private byte[]?[] _keys = new byte[]?[64];
        private int[] _hashes = new int[64];
        private T[] _values = new T[64];
        private int _count;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryGet(ReadOnlySpan<byte> key, out T value)
        {
            var hash = Hash(key);
            var mask = _keys.Length - 1;
            for (var i = hash & mask; ; i = (i + 1) & mask)
            {
                var k = _keys[i];
                if (k is null)
                {
                    value = default!;
                    return false;
                }
                if (_hashes[i] == hash && key.SequenceEqual(k))
                {
                    value = _values[i];
                    return true;
                }
            }
        }

        public void Add(ReadOnlySpan<byte> key, T value)
        {
            if (_count >= capacity)
            {
                return;
            }
            if ((_count + 1) * 2 > _keys.Length)
            {
                var (keys, hashes, values) = (_keys, _hashes, _values);
                _keys = new byte[]?[keys.Length * 2];
                _hashes = new int[keys.Length * 2];
                _values = new T[keys.Length * 2];
                for (var j = 0; j < keys.Length; j++)
                {
                    if (keys[j] is { } k)
                    {
                        Insert(k, hashes[j], values[j]);
                    }
                }
            }
            Insert(key.ToArray(), Hash(key), value);
            _count++;
        }

        private void Insert(byte[] key, int hash, T value)
        {
            var mask = _keys.Length - 1;
            var i = hash & mask;
            while (_keys[i] is not null)
            {
                i = (i + 1) & mask;
            }
            _keys[i] = key;
            _hashes[i] = hash;
            _values[i] = value;
        }

        /// <summary>A cheap hash of the length and the first, middle and last eight bytes; equality decides the rest.</summary>
        private static int Hash(ReadOnlySpan<byte> s)
        {
            ulong h;
            if (s.Length >= 8)
            {
                h = MemoryMarshal.Read<ulong>(s) ^ (MemoryMarshal.Read<ulong>(s[^8..]) * 0x9E3779B97F4A7C15UL) ^
                    (MemoryMarshal.Read<ulong>(s.Slice((s.Length - 8) / 2, 8)) * 0xC2B2AE3D27D4EB4FUL);
            }
            else
            {
                h = 0;
                foreach (var b in s)
                {
                    h = (h << 8) | b;
                }
            }
            h ^= (ulong)s.Length * 0x165667B19E3779F9UL;
            h *= 0xFF51AFD7ED558CCDUL;
            h ^= h >> 33;
            return (int)h & int.MaxValue;
        }
    }

    /// <summary>The messages of every ACLED import error, in one place.</summary>
    private static class AcledMessages
    {
        public const string EmptyFile = "The file is empty: it has no header row and no rows.";

        public const string HeaderOnly = "The file has a header and no rows.";

        public static string NotCsv(NotCsvKind kind) => "The file is not CSV text: " + kind switch
        {
            NotCsvKind.Utf16 => "it is UTF-16 text, and incident files are read as UTF-8: save it as UTF-8 (in Excel, \"CSV UTF-8\").",
            NotCsvKind.Png => "it is a PNG image.",
            NotCsvKind.Jpeg => "it is a JPEG image.",
            NotCsvKind.Gif => "it is a GIF image.",
            NotCsvKind.Pdf => "it is a PDF document.",
            NotCsvKind.Zip => "it is a ZIP archive (an Excel .xlsx workbook is one): save the sheet as CSV UTF-8, or unzip the archive.",
            NotCsvKind.OfficeLegacy => "it is an Excel 97-2003 workbook or another Office document: save the sheet as CSV UTF-8.",
            NotCsvKind.Gzip => "it is compressed (gzip): decompress it first.",
            NotCsvKind.Sqlite => "it is an SQLite database.",
            NotCsvKind.Json => "it is a JSON document (an API response?): download or export the events as CSV.",
            NotCsvKind.Markup => "it is an HTML or XML document (a web page saved instead of the CSV file?).",
            _ => "it holds binary data (zero bytes or control characters).",
        };

        public static string NoLineBreak(int limit) =>
            $"The first line does not end within {limit >> 20} MB: this is not a CSV file, or its header opens a quote it never closes.";

        public static string NotAHeaderLine(string line) =>
            $"The first line is not a CSV header (no commas, and none of the ACLED columns): '{Shorten(line)}'.";

        public static string WrongSeparator(char separator) =>
            $"The header is one column: the file seems to separate its columns with {(separator == '\t' ? "tabs" : $"'{separator}'")}; incident files use commas.";

        public static string NoAcledColumns(string line) =>
            $"The header names none of the ACLED columns (event_id_cnty, event_date, sub_event_type, latitude, longitude): '{Shorten(line)}'.";

        public static string MalformedHeader(CsvRecordProblem problem) => problem == CsvRecordProblem.UnterminatedQuote
            ? "The header opens a quoted field that is never closed: the file is cut off inside its header, or a quote is missing."
            : "The header is not valid CSV: " + Malformed(problem)["The row is not valid CSV: ".Length..];

        public static string Truncated(int lines) =>
            $"The file ends inside a quoted field of this row: it looks cut off (truncated), or a closing quote is missing ({(lines == 1 ? "this line was" : $"these {lines} lines were")} read as the row).";

        public static string RowTooLong(int limit) =>
            $"The row does not end within {limit >> 20} MB: a quoted field opened in it is probably never closed. The rest of the file is not read.";

        public static string Fatalities(string value) => $"'{value}' is not a number of deaths: use a whole number from 0, or leave it empty when unknown.";

        public static string Inter(string value) =>
            $"'{value}' is not an ACLED actor type: use a code from 0 to 8 or a name (State forces, Rebel group, Political militia, Identity militia, Rioters, Protesters, Civilians, External/Other forces).";

        public static string Timestamp(string value) => $"'{value}' is not a Unix timestamp: use whole seconds since 1970-01-01 UTC (such as 1742900000).";

        private static string Shorten(string s) => s.Length > 80 ? s[..80] + "..." : s;

        public const string EmptyId = "The event id is empty.";

        public static string CannotOpen(string reason) => $"The file cannot be read: {reason}";

        public static string MissingColumn(string name, string[] found) =>
            $"The header has no '{name}' column (columns found: {string.Join(", ", found)}).";

        public static string MissingIdColumn(string[] names, string[] found) =>
            $"The header has no event id column ({string.Join(", ", names.Select(n => $"'{n}'"))}; columns found: {string.Join(", ", found)}).";

        public static string Malformed(CsvRecordProblem problem) => problem switch
        {
            CsvRecordProblem.QuoteInUnquotedField => "The row is not valid CSV: a double quote inside a field that does not start with one (quote the field and double the quote).",
            CsvRecordProblem.TextAfterClosingQuote => "The row is not valid CSV: text after the closing quote of a field.",
            _ => "The row is not valid CSV: a quoted field is not closed before the end of the file.",
        };

        public static string FieldCount(int found, int expected) => $"The row has {found} fields; the header has {expected}.";

        public static string Date(string value) =>
            $"'{value}' is not a date: use 2025-03-19, 19/03/2025, 19 March 2025, 19-March-2025, 19/03/2025 14:27 or 2025-03-19T14:27:00Z.";

        public static string SkippedLocalTime(string value, string zone) => $"'{value}' does not exist in time zone {zone} (clocks skipped it).";

        public static string TimePrecision(string value) => $"'{value}' is not an ACLED time precision: use 1 (day), 2 (week) or 3 (month).";

        public static string Latitude(string value) => $"'{value}' is not a latitude: use decimal degrees from -90 to 90.";

        public static string Longitude(string value) => $"'{value}' is not a longitude: use decimal degrees from -180 to 180.";

        public static string GeoPrecision(string value) => $"'{value}' is not an ACLED geo precision: use 1, 2 or 3.";

        public static string SubEventType(string value) =>
            $"'{value}' is not an ACLED sub-event type (one of: {string.Join(", ", ActKinds.All.Select(a => a.AcledSubEventType).OfType<string>())}).";

        public static string TargetCategory(string value) =>
            $"'{value}' is not a target category (one of: {string.Join(", ", TargetCategories.Codes)}).";

        public static string Grade(string value) => $"'{value}' is not an Admiralty grade: use a letter A-F and a digit 1-6, such as B2.";
    }
}

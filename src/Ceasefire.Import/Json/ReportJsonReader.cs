using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ceasefire.Geo;
using Ceasefire.Import.Acled;
using Ceasefire.Import.Classification;
using Ceasefire.Import.Errors;
using Ceasefire.Import.Text;
using Ceasefire.Incidents;
using Ceasefire.Parties;
using Ceasefire.Taxonomy;
using Ceasefire.Time;

namespace Ceasefire.Import.Json;

/// <summary>How the reports of a JSON file are laid out.</summary>
public enum ReportJsonLayout
{
    /// <summary>By the file name: <c>.jsonl</c> and <c>.ndjson</c> are <see cref="Lines"/>, anything else <see cref="Document"/>.</summary>
    Auto,
    /// <summary>One JSON value: a document <c>{ "reports": [ ... ] }</c> or a single report object.</summary>
    Document,
    /// <summary>JSON Lines: one report object per line; blank lines are skipped.</summary>
    Lines,
}

/// <summary>How to read a report file. Immutable; <see cref="Default"/> reads dates in UTC with the Russia-Ukraine actor map.</summary>
public sealed record ReportReadOptions : ReadOptions
{
    /// <summary>UTC, <see cref="ActorMap.RussiaUkraineDefault"/>, layout by file name, UTF-8.</summary>
    public static ReportReadOptions Default { get; } = new();



    /// <summary>Document or JSON Lines. Default <see cref="ReportJsonLayout.Auto"/> (by file name). Ignored for GeoJSON.</summary>
    public ReportJsonLayout Layout { get; init; } = ReportJsonLayout.Auto;

    /// <summary>
    /// The file's encoding when it has no byte-order mark. JSON is UTF-8 (RFC 8259), the default; a UTF-16 file is
    /// recognised by its byte-order mark. Another encoding is decoded to UTF-8 first.
    /// </summary>
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
    /// The largest single report (or JSON Lines line) accepted, in bytes; default 16 MiB, at least 1 KiB. A larger report
    /// is rejected; one that does not even fit in a read window of this size ends the read (memory stays bounded).
    /// </summary>
    public int MaxReportBytes
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1024);
            field = value;
        }
    } = 16 << 20;
}

/// <summary>Stable codes of the problems the report readers report (<see cref="ImportError.Code"/>).</summary>
public static class ReportCodes
{
    /// <summary>The file could not be opened or read.</summary>
    public const string File = "report.file";
    /// <summary>The file holds no JSON value.</summary>
    public const string Empty = "report.empty";
    /// <summary>The text is not well-formed JSON (or not JSON at all); reading stops there.</summary>
    public const string Syntax = "report.syntax";
    /// <summary>The file ends inside a value: it was cut off.</summary>
    public const string Truncated = "report.truncated";
    /// <summary>More JSON after the end of the document.</summary>
    public const string Trailing = "report.trailing";
    /// <summary>A report larger than <see cref="ReportReadOptions.MaxReportBytes"/>.</summary>
    public const string TooLarge = "report.too_large";
    /// <summary>A value of the wrong JSON kind (a number where a string belongs, a report that is not an object).</summary>
    public const string Type = "report.type";
    /// <summary>A property the format does not have (a typo is never dropped silently).</summary>
    public const string UnknownProperty = "report.unknown_property";
    /// <summary>A property given twice in one object.</summary>
    public const string DuplicateProperty = "report.duplicate_property";
    /// <summary>A required property is missing.</summary>
    public const string Missing = "report.missing";
    /// <summary>An empty <c>id</c>.</summary>
    public const string Id = "report.id";
    /// <summary>A <c>time</c> that is not one of its forms, or a date or instant that cannot be read.</summary>
    public const string Time = "report.time";
    /// <summary>A <c>time_zone</c> that is not an IANA zone, <c>UTC</c> or an offset such as <c>+03:00</c>.</summary>
    public const string TimeZone = "report.time_zone";
    /// <summary>A latitude out of range.</summary>
    public const string Latitude = "report.latitude";
    /// <summary>A longitude out of range.</summary>
    public const string Longitude = "report.longitude";
    /// <summary>A location <c>precision</c> that is not exact, settlement or region.</summary>
    public const string Precision = "report.precision";
    /// <summary>A <c>radius_km</c> that is negative or larger than half the Earth's circumference.</summary>
    public const string Radius = "report.radius";
    /// <summary>An <c>act</c> that is neither an act kind code nor an ACLED sub-event type.</summary>
    public const string Act = "report.act";
    /// <summary>A <c>target</c> that is not a target category code.</summary>
    public const string Target = "report.target";
    /// <summary>A <c>perpetrator</c> that is not a party code.</summary>
    public const string Perpetrator = "report.perpetrator";
    /// <summary>A <c>grade</c> that is not an Admiralty grade.</summary>
    public const string Grade = "report.grade";
    /// <summary>A link that is not an absolute URL.</summary>
    public const string Link = "report.link";
    /// <summary>Casualty figures that are not whole numbers from 0, or out of order.</summary>
    public const string Casualties = "report.casualties";
    /// <summary>A string that is not valid UTF-8.</summary>
    public const string Encoding = "report.encoding";
}

/// <summary>
/// Reads the project's own report format (see <c>docs/report-format.md</c> and <c>docs/report.schema.json</c>), what the
/// web form and the API post: a document <c>{ "reports": [ ... ] }</c>, a single report object, or JSON Lines (one
/// report per line), into incidents, streaming: the document is read with <see cref="Utf8JsonReader"/> over a window
/// of the file, one report at a time, so memory stays bounded by the largest report, whatever the size of the file.
/// Stateless and thread-safe.
/// </summary>
/// <remarks>
/// <para><b>Strict.</b> Unknown properties are errors (with a "did you mean" when a known name is close), as are
/// duplicate properties, values of the wrong JSON kind and missing required fields (<c>id</c>, <c>time</c>,
/// <c>location</c>, <c>act</c>). Each error names the file, the line and column of the offending value, its JSON path
/// (<c>$.reports[3].location.lat</c>) and a code from <see cref="ReportCodes"/>, and quotes the value.</para>
/// <para><b>Errors are values.</b> A bad report is rejected and kept verbatim (its exact text) as a
/// <see cref="RejectedRow"/> at the line where it starts; the others are read. Malformed JSON stops a document where it
/// is (the reports before it are kept; the broken one is rejected with the text read so far); in JSON Lines it rejects
/// only its line.</para>
/// <para><b>Meaning.</b> Without <c>target</c> the target is inferred from <c>notes</c> by <see cref="TargetClassifier"/>;
/// <c>"target": "unknown"</c> says that nothing is known and stops the inference. Without <c>perpetrator</c> the
/// perpetrator is <c>actor</c> through <see cref="ReadOptions.ActorMap"/>; <c>"perpetrator": null</c> says it is
/// undetermined. A missing <c>grade</c> is F6 (not assessed); a missing location <c>precision</c> is exact.</para>
/// </remarks>
public static class ReportJsonReader
{
    /// <summary>Reads the file at <paramref name="path"/> into incidents (all in memory; see <see cref="ReadRecords(string, ReportReadOptions, CancellationToken)"/> to stream).</summary>
    /// <param name="path">The file; errors name it as given. Its extension decides the layout under <see cref="ReportJsonLayout.Auto"/>.</param>
    /// <param name="options">How to read; <see cref="ReportReadOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the read between reports (<see cref="OperationCanceledException"/>).</param>
    /// <returns>The accepted incidents, errors, rejected reports (verbatim) and counts; never throws for bad input.</returns>
    public static AcledReadResult<IReadOnlyList<Incident>> ReadIncidents(string path, ReportReadOptions? options = null, CancellationToken cancellationToken = default) =>
        InputRecords.Collect(ReadRecords(path, options, cancellationToken));

    /// <summary>Reads reports from <paramref name="stream"/> (named <paramref name="fileName"/> in errors) into incidents.</summary>
    /// <param name="stream">The JSON; read to its end, not closed.</param>
    /// <param name="fileName">The name errors give as the file; its extension decides the layout under <see cref="ReportJsonLayout.Auto"/>.</param>
    /// <param name="options">How to read; <see cref="ReportReadOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the read between reports (<see cref="OperationCanceledException"/>).</param>
    /// <returns>The accepted incidents, errors, rejected reports (verbatim) and counts; never throws for bad input.</returns>
    public static AcledReadResult<IReadOnlyList<Incident>> ReadIncidents(Stream stream, string fileName, ReportReadOptions? options = null, CancellationToken cancellationToken = default) =>
        InputRecords.Collect(ReadRecords(stream, fileName, options, cancellationToken));

    /// <summary>Streams the reports of the file at <paramref name="path"/>, one <see cref="InputRecord"/> each, as they are read.</summary>
    /// <param name="path">The file; opened when enumeration starts, closed when it ends.</param>
    /// <param name="options">How to read; <see cref="ReportReadOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the read between reports (<see cref="OperationCanceledException"/>).</param>
    public static IEnumerable<InputRecord> ReadRecords(string path, ReportReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        return JsonInput.ReadFile(path, ReportCodes.File, s => ReadRecords(s, path, options, cancellationToken));
    }

    /// <summary>Streams the reports of <paramref name="stream"/>, one <see cref="InputRecord"/> each, as they are read.</summary>
    /// <param name="stream">The JSON; read to its end, not closed.</param>
    /// <param name="fileName">The name errors give as the file.</param>
    /// <param name="options">How to read; <see cref="ReportReadOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Stops the read between reports (<see cref="OperationCanceledException"/>).</param>
    public static IEnumerable<InputRecord> ReadRecords(Stream stream, string fileName, ReportReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(fileName);
        options ??= ReportReadOptions.Default;
        var layout = options.Layout;
        if (layout == ReportJsonLayout.Auto)
        {
            var extension = Path.GetExtension(fileName);
            layout = extension.Equals(".jsonl", StringComparison.OrdinalIgnoreCase) || extension.Equals(".ndjson", StringComparison.OrdinalIgnoreCase)
                ? ReportJsonLayout.Lines
                : ReportJsonLayout.Document;
        }
        return layout == ReportJsonLayout.Lines
            ? ReadLines(stream, fileName, options, cancellationToken)
            : JsonInput.ReadUtf8(stream, fileName, options, utf8 => ReadDocument(utf8, fileName, options, cancellationToken));
    }

    private static IEnumerable<InputRecord> ReadDocument(Stream utf8, string file, ReportReadOptions options, CancellationToken cancellationToken)
    {
        var reader = new DocumentReader(new JsonCursor(utf8, options.MaxReportBytes), new ReportParser(file, options), file);
        var n = 0;
        while (reader.Next(out var record))
        {
            if ((++n & 255) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            yield return record;
        }
    }

    private static IEnumerable<InputRecord> ReadLines(Stream stream, string file, ReportReadOptions options, CancellationToken cancellationToken)
    {
        var parser = new ReportParser(file, options);
        var seen = false;
        foreach (var line in options.Encoding.ReadLines(stream, file, options.MaxReportBytes, cancellationToken))
        {
            if (line.Error is { Code: EncodingCodes.LineTooLong } tooLong)
            {
                yield return InputRecord.Problem(tooLong with { Code = ReportCodes.TooLarge });
                yield break;
            }
            if (string.IsNullOrWhiteSpace(line.Text) && line.Error is null)
            {
                continue;
            }
            seen = true;
            if (line.Error is { } decoding)
            {
                yield return InputRecord.Reject(new RejectedRow(line.Number, line.Text), [decoding]);
                continue;
            }
            var bytes = System.Text.Encoding.UTF8.GetBytes(line.Text);
            yield return parser.ParseReport(bytes, line.Number, 1, "$", line.Text, lineMode: true);
        }
        if (!seen)
        {
            yield return InputRecord.Problem(new ImportError(file, 0, 0, "$", ReportCodes.Empty, ReportMessages.Empty));
        }
    }

    /// <summary>Walks a document: <c>{ "$schema": ..., "reports": [ ... ] }</c> or a single report object.</summary>
    private sealed class DocumentReader(JsonCursor cursor, ReportParser parser, string file)
    {
        private enum Phase
        {
            Start,
            Members,
            Reports,
            Trailing,
            Done,
        }

        private Phase _phase = Phase.Start;
        private string? _pendingName;
        private long _pendingOffset;
        private int _index;
        private bool _sawReports;
        private readonly Queue<InputRecord> _queue = new();

        public bool Next(out InputRecord record)
        {
            while (_queue.Count == 0 && _phase != Phase.Done)
            {
                try
                {
                    Step();
                }
                catch (JsonCursorException e)
                {
                    Fail(e);
                }
            }
            return _queue.TryDequeue(out record!);
        }

        private void Step()
        {
            switch (_phase)
            {
                case Phase.Start:
                    Start();
                    break;
                case Phase.Members:
                    Member();
                    break;
                case Phase.Reports:
                    Element();
                    break;
                case Phase.Trailing:
                    _phase = Phase.Done;
                    try
                    {
                        if (cursor.Next(out _, out var offset, out _))
                        {
                            Problem(offset, "$", ReportCodes.Trailing, ReportMessages.Trailing);
                        }
                    }
                    catch (JsonCursorException e) when (e.Code == ReportCodes.Syntax)
                    {
                        Problem(e.Offset, "$", ReportCodes.Trailing, ReportMessages.Trailing);
                    }
                    break;
            }
        }

        private void Start()
        {
            cursor.Mark();
            if (cursor.AtEndOfInput() || !cursor.Next(out var type, out var offset, out _))
            {
                _queue.Enqueue(InputRecord.Problem(new ImportError(file, 0, 0, "$", ReportCodes.Empty, ReportMessages.Empty)));
                _phase = Phase.Done;
                return;
            }
            if (type != JsonTokenType.StartObject)
            {
                Problem(offset, "$", ReportCodes.Type, ReportMessages.NotADocument(Kind(type)));
                _phase = Phase.Done;
                return;
            }
            cursor.Next(out var second, out var nameOffset, out var name);
            if (second == JsonTokenType.PropertyName && name is "reports" or "$schema")
            {
                cursor.Unmark();
                (_pendingName, _pendingOffset) = (name, nameOffset);
                _phase = Phase.Members;
                return;
            }
            // A single report: read it again, whole.
            cursor.Reset();
            cursor.NextValue(out _, out var start, out var slice);
            var (line, column) = cursor.Locate(start);
            _queue.Enqueue(parser.ParseReport(slice, line, column, "$", null, lineMode: false));
            _phase = Phase.Trailing;
        }

        private void Member()
        {
            string? name;
            long offset;
            if (_pendingName is not null)
            {
                (name, offset) = (_pendingName, _pendingOffset);
                _pendingName = null;
            }
            else
            {
                cursor.Next(out var type, out offset, out name);
                if (type == JsonTokenType.EndObject)
                {
                    if (!_sawReports)
                    {
                        Problem(offset, "$.reports", ReportCodes.Missing, ReportMessages.NoReports);
                    }
                    _phase = Phase.Trailing;
                    return;
                }
            }
            switch (name)
            {
                case "reports":
                    _sawReports = true;
                    cursor.Next(out var open, out var at, out _);
                    if (open == JsonTokenType.StartArray)
                    {
                        _phase = Phase.Reports;
                        return;
                    }
                    Problem(at, "$.reports", ReportCodes.Type, ReportMessages.ReportsNotArray(Kind(open)));
                    if (open is JsonTokenType.StartObject)
                    {
                        cursor.SkipRest();
                    }
                    return;
                case "$schema":
                    cursor.NextValue(out var schemaType, out var schemaAt, out _);
                    if (schemaType != JsonTokenType.String)
                    {
                        Problem(schemaAt, "$.$schema", ReportCodes.Type, ReportMessages.SchemaNotString);
                    }
                    return;
                default:
                    Problem(offset, $"$.{name}", ReportCodes.UnknownProperty, ReportMessages.UnknownDocumentProperty(name!));
                    cursor.NextValue(out _, out _, out _);
                    return;
            }
        }

        private void Element()
        {
            cursor.NextValue(out var type, out var offset, out var slice);
            if (type == JsonTokenType.EndArray)
            {
                _phase = Phase.Members;
                return;
            }
            var path = $"$.reports[{_index++}]";
            var (line, column) = cursor.Locate(offset);
            _queue.Enqueue(parser.ParseReport(slice, line, column, path, null, lineMode: false));
        }

        private void Fail(JsonCursorException e)
        {
            var path = _phase == Phase.Reports ? $"$.reports[{_index}]" : "$";
            _phase = Phase.Done;
            if (e.ValueStart is { } start && e.ValueText is { } text)
            {
                var (line, _) = cursor.Locate(start);
                var (errorLine, errorColumn) = cursor.Locate(Math.Max(start, e.Offset));
                var error = new ImportError(file, errorLine, errorColumn, path, e.Code, e.Message);
                _queue.Enqueue(InputRecord.Reject(new RejectedRow(line, text), [error]));
                return;
            }
            var (l, c) = cursor.Locate(e.Offset);
            _queue.Enqueue(InputRecord.Problem(new ImportError(file, l, c, path, e.Code, e.Message)));
        }

        private void Problem(long offset, string path, string code, string message)
        {
            var (line, column) = cursor.Locate(offset);
            _queue.Enqueue(InputRecord.Problem(new ImportError(file, line, column, path, code, message)));
        }
    }

    internal static string Kind(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => type.ToString(),
    };
}

/// <summary>Opening files and streams for the JSON readers: file errors as values, UTF-16 and other encodings decoded to UTF-8.</summary>
internal static class JsonInput
{
    public static IEnumerable<InputRecord> ReadFile(string path, string code, Func<Stream, IEnumerable<InputRecord>> read)
    {
        FileStream? stream = null;
        ImportError? error = null;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            error = new ImportError(path, 0, 0, "", code, ReportMessages.CannotOpen(e.Message));
        }
        if (stream is null)
        {
            yield return InputRecord.Problem(error!);
            yield break;
        }
        using (stream)
        {
            foreach (var record in read(stream))
            {
                yield return record;
            }
        }
    }

    /// <summary>
    /// Gives <paramref name="read"/> the stream as UTF-8: as it is when it is UTF-8 (a byte-order mark is skipped by the
    /// cursor), else through <see cref="InputEncoding.TranscodeToUtf8Stream"/>, whose decoding error, if any, comes last.
    /// </summary>
    public static IEnumerable<InputRecord> ReadUtf8(Stream stream, string file, ReportReadOptions options, Func<Stream, IEnumerable<InputRecord>> read)
    {
        var head = new byte[4];
        var n = 0;
        int got;
        while (n < head.Length && (got = stream.Read(head, n, head.Length - n)) > 0)
        {
            n += got;
        }
        var prefixed = new PrefixedStream(head.AsMemory(0, n), stream);
        var detected = options.Encoding.Detect(head.AsSpan(0, n));
        if (detected.Name == "utf-8")
        {
            foreach (var record in read(prefixed))
            {
                yield return record;
            }
            yield break;
        }
        using var utf8 = options.Encoding.TranscodeToUtf8Stream(prefixed, file, leaveOpen: true);
        foreach (var record in read(utf8))
        {
            if (utf8.Errors.Count > 0 && record.Kind == InputRecordKind.Problem &&
                record.Errors[0].Code is ReportCodes.Truncated or ReportCodes.Syntax)
            {
                // The JSON looks cut off because decoding stopped; the decoding error says why.
                continue;
            }
            yield return record;
        }
        foreach (var e in utf8.Errors)
        {
            yield return InputRecord.Problem(e);
        }
    }

    /// <summary>A few bytes already read, then the rest of a stream.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.IsEmpty)
            {
                return rest.Read(buffer);
            }
            var n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

/// <summary>Malformed or oversized JSON met by <see cref="JsonCursor"/>, at an absolute byte offset.</summary>
internal sealed class JsonCursorException(string code, string message, long offset, long? valueStart, string? valueText) : Exception(message)
{
    public string Code { get; } = code;
    public long Offset { get; } = offset;

    /// <summary>Where the value being read when the problem was met starts, if known.</summary>
    public long? ValueStart { get; } = valueStart;

    /// <summary>That value's text as far as it was read (to keep as a rejected record).</summary>
    public string? ValueText { get; } = valueText;
}

/// <summary>
/// Reads a JSON text token by token, or value by value, through a window of the stream (<see cref="Utf8JsonReader"/>
/// with <see cref="JsonReaderState"/> carried across refills), so only the current value need fit in memory. Knows the
/// line and column (in characters) of every byte offset it has passed, provided they are asked for in increasing
/// order. Offsets are counted from after a UTF-8 byte-order mark. Throws <see cref="JsonCursorException"/> on malformed
/// JSON. Not thread-safe.
/// </summary>
internal sealed class JsonCursor
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Disallow };

    private readonly Stream _stream;
    private readonly int _maxValueBytes;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _atEnd;
    private bool _started;
    private long _bufferOffset;
    private JsonReaderState _state = new(ReaderOptions);
    private long _mark = -1;
    private JsonReaderState _markState;
    private long _counted;
    private long _lineStart;
    private int _line = 1;
    private int _column = 1;

    public JsonCursor(Stream stream, int maxValueBytes)
    {
        _stream = stream;
        _maxValueBytes = maxValueBytes;
    }

    /// <summary>The next token: its type, absolute offset and, for a property name or string, its text.</summary>
    public bool Next(out JsonTokenType type, out long offset, out string? text)
    {
        while (true)
        {
            var reader = Reader();
            bool read;
            try
            {
                read = reader.Read();
            }
            catch (JsonException e)
            {
                throw Syntax(e, reader.CurrentDepth, null);
            }
            if (read)
            {
                type = reader.TokenType;
                offset = Absolute(reader.TokenStartIndex);
                text = type is JsonTokenType.PropertyName or JsonTokenType.String ? GetString(ref reader, offset) : null;
                Commit(ref reader);
                return true;
            }
            if (_atEnd)
            {
                type = JsonTokenType.None;
                offset = _bufferOffset + _end;
                text = null;
                return false;
            }
            Refill();
        }
    }

    /// <summary>
    /// The next whole value: an object or array with everything inside it, or a scalar; or the end of the enclosing
    /// object or array (<see cref="JsonTokenType.EndObject"/>, <see cref="JsonTokenType.EndArray"/>). The type is that of
    /// the value's first token; the bytes are valid until the next call.
    /// </summary>
    public bool NextValue(out JsonTokenType type, out long offset, out ReadOnlyMemory<byte> value)
    {
        while (true)
        {
            var reader = Reader();
            long tokenStart = -1;
            var complete = false;
            try
            {
                if (reader.Read())
                {
                    tokenStart = reader.TokenStartIndex;
                    var first = reader.TokenType;
                    if (first is not (JsonTokenType.StartObject or JsonTokenType.StartArray) || reader.TrySkip())
                    {
                        complete = true;
                        type = first;
                        offset = Absolute(tokenStart);
                        value = _buffer.AsMemory(_start + (int)tokenStart, (int)(reader.BytesConsumed - tokenStart));
                        Commit(ref reader);
                        return true;
                    }
                }
            }
            catch (JsonException e)
            {
                throw Syntax(e, reader.CurrentDepth, tokenStart >= 0 ? Absolute(tokenStart) : FirstNonSpace());
            }
            if (!complete && _atEnd)
            {
                type = JsonTokenType.None;
                offset = _bufferOffset + _end;
                value = default;
                return false;
            }
            Refill();
        }
    }

    /// <summary>True when nothing but white space is left (reads on until it knows).</summary>
    public bool AtEndOfInput()
    {
        EnsureStarted();
        while (true)
        {
            if (_buffer.AsSpan(_start, _end - _start).IndexOfAnyExcept(" \t\r\n"u8) >= 0)
            {
                return false;
            }
            if (_atEnd)
            {
                return true;
            }
            Refill();
        }
    }

    /// <summary>Skips the rest of the object or array just opened by <see cref="Next"/>.</summary>
    public void SkipRest()
    {
        var depth = 1;
        while (depth > 0 && Next(out var type, out _, out _))
        {
            depth += type switch
            {
                JsonTokenType.StartObject or JsonTokenType.StartArray => 1,
                JsonTokenType.EndObject or JsonTokenType.EndArray => -1,
                _ => 0,
            };
        }
    }

    /// <summary>Remembers the current position, so that <see cref="Reset"/> can return to it (the bytes after it are kept).</summary>
    public void Mark()
    {
        EnsureStarted();
        _mark = _bufferOffset + _start;
        _markState = _state;
    }

    /// <summary>Returns to the position of <see cref="Mark"/>.</summary>
    public void Reset()
    {
        _start = (int)(_mark - _bufferOffset);
        _state = _markState;
        _mark = -1;
    }

    /// <summary>Forgets the mark.</summary>
    public void Unmark() => _mark = -1;

    /// <summary>The 1-based line and column (in characters) of an absolute offset; offsets must be asked for in increasing order.</summary>
    public (int Line, int Column) Locate(long offset)
    {
        var from = (int)(_counted - _bufferOffset);
        if (from < 0 || offset < _counted)
        {
            return (_line, _column);
        }
        var to = (int)Math.Min(offset - _bufferOffset, _end);
        for (var i = from; i < to; i++)
        {
            var b = _buffer[i];
            if (b == '\n')
            {
                _line++;
                _column = 1;
                _lineStart = _bufferOffset + i + 1;
            }
            else if ((b & 0xC0) != 0x80)
            {
                _column++;
            }
        }
        _counted = _bufferOffset + to;
        return (_line, _column);
    }

    private Utf8JsonReader Reader()
    {
        EnsureStarted();
        return new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _atEnd, _state);
    }

    private void EnsureStarted()
    {
        if (_started)
        {
            return;
        }
        _started = true;
        while (_end < 3 && !_atEnd)
        {
            Read();
        }
        if (_buffer.AsSpan(0, _end).StartsWith("\uFEFF"u8))
        {
            // The byte-order mark is not text: offsets, lines and columns count from after it.
            _start = 3;
            _bufferOffset = -3;
        }
    }

    private void Commit(ref Utf8JsonReader reader)
    {
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
    }

    private long Absolute(long index) => _bufferOffset + _start + index;

    private long FirstNonSpace()
    {
        var data = _buffer.AsSpan(_start, _end - _start);
        var i = data.IndexOfAnyExcept(" \t\r\n"u8);
        return Absolute(i < 0 ? data.Length : i);
    }

    private string GetString(ref Utf8JsonReader reader, long offset)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new JsonCursorException(ReportCodes.Encoding, ReportMessages.NotUtf8, offset, null, null);
        }
    }

    /// <summary>Moves the unread bytes (from the mark, if any) to the front and reads more; doubles the buffer when full.</summary>
    private void Refill()
    {
        var keep = _mark >= 0 ? (int)(_mark - _bufferOffset) : _start;
        if (keep > 0)
        {
            Locate(_bufferOffset + keep);
            _buffer.AsSpan(keep, _end - keep).CopyTo(_buffer);
            _bufferOffset += keep;
            _start -= keep;
            _end -= keep;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length > _maxValueBytes)
            {
                throw new JsonCursorException(ReportCodes.TooLarge, ReportMessages.TooLarge(_maxValueBytes), FirstNonSpace(), null, null);
            }
            Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, _maxValueBytes + 1L));
        }
        Read();
    }

    private void Read()
    {
        var n = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0)
        {
            _atEnd = true;
        }
        _end += n;
    }

    /// <summary>
    /// A syntax error at its absolute offset (the reader's line numbers run on across refills, since the state carries
    /// them). "Truncated" when the file ends inside an object or array with nothing after the error.
    /// </summary>
    private JsonCursorException Syntax(JsonException e, int depth, long? valueStart)
    {
        var offset = Absolute(0);
        if (e.LineNumber is { } line0 && e.BytePositionInLine is { } position)
        {
            Locate(Absolute(0));
            var lineStart = _lineStart;
            var line = _line;
            for (var i = (int)(_counted - _bufferOffset); line < line0 + 1 && i < _end; i++)
            {
                if (_buffer[i] == '\n')
                {
                    line++;
                    lineStart = _bufferOffset + i + 1;
                }
            }
            offset = Math.Min(lineStart + position, _bufferOffset + _end);
        }
        var at = (int)Math.Clamp(offset - _bufferOffset, 0, _end);
        var rest = _buffer.AsSpan(at, _end - at).Trim(" \t\r\n"u8);
        var truncated = _atEnd && (depth > 0 || valueStart is not null) && rest.Length <= 1;
        string? text = null;
        if (valueStart is { } s && s - _bufferOffset >= 0)
        {
            var from = (int)(s - _bufferOffset);
            var lineEnd = _buffer.AsSpan(at, _end - at).IndexOf((byte)'\n');
            var to = truncated || lineEnd < 0 ? _end : at + lineEnd;
            text = System.Text.Encoding.UTF8.GetString(_buffer.AsSpan(from, Math.Max(0, to - from))).TrimEnd('\r', '\n');
        }
        return truncated
            ? new JsonCursorException(ReportCodes.Truncated, ReportMessages.Truncated, offset, valueStart, text)
            : new JsonCursorException(ReportCodes.Syntax, ReportMessages.Syntax(Detail(e.Message)), offset, valueStart, text);
    }

    /// <summary>The reader's message without its own position (ours is more useful).</summary>
    internal static string Detail(string message)
    {
        var i = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (i < 0 ? message : message[..i]).TrimEnd();
    }
}

/// <summary>
/// Parses report objects (a document's element, a JSON Lines line, the properties of a GeoJSON feature) into incidents.
/// Errors carry line and column computed from the start of the object's bytes. One per read; not thread-safe.
/// </summary>
internal sealed class ReportParser(string file, ReportReadOptions options)
{
    internal static readonly string[] ReportProperties =
        ["id", "time", "location", "act", "target", "perpetrator", "actor", "claimant", "source", "grade", "links", "notes", "casualties", "attributes"];

    internal static readonly string[] FeatureProperties =
        ["id", "time", "precision", "radius_km", "place", "act", "target", "perpetrator", "actor", "claimant", "source", "grade", "links", "notes", "casualties", "attributes"];

    internal static readonly string[] TimeProperties = ["at", "date", "from", "to", "earliest", "latest", "precision", "time_zone"];
    internal static readonly string[] LocationProperties = ["lon", "lat", "precision", "radius_km", "place"];
    internal static readonly string[] CasualtyProperties = ["low", "best", "high"];
    internal static readonly string[] TargetProperties = ["category", "basis", "evidence"];

    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Zones = new(StringComparer.Ordinal);

    private ReadOnlyMemory<byte> _slice;
    private int _line;
    private int _column;
    private List<ImportError> _errors = [];

    public string File => file;

    public List<ImportError> Errors => _errors;

    /// <summary>Starts a record: its bytes, and the line and column of its first byte.</summary>
    public void Begin(ReadOnlyMemory<byte> slice, int line, int column)
    {
        _slice = slice;
        _line = line;
        _column = column;
        _errors = [];
    }

    /// <summary>
    /// Parses one report object; rejects it (verbatim: <paramref name="verbatim"/>, or its bytes) with every error found.
    /// In <paramref name="lineMode"/> the bytes may be malformed, and must hold one object and nothing else.
    /// </summary>
    public InputRecord ParseReport(ReadOnlyMemory<byte> slice, int line, int column, string path, string? verbatim, bool lineMode)
    {
        Begin(slice, line, column);
        if (TooLarge(path))
        {
            return InputRecord.Reject(new RejectedRow(line, verbatim ?? System.Text.Encoding.UTF8.GetString(slice.Span)), _errors);
        }
        var reader = new Utf8JsonReader(slice.Span, new JsonReaderOptions { MaxDepth = 64 });
        Incident? incident = null;
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                Error(reader.TokenStartIndex, path, ReportCodes.Type, ReportMessages.ReportNotObject(ReportJsonReader.Kind(reader.TokenType), Show(ref reader)));
                reader.Skip();
            }
            else
            {
                var fields = new ReportFields { Offset = reader.TokenStartIndex };
                ParseMembers(ref reader, fields, path, geo: false);
                if (_errors.Count == 0)
                {
                    incident = Build(fields, path, null);
                }
            }
            if (lineMode && reader.Read())
            {
                Error(reader.TokenStartIndex, path, ReportCodes.Trailing, ReportMessages.TextAfterReport);
            }
        }
        catch (JsonException e)
        {
            var (l, c) = SyntaxPosition(e);
            _errors.Add(new ImportError(file, l, c, path, ReportCodes.Syntax, ReportMessages.Syntax(Detail(e.Message))));
        }
        if (incident is not null && _errors.Count == 0)
        {
            return InputRecord.Accepted(incident);
        }
        return InputRecord.Reject(new RejectedRow(line, verbatim ?? System.Text.Encoding.UTF8.GetString(slice.Span)), _errors);
    }

    /// <summary>True (after an error) when the current record is larger than <see cref="ReportReadOptions.MaxReportBytes"/>.</summary>
    public bool TooLarge(string path)
    {
        if (_slice.Length <= options.MaxReportBytes)
        {
            return false;
        }
        Error(0, path, ReportCodes.TooLarge, ReportMessages.TooLarge(options.MaxReportBytes));
        return true;
    }

    /// <summary>
    /// Reads the members of a report object (the reader is on its <see cref="JsonTokenType.StartObject"/>; it ends on
    /// the matching end). With <paramref name="geo"/>, the members of a GeoJSON feature's properties: no
    /// <c>location</c>; <c>precision</c>, <c>radius_km</c> and <c>place</c> instead.
    /// </summary>
    public void ParseMembers(ref Utf8JsonReader r, ReportFields f, string path, bool geo)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var at = r.TokenStartIndex;
            var name = Name(ref r);
            r.Read();
            var p = $"{path}.{name}";
            if (!seen.Add(name))
            {
                Error(at, p, ReportCodes.DuplicateProperty, ReportMessages.Duplicate(name));
                r.Skip();
                continue;
            }
            switch (name)
            {
                case "id":
                    f.Id = String(ref r, p, nullable: false);
                    f.IdOffset = r.TokenStartIndex;
                    if (f.Id is { } id && string.IsNullOrWhiteSpace(id))
                    {
                        Error(r.TokenStartIndex, p, ReportCodes.Id, ReportMessages.EmptyId);
                    }
                    break;
                case "time":
                    f.TimeSeen = true;
                    f.Time = Time(ref r, p);
                    break;
                case "location" when !geo:
                    f.LocationSeen = true;
                    Location(ref r, p, f);
                    break;
                case "precision" when geo:
                    f.Precision = Precision(ref r, p);
                    break;
                case "radius_km" when geo:
                    f.RadiusKm = Radius(ref r, p);
                    break;
                case "place" when geo:
                    f.Place = String(ref r, p, nullable: true);
                    break;
                case "act":
                    f.ActSeen = true;
                    f.Act = Act(ref r, p);
                    break;
                case "target":
                    if (r.TokenType != JsonTokenType.Null)
                    {
                        f.TargetSeen = true;
                        f.Target = Target(ref r, p);
                    }
                    break;
                case "perpetrator":
                    f.PerpetratorSeen = true;
                    f.Perpetrator = Perpetrator(ref r, p);
                    break;
                case "actor":
                    f.Actor = String(ref r, p, nullable: true);
                    break;
                case "claimant":
                    f.Claimant = String(ref r, p, nullable: true);
                    break;
                case "source":
                    f.Source = String(ref r, p, nullable: true);
                    break;
                case "notes":
                    f.Notes = String(ref r, p, nullable: true);
                    break;
                case "grade":
                    f.Grade = Grade(ref r, p);
                    break;
                case "links":
                    f.Links = Links(ref r, p);
                    break;
                case "casualties":
                    f.Casualties = Casualties(ref r, p);
                    break;
                case "attributes":
                    f.Attributes = Attributes(ref r, p);
                    break;
                default:
                    Unknown(at, p, name, geo ? FeatureProperties : ReportProperties, geo ? "the properties of a report feature" : "a report");
                    r.Skip();
                    break;
            }
        }
    }

    /// <summary>
    /// The incident of parsed fields, or null after reporting what is missing. <paramref name="point"/> is the
    /// location of a GeoJSON feature (longitude, latitude; its precision and radius are in the fields).
    /// </summary>
    public Incident? Build(ReportFields f, string path, (double Lon, double Lat)? point)
    {
        if (f.Id is null && f.IdOffset < 0)
        {
            Error(f.Offset, $"{path}.id", ReportCodes.Missing, ReportMessages.Missing("id", "a string, such as \"CFM-2025-0007\""));
        }
        if (!f.TimeSeen)
        {
            Error(f.Offset, $"{path}.time", ReportCodes.Missing, ReportMessages.Missing("time", "{ \"at\": \"2025-03-28T10:20:00+03:00\" } or { \"date\": \"2025-04-17\" }"));
        }
        if (!f.LocationSeen && point is null)
        {
            Error(f.Offset, $"{path}.location", ReportCodes.Missing, ReportMessages.Missing("location", "{ \"lon\": 36.23, \"lat\": 49.99, \"precision\": \"settlement\" }"));
        }
        if (!f.ActSeen)
        {
            Error(f.Offset, $"{path}.act", ReportCodes.Missing, ReportMessages.Missing("act", "an act kind code such as \"air_drone_strike\", or \"unknown\""));
        }
        if (_errors.Count > 0 || f.Id is null || f.Time is not { } time || f.Act is not { } act)
        {
            return null;
        }
        var (lon, lat) = point ?? (f.Lon!.Value, f.Lat!.Value);
        var precision = f.Precision ?? LocationPrecision.Exact;
        var location = new IncidentLocation(lon, lat, precision, f.RadiusKm * 1000, f.Place);
        var perpetrator = f.PerpetratorSeen ? f.Perpetrator : f.Actor is { } actor ? options.ActorMap.Resolve(actor) : null;
        var target = f.TargetSeen ? f.Target! : f.Notes is { } notes ? TargetClassifier.Infer(notes) : TargetInference.None;
        return new Incident(new IncidentId(f.Id), time, location, act, target, perpetrator, f.Actor, f.Claimant, f.Source,
            f.Grade ?? SourceGrade.Unassessed, f.Links, f.Notes, f.Casualties, f.Attributes);
    }

    private IncidentTime? Time(ref Utf8JsonReader r, string path)
    {
        if (!Expect(ref r, JsonTokenType.StartObject, path, "an object such as { \"at\": \"2025-03-28T10:20:00+03:00\" }"))
        {
            return null;
        }
        var objectAt = r.TokenStartIndex;
        var values = new Dictionary<string, (string Text, long At)>(StringComparer.Ordinal);
        var ok = true;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var at = r.TokenStartIndex;
            var name = Name(ref r);
            r.Read();
            var p = $"{path}.{name}";
            if (Array.IndexOf(TimeProperties, name) < 0)
            {
                Unknown(at, p, name, TimeProperties, "a time");
                r.Skip();
                ok = false;
                continue;
            }
            var text = String(ref r, p, nullable: false);
            if (text is null)
            {
                ok = false;
            }
            else if (!values.TryAdd(name, (text, r.TokenStartIndex)))
            {
                Error(at, p, ReportCodes.DuplicateProperty, ReportMessages.Duplicate(name));
                ok = false;
            }
        }
        if (!ok)
        {
            return null;
        }

        var forms = (values.ContainsKey("at") ? 1 : 0) + (values.ContainsKey("date") ? 1 : 0) +
                    (values.ContainsKey("from") || values.ContainsKey("to") ? 1 : 0) +
                    (values.ContainsKey("earliest") || values.ContainsKey("latest") ? 1 : 0);
        if (forms != 1)
        {
            Error(objectAt, path, ReportCodes.Time, ReportMessages.TimeForms);
            return null;
        }
        TimeZoneInfo? zone = null;
        if (values.TryGetValue("time_zone", out var tz))
        {
            zone = ResolveZone(tz.Text);
            if (zone is null)
            {
                Error(tz.At, $"{path}.time_zone", ReportCodes.TimeZone, ReportMessages.TimeZone(tz.Text));
                return null;
            }
        }
        values.TryGetValue("precision", out var precision);

        if (values.TryGetValue("at", out var instant))
        {
            if (precision.Text is not (null or "instant" or "hour"))
            {
                Error(precision.At, $"{path}.precision", ReportCodes.Time, ReportMessages.InstantPrecision(precision.Text));
                return null;
            }
            if (Instant(instant.Text, zone, instant.At, $"{path}.at") is not { } t)
            {
                return null;
            }
            if (precision.Text == "hour")
            {
                if (t.Ticks % TimeSpan.TicksPerHour != 0)
                {
                    Error(instant.At, $"{path}.at", ReportCodes.Time, ReportMessages.NotOnTheHour(instant.Text));
                    return null;
                }
                return IncidentTime.Hour(t);
            }
            return IncidentTime.At(t);
        }
        zone ??= options.TimeZone;
        if (values.TryGetValue("date", out var date))
        {
            if (Date(date.Text, date.At, $"{path}.date") is not { } day)
            {
                return null;
            }
            switch (precision.Text)
            {
                case null or "day":
                    return IncidentTime.Day(day, zone);
                case "week":
                    return IncidentTime.Week(day, zone);
                case "month":
                    return IncidentTime.Month(day, zone);
                default:
                    Error(precision.At, $"{path}.precision", ReportCodes.Time, ReportMessages.DatePrecision(precision.Text));
                    return null;
            }
        }
        if (values.ContainsKey("from") || values.ContainsKey("to"))
        {
            if (!values.TryGetValue("from", out var from) || !values.TryGetValue("to", out var to))
            {
                Error(objectAt, path, ReportCodes.Time, ReportMessages.FromAndTo);
                return null;
            }
            if (precision.Text is not (null or "day"))
            {
                Error(precision.At, $"{path}.precision", ReportCodes.Time, ReportMessages.RangePrecision(precision.Text));
                return null;
            }
            var first = Date(from.Text, from.At, $"{path}.from");
            var last = Date(to.Text, to.At, $"{path}.to");
            if (first is null || last is null)
            {
                return null;
            }
            if (last < first)
            {
                Error(to.At, $"{path}.to", ReportCodes.Time, ReportMessages.ToBeforeFrom(to.Text, from.Text));
                return null;
            }
            return IncidentTime.Days(first.Value, last.Value, zone);
        }
        // earliest/latest: the stored form of any time.
        if (!values.TryGetValue("earliest", out var earliest) || !values.TryGetValue("latest", out var latest) || precision.Text is null)
        {
            Error(objectAt, path, ReportCodes.Time, ReportMessages.EarliestAndLatest);
            return null;
        }
        if (values.ContainsKey("time_zone"))
        {
            Error(tz.At, $"{path}.time_zone", ReportCodes.Time, ReportMessages.ZoneWithRange);
            return null;
        }
        var e = Instant(earliest.Text, null, earliest.At, $"{path}.earliest");
        var l = Instant(latest.Text, null, latest.At, $"{path}.latest");
        if (e is null || l is null)
        {
            return null;
        }
        TimePrecision? stored = precision.Text switch
        {
            "instant" => TimePrecision.Instant,
            "hour" => TimePrecision.Hour,
            "day" => TimePrecision.Day,
            "week" => TimePrecision.Week,
            "month" => TimePrecision.Month,
            _ => null,
        };
        if (stored is not { } p2)
        {
            Error(precision.At, $"{path}.precision", ReportCodes.Time, ReportMessages.RangePrecisionAny(precision.Text));
            return null;
        }
        try
        {
            return IncidentTime.FromRange(e.Value, l.Value, p2);
        }
        catch (ArgumentException)
        {
            Error(latest.At, $"{path}.latest", ReportCodes.Time, ReportMessages.BadRange(earliest.Text, latest.Text, precision.Text));
            return null;
        }
    }

    /// <summary>An ISO 8601 date and time; with an offset (or Z), or local in <paramref name="zone"/> (which must then be given).</summary>
    private DateTimeOffset? Instant(string text, TimeZoneInfo? zone, long at, string path)
    {
        var s = text.Length > 10 && text[10] == ' ' ? string.Concat(text.AsSpan(0, 10), "T", text.AsSpan(11)) : text;
        var timePart = s.Length > 10 ? s.AsSpan(11) : default;
        var hasOffset = timePart.EndsWith("Z") || timePart.EndsWith("z") || timePart.IndexOfAny('+', '-') >= 0;
        if (hasOffset)
        {
            var normal = s.EndsWith('Z') || s.EndsWith('z') ? s[..^1] + "+00:00" : s;
            if (DateTimeOffset.TryParseExact(normal, ["yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz"],
                    CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
            {
                return withOffset;
            }
            Error(at, path, ReportCodes.Time, ReportMessages.Instant(text));
            return null;
        }
        if (!DateTime.TryParseExact(s, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            Error(at, path, ReportCodes.Time, ReportMessages.Instant(text));
            return null;
        }
        if (zone is null)
        {
            Error(at, path, ReportCodes.Time, ReportMessages.NoOffset(text));
            return null;
        }
        if (zone.IsInvalidTime(local))
        {
            Error(at, path, ReportCodes.Time, ReportMessages.Skipped(text, zone.Id));
            return null;
        }
        if (zone.IsAmbiguousTime(local))
        {
            Error(at, path, ReportCodes.Time, ReportMessages.Ambiguous(text, zone.Id));
            return null;
        }
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private DateOnly? Date(string text, long at, string path)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }
        Error(at, path, ReportCodes.Time, ReportMessages.Date(text));
        return null;
    }

    /// <summary>An IANA (or Windows) zone id, <c>UTC</c>, or a fixed offset <c>+03:00</c>; null when none of these.</summary>
    internal static TimeZoneInfo? ResolveZone(string id)
    {
        if (Zones.TryGetValue(id, out var known))
        {
            return known;
        }
        var zone = FindZone(id);
        if (zone is not null && Zones.Count < 1024)
        {
            // Only zones that exist are kept: names from input must not grow the cache without bound.
            Zones.TryAdd(id, zone);
        }
        return zone;
    }

    private static TimeZoneInfo? FindZone(string id)
    {
        if (id is "UTC" or "Z" or "Etc/UTC")
        {
            return TimeZoneInfo.Utc;
        }
        if (id.Length == 6 && id[0] is '+' or '-' && id[3] == ':' &&
            TimeSpan.TryParseExact(id.AsSpan(1), "hh\\:mm", CultureInfo.InvariantCulture, out var offset) && offset <= TimeSpan.FromHours(14))
        {
            var signed = id[0] == '-' ? -offset : offset;
            return signed == TimeSpan.Zero ? TimeZoneInfo.Utc : TimeZoneInfo.CreateCustomTimeZone(id, signed, id, id);
        }
        return id.Length is > 0 and < 64 && !id.Contains("..", StringComparison.Ordinal) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
    }

    private void Location(ref Utf8JsonReader r, string path, ReportFields f)
    {
        if (!Expect(ref r, JsonTokenType.StartObject, path, "an object such as { \"lon\": 36.23, \"lat\": 49.99, \"precision\": \"settlement\" }"))
        {
            return;
        }
        var objectAt = r.TokenStartIndex;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var at = r.TokenStartIndex;
            var name = Name(ref r);
            r.Read();
            var p = $"{path}.{name}";
            if (!seen.Add(name))
            {
                Error(at, p, ReportCodes.DuplicateProperty, ReportMessages.Duplicate(name));
                r.Skip();
                continue;
            }
            switch (name)
            {
                case "lon":
                    f.Lon = Coordinate(ref r, p, 180, ReportCodes.Longitude);
                    break;
                case "lat":
                    f.Lat = Coordinate(ref r, p, 90, ReportCodes.Latitude);
                    break;
                case "precision":
                    f.Precision = Precision(ref r, p);
                    break;
                case "radius_km":
                    f.RadiusKm = Radius(ref r, p);
                    break;
                case "place":
                    f.Place = String(ref r, p, nullable: true);
                    break;
                default:
                    Unknown(at, p, name, LocationProperties, "a location");
                    r.Skip();
                    break;
            }
        }
        if (!seen.Contains("lon"))
        {
            Error(objectAt, $"{path}.lon", ReportCodes.Missing, ReportMessages.Missing("lon", "the longitude in decimal degrees"));
        }
        if (!seen.Contains("lat"))
        {
            Error(objectAt, $"{path}.lat", ReportCodes.Missing, ReportMessages.Missing("lat", "the latitude in decimal degrees"));
        }
    }

    private double? Coordinate(ref Utf8JsonReader r, string path, double limit, string code)
    {
        if (!Expect(ref r, JsonTokenType.Number, path, "a number of decimal degrees"))
        {
            return null;
        }
        if (r.TryGetDouble(out var v) && double.IsFinite(v) && Math.Abs(v) <= limit)
        {
            return v;
        }
        var shown = Show(ref r);
        Error(r.TokenStartIndex, path, code, limit == 90 ? ReportMessages.Latitude(shown) : ReportMessages.Longitude(shown));
        return null;
    }

    private LocationPrecision? Precision(ref Utf8JsonReader r, string path)
    {
        var text = String(ref r, path, nullable: true);
        switch (text)
        {
            case null:
                return null;
            case "exact":
                return LocationPrecision.Exact;
            case "settlement":
                return LocationPrecision.Settlement;
            case "region":
                return LocationPrecision.Region;
            default:
                Error(r.TokenStartIndex, path, ReportCodes.Precision, ReportMessages.LocationPrecision(text));
                return null;
        }
    }

    private double? Radius(ref Utf8JsonReader r, string path)
    {
        if (r.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (!Expect(ref r, JsonTokenType.Number, path, "a number of kilometres"))
        {
            return null;
        }
        if (r.TryGetDouble(out var km) && double.IsFinite(km) && km is >= 0 and <= 20_038)
        {
            return km;
        }
        Error(r.TokenStartIndex, path, ReportCodes.Radius, ReportMessages.Radius(Show(ref r)));
        return null;
    }

    private ActKind? Act(ref Utf8JsonReader r, string path)
    {
        var text = String(ref r, path, nullable: false);
        if (text is null)
        {
            return null;
        }
        if (ActKinds.TryParse(text, out var kind))
        {
            return kind;
        }
        if (ActKinds.FromAcledSubEventType(text) is { } acled)
        {
            return acled;
        }
        Error(r.TokenStartIndex, path, ReportCodes.Act, ReportMessages.Act(text));
        return null;
    }

    private TargetInference? Target(ref Utf8JsonReader r, string path)
    {
        if (r.TokenType == JsonTokenType.String)
        {
            var code = String(ref r, path, nullable: false);
            if (code is null)
            {
                return null;
            }
            if (code == "unknown")
            {
                return TargetInference.None;
            }
            if (TargetCategories.TryParse(code, out var category))
            {
                return TargetInference.StatedAs(category, code);
            }
            Error(r.TokenStartIndex, path, ReportCodes.Target, ReportMessages.Target(code));
            return null;
        }
        if (!Expect(ref r, JsonTokenType.StartObject, path, "a target category code such as \"energy.transmission\""))
        {
            return null;
        }
        var objectAt = r.TokenStartIndex;
        string? categoryText = null, basisText = null;
        long categoryAt = 0, basisAt = 0;
        List<string>? evidence = null;
        var ok = true;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var at = r.TokenStartIndex;
            var name = Name(ref r);
            r.Read();
            var p = $"{path}.{name}";
            if (!seen.Add(name))
            {
                Error(at, p, ReportCodes.DuplicateProperty, ReportMessages.Duplicate(name));
                r.Skip();
                ok = false;
                continue;
            }
            switch (name)
            {
                case "category":
                    categoryText = String(ref r, p, nullable: false);
                    categoryAt = r.TokenStartIndex;
                    ok &= categoryText is not null;
                    break;
                case "basis":
                    basisText = String(ref r, p, nullable: false);
                    basisAt = r.TokenStartIndex;
                    ok &= basisText is not null;
                    break;
                case "evidence":
                    evidence = Strings(ref r, p);
                    ok &= evidence is not null;
                    break;
                default:
                    Unknown(at, p, name, TargetProperties, "a target");
                    r.Skip();
                    ok = false;
                    break;
            }
        }
        if (!ok)
        {
            return null;
        }
        if (categoryText is null)
        {
            Error(objectAt, $"{path}.category", ReportCodes.Missing, ReportMessages.Missing("category", "a target category code"));
            return null;
        }
        if (!TargetCategories.TryParse(categoryText, out var cat))
        {
            Error(categoryAt, $"{path}.category", ReportCodes.Target, ReportMessages.Target(categoryText));
            return null;
        }
        switch (basisText)
        {
            case null or "stated":
                return evidence is null ? TargetInference.StatedAs(cat, categoryText) : new TargetInference(cat, TargetBasis.Stated, evidence);
            case "inferred":
                return new TargetInference(cat, TargetBasis.Inferred, evidence ?? []);
            case "unknown":
                return cat.IsUnknown && evidence is null or [] ? TargetInference.None : new TargetInference(cat, TargetBasis.Unknown, evidence ?? []);
            default:
                Error(basisAt, $"{path}.basis", ReportCodes.Target, ReportMessages.Basis(basisText));
                return null;
        }
    }

    private PartyCode? Perpetrator(ref Utf8JsonReader r, string path)
    {
        var text = String(ref r, path, nullable: true);
        if (text is null)
        {
            return null;
        }
        if (PartyCode.IsValid(text))
        {
            return new PartyCode(text);
        }
        Error(r.TokenStartIndex, path, ReportCodes.Perpetrator, ReportMessages.Perpetrator(text));
        return null;
    }

    private SourceGrade? Grade(ref Utf8JsonReader r, string path)
    {
        var text = String(ref r, path, nullable: true);
        if (text is null)
        {
            return null;
        }
        if (SourceGrade.TryParse(text, out var grade) && text.Length == 2)
        {
            return grade;
        }
        Error(r.TokenStartIndex, path, ReportCodes.Grade, ReportMessages.Grade(text));
        return null;
    }

    private List<string>? Links(ref Utf8JsonReader r, string path)
    {
        if (r.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (!Expect(ref r, JsonTokenType.StartArray, path, "an array of URLs"))
        {
            return null;
        }
        var links = new List<string>();
        var i = 0;
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            var p = $"{path}[{i++}]";
            var link = String(ref r, p, nullable: false);
            if (link is null)
            {
                continue;
            }
            if (Uri.TryCreate(link, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                links.Add(link);
            }
            else
            {
                Error(r.TokenStartIndex, p, ReportCodes.Link, ReportMessages.Link(link));
            }
        }
        return links;
    }

    private List<string>? Strings(ref Utf8JsonReader r, string path)
    {
        if (!Expect(ref r, JsonTokenType.StartArray, path, "an array of strings"))
        {
            return null;
        }
        var list = new List<string>();
        var i = 0;
        var ok = true;
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (String(ref r, $"{path}[{i++}]", nullable: false) is { } s)
            {
                list.Add(s);
            }
            else
            {
                ok = false;
            }
        }
        return ok ? list : null;
    }

    private Casualties Casualties(ref Utf8JsonReader r, string path)
    {
        if (r.TokenType == JsonTokenType.Null || !Expect(ref r, JsonTokenType.StartObject, path, "an object such as { \"low\": 2, \"best\": 3, \"high\": 5 }"))
        {
            return default;
        }
        var objectAt = r.TokenStartIndex;
        var figures = new int?[3];
        var ok = true;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var at = r.TokenStartIndex;
            var name = Name(ref r);
            r.Read();
            var p = $"{path}.{name}";
            var index = Array.IndexOf(CasualtyProperties, name);
            if (index < 0)
            {
                Unknown(at, p, name, CasualtyProperties, "casualties");
                r.Skip();
                ok = false;
                continue;
            }
            if (!seen.Add(name))
            {
                Error(at, p, ReportCodes.DuplicateProperty, ReportMessages.Duplicate(name));
                r.Skip();
                ok = false;
                continue;
            }
            if (r.TokenType == JsonTokenType.Null)
            {
                continue;
            }
            if (!Expect(ref r, JsonTokenType.Number, p, "a whole number from 0"))
            {
                ok = false;
                continue;
            }
            if (r.TryGetInt32(out var n) && n >= 0)
            {
                figures[index] = n;
            }
            else
            {
                Error(r.TokenStartIndex, p, ReportCodes.Casualties, ReportMessages.Count(name, Show(ref r)));
                ok = false;
            }
        }
        if (!ok)
        {
            return default;
        }
        var (low, best, high) = (figures[0], figures[1], figures[2]);
        if ((low is { } l && best is { } b && l > b) || (best is { } b2 && high is { } h && b2 > h) || (low is { } l2 && high is { } h2 && l2 > h2))
        {
            Error(objectAt, path, ReportCodes.Casualties, ReportMessages.Order(low, best, high));
            return default;
        }
        return new Casualties(low, best, high);
    }

    private Dictionary<string, string>? Attributes(ref Utf8JsonReader r, string path)
    {
        if (r.TokenType == JsonTokenType.Null || !Expect(ref r, JsonTokenType.StartObject, path, "an object of strings"))
        {
            return null;
        }
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var at = r.TokenStartIndex;
            var name = Name(ref r);
            r.Read();
            var p = $"{path}.{name}";
            var value = String(ref r, p, nullable: false);
            if (value is not null && !attributes.TryAdd(name, value))
            {
                Error(at, p, ReportCodes.DuplicateProperty, ReportMessages.Duplicate(name));
            }
        }
        return attributes;
    }

    /// <summary>The string value at the reader, or null (after an error unless <paramref name="nullable"/> and the value is null).</summary>
    public string? String(ref Utf8JsonReader r, string path, bool nullable)
    {
        if (r.TokenType == JsonTokenType.String)
        {
            try
            {
                return r.GetString();
            }
            catch (InvalidOperationException)
            {
                Error(r.TokenStartIndex, path, ReportCodes.Encoding, ReportMessages.NotUtf8);
                return null;
            }
        }
        if (r.TokenType == JsonTokenType.Null && nullable)
        {
            return null;
        }
        Expect(ref r, JsonTokenType.String, path, nullable ? "a string or null" : "a string");
        return null;
    }

    /// <summary>A property name (the reader is on it).</summary>
    public string Name(ref Utf8JsonReader r)
    {
        try
        {
            return r.GetString()!;
        }
        catch (InvalidOperationException)
        {
            Error(r.TokenStartIndex, "$", ReportCodes.Encoding, ReportMessages.NotUtf8);
            return "\uFFFD";
        }
    }

    /// <summary>True when the reader is on a value of <paramref name="kind"/>; otherwise reports it, skips it and returns false.</summary>
    public bool Expect(ref Utf8JsonReader r, JsonTokenType kind, string path, string expected)
    {
        if (r.TokenType == kind)
        {
            return true;
        }
        Error(r.TokenStartIndex, path, ReportCodes.Type, ReportMessages.WrongKind(expected, ReportJsonReader.Kind(r.TokenType), Show(ref r)));
        r.Skip();
        return false;
    }

    /// <summary>An unknown property, with the closest known name when there is one.</summary>
    public void Unknown(long at, string path, string name, string[] known, string where) =>
        Error(at, path, ReportCodes.UnknownProperty, ReportMessages.Unknown(name, where, Closest(name, known), known));

    /// <summary>The value at the reader as written (an object or array as such), to quote in a message.</summary>
    public static string Show(ref Utf8JsonReader r) => r.TokenType switch
    {
        JsonTokenType.StartObject => "{...}",
        JsonTokenType.StartArray => "[...]",
        JsonTokenType.String => r.ValueSpan.Length > 80 ? System.Text.Encoding.UTF8.GetString(r.ValueSpan[..80]) + "..." : System.Text.Encoding.UTF8.GetString(r.ValueSpan),
        _ => System.Text.Encoding.UTF8.GetString(r.ValueSpan),
    };

    /// <summary>Records an error at a byte offset of the current record.</summary>
    public void Error(long at, string path, string code, string message)
    {
        var (line, column) = Position(at);
        _errors.Add(new ImportError(file, line, column, path, code, message));
    }

    /// <summary>The line and column of a byte offset of the current record.</summary>
    public (int Line, int Column) Position(long at)
    {
        var bytes = _slice.Span[..(int)Math.Clamp(at, 0, _slice.Length)];
        var lastBreak = bytes.LastIndexOf((byte)'\n');
        var line = _line + bytes.Count((byte)'\n');
        var tail = lastBreak < 0 ? bytes : bytes[(lastBreak + 1)..];
        var chars = 0;
        foreach (var b in tail)
        {
            if ((b & 0xC0) != 0x80)
            {
                chars++;
            }
        }
        return (line, lastBreak < 0 ? _column + chars : chars + 1);
    }

    private (int Line, int Column) SyntaxPosition(JsonException e)
    {
        if (e.LineNumber is not { } line || e.BytePositionInLine is not { } position)
        {
            return (_line, _column);
        }
        var data = _slice.Span;
        var start = 0;
        for (var l = 0L; l < line; l++)
        {
            var next = data[start..].IndexOf((byte)'\n');
            start = next < 0 ? data.Length : start + next + 1;
        }
        return Position(Math.Min(data.Length, start + position));
    }

    private static string Detail(string message) => JsonCursor.Detail(message);

    /// <summary>The known name closest to a misspelt one (edit distance at most 2, or one contains the other), if any.</summary>
    private static string? Closest(string name, string[] known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var k in known)
        {
            var d = Distance(name.ToLowerInvariant(), k);
            if (d < bestDistance)
            {
                (best, bestDistance) = (k, d);
            }
        }
        if (bestDistance <= 2 && bestDistance < name.Length)
        {
            return best;
        }
        return known.FirstOrDefault(k => name.Length >= 3 && (k.Contains(name, StringComparison.OrdinalIgnoreCase) || name.Contains(k, StringComparison.OrdinalIgnoreCase)));

        static int Distance(string a, string b)
        {
            var previous = new int[b.Length + 1];
            var current = new int[b.Length + 1];
            for (var j = 0; j <= b.Length; j++)
            {
                previous[j] = j;
            }
            for (var i = 1; i <= a.Length; i++)
            {
                current[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                }
                (previous, current) = (current, previous);
            }
            return previous[b.Length];
        }
    }
}

/// <summary>The fields of one report as parsed, before they become an incident.</summary>
internal sealed class ReportFields
{
    /// <summary>Where the report object starts (relative to the record's bytes), for errors about what it lacks.</summary>
    public long Offset { get; set; }
    public string? Id { get; set; }
    public long IdOffset { get; set; } = -1;
    public bool TimeSeen { get; set; }
    public IncidentTime? Time { get; set; }
    public bool LocationSeen { get; set; }
    public double? Lon { get; set; }
    public double? Lat { get; set; }
    public LocationPrecision? Precision { get; set; }
    public double? RadiusKm { get; set; }
    public string? Place { get; set; }
    public bool ActSeen { get; set; }
    public ActKind? Act { get; set; }
    public bool TargetSeen { get; set; }
    public TargetInference? Target { get; set; }
    public bool PerpetratorSeen { get; set; }
    public PartyCode? Perpetrator { get; set; }
    public string? Actor { get; set; }
    public string? Claimant { get; set; }
    public string? Source { get; set; }
    public string? Notes { get; set; }
    public SourceGrade? Grade { get; set; }
    public List<string>? Links { get; set; }
    public Casualties Casualties { get; set; }
    public Dictionary<string, string>? Attributes { get; set; }
}

/// <summary>The messages of every report import error, in one place.</summary>
internal static class ReportMessages
{
    public const string Empty = "The file is empty: it holds no report.";
    public const string Truncated = "The file ends in the middle of a JSON value: it looks cut off. The reports before this point were read.";
    public const string NoReports = "The document has no 'reports' array.";
    public const string SchemaNotString = "'$schema' must be a string (the URL of the schema).";
    public const string NotUtf8 = "The text is not valid UTF-8; JSON files are UTF-8 (or UTF-16 with a byte-order mark).";
    public const string EmptyId = "The id is empty.";
    public const string TextAfterReport = "Text follows the report on this line; JSON Lines holds one report object per line.";
    public const string TimeForms =
        "Give exactly one of: 'at' (an instant), 'date' (a day, week or month), 'from' and 'to' (consecutive days), or 'earliest' and 'latest' (a stored range).";
    public const string FromAndTo = "A range of days needs both 'from' and 'to'.";
    public const string EarliestAndLatest = "A stored range needs 'earliest', 'latest' and 'precision'.";
    public const string ZoneWithRange = "'earliest' and 'latest' are instants with offsets; 'time_zone' does not apply to them.";

    public static string CannotOpen(string reason) => $"The file cannot be read: {reason}";

    public static string Syntax(string detail) => $"Malformed JSON: {detail} Reading stopped here.";

    public const string Trailing =
        "More JSON follows the end of the document. For one report per line (JSON Lines) name the file .jsonl.";

    public static string TooLarge(int max) => $"A report is larger than {max / 1024} KiB; split it, or raise the limit.";

    public static string NotADocument(string found) =>
        $"A report file holds an object: {{ \"reports\": [ ... ] }} or a single report; found {found}.";

    public static string ReportsNotArray(string found) => $"'reports' must be an array of report objects; found {found}.";

    public static string ReportNotObject(string found, string value) => $"A report must be a JSON object; found {found} '{value}'.";

    public static string UnknownDocumentProperty(string name) =>
        $"'{name}' is not a property of a report document (it has 'reports' and optionally '$schema').";

    public static string Duplicate(string name) => $"'{name}' is given twice; the report is rejected rather than one of them silently dropped.";

    public static string Missing(string name, string example) => $"The required '{name}' is missing: give {example}.";

    public static string Unknown(string name, string where, string? closest, string[] known) =>
        closest is null
            ? $"'{name}' is not a property of {where} (it has {string.Join(", ", known)})."
            : $"'{name}' is not a property of {where}: did you mean '{closest}'? (It has {string.Join(", ", known)}.)";

    public static string WrongKind(string expected, string found, string value) => $"Expected {expected}; found {found} '{value}'.";

    public static string TimeZone(string value) => $"'{value}' is not a time zone: use an IANA name such as Europe/Kyiv, UTC, or an offset such as +03:00.";

    public static string InstantPrecision(string value) => $"'{value}' is not a precision for 'at': use instant (the default) or hour.";

    public static string DatePrecision(string value) => $"'{value}' is not a precision for 'date': use day (the default), week or month.";

    public static string RangePrecision(string value) => $"'{value}' is not a precision for 'from' and 'to': they are days.";

    public static string RangePrecisionAny(string value) => $"'{value}' is not a time precision: use instant, hour, day, week or month.";

    public static string NotOnTheHour(string value) => $"'{value}' is not on the hour, as precision 'hour' needs.";

    public static string ToBeforeFrom(string to, string from) => $"'{to}' is before 'from' '{from}'.";

    public static string BadRange(string earliest, string latest, string precision) =>
        $"'{earliest}' to '{latest}' is not a {precision} time (latest must follow earliest; an instant has them equal).";

    public static string Instant(string value) =>
        $"'{value}' is not a date and time: use 2025-03-28T10:20:00+03:00 (or Z for UTC; seconds and fractions optional).";

    public static string NoOffset(string value) =>
        $"'{value}' has no UTC offset: add one (2025-03-28T10:20:00+03:00) or give 'time_zone' (Europe/Moscow).";

    public static string Skipped(string value, string zone) => $"'{value}' does not exist in time zone {zone} (clocks skipped it).";

    public static string Ambiguous(string value, string zone) => $"'{value}' happened twice in time zone {zone} (clocks went back); give the UTC offset.";

    public static string Date(string value) => $"'{value}' is not a date: use 2025-04-17.";

    public static string Latitude(string value) => $"'{value}' is not a latitude: use decimal degrees from -90 to 90.";

    public static string Longitude(string value) => $"'{value}' is not a longitude: use decimal degrees from -180 to 180.";

    public static string LocationPrecision(string value) => $"'{value}' is not a location precision: use exact, settlement or region.";

    public static string Radius(string value) => $"'{value}' is not a radius: use kilometres from 0 to 20038.";

    public static string Act(string value) =>
        $"'{value}' is not an act kind (one of: {string.Join(", ", ActKinds.Codes)}) nor an ACLED sub-event type.";

    public static string Target(string value) => $"'{value}' is not a target category (one of: {string.Join(", ", TargetCategories.Codes)}).";

    public static string Basis(string value) => $"'{value}' is not a target basis: use stated, inferred or unknown.";

    public static string Perpetrator(string value) =>
        $"'{value}' is not a party code (1-16 upper-case letters, digits, '-' or '_', such as RU or UA); use null when undetermined.";

    public static string Grade(string value) => $"'{value}' is not an Admiralty grade: use a letter A-F and a digit 1-6, such as B2.";

    public static string Link(string value) => $"'{value}' is not an absolute http or https URL (https://...).";

    public static string Count(string name, string value) => $"'{value}' is not a number of deaths ({name}): use a whole number from 0.";

    public static string Order(int? low, int? best, int? high) =>
        $"'{low?.ToString(CultureInfo.InvariantCulture) ?? "-"}/{best?.ToString(CultureInfo.InvariantCulture) ?? "-"}/{high?.ToString(CultureInfo.InvariantCulture) ?? "-"}' (low/best/high) is out of order: the estimates must satisfy low <= best <= high.";
}

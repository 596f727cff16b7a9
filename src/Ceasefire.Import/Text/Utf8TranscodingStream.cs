using System.Text;
using Ceasefire.Import.Acled;
using Ceasefire.Import.Errors;

namespace Ceasefire.Import.Text;

/// <summary>
/// A read-only, forward-only stream that gives the UTF-8 form of text in another encoding, decoding strictly as it is
/// read (see <see cref="InputEncoding.TranscodeToUtf8Stream"/>). When a line holds bytes that are not valid, the
/// stream ends before that line and <see cref="Errors"/> holds one error naming the line, the column and the byte
/// offset; the reader it feeds therefore never sees replaced characters. Not thread-safe (one reader at a time, which
/// may be on another thread than the creator's).
/// </summary>
public sealed class Utf8TranscodingStream : Stream
{
    private const int BlockBytes = 256 * 1024;

    private readonly Stream _source;
    private readonly string _fileName;
    private readonly bool _leaveOpen;
    private readonly InputEncoding.LineSplitter _splitter;
    private readonly List<ImportError> _errors = [];
    private byte[] _output = new byte[BlockBytes + 4096];
    private int _outStart;
    private int _outEnd;
    private char[] _chars = new char[1024];
    private int _line;
    private bool _finished;

    internal Utf8TranscodingStream(Stream source, string fileName, InputEncoding encoding, bool leaveOpen)
    {
        _source = source;
        _fileName = fileName;
        _leaveOpen = leaveOpen;
        _splitter = new InputEncoding.LineSplitter(source, encoding, InputEncoding.DefaultMaxLineBytes);
    }

    /// <summary>The problem that ended the stream early, if any (at most one).</summary>
    public IReadOnlyList<ImportError> Errors => _errors;

    /// <summary>The encoding found once reading has started (null before the first read).</summary>
    public DetectedEncoding? Detected => _splitter.Detected;

    /// <summary>
    /// <paramref name="result"/> with <see cref="Errors"/> added, so that a decoding problem fails the import as a bad
    /// row does. Call it after the reader has read this stream to its end.
    /// </summary>
    public AcledReadResult<T> AddErrorsTo<T>(AcledReadResult<T> result) where T : class
    {
        ArgumentNullException.ThrowIfNull(result);
        return _errors.Count == 0 ? result : result with { Errors = [.. result.Errors, .. _errors] };
    }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        while (_outStart == _outEnd && !_finished)
        {
            Produce();
        }
        var n = Math.Min(buffer.Length, _outEnd - _outStart);
        _output.AsSpan(_outStart, n).CopyTo(buffer);
        _outStart += n;
        return n;
    }

    /// <summary>Decodes lines until about a block of UTF-8 is ready, or the input ends, or a line is bad.</summary>
    private void Produce()
    {
        _outStart = _outEnd = 0;
        while (_outEnd < BlockBytes)
        {
            if (!_splitter.Next(out var line, out var offset, out var tooLong))
            {
                _finished = true;
                return;
            }
            _line++;
            if (tooLong)
            {
                _errors.Add(new ImportError(_fileName, _line, 0, "", EncodingCodes.LineTooLong,
                    EncodingMessages.LineTooLong(_line, offset, InputEncoding.DefaultMaxLineBytes)));
                _finished = true;
                return;
            }
            var detected = _splitter.Detected!;
            var hasLineFeed = _splitter.Offset != offset + line.Length;
            if (detected.Name == "utf-8")
            {
                if (!System.Text.Unicode.Utf8.IsValid(line))
                {
                    Fail(detected, line, offset);
                    return;
                }
                Append(line, hasLineFeed);
                continue;
            }
            int chars;
            try
            {
                if (_chars.Length < detected.Encoding.GetMaxCharCount(line.Length))
                {
                    _chars = new char[Math.Max(_chars.Length * 2, detected.Encoding.GetMaxCharCount(line.Length))];
                }
                chars = detected.Encoding.GetChars(line, _chars);
            }
            catch (DecoderFallbackException)
            {
                Fail(detected, line, offset);
                return;
            }
            var max = Encoding.UTF8.GetMaxByteCount(chars) + 1;
            EnsureOutput(max);
            _outEnd += Encoding.UTF8.GetBytes(_chars.AsSpan(0, chars), _output.AsSpan(_outEnd));
            if (hasLineFeed)
            {
                _output[_outEnd++] = (byte)'\n';
            }
        }
    }

    private void Append(ReadOnlySpan<byte> line, bool lineFeed)
    {
        EnsureOutput(line.Length + 1);
        line.CopyTo(_output.AsSpan(_outEnd));
        _outEnd += line.Length;
        if (lineFeed)
        {
            _output[_outEnd++] = (byte)'\n';
        }
    }

    private void EnsureOutput(int more)
    {
        if (_outEnd + more > _output.Length)
        {
            Array.Resize(ref _output, Math.Max(_output.Length * 2, _outEnd + more));
        }
    }

    private void Fail(DetectedEncoding detected, ReadOnlySpan<byte> line, long offset)
    {
        var error = InputEncoding.Invalid(detected, line, _line, offset, _fileName);
        _errors.Add(error with { Message = error.Message + " " + EncodingMessages.Stopped });
        _finished = true;
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _source.Dispose();
        }
        base.Dispose(disposing);
    }
}

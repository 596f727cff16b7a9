using Ceasefire.Import.Errors;

namespace Ceasefire.Import.Text;

/// <summary>One line of a text file as decoded by <see cref="InputEncoding.ReadLines"/>.</summary>
/// <param name="Number">The 1-based line number.</param>
/// <param name="ByteOffset">The byte offset of the line's first byte in the file (the byte-order mark counts).</param>
/// <param name="Text">The text without its line break (LF or CRLF); bad bytes shown as U+FFFD when <paramref name="Error"/> is set.</param>
/// <param name="Error">Null for a good line; otherwise why it could not be decoded (code <c>encoding.invalid</c> or <c>encoding.line_too_long</c>).</param>
public readonly record struct DecodedLine(int Number, long ByteOffset, string Text, ImportError? Error);

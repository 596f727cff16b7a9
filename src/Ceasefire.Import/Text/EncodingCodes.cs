using Ceasefire.Import.Errors;

namespace Ceasefire.Import.Text;

/// <summary>Stable codes of decoding problems (<see cref="ImportError.Code"/>).</summary>
public static class EncodingCodes
{
    /// <summary>Bytes that are not valid in the file's encoding.</summary>
    public const string Invalid = "encoding.invalid";

    /// <summary>A line too long for a text file (a binary file, or one without line breaks).</summary>
    public const string LineTooLong = "encoding.line_too_long";
}

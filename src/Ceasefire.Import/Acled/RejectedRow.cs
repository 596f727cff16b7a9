namespace Ceasefire.Import.Acled;

/// <summary>A row of the input that was rejected: the line it starts on and its text as it was (without its line break).</summary>
/// <param name="Line">The 1-based line on which the row starts.</param>
/// <param name="Text">The raw row, quotes included (several lines when a quoted field holds line breaks).</param>
public sealed record RejectedRow(int Line, string Text);

namespace Ceasefire.Import.Errors;

/// <summary>How bad a problem found while reading input is.</summary>
public enum Severity
{
    /// <summary>The record was rejected (kept aside and counted), or the file could not be used.</summary>
    Error,
    /// <summary>The record was accepted after a change the user should know about (for example a repaired geometry).</summary>
    Warning,
}

/// <summary>
/// A problem found in an input file, with its location: file, line and column (1-based; 0 when unknown), the field
/// (a column name, a YAML key path such as <c>obligations[2].zones.include[0]</c>, or a JSON path such as
/// <c>$.features[3].geometry</c>), a stable code and a message for people.
/// </summary>
public sealed record ImportError(string File, int Line, int Column, string Field, string Code, string Message, Severity Severity = Severity.Error)
{
    /// <summary>"file:line:column: error CODE field: message", the form compilers use, so editors can jump to it.</summary>
    public override string ToString()
    {
        var where = Line > 0 ? (Column > 0 ? $"{File}:{Line}:{Column}" : $"{File}:{Line}") : File;
        return $"{where}: {(Severity == Severity.Error ? "error" : "warning")} {Code} {Field}: {Message}";
    }
}

/// <summary>The outcome of reading a file: the value (null when the file could not be used) and every problem found.</summary>
public sealed record ImportResult<T>(T? Value, IReadOnlyList<ImportError> Problems) where T : class
{
    /// <summary>Problems that are errors.</summary>
    public IEnumerable<ImportError> Errors => Problems.Where(p => p.Severity == Severity.Error);

    /// <summary>Problems that are warnings.</summary>
    public IEnumerable<ImportError> Warnings => Problems.Where(p => p.Severity == Severity.Warning);

    /// <summary>True when there is a value and no error.</summary>
    public bool Succeeded => Value is not null && !Errors.Any();
}

namespace Ceasefire.Cli;

/// <summary>Named exit codes of the <c>ceasefire</c> command.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>An unexpected failure (a bug): the message says what.</summary>
    public const int Failure = 1;

    /// <summary>Input failed validation (the errors name file, line and field).</summary>
    public const int ValidationFailed = 2;

    /// <summary>A store or server could not be reached.</summary>
    public const int StoreUnavailable = 3;

    /// <summary>The thing asked for does not exist (an incident id, a file).</summary>
    public const int NotFound = 4;

    /// <summary>A benchmark ran but did not give the expected result.</summary>
    public const int BenchmarkMismatch = 5;

    /// <summary>Partly done: the valid input was taken, some was rejected (and kept apart).</summary>
    public const int PartialSuccess = 6;
}

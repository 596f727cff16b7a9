using Spectre.Console;

namespace Ceasefire.Cli.Output;

/// <summary>
/// The console the commands write tables and coloured text to: colours and a terminal's width on a terminal; plain
/// text, 160 columns wide, when output is redirected to a file or a pipe (CI logs, scripts).
/// </summary>
internal static class Terminal
{
    public static IAnsiConsole Out { get; } = Create();

    private static IAnsiConsole Create()
    {
        var redirected = Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        if (redirected)
        {
            console.Profile.Width = 160;
        }
        return console;
    }
}

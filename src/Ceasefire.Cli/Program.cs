using System.CommandLine;
using Ceasefire.Cli.Commands;

namespace Ceasefire.Cli;

/// <summary>Entry point of the <c>ceasefire</c> command: parses the command line and runs one command.</summary>
public static class Program
{
    /// <summary>Runs the command line; returns a code from <see cref="ExitCodes"/>.</summary>
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("Ceasefire Monitor: state ceasefire agreements precisely and rule every incident against them.")
        {
            CheckAgreementCommand.Create(),
            AdjudicateCommand.Create(),
            ExplainCommand.Create(),
            BenchCommand.Create(),
            StoreCommands.Init(),
            ImportCommand.Create(),
            StoreCommands.Reports(),
            StoreCommands.Verify(),
            StoreCommands.Rebuild(),
            MigrateCommand.Create(),
            FindingsCommands.Findings(),
            FindingsCommands.Export(),
            FindingsCommands.Demo(),
            CorroborationCommands.Sources(),
            CorroborationCommands.Grade(),
            CorroborationCommands.Corroborate(),
            CorroborationCommands.Incidents(),
            CorroborationCommands.Incident(),
            CorroborationCommands.Review(),
            ComplaintCommands.Complaint(),
            ComplaintCommands.Complaints(),
            ClaimCommands.Claims(),
            ServeCommand.Create(),
            AccountCommands.User(),
            AccountCommands.ApiKey(),
            StoreOptions.Store,
        };
        // The library's own Ctrl+C/SIGTERM handling is off: commands that run until stopped (serve) take the signals
        // themselves, and the others end by themselves or with the process.
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}

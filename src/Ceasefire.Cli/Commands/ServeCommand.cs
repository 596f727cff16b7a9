using System.CommandLine;
using System.Net;
using Ceasefire.Web;
using Microsoft.Extensions.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Ceasefire.Cli.Commands;

/// <summary><c>ceasefire serve</c>: the web application over the store.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port") { Description = "Port to listen on.", DefaultValueFactory = _ => WebAppOptions.DefaultPort };
        var bind = new Option<string>("--bind") { Description = "Address to listen on (127.0.0.1 unless told otherwise; 0.0.0.0 for every interface).", DefaultValueFactory = _ => "127.0.0.1" };
        var demo = new Option<bool>("--demo") { Description = "Load the March 2025 scenario into the store first (as ceasefire demo does)." };
        var replica = new Option<string?>("--read-replica")
        {
            Description = "A PostgreSQL hot standby of the (PostgreSQL) store: reads go there when it has caught up, writes to the store " +
                "(default: CEASEFIRE_READ_REPLICA when set).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CEASEFIRE_READ_REPLICA") is { Length: > 0 } r ? r : null,
        };
        var keys = new Option<string?>("--keys-dir")
        {
            Description = "Directory of the keys that protect sign-in cookies and antiforgery tokens; web servers behind one proxy share one " +
                "(default: CEASEFIRE_KEYS_DIR when set, else the service user's own).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("CEASEFIRE_KEYS_DIR") is { Length: > 0 } k ? k : null,
        };
        var command = new Command("serve", "Run the web application (API, OpenAPI document, dashboard) over the store.") { port, bind, demo, replica, keys };
        command.SetAction(async (parse, ct) =>
        {
            if (!IPAddress.TryParse(parse.GetValue(bind), out var address))
            {
                Console.Error.WriteLine($"error: '{parse.GetValue(bind)}' is not an IP address (use 127.0.0.1, ::1 or 0.0.0.0).");
                return ExitCodes.ValidationFailed;
            }
            var p = parse.GetValue(port);
            if (p is < 0 or > 65535)
            {
                Console.Error.WriteLine($"error: port {p} is not between 0 and 65535.");
                return ExitCodes.ValidationFailed;
            }
            if (StoreOptions.Location(parse) is not { } location)
            {
                return ExitCodes.ValidationFailed;
            }
            Ceasefire.Stores.StoreLocation? readReplica = null;
            if (parse.GetValue(replica) is { } r)
            {
                try
                {
                    readReplica = Ceasefire.Stores.StoreLocation.Parse(r);
                }
                catch (ArgumentException e)
                {
                    Console.Error.WriteLine($"error: --read-replica: {e.Message}");
                    return ExitCodes.ValidationFailed;
                }
                if (readReplica.Kind != Ceasefire.Stores.StoreKind.Postgres || location.Kind != Ceasefire.Stores.StoreKind.Postgres)
                {
                    Console.Error.WriteLine("error: --read-replica is a PostgreSQL hot standby of a PostgreSQL store (--store postgres://...).");
                    return ExitCodes.ValidationFailed;
                }
            }
            await using (var store = await StoreOptions.OpenAsync(location, ct))
            {
                if (store is null)
                {
                    return ExitCodes.StoreUnavailable;
                }
                if (parse.GetValue(demo))
                {
                    var code = await FindingsCommands.LoadDemoAsync(store, TextWriter.Null, ct, location.ToString());
                    if (code != ExitCodes.Ok)
                    {
                        return code;
                    }
                }
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            await using var app = WebApp.Build(new WebAppOptions(location, address, p, readReplica) { KeysDirectory = parse.GetValue(keys) });
            try
            {
                await app.StartAsync(ct);
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"error: cannot listen on {address}:{p}: {e.Message}");
                return ExitCodes.StoreUnavailable;
            }
            foreach (var url in app.Urls)
            {
                Console.WriteLine($"Ceasefire Monitor on {url} (store {location}{(readReplica is null ? "" : $", reads from {readReplica}")}); API under /api, OpenAPI at /openapi/v1.json. Ctrl+C stops it.");
            }
            // Ctrl+C (SIGINT) and SIGTERM stop the application: the signals are taken here, so that neither the command
            // line library nor the host swallows them and leaves the server running.
            void Stop(System.Runtime.InteropServices.PosixSignalContext context)
            {
                context.Cancel = true;
                app.Lifetime.StopApplication();
            }
            using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
            using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
            using var cancelled = ct.Register(() => app.Lifetime.StopApplication());
            await app.WaitForShutdownAsync(CancellationToken.None);
            Console.WriteLine("Stopped.");
            return ExitCodes.Ok;
        });
        return command;
    }
}

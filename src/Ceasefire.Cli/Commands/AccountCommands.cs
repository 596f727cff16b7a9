using System.CommandLine;
using Ceasefire.Storage;
using Ceasefire.Web;

namespace Ceasefire.Cli.Commands;

/// <summary><c>ceasefire user add</c> and <c>ceasefire apikey add</c>: accounts for people, keys for machines.</summary>
internal static class AccountCommands
{
    /// <summary>Shortest password accepted.</summary>
    public const int MinPasswordLength = 12;

    public static Command User()
    {
        var command = new Command("user", "Accounts for people (cookie sessions in the web application).");
        var name = new Argument<string>("name") { Description = "Login name." };
        var role = RoleOption();
        var party = new Option<string?>("--party") { Description = "The party a liaison speaks for (party code, e.g. UA); liaisons only." };
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input (first line) instead of asking." };
        var add = new Command("add", "Create an account; the password is asked for (or read with --password-stdin), and only its hash is kept.") { name, role, party, stdin };
        add.SetAction(async (parse, ct) =>
        {
            var (r, p) = (parse.GetValue(role), parse.GetValue(party));
            if (Check(r, p) is { } problem)
            {
                Console.Error.WriteLine($"error: {problem}");
                return ExitCodes.ValidationFailed;
            }
            var password = parse.GetValue(stdin) ? Console.In.ReadLine() : Ask();
            if (password is null || password.Length < MinPasswordLength)
            {
                Console.Error.WriteLine($"error: a password needs at least {MinPasswordLength} characters.");
                return ExitCodes.ValidationFailed;
            }
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            var n = parse.GetValue(name)!;
            if (!await ((IAccountStore)store).AddAccountAsync(new Account(n, Credentials.HashPassword(n, password), r, p, DateTimeOffset.UtcNow), ct))
            {
                Console.Error.WriteLine($"error: the account '{n}' exists already.");
                return ExitCodes.ValidationFailed;
            }
            Console.WriteLine($"Account {n} created ({r.ToString().ToLowerInvariant()}{(p is null ? "" : " of " + p)}).");
            return ExitCodes.Ok;
        });
        var list = new Command("list", "List the accounts (never their passwords).");
        list.SetAction(async (parse, ct) =>
        {
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            foreach (var a in await ((IAccountStore)store).AccountsAsync(ct))
            {
                Console.WriteLine($"{a.Name}\t{a.Role.ToString().ToLowerInvariant()}\t{a.Party ?? "-"}\t{a.CreatedAt:u}{(a.Disabled ? "\tdisabled" : "")}");
            }
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(add);
        command.Subcommands.Add(list);
        return command;
    }

    public static Command ApiKey()
    {
        var command = new Command("apikey", "API keys for machines (header Authorization: ApiKey KEY, or X-Api-Key: KEY).");
        var name = new Argument<string>("name") { Description = "What the key is for." };
        var role = RoleOption();
        var party = new Option<string?>("--party") { Description = "The party, for a liaison's key." };
        var add = new Command("add", "Create a key and print it once; only its SHA-256 is kept.") { name, role, party };
        add.SetAction(async (parse, ct) =>
        {
            var (r, p) = (parse.GetValue(role), parse.GetValue(party));
            if (Check(r, p) is { } problem)
            {
                Console.Error.WriteLine($"error: {problem}");
                return ExitCodes.ValidationFailed;
            }
            await using var store = await StoreOptions.OpenAsync(parse, ct);
            if (store is null)
            {
                return ExitCodes.StoreUnavailable;
            }
            var (key, record) = Credentials.NewApiKey(parse.GetValue(name)!, r, p, DateTimeOffset.UtcNow);
            await ((IAccountStore)store).AddApiKeyAsync(record, ct);
            Console.Error.WriteLine($"API key {record.Id}... for {record.Name} ({r.ToString().ToLowerInvariant()}{(p is null ? "" : " of " + p)}); it is shown once:");
            Console.WriteLine(key);
            return ExitCodes.Ok;
        });
        command.Subcommands.Add(add);
        return command;
    }

    private static Option<Role> RoleOption()
    {
        var role = new Option<Role>("--role") { Description = "admin, analyst, monitor or liaison.", Required = true };
        role.AcceptOnlyFromAmong("admin", "analyst", "monitor", "liaison", "Admin", "Analyst", "Monitor", "Liaison");
        return role;
    }

    private static string? Check(Role role, string? party) => role switch
    {
        Role.Public => "the public needs no account.",
        Role.Liaison when string.IsNullOrWhiteSpace(party) => "a liaison speaks for a party: give --party (e.g. --party UA).",
        not Role.Liaison when party is not null => "only a liaison has a party.",
        _ => null,
    };

    private static string? Ask()
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine();
        }
        Console.Error.Write("Password: ");
        var sb = new System.Text.StringBuilder();
        while (true)
        {
            var k = Console.ReadKey(intercept: true);
            if (k.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return sb.ToString();
            }
            if (k.Key == ConsoleKey.Backspace)
            {
                if (sb.Length > 0)
                {
                    sb.Length--;
                }
            }
            else if (!char.IsControl(k.KeyChar))
            {
                sb.Append(k.KeyChar);
            }
        }
    }
}

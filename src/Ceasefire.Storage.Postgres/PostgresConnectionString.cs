using Npgsql;

namespace Ceasefire.Storage.Postgres;

/// <summary>
/// Turns what a user passes as a PostgreSQL store (a <c>postgres://</c> or <c>postgresql://</c> URI as libpq and most
/// hosting providers write it, or an Npgsql <c>key=value</c> string) into an Npgsql connection string.
/// </summary>
public static class PostgresConnectionString
{
    /// <summary>libpq query parameters of a URI and the Npgsql keywords they become; other names are passed as they are.</summary>
    private static readonly Dictionary<string, string> LibpqNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["connect_timeout"] = "Timeout",
        ["application_name"] = "Application Name",
        ["target_session_attrs"] = "Target Session Attributes",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslpassword"] = "SSL Password",
        ["options"] = "Options",
        ["user"] = "Username",
        ["password"] = "Password",
        ["dbname"] = "Database",
        ["host"] = "Host",
        ["port"] = "Port",
    };

    /// <summary>True when <paramref name="value"/> is written as a URI (<c>postgres://</c> or <c>postgresql://</c>).</summary>
    public static bool IsUri(string value) =>
        value is not null && (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The Npgsql connection string for <paramref name="value"/>: a URI
    /// <c>postgres://user:password@host:port/database?sslmode=require&amp;...</c> (user, password and database
    /// percent-decoded; port 5432 when absent; libpq option names such as <c>sslmode</c>, <c>connect_timeout</c>,
    /// <c>application_name</c> mapped to Npgsql's), or an Npgsql <c>key=value;...</c> string, checked.
    /// </summary>
    /// <exception cref="ArgumentException">The value is neither; the message says why and never contains the password.</exception>
    public static string ToNpgsql(string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("The PostgreSQL connection string is empty.", nameof(value));
        }
        value = value.Trim();
        return IsUri(value) ? FromUri(value) : FromKeyValue(value);
    }

    private static string FromUri(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"'{Redact(value)}' is not a PostgreSQL URI: expected postgres://user:password@host:port/database.", nameof(value));
        }
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host.Trim('[', ']') };
        if (!uri.IsDefaultPort && uri.Port > 0)
        {
            builder.Port = uri.Port;
        }
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var user = colon < 0 ? uri.UserInfo : uri.UserInfo[..colon];
            if (user.Length > 0)
            {
                builder.Username = Uri.UnescapeDataString(user);
            }
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }
        var path = uri.AbsolutePath.Trim('/');
        if (path.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{Redact(value)}' names the database '{Uri.UnescapeDataString(path)}': a database name has no '/'.", nameof(value));
        }
        if (path.Length > 0)
        {
            builder.Database = Uri.UnescapeDataString(path);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ArgumentException($"'{Redact(value)}': the option '{Uri.UnescapeDataString(pair)}' has no value (expected name=value).", nameof(value));
            }
            var name = Uri.UnescapeDataString(pair[..eq]);
            var optionValue = Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            var keyword = LibpqNames.GetValueOrDefault(name, name);
            if (keyword == "SSL Mode")
            {
                optionValue = optionValue.Replace("-", "", StringComparison.Ordinal); // verify-full -> VerifyFull
            }
            try
            {
                builder[keyword] = optionValue;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException or KeyNotFoundException)
            {
                var shown = keyword.Contains("password", StringComparison.OrdinalIgnoreCase) ? "(hidden)" : $"'{optionValue}'";
                throw new ArgumentException($"'{Redact(value)}': the option '{name}' = {shown} is not understood ({Hide(e.Message, builder.Password)}).", nameof(value), e);
            }
        }
        return builder.ConnectionString;
    }

    private static string FromKeyValue(string value)
    {
        if (value.Contains("://", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                "The PostgreSQL connection string looks like a URI of another scheme: use postgres://user:password@host:port/database or Host=...;Username=...;Database=....",
                nameof(value));
        }
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(value);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or OverflowException or KeyNotFoundException)
        {
            throw new ArgumentException($"Not a PostgreSQL connection string ({Hide(e.Message, PasswordIn(value))}): expected postgres://user:password@host:port/database or Host=...;Username=...;Database=....", nameof(value), e);
        }
        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new ArgumentException("The PostgreSQL connection string names no host (Host=...).", nameof(value));
        }
        return builder.ConnectionString;
    }

    /// <summary>The URI with its password replaced, for messages.</summary>
    private static string Redact(string uri)
    {
        var scheme = uri.IndexOf("://", StringComparison.Ordinal) + 3;
        var at = uri.LastIndexOf('@');
        if (at < scheme)
        {
            return uri;
        }
        var colon = uri.IndexOf(':', scheme);
        return colon >= 0 && colon < at ? string.Concat(uri.AsSpan(0, colon + 1), "***", uri.AsSpan(at)) : uri;
    }

    private static string? PasswordIn(string keyValue)
    {
        foreach (var part in keyValue.Split(';'))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && part[..eq].Trim().Replace(" ", "", StringComparison.Ordinal) is var k &&
                (k.Equals("password", StringComparison.OrdinalIgnoreCase) || k.Equals("pwd", StringComparison.OrdinalIgnoreCase) || k.Equals("psw", StringComparison.OrdinalIgnoreCase)))
            {
                return part[(eq + 1)..].Trim();
            }
        }
        return null;
    }

    private static string Hide(string message, string? password) =>
        string.IsNullOrEmpty(password) ? message : message.Replace(password, "***", StringComparison.Ordinal);
}

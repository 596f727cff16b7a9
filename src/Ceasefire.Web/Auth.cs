using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Ceasefire.Storage;
using Ceasefire.Storage.Sqlite;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ceasefire.Web;

/// <summary>The authorization policies every endpoint names one of.</summary>
public static class Policies
{
    /// <summary>Anyone, signed in or not (published material).</summary>
    public const string Public = "public";

    /// <summary>A party's liaison, an analyst or an administrator.</summary>
    public const string Liaison = "liaison";

    /// <summary>A monitor, an analyst or an administrator.</summary>
    public const string Monitor = "monitor";

    /// <summary>An analyst or an administrator.</summary>
    public const string Analyst = "analyst";

    /// <summary>An administrator.</summary>
    public const string Admin = "admin";

    /// <summary>The claim carrying a liaison's party.</summary>
    public const string PartyClaim = "ceasefire:party";
}

/// <summary>Creating accounts and keys: password hashing (ASP.NET Core's <c>PasswordHasher</c>) and key generation.</summary>
public static class Credentials
{
    private static readonly PasswordHasher<string> Hasher = new();

    /// <summary>Hashes a password for an account.</summary>
    public static string HashPassword(string name, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        return Hasher.HashPassword(name, password);
    }

    /// <summary>True when <paramref name="password"/> is the account's.</summary>
    public static bool Verify(Account account, string password)
    {
        ArgumentNullException.ThrowIfNull(account);
        return Hasher.VerifyHashedPassword(account.Name, account.PasswordHash, password) != PasswordVerificationResult.Failed;
    }

    /// <summary>A new API key (shown once) and the record kept of it (only its SHA-256).</summary>
    public static (string Key, ApiKey Record) NewApiKey(string name, Role role, string? party, DateTimeOffset now)
    {
        var key = "cfm_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        return (key, new ApiKey(key[..12], HashKey(key), name, role, party, now));
    }

    /// <summary>SHA-256 of a key, lower-case hex.</summary>
    public static string HashKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Claims of an account or key.</summary>
    public static ClaimsIdentity Identity(string name, Role role, string? party, string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name), new(ClaimTypes.Role, role.ToString().ToLowerInvariant()) };
        if (party is not null)
        {
            claims.Add(new Claim(Policies.PartyClaim, party));
        }
        return new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// Login throttling: after <see cref="MaxFailures"/> failed logins for one name or from one address within
/// <see cref="Window"/>, further attempts are refused until the window has passed. In memory: a restart forgets.
/// </summary>
public sealed class LoginThrottle(TimeProvider clock)
{
    /// <summary>Failures allowed within the window.</summary>
    public const int MaxFailures = 5;

    /// <summary>The window.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <summary>How long <paramref name="keys"/> must wait before trying again, or null when they may try now.</summary>
    public TimeSpan? RetryAfter(params string[] keys)
    {
        var now = clock.GetUtcNow();
        TimeSpan? wait = null;
        foreach (var key in keys)
        {
            if (_failures.TryGetValue(key, out var q))
            {
                lock (q)
                {
                    while (q.Count > 0 && now - q.Peek() > Window)
                    {
                        q.Dequeue();
                    }
                    if (q.Count >= MaxFailures)
                    {
                        var until = q.Peek() + Window - now;
                        wait = wait is null || until > wait ? until : wait;
                    }
                }
            }
        }
        return wait;
    }

    /// <summary>Counts a failed login against every key.</summary>
    public void Failed(params string[] keys)
    {
        foreach (var key in keys)
        {
            var q = _failures.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
            lock (q)
            {
                q.Enqueue(clock.GetUtcNow());
            }
        }
    }

    /// <summary>Forgets the failures of a name after a successful login.</summary>
    public void Succeeded(string key) => _failures.TryRemove(key, out _);
}

/// <summary>
/// Authentication and authorization: cookie sessions for people (<c>POST /api/session</c>), API keys for machines
/// (<c>Authorization: ApiKey KEY</c> or <c>X-Api-Key: KEY</c>), role policies, antiforgery on cookie-authenticated
/// writes (header <c>X-CSRF-Token</c> from <c>GET /api/session/antiforgery</c>), login throttling.
/// </summary>
public static class Auth
{
    /// <summary>The session cookie.</summary>
    public const string CookieName = "cfm_session";

    /// <summary>The header a browser sends its antiforgery token in.</summary>
    public const string AntiforgeryHeader = "X-CSRF-Token";

    private const string ApiKeyScheme = "ApiKey";
    private const string Selector = "Cookie-or-ApiKey";

    /// <summary>Registers the services.</summary>
    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<LoginThrottle>();
        services.AddAntiforgery(o =>
        {
            o.HeaderName = AntiforgeryHeader;
            o.Cookie.Name = "cfm_antiforgery";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddAuthentication(Selector)
            .AddPolicyScheme(Selector, Selector, o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.ContainsKey("X-Api-Key") || ctx.Request.Headers.Authorization.ToString().StartsWith("ApiKey ", StringComparison.Ordinal)
                    ? ApiKeyScheme : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                // Secure whenever the request is (behind a TLS proxy, see docs/deployment); plain HTTP on loopback otherwise.
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                // An API answers 401/403 problem documents, never redirects to a login page.
                o.Events.OnRedirectToLogin = ctx => Problem(ctx.HttpContext, StatusCodes.Status401Unauthorized, "Sign in (POST /api/session) or send an API key.");
                o.Events.OnRedirectToAccessDenied = ctx => Problem(ctx.HttpContext, StatusCodes.Status403Forbidden, "Your role may not do this.");
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyScheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Public, p => p.RequireAssertion(_ => true))
            .AddPolicy(Policies.Liaison, p => p.RequireRole("liaison", "analyst", "admin"))
            .AddPolicy(Policies.Monitor, p => p.RequireRole("monitor", "analyst", "admin"))
            .AddPolicy(Policies.Analyst, p => p.RequireRole("analyst", "admin"))
            .AddPolicy(Policies.Admin, p => p.RequireRole("admin"));
    }

    /// <summary>Adds the middleware: authentication, antiforgery on cookie-authenticated writes, authorization.</summary>
    public static void Use(WebApplication app)
    {
        app.UseAuthentication();
        app.Use(async (ctx, next) =>
        {
            // A browser's session cookie rides along with any request a hostile page makes: writes made with it must
            // carry the antiforgery token. Machines with API keys, and signing in itself, are not at risk.
            var unsafeMethod = !(HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method) || HttpMethods.IsOptions(ctx.Request.Method));
            if (unsafeMethod && ctx.User.Identity?.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme && ctx.Request.Path != "/api/session")
            {
                var antiforgery = ctx.RequestServices.GetRequiredService<IAntiforgery>();
                if (!await antiforgery.IsRequestValidAsync(ctx))
                {
                    await Problem(ctx, StatusCodes.Status400BadRequest, $"This request needs the antiforgery token in the {AntiforgeryHeader} header (GET /api/session/antiforgery).");
                    return;
                }
            }
            await next(ctx);
        });
        app.UseAuthorization();

        var session = app.MapGroup("/api/session");
        session.MapPost("", async (LoginRequest login, HttpContext ctx, StoreAccess store, LoginThrottle throttle) =>
        {
            var address = ctx.Connection.RemoteIpAddress?.ToString() ?? "?";
            var keys = new[] { "name:" + login.Name, "ip:" + address };
            if (throttle.RetryAfter(keys) is { } wait)
            {
                ctx.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed logins",
                    detail: $"Too many failed logins for this name or address; try again in {Math.Ceiling(wait.TotalMinutes)} minute(s).");
            }
            var account = await store.ReadPrimaryAsync(s => ((IAccountStore)s).AccountAsync(login.Name ?? "", ctx.RequestAborted), ctx.RequestAborted);
            if (account is null || account.Disabled || string.IsNullOrEmpty(login.Password) || !Credentials.Verify(account, login.Password))
            {
                throttle.Failed(keys);
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Wrong name or password", detail: "The name or the password is wrong.");
            }
            throttle.Succeeded(keys[0]);
            await ctx.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                new ClaimsPrincipal(Credentials.Identity(account.Name, account.Role, account.Party, CookieAuthenticationDefaults.AuthenticationScheme)));
            return Results.Ok(new SessionInfo(account.Name, account.Role.ToString().ToLowerInvariant(), account.Party));
        }).AllowAnonymous().WithName("SignIn").WithSummary("Sign in with a name and password: sets the session cookie.");
        session.MapDelete("", async (HttpContext ctx) =>
        {
            await ctx.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.NoContent();
        }).AllowAnonymous().WithName("SignOut").WithSummary("Sign out.");
        session.MapGet("", (HttpContext ctx) => ctx.User.Identity?.IsAuthenticated == true
            ? Results.Ok(new SessionInfo(ctx.User.Identity.Name!, ctx.User.FindFirstValue(ClaimTypes.Role)!, ctx.User.FindFirstValue(Policies.PartyClaim)))
            : Results.Ok(new SessionInfo(null, "public", null))).AllowAnonymous().WithName("Session").WithSummary("Who is signed in (role public when nobody).");
        session.MapGet("/antiforgery", (HttpContext ctx, IAntiforgery antiforgery) =>
            Results.Ok(new { token = antiforgery.GetAndStoreTokens(ctx).RequestToken, header = AntiforgeryHeader }))
            .AllowAnonymous().WithName("Antiforgery").WithSummary("A token to send in the X-CSRF-Token header with writes made from a signed-in browser.");
    }

    private static Task Problem(HttpContext ctx, int status, string detail)
    {
        ctx.Response.StatusCode = status;
        return Results.Problem(statusCode: status, detail: detail).ExecuteAsync(ctx);
    }

    /// <summary>Sign-in request.</summary>
    /// <param name="Name">Login name.</param>
    /// <param name="Password">Password.</param>
    public sealed record LoginRequest(string? Name, string? Password);

    /// <summary>Who is signed in.</summary>
    /// <param name="Name">Login name (null: nobody).</param>
    /// <param name="Role">Role.</param>
    /// <param name="Party">A liaison's party.</param>
    public sealed record SessionInfo(string? Name, string Role, string? Party);

    private sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, StoreAccess store)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var header = Request.Headers.Authorization.ToString();
            var key = header.StartsWith("ApiKey ", StringComparison.Ordinal) ? header["ApiKey ".Length..].Trim() : Request.Headers["X-Api-Key"].ToString().Trim();
            if (key.Length == 0)
            {
                return AuthenticateResult.NoResult();
            }
            var record = await store.ReadPrimaryAsync(s => ((IAccountStore)s).ApiKeyAsync(Credentials.HashKey(key), Context.RequestAborted), Context.RequestAborted);
            if (record is null || record.Revoked)
            {
                return AuthenticateResult.Fail("Unknown or revoked API key.");
            }
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(Credentials.Identity(record.Name, record.Role, record.Party, ApiKeyScheme)), ApiKeyScheme));
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
            Problem(Context, StatusCodes.Status401Unauthorized, "The API key is unknown or revoked.");

        protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
            Problem(Context, StatusCodes.Status403Forbidden, "This key's role may not do this.");
    }
}

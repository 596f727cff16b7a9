using System.Net;
using Ceasefire.Storage;
using Ceasefire.Stores;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ceasefire.Web;

/// <summary>How <c>ceasefire serve</c> runs.</summary>
/// <param name="Store">The store (a SQLite file or a PostgreSQL database): every write goes there.</param>
/// <param name="Address">Address to bind (127.0.0.1 unless told otherwise).</param>
/// <param name="Port">Port (0: a free port, for tests).</param>
/// <param name="ReadReplica">A PostgreSQL hot standby of <paramref name="Store"/> that reads go to (null: none).</param>
public sealed record WebAppOptions(StoreLocation Store, IPAddress Address, int Port, StoreLocation? ReadReplica = null)
{
    /// <summary>Over a SQLite file.</summary>
    public WebAppOptions(string storePath, IPAddress address, int port)
        : this(StoreLocation.Parse(storePath), address, port)
    {
    }

    /// <summary>The default port.</summary>
    public const int DefaultPort = 5080;

    /// <summary>
    /// Where the keys that protect sign-in cookies and antiforgery tokens are kept (null: the runtime's default, the
    /// service user's own directory). Web servers behind one proxy share one directory (a shared volume), so that a
    /// session opened on one is honoured by the others.
    /// </summary>
    public string? KeysDirectory { get; init; }
}

/// <summary>
/// The web application: the dashboard (static files from <see cref="WebRoot"/>), the JSON API under <c>/api</c>, its
/// OpenAPI document at <c>/openapi/v1.json</c>, errors as RFC 7807 problem documents, over the store.
/// </summary>
public static class WebApp
{
    /// <summary>The dashboard's files (<c>index.html</c>, <c>app.js</c>, <c>lib/</c> built from npm): <c>wwwroot</c> next to the assembly.</summary>
    public static string WebRoot { get; } = Path.Combine(AppContext.BaseDirectory, "wwwroot");

    /// <summary>Builds the application (not started).</summary>
    public static WebApplication Build(WebAppOptions options, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        // The dashboard is served from the wwwroot copied next to the assembly, whatever the working directory.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { WebRootPath = WebRoot });
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(options.Address, options.Port);
            k.Limits.MaxRequestBodySize = Limits.MaxRequestBodyBytes;
        });
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            if (ctx.Exception is { } e && StoreFaults.IsUnavailable(e))
            {
                // The database is down or restarting: say so, and when to try again; the request may be repeated.
                ctx.ProblemDetails.Title = "The store is unavailable";
                ctx.ProblemDetails.Detail = "The database cannot be reached right now; try again shortly. A read can simply be repeated; a write may or may not have been recorded: check before repeating it.";
                ctx.HttpContext.Response.Headers.RetryAfter = StoreFaults.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        });
        builder.Services.AddOpenApi("v1");
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton(sp => new StoreAccess(options.Store, options.ReadReplica, sp.GetRequiredService<IHttpContextAccessor>(),
            TimeProvider.System, sp.GetRequiredService<ILoggerFactory>().CreateLogger<StoreAccess>()));
        builder.Services.AddSingleton<Apis.MapApi.MapCache>();
        builder.Services.AddSingleton<Apis.ReadModelCache>();
        // One application name: servers that share a key directory read each other's cookies and tokens.
        var protection = builder.Services.AddDataProtection().SetApplicationName("Ceasefire Monitor");
        if (options.KeysDirectory is { } keys)
        {
            protection.PersistKeysToFileSystem(Directory.CreateDirectory(keys));
        }
        Auth.AddServices(builder.Services);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
        });

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Whatever a handler did not foresee is still a problem document, never a stack trace.
            StatusCodeSelector = e => e switch
            {
                BadHttpRequestException b => b.StatusCode,
                System.Text.Json.JsonException or FormatException => StatusCodes.Status400BadRequest,
                StreamConcurrencyException => StatusCodes.Status409Conflict,
                _ when StoreFaults.IsUnavailable(e) => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        app.UseStatusCodePages();
        app.Use(async (context, next) =>
        {
            var h = context.Response.Headers;
            h["X-Content-Type-Options"] = "nosniff";
            h["X-Frame-Options"] = "DENY";
            h["Referrer-Policy"] = "no-referrer";
            h["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; object-src 'none'; frame-ancestors 'none'";
            await next(context);
        });
        app.UseDefaultFiles();
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".mjs"] = "text/javascript";
        types.Mappings[".geojson"] = "application/geo+json";
        app.UseStaticFiles(new StaticFileOptions { ContentTypeProvider = types });
        Auth.Use(app);
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        Api.Map(app);
        return app;
    }
}

/// <summary>Request limits.</summary>
public static class Limits
{
    /// <summary>Largest request body (an import upload): 256 MiB.</summary>
    public const long MaxRequestBodyBytes = 256L << 20;
}

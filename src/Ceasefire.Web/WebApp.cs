using System.Net;
using Ceasefire.Storage;
using Ceasefire.Storage.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ceasefire.Web;

/// <summary>How <c>ceasefire serve</c> runs.</summary>
/// <param name="StorePath">The SQLite store.</param>
/// <param name="Address">Address to bind (127.0.0.1 unless told otherwise).</param>
/// <param name="Port">Port (0: a free port, for tests).</param>
public sealed record WebAppOptions(string StorePath, IPAddress Address, int Port)
{
    /// <summary>The default port.</summary>
    public const int DefaultPort = 5080;
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
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi("v1");
        builder.Services.AddSingleton(new StoreAccess(options.StorePath));
        builder.Services.AddSingleton<Apis.MapApi.MapCache>();
        builder.Services.AddSingleton<Apis.ReadModelCache>();
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

/// <summary>
/// The store, shared by requests: the SQLite adapter is used by one caller at a time, so calls take turns. Opened once.
/// </summary>
public sealed class StoreAccess(string path) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SqliteStore? _store;

    /// <summary>Runs <paramref name="work"/> with the store, alone.</summary>
    public async Task<T> UseAsync<T>(Func<IStore, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            _store ??= await SqliteStore.OpenAsync(path, cancellationToken: ct).ConfigureAwait(false);
            return await work(_store).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }
        _gate.Dispose();
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ceasefire.Web.Apis;

/// <summary>Reading request bodies with a size limit.</summary>
internal static class Body
{
    /// <summary>The body, or null when it is larger than <paramref name="max"/> bytes.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int max, CancellationToken ct)
    {
        if (request.ContentLength > max)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > max)
            {
                return null;
            }
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    /// <summary>Copies the body to <paramref name="target"/>; false when it is larger than <paramref name="max"/> bytes.</summary>
    public static async Task<bool> CopyAsync(HttpRequest request, Stream target, long max, CancellationToken ct)
    {
        if (request.ContentLength > max)
        {
            return false;
        }
        var chunk = new byte[81920];
        long total = 0;
        int n;
        while ((n = await request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            total += n;
            if (total > max)
            {
                return false;
            }
            await target.WriteAsync(chunk.AsMemory(0, n), ct).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>The 413 problem document.</summary>
    public static ProblemHttpResult TooLarge(long max) =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
            detail: $"The body is larger than {max:N0} bytes, the most this endpoint accepts.");
}

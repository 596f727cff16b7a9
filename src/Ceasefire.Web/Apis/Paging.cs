using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Ceasefire.Web.Apis;

/// <summary>
/// A page cursor: opaque to clients (base64url of a JSON array of strings), the sort key of the last item of the page
/// before. Stable: a cursor keeps meaning "after this item" whatever is added or changed since.
/// </summary>
internal static class Cursor
{
    /// <summary>The cursor after an item with these sort-key parts.</summary>
    public static string Encode(params string[] parts) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(parts));

    /// <summary>The sort-key parts of <paramref name="value"/> (null when absent); records an error naming <c>cursor</c> when it is not one of ours.</summary>
    public static string[]? Decode(string? value, int parts, RequestErrors errors)
    {
        if (value is null)
        {
            return null;
        }
        try
        {
            if (value.Length <= 4096 && JsonSerializer.Deserialize<string[]>(Base64Url.DecodeFromChars(value)) is { } decoded
                && decoded.Length == parts && decoded.All(p => p is not null))
            {
                return decoded;
            }
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
        }
        errors.Add("cursor", $"'{RequestErrors.Show(value)}' is not a cursor of this list: pass the next_cursor of the previous page as it was.");
        return null;
    }

    /// <summary>The (earliest, key) cursor of a time-ordered list, or null when absent or bad (then an error names it).</summary>
    public static TimeKey? DecodeTimeKey(string? value, RequestErrors errors)
    {
        var parts = Decode(value, 2, errors);
        if (parts is null)
        {
            return null;
        }
        if (long.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTimeOffset.MaxValue.UtcTicks)
        {
            return new TimeKey(ticks, parts[1]);
        }
        errors.Add("cursor", $"'{RequestErrors.Show(value!)}' is not a cursor of this list: pass the next_cursor of the previous page as it was.");
        return null;
    }

    /// <summary>The cursor after <paramref name="key"/>.</summary>
    public static string Encode(TimeKey key) => Encode(key.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture), key.Key);
}

/// <summary>The sort key of time-ordered lists: the start of the item's time (UTC ticks), then its key (ordinal).</summary>
/// <param name="Ticks">Earliest time, UTC ticks.</param>
/// <param name="Key">Report key or incident id.</param>
internal readonly record struct TimeKey(long Ticks, string Key) : IComparable<TimeKey>
{
    /// <inheritdoc />
    public int CompareTo(TimeKey other)
    {
        var c = Ticks.CompareTo(other.Ticks);
        return c != 0 ? c : string.CompareOrdinal(Key, other.Key);
    }
}

/// <summary>A page of items and the cursor of the next page (null on the last page).</summary>
/// <typeparam name="T">The items.</typeparam>
internal sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// Pages a list the store returns ordered by (earliest, key) with only a "latest after" filter: each round asks the
/// store for the items whose time ends after the cursor's start (a superset of those after the cursor), skips those at
/// or before the cursor, and filters the rest in memory (bounding box, verdict), until a page and one more item are
/// found or the store has no more. Every item is on exactly one page.
/// </summary>
internal static class TimePaging
{
    /// <summary>Reads one page.</summary>
    /// <param name="fetch">Asks the store: items whose time ends after the instant given (null: all), ordered by (earliest, key), at most this many.</param>
    /// <param name="keyOf">An item's sort key.</param>
    /// <param name="keep">The in-memory filter.</param>
    /// <param name="from">The caller's own "from" filter.</param>
    /// <param name="after">The cursor.</param>
    /// <param name="limit">The page size.</param>
    /// <param name="filtered">True when <paramref name="keep"/> drops items (then rounds ask for more).</param>
    public static async Task<(List<T> Items, TimeKey? Next)> PageAsync<T>(
        Func<DateTimeOffset?, int, Task<IReadOnlyList<T>>> fetch, Func<T, TimeKey> keyOf, Func<T, bool> keep,
        DateTimeOffset? from, TimeKey? after, int limit, bool filtered)
    {
        var batch = Math.Max(limit + 1, 64) * (filtered ? 4 : 1);
        var position = after;
        var items = new List<T>(limit + 1);
        while (true)
        {
            var since = from;
            if (position is { } p)
            {
                // An item after the cursor starts at or after the cursor's start, so it ends after one tick before it.
                var cursorFrom = new DateTimeOffset(Math.Max(p.Ticks - 1, 0), TimeSpan.Zero);
                since = since is { } f && f > cursorFrom ? f : cursorFrom;
            }
            var got = await fetch(since, batch).ConfigureAwait(false);
            var progressed = false;
            foreach (var item in got)
            {
                var key = keyOf(item);
                if (position is { } pos && key.CompareTo(pos) <= 0)
                {
                    continue;
                }
                progressed = true;
                position = key;
                if (keep(item))
                {
                    items.Add(item);
                    if (items.Count > limit)
                    {
                        items.RemoveAt(limit);
                        return (items, keyOf(items[^1]));
                    }
                }
            }
            if (got.Count < batch)
            {
                return (items, null);
            }
            if (!progressed)
            {
                // The whole batch lay at or before the cursor (long-lasting items): ask for more at once.
                batch = batch >= int.MaxValue / 2 ? int.MaxValue : batch * 2;
            }
        }
    }
}

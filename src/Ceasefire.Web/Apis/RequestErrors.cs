using System.Globalization;
using System.Text.RegularExpressions;
using Ceasefire.Parties;
using Ceasefire.Taxonomy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Ceasefire.Web.Apis;

/// <summary>
/// Checks a request's query parameters and gathers what is wrong with them, keyed by parameter name, for one
/// <see cref="ValidationProblem"/> (HTTP 400, <c>application/problem+json</c>) that names every bad parameter.
/// Parameters are bound as strings and read here, so that no value ever fails model binding (which would answer
/// without naming the parameter). Not thread-safe: one per request.
/// </summary>
internal sealed partial class RequestErrors
{
    /// <summary>Default page size.</summary>
    public const int DefaultLimit = 100;

    /// <summary>Largest page size.</summary>
    public const int MaxLimit = 1000;

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    /// <summary>True when something is wrong.</summary>
    public bool Any => _errors.Count > 0;

    /// <summary>Records a problem with <paramref name="name"/>.</summary>
    public void Add(string name, string message)
    {
        if (!_errors.TryGetValue(name, out var list))
        {
            _errors[name] = list = [];
        }
        list.Add(message);
    }

    /// <summary>The 400 problem document naming every bad parameter.</summary>
    public ValidationProblem Problem(string title = "The request is not valid.") =>
        TypedResults.ValidationProblem(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal), title: title);

    /// <summary>A problem document with one error for <paramref name="name"/>.</summary>
    public static ValidationProblem One(string name, string message)
    {
        var errors = new RequestErrors();
        errors.Add(name, message);
        return errors.Problem();
    }

    /// <summary>Query parameters the endpoint does not have are errors (a typo never filters silently).</summary>
    public void OnlyKnown(HttpRequest request, params string[] known)
    {
        foreach (var key in request.Query.Keys)
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                Add(key, known.Length == 0
                    ? $"Unknown parameter '{Show(key)}': this endpoint takes none."
                    : $"Unknown parameter '{Show(key)}': this endpoint takes {string.Join(", ", known)}.");
            }
        }
        foreach (var (key, values) in request.Query)
        {
            if (values.Count > 1 && known.Contains(key, StringComparer.Ordinal))
            {
                Add(key, $"'{key}' is given {values.Count} times; give it once.");
            }
        }
    }

    /// <summary>An instant (ISO 8601; a date alone is midnight UTC; no offset means UTC), or null when absent.</summary>
    public DateTimeOffset? Time(string name, string? value)
    {
        if (value is null)
        {
            return null;
        }
        if (value.Length is > 0 and <= 64 && IsoLike().IsMatch(value)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            return t;
        }
        Add(name, $"'{Show(value)}' is not a time: use ISO 8601, such as 2025-03-18 or 2025-03-18T14:00:00Z.");
        return null;
    }

    /// <summary>A bounding box <c>minLon,minLat,maxLon,maxLat</c> in degrees (SRID 4326), or null when absent.</summary>
    public BoundingBox? Bbox(string name, string? value)
    {
        if (value is null)
        {
            return null;
        }
        var parts = value.Split(',');
        var numbers = new double[4];
        if (parts.Length != 4 || !parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) && double.IsFinite(numbers[i])).All(ok => ok))
        {
            Add(name, $"'{Show(value)}' is not a bounding box: give minLon,minLat,maxLon,maxLat in decimal degrees, such as 30,44,41,53.");
            return null;
        }
        var (minLon, minLat, maxLon, maxLat) = (numbers[0], numbers[1], numbers[2], numbers[3]);
        if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90 || minLon > maxLon || minLat > maxLat)
        {
            Add(name, $"'{Show(value)}' is not a bounding box: longitudes are from -180 to 180, latitudes from -90 to 90, and each minimum is at most its maximum.");
            return null;
        }
        return new BoundingBox(minLon, minLat, maxLon, maxLat);
    }

    /// <summary>The page size: <see cref="DefaultLimit"/> when absent, from 1 to <see cref="MaxLimit"/>.</summary>
    public int Limit(string? value)
    {
        if (value is null)
        {
            return DefaultLimit;
        }
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxLimit)
        {
            return n;
        }
        Add("limit", $"'{Show(value)}' is not a page size: use a whole number from 1 to {MaxLimit}.");
        return DefaultLimit;
    }

    /// <summary>A party code (RU, UA, ...), or null when absent.</summary>
    public string? Party(string name, string? value)
    {
        if (value is null || PartyCode.IsValid(value))
        {
            return value;
        }
        Add(name, $"'{Show(value)}' is not a party code: use 1-16 upper-case letters, digits, '-' or '_', such as RU or UA.");
        return null;
    }

    /// <summary>An act kind code, or null when absent.</summary>
    public string? Act(string name, string? value)
    {
        if (value is null || ActKinds.TryParse(value, out _))
        {
            return value;
        }
        Add(name, $"'{Show(value)}' is not an act kind: use one of {string.Join(", ", ActKinds.Codes)}.");
        return null;
    }

    /// <summary>A verdict code (violation, possible_violation, not_covered), or null when absent.</summary>
    public string? Verdict(string name, string? value)
    {
        if (value is null or "violation" or "possible_violation" or "not_covered")
        {
            return value;
        }
        Add(name, $"'{Show(value)}' is not a verdict: use violation, possible_violation or not_covered.");
        return null;
    }

    /// <summary>true or false, or null when absent.</summary>
    public bool? Bool(string name, string? value)
    {
        switch (value)
        {
            case null:
                return null;
            case "true":
                return true;
            case "false":
                return false;
            default:
                Add(name, $"'{Show(value)}' is not a boolean: use true or false.");
                return null;
        }
    }

    /// <summary>One of <paramref name="allowed"/>, or <paramref name="fallback"/> when absent.</summary>
    public string OneOf(string name, string? value, string fallback, params string[] allowed)
    {
        if (value is null)
        {
            return fallback;
        }
        if (allowed.Contains(value, StringComparer.Ordinal))
        {
            return value;
        }
        Add(name, $"'{Show(value)}' is not allowed: use {string.Join(", ", allowed)}.");
        return fallback;
    }

    /// <summary>
    /// An identifier (a dataset, agreement, obligation, reading, report key or incident id): letters, digits and
    /// <c>_ - . : # /</c>, at most 200 characters; or null when absent. Quotes, spaces, angle brackets and the like
    /// are never part of an identifier, so text such as <c>' OR 1=1 --</c> or <c>&lt;script&gt;</c> is refused here.
    /// </summary>
    public string? Identifier(string name, string? value, string what)
    {
        if (value is null || IsIdentifier(value))
        {
            return value;
        }
        Add(name, $"'{Show(value)}' is not {what}: use letters, digits and _ - . : # / only.");
        return null;
    }

    /// <summary>True for an identifier as <see cref="Identifier"/> accepts it.</summary>
    public static bool IsIdentifier(string value) => value.Length is > 0 and <= 200 && IdentifierPattern().IsMatch(value);

    /// <summary>A value as quoted in a message: at most 60 characters, control characters replaced.</summary>
    public static string Show(string value)
    {
        var s = value.Length > 60 ? value[..60] + "..." : value;
        return new string(s.Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }

    [GeneratedRegex(@"^[\p{L}\p{N}_\-.:#/]+$")]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$")]
    private static partial Regex IsoLike();
}

/// <summary>A bounding box in degrees (SRID 4326), minimum edges inclusive, maximum edges inclusive.</summary>
/// <param name="MinLon">West edge.</param>
/// <param name="MinLat">South edge.</param>
/// <param name="MaxLon">East edge.</param>
/// <param name="MaxLat">North edge.</param>
internal sealed record BoundingBox(double MinLon, double MinLat, double MaxLon, double MaxLat)
{
    /// <summary>The whole world.</summary>
    public static BoundingBox World { get; } = new(-180, -90, 180, 90);

    /// <summary>True when the point lies inside or on an edge.</summary>
    public bool Contains(double lon, double lat) => lon >= MinLon && lon <= MaxLon && lat >= MinLat && lat <= MaxLat;
}

using Ceasefire.Taxonomy;

namespace Ceasefire.Incidents;

/// <summary>How an incident's target category was established.</summary>
public enum TargetBasis : byte
{
    /// <summary>Nothing said what was hit.</summary>
    Unknown,
    /// <summary>Stated in the report (the <c>target_category</c> column or field).</summary>
    Stated,
    /// <summary>Inferred by the keyword classifier from tags and notes.</summary>
    Inferred,
}

/// <summary>The target category of an incident and how it was established (with the words that decided it).</summary>
/// <param name="Category">The category.</param>
/// <param name="Basis">How it was established.</param>
/// <param name="Evidence">For an inference, the keywords found; for a statement, the stated value.</param>
public sealed record TargetInference(TargetCategory Category, TargetBasis Basis, IReadOnlyList<string> Evidence)
{
    /// <summary>No target known.</summary>
    public static TargetInference None { get; } = new(TargetCategory.Unknown, TargetBasis.Unknown, []);

    /// <summary>A stated category.</summary>
    public static TargetInference StatedAs(TargetCategory category, string value) => new(category, TargetBasis.Stated, [value]);

    /// <summary>One line a person can check.</summary>
    public string Describe() => Basis switch
    {
        TargetBasis.Stated => $"target {Category.Code} (stated: \"{string.Join(", ", Evidence)}\")",
        TargetBasis.Inferred => $"target {Category.Code} (inferred from the words {string.Join(", ", Evidence.Select(e => $"\"{e}\""))})",
        _ => "target unknown (nothing in the report says what was hit)",
    };
}

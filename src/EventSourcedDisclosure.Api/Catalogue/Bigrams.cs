namespace EventSourcedDisclosure.Api.Catalogue;

/// <summary>
/// Chinese has no spaces to split words on, so the catalogue indexes every pair of adjacent
/// characters (GIN over text[]) and a query of n ≥ 2 characters must contain all its pairs;
/// the exact substring is then checked on the candidates. Needs no extension, works for
/// two-character queries (pg_trgm's index needs three) and does not depend on the locale's
/// idea of a word character. docs/catalogue-search.md has the measurements.
/// </summary>
public static class Bigrams
{
    public static string Normalize(string text) => text.ToLowerInvariant();

    public static string[] Of(params string?[] fields) =>
        fields.Where(f => !string.IsNullOrEmpty(f))
            .SelectMany(f => Pairs(Normalize(f!)))
            .Distinct(StringComparer.Ordinal)
            .ToArray();

    private static IEnumerable<string> Pairs(string text)
    {
        for (var i = 0; i + 1 < text.Length; i++)
            if (!char.IsWhiteSpace(text[i]) && !char.IsWhiteSpace(text[i + 1]))
                yield return text.Substring(i, 2);
    }
}

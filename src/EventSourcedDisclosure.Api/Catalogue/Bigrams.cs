namespace EventSourcedDisclosure.Api.Catalogue;

/// <summary>
/// Chinese has no spaces to split words on, so the catalogue indexes every pair of adjacent
/// characters (GIN over int[]) and a query of n ≥ 2 characters must contain all its pairs;
/// the exact substring is then checked on the candidates. Needs no extension, works for
/// two-character queries (pg_trgm's index needs three) and does not depend on the locale's
/// idea of a word character. docs/catalogue-search.md has the measurements.
/// </summary>
public static class Bigrams
{
    public static string Normalize(string text) => text.ToLowerInvariant();

    /// <summary>
    /// Each pair as one integer, its two UTF-16 units side by side: exact (no two pairs share a
    /// code, so a two-character term is decided by the index alone), and a quarter of the size of
    /// text elements, with integer comparisons instead of collation in the index's build and search.
    /// In ascending order: GIN sorts each row's keys before it adds them, and sorted input saves
    /// it most of that (measured: the catalogue's bigram index built in 0.9 s instead of 1.3 s).
    /// </summary>
    public static int[] Of(params string?[] fields) => OfNormalized(Normalize(string.Join('\n', fields)));

    /// <summary>
    /// The pairs of text already through <see cref="Normalize"/>. No pair spans whitespace, so
    /// fields joined with a line break give the pairs of each field.
    /// </summary>
    public static int[] OfNormalized(string text)
    {
        // A rebuild computes this for every entry: one buffer, no list, no second lowercasing.
        var onStack = text.Length <= 2048;
        var buffer = onStack ? stackalloc int[text.Length] : new int[text.Length];
        var count = 0;
        var previousIsSpace = true;
        for (var i = 0; i < text.Length; i++)
        {
            var isSpace = char.IsWhiteSpace(text[i]);
            if (!isSpace && !previousIsSpace) buffer[count++] = unchecked((text[i - 1] << 16) | text[i]);
            previousIsSpace = isSpace;
        }
        // Sorted, then each pair once.
        var sorted = buffer[..count];
        if (count < RadixFrom) sorted.Sort();
        else RadixSort(sorted, onStack ? stackalloc int[count] : new int[count]);
        var distinct = 0;
        foreach (var pair in sorted)
            if (distinct == 0 || pair != sorted[distinct - 1]) sorted[distinct++] = pair;
        return sorted[..distinct].ToArray();
    }

    // A title's 15 or so pairs took either sort the same time; the radix sort's fixed cost (its
    // 1,024 counters) is for longer texts. Not tuned further: no threshold was measured.
    private const int RadixFrom = 64;

    /// <summary>
    /// Ascending as signed integers (int4's order, which GIN keeps), a byte at a time from the
    /// lowest, skipping a byte every pair shares. The introsort of an entry's pairs was 5.5 % of
    /// the machine's samples in a catalogue rebuild's replay (perf, full store); with this, an
    /// entry of 180 characters gives its pairs in 2.4 µs instead of 5.7.
    /// </summary>
    internal static void RadixSort(Span<int> keys, Span<int> scratch)
    {
        Span<int> counts = stackalloc int[4 * 256];
        foreach (var key in keys)
        {
            var u = Biased(key);
            counts[(int)(u & 0xFF)]++;
            counts[256 + (int)((u >> 8) & 0xFF)]++;
            counts[512 + (int)((u >> 16) & 0xFF)]++;
            counts[768 + (int)(u >> 24)]++;
        }
        var from = keys;
        var to = scratch;
        for (var pass = 0; pass < 4; pass++)
        {
            var shift = pass * 8;
            var digits = counts.Slice(pass * 256, 256);
            if (digits[(int)((Biased(from[0]) >> shift) & 0xFF)] == from.Length) continue;
            var position = 0;
            for (var d = 0; d < 256; d++)
            {
                var digitCount = digits[d];
                digits[d] = position;
                position += digitCount;
            }
            foreach (var key in from) to[digits[(int)((Biased(key) >> shift) & 0xFF)]++] = key;
            var written = to;
            to = from;
            from = written;
        }
        if (from != keys) from.CopyTo(keys);
    }

    // The sign bit flipped: negative integers first when the bytes are read as unsigned.
    private static uint Biased(int key) => (uint)key ^ 0x8000_0000;
}

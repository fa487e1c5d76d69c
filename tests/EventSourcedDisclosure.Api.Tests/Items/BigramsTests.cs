using EventSourcedDisclosure.Api.Catalogue;

namespace EventSourcedDisclosure.Api.Tests.Items;

/// <summary>
/// The pairs a search matches on, sorted as int4 sorts them (GIN keeps that order) and each once,
/// whichever sort produced them: long texts go through the radix sort, short ones do not.
/// </summary>
public sealed class BigramsTests
{
    [Theory]
    [InlineData(10)]   // a title: the comparison sort
    [InlineData(400)]  // a body: the radix sort
    [InlineData(3000)] // longer than the stack buffer
    public void Pairs_are_distinct_and_in_int4_order(int length)
    {
        // CJK below and above U+8000 (pairs with a negative sign bit), Latin, digits, line breaks.
        var random = new Random(length);
        const string alphabet = "教育经费投入预算决算公开政府信息采购项目统计公告农村城市保险就业振兴abcXYZ0123\n ";
        var text = Bigrams.Normalize(new string(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()));

        var pairs = Bigrams.OfNormalized(text);

        var expected = Enumerable.Range(1, text.Length - 1)
            .Where(i => !char.IsWhiteSpace(text[i - 1]) && !char.IsWhiteSpace(text[i]))
            .Select(i => unchecked((text[i - 1] << 16) | text[i]))
            .Distinct().Order().ToArray();
        pairs.ShouldBe(expected);
        pairs.ShouldContain(p => p < 0, "the text has pairs whose first character is above U+7FFF");
    }

    [Fact]
    public void The_radix_sort_orders_signed_integers_and_keeps_duplicates()
    {
        var random = new Random(7);
        int[][] inputs =
        [
            Enumerable.Range(0, 500).Select(_ => random.Next(int.MinValue, int.MaxValue)).ToArray(),
            Enumerable.Range(0, 200).Select(i => 0x4E00_0000 | (i % 3)).ToArray(), // three bytes shared by all
            [int.MaxValue, int.MinValue, 0, -1, 1, int.MinValue, int.MaxValue],
        ];
        foreach (var input in inputs)
        {
            var keys = input.ToArray();
            Bigrams.RadixSort(keys, new int[keys.Length]);
            keys.ShouldBe(input.Order().ToArray());
        }
    }
}

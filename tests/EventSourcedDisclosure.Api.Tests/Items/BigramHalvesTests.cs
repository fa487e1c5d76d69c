using EventSourcedDisclosure.Api.Catalogue;

namespace EventSourcedDisclosure.Api.Tests.Items;

/// <summary>
/// The catalogue keeps its pairs in two columns, a GIN index each (built side by side in a
/// rebuild): the split must lose no pair, keep each half in the order GIN is given, and be even
/// enough for the two builds to take about as long as each other.
/// </summary>
public sealed class BigramHalvesTests
{
    private const string Text = """
        为进一步提升政务信息公开的质量和实效，促进依法行政，保障人民群众的知情权、参与权、表达权和监督权，
        按照国家、省、市推进政务信息公开的安排和部署要求，结合我局实际制定本制度。对运行行政权力办理的与群众
        利益相关的各类事项，依照法律、法规和有关政策规定，除涉及国家秘密、商业秘密和个人隐私的以外，都应当公开。
        """;

    [Fact]
    public void The_halves_hold_every_pair_once_each_in_ascending_order()
    {
        var pairs = Bigrams.Of(Text);
        var (a, b) = Bigrams.Halves(pairs);

        a.Concat(b).Order().ShouldBe(pairs);
        a.ShouldBe(a.Order());
        b.ShouldBe(b.Order());
        a.Intersect(b).ShouldBeEmpty();
    }

    [Fact]
    public void A_chinese_text_splits_about_evenly()
    {
        var pairs = Bigrams.Of(Text);
        var (a, _) = Bigrams.Halves(pairs);

        pairs.Length.ShouldBeGreaterThan(100);
        ((double)a.Length / pairs.Length).ShouldBeInRange(0.4, 0.6);
    }

    [Fact]
    public void A_term_whose_pairs_are_all_in_a_text_has_each_half_in_that_halfs_column()
    {
        var (textA, textB) = Bigrams.Halves(Bigrams.Of(Text));
        foreach (var term in new[] { "政务信息公开", "个人隐私", "知情权" })
        {
            var (termA, termB) = Bigrams.Halves(Bigrams.Of(term));
            (termA.Length + termB.Length).ShouldBe(term.Length - 1);
            termA.Except(textA).ShouldBeEmpty();
            termB.Except(textB).ShouldBeEmpty();
        }
    }
}

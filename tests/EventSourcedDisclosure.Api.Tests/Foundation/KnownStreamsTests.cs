using System.Net;
using System.Text.Json.Nodes;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Api.Tests.Infrastructure;
using EventSourcedDisclosure.EventStore;
using Microsoft.Extensions.Configuration;

namespace EventSourcedDisclosure.Api.Tests.Foundation;

/// <summary>
/// Commands on streams a writer's own commit left are decided without loading them, answer as a
/// load would, and a write from elsewhere (another node) is never decided around.
/// </summary>
public sealed class KnownStreamsTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static async Task<JsonNode> WritersAsync(ApiFactory node) =>
        (await (await node.Anonymous().GetAsync("/health/ready")).BodyAsync())["commands"]!;

    private static long Counter(JsonNode writers, string name) => writers[name]!.GetValue<long>();

    [Fact]
    public async Task Steps_after_the_first_are_decided_without_a_load_and_serials_stay_gap_free()
    {
        var steps = new ItemSteps(api, "ks-a");
        await steps.RegisterAgencyAsync();
        var before = await WritersAsync(api);

        // The first item loads what the writers have not seen yet: the agency's context, the year's serial counter.
        var (_, first) = await steps.PublishedItemAsync();
        var (second, secondNumber) = await steps.PublishedItemAsync();

        var after = await WritersAsync(api);
        // First item: attribute and review known; second: all four.
        (Counter(after, "withoutLoad") - Counter(before, "withoutLoad")).ShouldBe(6);
        Counter(after, "staleRetries").ShouldBe(Counter(before, "staleRetries"));
        first.ShouldEndWith("-00001");
        secondNumber.ShouldEndWith("-00002");
        var read = await api.ClientAs("reader").GetAsync($"{steps.Items}/{second}");
        read.ETag().ShouldBe("\"4\"");
        (await read.BodyAsync())["status"]!.GetValue<string>().ShouldBe("published");
    }

    [Fact]
    public async Task A_write_on_another_node_is_seen_by_the_next_command_here()
    {
        await using var other = api.SecondNode();
        var here = new ItemSteps(api, "ks-b");
        var there = new ItemSteps(other, "ks-b");
        await here.RegisterAgencyAsync();
        var id = await here.DraftAsync();
        await here.AttributeAsync(id, important: false);
        await there.AttributeAsync(id, important: true); // this node's writers knew the item at version 2
        var before = await WritersAsync(api);

        var reviewed = await here.ReviewAsync(id);

        reviewed["version"]!.GetValue<long>().ShouldBe(4);
        reviewed["important"]!.GetValue<bool>().ShouldBeTrue(); // decided from the other node's attribute, not the known one
        (Counter(await WritersAsync(api), "staleRetries") - Counter(before, "staleRetries")).ShouldBe(1);
        (await api.ClientAs("reader").GetAsync($"{here.Items}/{id}")).ETag().ShouldBe("\"4\"");
    }

    [Fact]
    public async Task A_command_refused_from_what_the_writers_knew_is_decided_again_from_the_log()
    {
        await using var other = api.SecondNode();
        var here = new ItemSteps(api, "ks-c");
        var there = new ItemSteps(other, "ks-c");
        await here.RegisterAgencyAsync();
        var id = await here.DraftAsync();
        await there.AttributeAsync(id); // here the item is still known as a draft without its attribute, which a review needs

        var reviewed = await here.ReviewAsync(id);

        reviewed["status"]!.GetValue<string>().ShouldBe("reviewed");
        reviewed["version"]!.GetValue<long>().ShouldBe(3);
    }

    [Fact]
    public void An_erased_stream_is_never_kept()
    {
        using var known = new KnownStreams(new ConfigurationBuilder().Build());
        var (kept, erased) = (Guid.NewGuid(), Guid.NewGuid());

        known.Put("t", kept, new KnownStreams.Entry("state", new KnownStream(kept, 1, new KeyRow(true, "wrapped"))));
        known.Put("t", erased, new KnownStreams.Entry("state", new KnownStream(erased, 1, new KeyRow(true, "wrapped"))));
        known.Put("t", erased, new KnownStreams.Entry("erased state", new KnownStream(erased, 2, new KeyRow(true, null))));

        known.TryGet("t", kept, out _).ShouldBeTrue();
        known.TryGet("t", erased, out _).ShouldBeFalse();
    }

    [Fact]
    public async Task An_idle_stream_is_dropped_even_when_nothing_asks_for_it_again()
    {
        using var known = new KnownStreams(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Commands:KnownStreamIdleSeconds"] = "1" }).Build());
        var id = Guid.NewGuid();

        known.Put("t", id, new KnownStreams.Entry("a request's state", new KnownStream(id, 1, new KeyRow(true, "wrapped"))));
        known.Count.ShouldBe(1);

        await Eventually.ReturnsAsync(() => Task.FromResult(known.Count == 0 ? "dropped" : null), seconds: 10);
    }
}

using System.Net;
using EventSourcedDisclosure.Api.Tests.Infrastructure;

namespace EventSourcedDisclosure.Api.Tests.Items;

public sealed class IndexNumberConcurrencyTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Two_hundred_concurrent_publications_get_two_hundred_distinct_gap_free_serials()
    {
        var steps = new ItemSteps(api, "busy");
        await steps.RegisterAgencyAsync(prefix: "000014349");
        var ids = new List<Guid>();
        for (var i = 0; i < 200; i++)
        {
            var id = await steps.DraftAsync(ItemSteps.Draft(title: $"并发公开测试 {i}"));
            await steps.AttributeAsync(id);
            await steps.ReviewAsync(id);
            ids.Add(id);
        }

        var responses = await Task.WhenAll(ids.Select(id => Task.Run(() =>
            steps.PostAsync(api.ClientAs("publisher"), id, "publication", new { publishedOn = "2025-07-01", channels = new[] { "website" } }))));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        var numbers = new List<string>();
        foreach (var r in responses) numbers.Add((await r.BodyAsync())["indexNumber"]!.GetValue<string>());
        numbers.Distinct().Count().ShouldBe(200);
        numbers.Select(n => int.Parse(n["000014349/2025-".Length..])).Order().ShouldBe(Enumerable.Range(1, 200));

        // The serial stream holds exactly one event per index number, in order.
        var serials = (await api.ReadAsync("busy")).Where(e => e.Type == "index.serial-issued.v1").ToList();
        serials.Select(e => e.Version).ShouldBe(Enumerable.Range(1, 200).Select(v => (long)v));
    }
}

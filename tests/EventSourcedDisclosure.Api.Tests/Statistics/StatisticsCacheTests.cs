using System.Text.Json.Nodes;
using EventSourcedDisclosure.Api.Tests.Infrastructure;
using EventSourcedDisclosure.EventStore.Projections;
using Microsoft.Extensions.DependencyInjection;

namespace EventSourcedDisclosure.Api.Tests.Statistics;

/// <summary>
/// Statistics reads come from per-agency cells cached by the version of the agency's facts: a
/// change to one agency shows at once in its tables and its region's, the others' cached cells
/// still count, and a rebuild (which starts the versions over) never serves stale figures.
/// </summary>
public sealed class StatisticsCacheTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_new_fact_shows_in_its_agency_and_region_while_untouched_agencies_stay_cached_and_correct()
    {
        var a = new RequestSteps(api, "ca");
        var b = new RequestSteps(api, "cb");
        await a.RegisterAgencyAsync();
        await b.RegisterAgencyAsync();
        var first = RequestSteps.IdOf(await a.ReceiveAsync("2025-03-03"));
        await b.ReceiveAsync("2025-03-04");
        await api.CaughtUpAsync();
        (await ReceivedAsync("/api/v1/agencies/ca/statistics/2025")).ShouldBe(1);
        (await ReceivedAsync("/api/v1/regions/130525/statistics/2025")).ShouldBe(2); // both agencies cached now

        await a.ReceiveAsync("2025-05-06");
        await a.OkAsync(first, "answer", new { answeredOn = "2025-03-20", outcome = "disclosed", detail = "已提供" });
        await api.CaughtUpAsync();
        (await ReceivedAsync("/api/v1/agencies/ca/statistics/2025")).ShouldBe(2);
        (await ReceivedAsync("/api/v1/agencies/cb/statistics/2025")).ShouldBe(1);
        var region = await StatisticsAsync("/api/v1/regions/130525/statistics/2025");
        Row(region, "received").ShouldBe(3);
        Row(region, "disclosed").ShouldBe(1);
        Row(region, "carriedForward").ShouldBe(2);
        region["checks"]!.AsArray().ShouldAllBe(c => c!["passed"]!.GetValue<bool>());

        // A rebuild empties the facts and their versions; reads during and after it never show the old cells as current.
        var before = (await StatisticsAsync("/api/v1/regions/130525/statistics/2025"))["requests"]!.ToJsonString();
        await api.Services.GetRequiredService<ProjectionAdmin>().RebuildAsync("statistics");
        (await StatisticsAsync("/api/v1/regions/130525/statistics/2025"))["requests"]!.ToJsonString().ShouldBe(before);
        // And the explanation of a cell (never cached) agrees with the cached table.
        var explained = await StatisticsAsync("/api/v1/agencies/ca/statistics/2025?explain=requests.received.total");
        explained["events"]!.AsArray().Count.ShouldBe(2);
    }

    private async Task<JsonNode> StatisticsAsync(string path)
    {
        var response = await api.ClientAs("editor", "*:reportEditor").GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await response.BodyAsync();
    }

    private async Task<int> ReceivedAsync(string path) => Row(await StatisticsAsync(path), "received");

    private static int Row(JsonNode tables, string key) =>
        tables["requests"]!["rows"]!.AsArray().Single(r => r!["key"]!.GetValue<string>() == key)!["values"]!.AsArray()[^1]!.GetValue<int>();
}

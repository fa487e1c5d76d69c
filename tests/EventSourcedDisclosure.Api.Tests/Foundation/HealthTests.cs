using System.Net;
using EventSourcedDisclosure.Api.Tests.Infrastructure;

namespace EventSourcedDisclosure.Api.Tests.Foundation;

public sealed class HealthTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Ready_reports_the_database_and_every_async_projection_caught_up()
    {
        var client = api.ClientAs("clerk-1");
        await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/health", new { name = "某局", region = "130525", indexPrefix = "x" });

        var body = await Eventually.ReturnsAsync(async () =>
        {
            var response = await api.Anonymous().GetAsync("/health/ready");
            return response.StatusCode == HttpStatusCode.OK ? await response.BodyAsync() : null;
        });
        body.ToJsonString().ShouldContain("activity");
    }

    [Fact]
    public async Task Ready_carries_the_runtimes_totals_which_grow_as_the_node_works()
    {
        var client = api.ClientAs("clerk-1");
        var before = (await (await api.Anonymous().GetAsync("/health/ready")).BodyAsync())["runtime"]!;
        for (var i = 0; i < 20; i++)
            await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/runtime", new { name = $"某局{i}", region = "130525", indexPrefix = "x" });
        GC.Collect(); // one collection at least, in this process as in the node's

        var after = (await (await api.Anonymous().GetAsync("/health/ready")).BodyAsync())["runtime"]!;
        after["allocatedBytes"]!.GetValue<long>().ShouldBeGreaterThan(before["allocatedBytes"]!.GetValue<long>());
        after["collections"]!.GetValue<int>().ShouldBeGreaterThan(before["collections"]!.GetValue<int>());
        after["gcPauseSeconds"]!.GetValue<double>().ShouldBeGreaterThan(before["gcPauseSeconds"]!.GetValue<double>());
        before["jitCompiledMethods"]!.GetValue<long>().ShouldBeGreaterThan(0);
        after["jitCompiledMethods"]!.GetValue<long>().ShouldBeGreaterThanOrEqualTo(before["jitCompiledMethods"]!.GetValue<long>());
        after["jitSeconds"]!.GetValue<double>().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task The_activity_projection_counts_what_was_appended()
    {
        var client = api.ClientAs("clerk-1");
        await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/counted", new { name = "某局", region = "130525", indexPrefix = "x" });
        await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/counted", new { name = "某局二", region = "130525", indexPrefix = "x" });

        var events = await Eventually.ReturnsAsync(async () =>
        {
            var rows = (await (await client.GetAsync("/api/v1/agencies/counted/activity")).BodyAsync())["events"]!.AsArray();
            return rows.Count == 2 ? rows : null;
        });
        events.Select(r => (r!["type"]!.GetValue<string>(), r["events"]!.GetValue<long>()))
            .ShouldBe([("agency.details-changed.v1", 1L), ("agency.registered.v1", 1L)]);
    }
}

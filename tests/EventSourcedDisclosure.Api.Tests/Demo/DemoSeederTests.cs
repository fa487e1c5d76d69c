using System.Text.Json.Nodes;
using EventSourcedDisclosure.Api.Demo;
using EventSourcedDisclosure.Api.Tests.Infrastructure;
using EventSourcedDisclosure.EventStore.Projections;
using Microsoft.Extensions.DependencyInjection;

namespace EventSourcedDisclosure.Api.Tests.Demo;

/// <summary>The demo year is real work: the catalogue, the ledger, the yearly tables and the report all show it, and it rebuilds.</summary>
public sealed class DemoSeederTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_seeded_year_fills_the_catalogue_ledger_and_balanced_yearly_tables_of_a_region()
    {
        var seeder = api.Services.GetRequiredService<DemoSeeder>();
        (await seeder.StoreIsEmptyAsync(default)).ShouldBeTrue();
        var steps = new List<int>();
        var summary = await seeder.SeedAsync(progress: new Progress<(int Done, int Total)>(p => { lock (steps) steps.Add(p.Done); }));
        (await seeder.StoreIsEmptyAsync(default)).ShouldBeFalse();
        summary.Items.ShouldBe(360);
        summary.Requests.ShouldBe(120);
        summary.Events.ShouldBe((await api.ReadAsync()).Count);

        var year = summary.Year;
        var catalogue = await (await api.Anonymous().GetAsync($"/api/v1/catalogue?region={DemoSeeder.Region}&year={year}&pageSize=1")).BodyAsync();
        catalogue["total"]!.GetValue<int>().ShouldBeGreaterThan(200);
        var search = await (await api.Anonymous().GetAsync("/api/v1/catalogue?q=行政处罚&pageSize=1")).BodyAsync();
        search["total"]!.GetValue<int>().ShouldBeGreaterThan(0);

        var auditor = api.ClientAs("records", "*:auditor");
        var outcomes = new HashSet<string>();
        foreach (var (agency, _, _, _) in DemoSeeder.Agencies)
        {
            var ledger = await (await auditor.GetAsync($"/api/v1/agencies/{agency}/requests?pageSize=500")).BodyAsync();
            foreach (var row in ledger["items"]!.AsArray()) if (row!["outcome"] is JsonValue o) outcomes.Add(o.GetValue<string>());
        }
        outcomes.ShouldBe(["disclosed", "partiallyDisclosed", "withheld", "unavailable", "notProcessed", "other"], ignoreOrder: true);

        var admin = api.Services.GetRequiredService<ProjectionAdmin>();
        await admin.CatchUpAsync("statistics");
        var region = await (await auditor.GetAsync($"/api/v1/regions/{DemoSeeder.Region}/statistics/{year}")).BodyAsync();
        region["checks"]!.AsArray().ShouldAllBe(c => c!["passed"]!.GetValue<bool>(), region["checks"]!.ToJsonString());
        var rows = region["requests"]!["rows"]!.AsArray();
        Total(rows, "received").ShouldBe(120);
        Total(rows, "carriedForward").ShouldBeGreaterThan(0);
        var appeals = region["appeals"]!["reconsideration"]!["total"]!.GetValue<int>() + region["appeals"]!["lawsuitDirect"]!["total"]!.GetValue<int>()
            + region["appeals"]!["lawsuitAfterReconsideration"]!["total"]!.GetValue<int>();
        appeals.ShouldBeGreaterThan(0);
        region["proactive"]!["normativeDocument"]!["issued"]!.GetValue<int>().ShouldBeGreaterThan(0);

        var report = await auditor.GetAsync($"/api/v1/agencies/lyxjyj/annual-reports/{year}?format=html");
        report.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        (await report.Content.ReadAsStringAsync()).ShouldContain("隆尧县教育局");

        foreach (var projection in new[] { "items", "catalogue", "ledger" })
        {
            var table = projection switch { "catalogue" => "catalogue_entries", "ledger" => "requests", _ => projection };
            var live = await api.DumpAsync(table);
            await admin.RebuildAsync(projection);
            (await api.DumpAsync(table)).ShouldBe(live, projection);
        }
    }

    private static int Total(JsonArray rows, string key) =>
        rows.Single(r => r!["key"]!.GetValue<string>() == key)!["values"]!.AsArray()[^1]!.GetValue<int>();
}

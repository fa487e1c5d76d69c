using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Domain.Agencies;
using EventSourcedDisclosure.Domain.Items;
using EventSourcedDisclosure.EventStore;
using EventSourcedDisclosure.Testing;
using Microsoft.Extensions.Configuration;

namespace EventSourcedDisclosure.Cli.Tests;

/// <summary>`esd projections rebuild` on a log of 100,000 events: progress along the way, the same read model at the end.</summary>
public sealed class RebuildCommandTests
{
    private const int Streams = 1_000, RevisionsPerItem = 49; // 3 + 2 × 49 − 1 = 100 events per item

    [Fact]
    public async Task Rebuilding_a_projection_of_100000_events_shows_progress_and_ends_with_the_same_read_model()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var cli = new CliRun(db);
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DataDirectory"] = cli.DataDir }).Build();
        await using var source = db.CreateDataSource();
        var store = new EventStore.EventStore(source, StoreSetup.Options(config));
        await store.MigrateAsync();
        await AppendItemsAsync(store);
        (await TestStoreCount(db)).ShouldBe(Streams * 100 + 1);
        var live = await CliRun.DumpAsync(db.ConnectionString, "items");

        var (code, output) = await cli.RunAsync("projections", "rebuild", "items");
        code.ShouldBe(0, output);
        var progress = output.Split('\n').Where(l => l.StartsWith("rebuild items: ")).ToList();
        progress.Count.ShouldBeGreaterThanOrEqualTo(10, output); // a line at every tenth, and the end
        progress[^1].ShouldContain($"{Streams * 100 + 1}/{Streams * 100 + 1}");
        (await CliRun.DumpAsync(db.ConnectionString, "items")).ShouldBe(live);
        (await cli.RunAsync("projections", "rebuild", "nothing")).Code.ShouldBe(2);
    }

    // Items drafted, attributed, cleared, then revised and cleared again, decided by the item decider
    // and appended a stream at a time, so the inline projection builds the live table.
    private static async Task AppendItemsAsync(EventStore.EventStore store)
    {
        var today = new DateOnly(2025, 12, 31);
        await store.AppendAsync("bulk", AgencyDecider.StreamId("bulk"), "agency", ExpectedVersion.NoStream,
            AgencyDecider.Decide(new RegisterAgency("bulk", "批量局", "130525", "bulk", null, null, DateTimeOffset.UtcNow), Agency.Initial),
            new EventMetadata("admin"));
        var agency = new AgencyContext("bulk", "批量局", "bulk", AgencyDecider.DefaultIndexTemplate, AgencyDecider.DefaultCategories.Select(c => c.Code).ToList());
        await Parallel.ForEachAsync(Enumerable.Range(0, Streams), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (n, ct) =>
        {
            var id = Guid.CreateVersion7();
            var events = new List<object>();
            var item = Item.Initial;
            void Apply(IReadOnlyList<object> decided) { events.AddRange(decided); item = decided.Aggregate(item, Item.Evolve); }
            Apply(ItemDecider.Draft(new DraftItem(id, $"文件 {n}", "摘要", null, null, today, "办公室", "policy", null, null, "other", null, "drafter", today), agency));
            Apply(ItemDecider.AssignAttribute(new AssignAttribute("onRequest", null, null, false, "drafter", today), item, agency));
            Apply(ItemDecider.Review(new ReviewItem("cleared", "可以公开", "reviewer", today), item));
            for (var r = 1; r < RevisionsPerItem + 1 && events.Count < 100; r++)
            {
                Apply(ItemDecider.Revise(new ReviseItem(today, $"文件 {n} 第{r}稿", null, null, "修订", "drafter"), item));
                if (events.Count < 100) Apply(ItemDecider.Review(new ReviewItem("cleared", "可以公开", "reviewer", today), item));
            }
            await store.AppendAsync("bulk", id, "item", ExpectedVersion.NoStream, events, new EventMetadata("drafter"), ct: ct);
        });
    }

    private static async Task<long> TestStoreCount(TestDatabase db)
    {
        await using var source = db.CreateDataSource();
        await using var command = source.CreateCommand("select count(*) from disclosure.events");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

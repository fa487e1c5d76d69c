using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Api.Tests.Infrastructure;
using EventSourcedDisclosure.EventStore.Integrity;
using EventSourcedDisclosure.EventStore.Privacy;
using EventSourcedDisclosure.EventStore.Projections;
using EventSourcedDisclosure.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EventSourcedDisclosure.Api.Tests.Audit;

/// <summary>The audit export, imported into an empty database, gives the same read models — every one of them.</summary>
public sealed class ExportImportTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly string[] Tables =
        ["agencies", "items", "catalogue_entries", "catalogue_counts", "requests", "public_tracking", "stat_requests", "stat_items", "stat_appeals", "agency_activity"];

    [Fact]
    public async Task An_exported_log_rebuilds_identical_read_models_in_an_empty_database()
    {
        var items = new ItemSteps(api, "export");
        await items.RegisterAgencyAsync();
        for (var i = 0; i < 6; i++) await items.PublishedItemAsync(ItemSteps.Draft(title: $"导出测试 {i}"), $"2025-03-0{i + 1}");
        var requests = new RequestSteps(api, "export");
        for (var i = 0; i < 6; i++)
        {
            var id = RequestSteps.IdOf(await requests.ReceiveAsync("2025-03-03"));
            if (i % 2 == 0) await requests.OkAsync(id, "answer", new { answeredOn = "2025-03-20", outcome = "disclosed", detail = "已提供" });
            if (i == 0) await requests.OkAsync(id, "reconsiderations", new { filedOn = "2025-04-01" });
        }
        var admin = api.Services.GetRequiredService<ProjectionAdmin>();
        foreach (var p in new[] { "statistics", "activity" }) await admin.CatchUpAsync(p);

        var file = Path.Combine(Path.GetTempPath(), $"esd-export-{Guid.NewGuid():N}.ndjson");
        try
        {
            await using (var output = File.Create(file))
            await using (var body = await api.ClientAs("auditor", "*:auditor").GetStreamAsync("/api/v1/audit/export"))
                await body.CopyToAsync(output);

            await using var target = await TestCluster.CreateDatabaseAsync();
            // Another database of the same deployment: the same key-encryption key, and the data keys moved along.
            var copy = new EventStore.EventStore(target.CreateDataSource(), StoreSetup.Options(api.Services.GetRequiredService<IConfiguration>()));
            await copy.MigrateAsync();
            await using (var input = File.OpenRead(file))
                (await new LogExport(copy).ImportAsync(input)).ShouldBe((await api.ReadAsync()).Count);
            using (var keys = new MemoryStream())
            {
                (await new KeyExport(api.Services.GetRequiredService<EventStore.EventStore>()).ExportAsync(keys)).ShouldBe(6);
                keys.Position = 0;
                await new KeyExport(copy).ImportAsync(keys);
            }
            var copyAdmin = new ProjectionAdmin(copy);
            foreach (var registration in copy.Options.Projections) await copyAdmin.RebuildAsync(registration.Projection.Name);

            foreach (var table in Tables)
                (await ReadModels.DumpAsync(target.ConnectionString, table)).ShouldBe(await api.DumpAsync(table), table);
            (await new ChainVerifier(copy).VerifyAsync("export")).Verified.ShouldBeTrue();
        }
        finally { File.Delete(file); }
    }
}

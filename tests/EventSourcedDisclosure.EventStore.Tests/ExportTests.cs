using EventSourcedDisclosure.EventStore.Integrity;
using EventSourcedDisclosure.EventStore.Projections;

namespace EventSourcedDisclosure.EventStore.Tests;

/// <summary>200,000 events out as NDJSON with flat memory, and back into an empty store: same chain, same read model.</summary>
public sealed class ExportTests
{
    private const int Events = 200_000;

    private static EventStore Store(Testing.TestDatabase db)
    {
        var options = new EventStoreOptions { Schema = "es" };
        options.Events.Register<Counted>("test.counted.v1").Register<Renamed>("test.renamed.v1");
        options.AddProjection(new StreamCountProjection(), ProjectionLifecycle.Async);
        return new EventStore(db.CreateDataSource(), options);
    }

    [Fact]
    public async Task Two_hundred_thousand_events_export_with_flat_memory_and_import_to_identical_state()
    {
        await using var source = await Testing.TestCluster.CreateDatabaseAsync();
        var store = Store(source);
        await store.MigrateAsync();
        var streams = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToArray();
        var batch = Enumerable.Range(0, 1000).Select(i => (object)(i % 10 == 0 ? new Renamed($"名称 {i}") : new Counted(i))).ToList();
        for (var i = 0; i < Events / batch.Count; i++)
            await store.AppendAsync(i % 2 == 0 ? "t1" : "t2", streams[i % streams.Length], "thing", ExpectedVersion.Any, batch, new EventMetadata($"writer-{i % 3}"));
        await new ProjectionAdmin(store).CatchUpAsync("stream_counts");

        // Export to a file while sampling the live managed heap (after a collection, so garbage
        // not yet collected does not count): it must not grow with the export.
        var file = Path.Combine(Path.GetTempPath(), $"esd-export-{Guid.NewGuid():N}.ndjson");
        try
        {
            GC.Collect();
            var baseline = GC.GetTotalMemory(forceFullCollection: true);
            long peak = baseline;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
                    await Task.Delay(250);
                }
            });
            long exported;
            await using (var output = File.Create(file))
                exported = await new LogExport(store).ExportAsync(output, tenant: null, from: null, to: null);
            await sampling.CancelAsync();
            await sampler;
            var size = new FileInfo(file).Length;

            exported.ShouldBe(Events + 0L);
            size.ShouldBeGreaterThan(20_000_000); // the export is many times the allowed growth below
            (peak - baseline).ShouldBeLessThan(size / 10, $"heap grew by {(peak - baseline) / 1_000_000} MB for a {size / 1_000_000} MB export");

            await using var target = await Testing.TestCluster.CreateDatabaseAsync();
            var copy = Store(target);
            await copy.MigrateAsync();
            await using (var input = File.OpenRead(file))
                (await new LogExport(copy).ImportAsync(input)).ShouldBe(Events + 0L);
            await new ProjectionAdmin(copy).RebuildAsync("stream_counts");

            foreach (var tenant in new[] { "t1", "t2" })
                (await new ChainVerifier(copy).VerifyAsync(tenant)).ShouldBe(new ChainVerification(true, Events / 2, null, null, null));
            (await copy.ProjectedCountsAsync())
                .ShouldBe(await store.ProjectedCountsAsync());
            (await copy.CountsAsync("select stream_id, max(version) from es.events group by stream_id"))
                .ShouldBe(await store.CountsAsync("select id, version from es.streams"));
            // The copy keeps appending where the original left off.
            var next = await copy.AppendAsync("t1", streams[0], "thing", ExpectedVersion.Any, [new Counted(1)], EventMetadata.System);
            next.Sequences[0].ShouldBeGreaterThan(Events);
            (await new ChainVerifier(copy).VerifyAsync("t1")).Verified.ShouldBeTrue();
        }
        finally { File.Delete(file); }
    }
}

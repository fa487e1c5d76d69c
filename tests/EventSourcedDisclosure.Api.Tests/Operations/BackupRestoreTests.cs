using EventSourcedDisclosure.Api.Calendar;
using EventSourcedDisclosure.Api.Demo;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Api.Tests.Infrastructure;
using EventSourcedDisclosure.EventStore.Embedded;
using EventSourcedDisclosure.EventStore.Integrity;
using EventSourcedDisclosure.EventStore.Projections;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace EventSourcedDisclosure.Api.Tests.Operations;

/// <summary>ops/backup.md's procedure: a physical base backup, restored as a new cluster, verifies and serves the same read models.</summary>
public sealed class BackupRestoreTests
{
    private static readonly string[] Tables =
        ["agencies", "items", "catalogue_entries", "catalogue_counts", "requests", "public_tracking", "stat_requests", "stat_items", "stat_appeals", "agency_activity",
         "projection_progress", "personal_data_keys"];

    [Fact]
    public async Task A_base_backup_restored_into_a_new_cluster_verifies_and_serves_identical_read_models()
    {
        var root = Directory.CreateTempSubdirectory("esd-backup-").FullName;
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(root, (UnixFileMode)Convert.ToInt32("755", 8)); // the postgres user works below it
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["DataDirectory"] = root }).Build();
        try
        {
            Dictionary<string, List<string>> before;
            await using (var primary = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(Path.Combine(root, "primary"))))
            {
                await using var source = NpgsqlDataSource.Create(primary.ConnectionString);
                var store = new EventStore.EventStore(source, StoreSetup.Options(config));
                await store.MigrateAsync();
                await new DemoSeeder(store, new CalendarProvider(), TimeProvider.System).SeedAsync(itemsPerAgency: 30, requestsPerAgency: 15);
                foreach (var name in new[] { "statistics", "activity" }) await new ProjectionAdmin(store).CatchUpAsync(name);
                before = await DumpAllAsync(primary.ConnectionString);

                await primary.BaseBackupAsync(Path.Combine(root, "backup", "base"));
            }

            // Restore: the base backup becomes the data folder of a new cluster.
            await using var restored = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions(Path.Combine(root, "backup", "base")));
            await using var copy = NpgsqlDataSource.Create(restored.ConnectionString);
            var restoredStore = new EventStore.EventStore(copy, StoreSetup.Options(config));
            await restoredStore.MigrateAsync(); // a restore the log's order cannot survive is refused here; this one is not
            foreach (var (agency, _, _, _) in DemoSeeder.Agencies)
                (await new ChainVerifier(restoredStore).VerifyAsync(agency)).Verified.ShouldBeTrue(agency);
            ShouldBeSame(await DumpAllAsync(restored.ConnectionString), before, Tables);

            // And it goes on working: rebuilt from the restored log, the read models are the same.
            var admin = new ProjectionAdmin(restoredStore);
            foreach (var registration in restoredStore.Options.Projections) await admin.RebuildAsync(registration.Projection.Name);
            var rebuilt = await DumpAllAsync(restored.ConnectionString);
            ShouldBeSame(rebuilt, before, Tables.Where(t => t != "projection_progress"));
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    // Names the table and its first differing rows rather than printing every row.
    private static void ShouldBeSame(Dictionary<string, List<string>> actual, Dictionary<string, List<string>> expected, IEnumerable<string> tables)
    {
        foreach (var table in tables)
        {
            var missing = expected[table].Except(actual[table]).Take(2).ToList();
            var extra = actual[table].Except(expected[table]).Take(2).ToList();
            (missing.Count + extra.Count).ShouldBe(0, $"{table}: missing {string.Join(" | ", missing)}; extra {string.Join(" | ", extra)}");
            actual[table].Count.ShouldBe(expected[table].Count, table);
        }
    }

    private static async Task<Dictionary<string, List<string>>> DumpAllAsync(string connectionString)
    {
        var dumps = new Dictionary<string, List<string>>();
        foreach (var table in Tables) dumps[table] = await ReadModels.DumpAsync(connectionString, table);
        return dumps;
    }
}

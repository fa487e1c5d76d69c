using EventSourcedDisclosure.Testing;

namespace EventSourcedDisclosure.Cli.Tests;

/// <summary>`esd export --keys` then `esd import --keys` into another database: same chain, same read models, applicants readable.</summary>
public sealed class ExportImportCommandTests
{
    private static readonly string[] Tables = ["agencies", "items", "catalogue_entries", "catalogue_counts", "requests", "public_tracking", "stat_requests", "stat_items", "stat_appeals"];

    [Fact]
    public async Task A_store_copied_with_its_keys_verifies_and_rebuilds_the_same_read_models()
    {
        await using var source = await TestCluster.CreateDatabaseAsync();
        await using var target = await TestCluster.CreateDatabaseAsync();
        using var from = new CliRun(source);
        (await from.RunAsync("seed-demo")).Code.ShouldBe(0);
        var events = Path.Combine(from.DataDir, "events.ndjson");
        var keys = Path.Combine(from.DataDir, "keys.ndjson");
        var (code, output) = await from.RunAsync("export", "--out", events, "--keys", keys);
        code.ShouldBe(0, output);
        (await from.RunAsync("projections", "rebuild", "statistics")).Code.ShouldBe(0); // the source's async tables, complete

        // The target is another database of the same deployment: the same data folder, so the same key-encryption key.
        var into = await CliApp.RunAsync(["import", "--in", events, "--keys", keys, "--connection", target.ConnectionString, "--data-dir", from.DataDir],
            new StringWriter());
        into.ShouldBe(0);
        foreach (var table in Tables)
            (await CliRun.DumpAsync(target.ConnectionString, table)).ShouldBe(await CliRun.DumpAsync(source.ConnectionString, table), table);
        var verify = new StringWriter();
        (await CliApp.RunAsync(["audit", "verify", "--agency", "lyxzfb", "--connection", target.ConnectionString, "--data-dir", from.DataDir], verify)).ShouldBe(0, verify.ToString());
    }
}

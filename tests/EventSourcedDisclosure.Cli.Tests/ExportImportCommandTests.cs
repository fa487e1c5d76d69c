using EventSourcedDisclosure.EventStore.Integrity;
using EventSourcedDisclosure.EventStore.Privacy;
using Microsoft.Extensions.Configuration;

namespace EventSourcedDisclosure.Cli.Tests;

/// <summary>`esd export --keys` then `esd import --keys` into another database: same chain, same read models, applicants readable.</summary>
public sealed class ExportImportCommandTests
{
    private static readonly string[] Tables = ["agencies", "items", "catalogue_entries", "catalogue_counts", "requests", "public_tracking", "stat_requests", "stat_items", "stat_appeals"];

    [Fact]
    public async Task A_store_copied_with_its_keys_verifies_and_rebuilds_the_same_read_models()
    {
        await using var copy = await CompleteExportAsync();

        // The target is another database of the same deployment: the same data folder, so the same key-encryption key.
        var (code, output) = await RunOnTargetAsync(copy, "import", "--in", copy.Events, "--keys", copy.Keys!);

        code.ShouldBe(0, output);
        output.ShouldContain("every projection rebuilt");
        await ShouldHoldTheSourcesReadModelsAsync(copy);
        (await RunOnTargetAsync(copy, "audit", "verify", "--agency", "lyxzfb")).Code.ShouldBe(0);
    }

    [Fact]
    public async Task An_import_that_dies_after_its_load_has_its_read_models_rebuilt_by_the_next_start()
    {
        await using var copy = await CompleteExportAsync();
        // The import's load and nothing after it, as if the process died before its rebuilds.
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Disclosure"] = copy.Target.ConnectionString,
            ["DataDirectory"] = copy.From.DataDir,
        }).Build();
        await using (var died = await CliStore.OpenAsync(config, CancellationToken.None))
        {
            IReadOnlyList<ExportedKey> keys;
            await using (var keyFile = File.OpenRead(copy.Keys!)) keys = await KeyExport.ReadAsync(keyFile);
            await using var events = File.OpenRead(copy.Events);
            await new LogExport(died.Store).ImportAsync(events, keys: keys);
        }
        (await CliRun.DumpAsync(copy.Target.ConnectionString, "items")).ShouldBeEmpty();

        var (code, output) = await RunOnTargetAsync(copy, "projections", "status"); // any command opens the store

        code.ShouldBe(0, output);
        output.ShouldContain("rebuilding catalogue: an import or an upgrade asked for it"); // not a silent pause of minutes

        await ShouldHoldTheSourcesReadModelsAsync(copy);
        (await CliRun.DumpAsync(copy.Target.ConnectionString, "store_settings")).ShouldAllBe(row => !row.Contains("rebuild-requested"));
    }

    [Fact]
    public async Task A_keys_file_with_a_line_that_is_not_a_key_is_refused_before_any_event_goes_in()
    {
        await using var copy = await SeededExport.CreateAsync(withKeys: true);
        // A key without its agency: the load would have committed before its insert failed.
        var lines = await File.ReadAllLinesAsync(copy.Keys!);
        lines[^1] = lines[^1].Replace("\"agency\":\"", "\"agency\":null,\"was\":\"");
        await File.WriteAllLinesAsync(copy.Keys!, lines);

        var (code, output) = await RunOnTargetAsync(copy, "import", "--in", copy.Events, "--keys", copy.Keys!);

        code.ShouldBe(2, output);
        output.ShouldContain($"Line {lines.Length} of the keys file is not a data key");
        output.ShouldNotContain("   at ");
        (await CliRun.DumpAsync(copy.Target.ConnectionString, "events")).ShouldBeEmpty();
    }

    // Exported with its keys, after the source's async tables are complete.
    private static async Task<SeededExport> CompleteExportAsync()
    {
        var copy = await SeededExport.CreateAsync(withKeys: true);
        (await copy.From.RunAsync("projections", "rebuild", "statistics")).Code.ShouldBe(0);
        return copy;
    }

    private static async Task<(int Code, string Output)> RunOnTargetAsync(SeededExport copy, params string[] args)
    {
        var output = new StringWriter();
        var code = await CliApp.RunAsync([.. args, "--connection", copy.Target.ConnectionString, "--data-dir", copy.From.DataDir], output);
        return (code, output.ToString());
    }

    private static async Task ShouldHoldTheSourcesReadModelsAsync(SeededExport copy)
    {
        foreach (var table in Tables)
            (await CliRun.DumpAsync(copy.Target.ConnectionString, table)).ShouldBe(await CliRun.DumpAsync(copy.Source.ConnectionString, table), table);
    }
}

using EventSourcedDisclosure.Testing;

namespace EventSourcedDisclosure.Cli.Tests;

/// <summary>
/// `esd import` (and a rebuild) where it cannot do what was asked: it says why in one line and
/// leaves the store as it found it. And a copy without its keys, which it can do: the applicants
/// are unreadable there, as if erased.
/// </summary>
public sealed class ImportRefusalTests
{
    // esd on a bare connection string: no data folder, so no key-encryption key.
    private static async Task<(int Code, string Output)> BareAsync(TestDatabase db, params string[] args)
    {
        var output = new StringWriter();
        var code = await CliApp.RunAsync([.. args, "--connection", db.ConnectionString], output);
        return (code, output.ToString());
    }

    [Fact]
    public async Task An_export_imported_twice_is_refused_the_second_time_and_adds_nothing()
    {
        await using var copy = await SeededExport.CreateAsync(withKeys: false);
        using var into = new CliRun(copy.Target);
        (await into.RunAsync("import", "--in", copy.Events)).Code.ShouldBe(0);
        var imported = await CountAsync(copy.Target, "events");

        var (code, output) = await into.RunAsync("import", "--in", copy.Events);

        code.ShouldBe(2, output);
        output.ShouldContain("already holds events of this export");
        output.ShouldNotContain("   at "); // a sentence, not a stack trace
        (await CountAsync(copy.Target, "events")).ShouldBe(imported);
    }

    [Fact]
    public async Task Keys_without_a_key_encryption_key_are_refused_before_any_event_goes_in()
    {
        await using var copy = await SeededExport.CreateAsync(withKeys: true);

        var (code, output) = await BareAsync(copy.Target, "import", "--in", copy.Events, "--keys", copy.Keys!);

        code.ShouldBe(2, output);
        output.ShouldContain("no key-encryption key");
        (await CountAsync(copy.Target, "events")).ShouldBe(0);
    }

    [Fact]
    public async Task Keys_wrapped_under_another_deployments_key_are_refused_before_any_event_goes_in()
    {
        await using var copy = await SeededExport.CreateAsync(withKeys: true);

        using var into = new CliRun(copy.Target); // a data folder of its own: another key-encryption key
        var (code, output) = await into.RunAsync("import", "--in", copy.Events, "--keys", copy.Keys!);

        code.ShouldBe(2, output);
        output.ShouldContain("another key-encryption key");
        output.ShouldNotContain("   at ");
        (await CountAsync(copy.Target, "events")).ShouldBe(0);
    }

    [Fact]
    public async Task An_export_without_keys_imports_where_there_is_no_key_and_its_applicants_read_as_erased()
    {
        await using var copy = await SeededExport.CreateAsync(withKeys: false); // the records office's export: no keys
        const string named = "select count(*) from disclosure.requests where state->'applicant'->>'name' is not null";
        (await ScalarAsync<long>(copy.Source, named)).ShouldBeGreaterThan(0);

        var (code, output) = await BareAsync(copy.Target, "import", "--in", copy.Events);

        code.ShouldBe(0, output);
        (await CountAsync(copy.Target, "requests")).ShouldBe(await CountAsync(copy.Source, "requests"));
        (await ScalarAsync<long>(copy.Target, named)).ShouldBe(0);
    }

    [Fact]
    public async Task Rebuilding_the_ledger_of_a_store_with_keys_without_its_key_encryption_key_says_so_and_keeps_the_ledger()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var cli = new CliRun(db);
        (await cli.RunAsync("seed-demo")).Code.ShouldBe(0); // its data folder made the key and sealed the applicants with it
        var ledger = await CliRun.DumpAsync(db.ConnectionString, "requests");

        var (code, output) = await BareAsync(db, "projections", "rebuild", "ledger");

        code.ShouldBe(2, output);
        output.ShouldContain("no key-encryption key is configured");
        output.ShouldNotContain("   at ");
        (await CliRun.DumpAsync(db.ConnectionString, "requests")).ShouldBe(ledger);
    }

    private static Task<long> CountAsync(TestDatabase db, string table) => ScalarAsync<long>(db, $"select count(*) from disclosure.{table}");

    private static async Task<T> ScalarAsync<T>(TestDatabase db, string sql)
    {
        await using var source = db.CreateDataSource();
        await using var command = source.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}

using EventSourcedDisclosure.Testing;
using Npgsql;

namespace EventSourcedDisclosure.Cli.Tests;

/// <summary>
/// `esd import` (and a rebuild) where it cannot do what was asked: it says why in one line and
/// leaves the store as it found it. And a copy without its keys, which it can do: the applicants
/// are unreadable there, as if erased.
/// </summary>
public sealed class ImportRefusalTests
{
    [Fact]
    public async Task An_export_imported_twice_is_refused_the_second_time_and_adds_nothing()
    {
        await using var source = await TestCluster.CreateDatabaseAsync();
        await using var target = await TestCluster.CreateDatabaseAsync();
        using var from = new CliRun(source);
        (await from.RunAsync("seed-demo")).Code.ShouldBe(0);
        var events = Path.Combine(from.DataDir, "events.ndjson");
        (await from.RunAsync("export", "--out", events)).Code.ShouldBe(0);
        using var into = new CliRun(target);
        (await into.RunAsync("import", "--in", events)).Code.ShouldBe(0);
        var imported = await CountAsync(target, "events");

        var (code, output) = await into.RunAsync("import", "--in", events);

        code.ShouldBe(2, output);
        output.ShouldContain("already holds events of this export");
        output.ShouldNotContain("   at "); // a sentence, not a stack trace
        (await CountAsync(target, "events")).ShouldBe(imported);
    }

    [Fact]
    public async Task Keys_without_a_key_encryption_key_are_refused_before_any_event_goes_in()
    {
        await using var source = await TestCluster.CreateDatabaseAsync();
        await using var target = await TestCluster.CreateDatabaseAsync();
        using var from = new CliRun(source);
        (await from.RunAsync("seed-demo")).Code.ShouldBe(0);
        var (events, keys) = (Path.Combine(from.DataDir, "events.ndjson"), Path.Combine(from.DataDir, "keys.ndjson"));
        (await from.RunAsync("export", "--out", events, "--keys", keys)).Code.ShouldBe(0);

        // A bare connection string: no data folder, so no key-encryption key.
        var output = new StringWriter();
        var code = await CliApp.RunAsync(["import", "--in", events, "--keys", keys, "--connection", target.ConnectionString], output);

        code.ShouldBe(2, output.ToString());
        output.ToString().ShouldContain("no key-encryption key");
        (await CountAsync(target, "events")).ShouldBe(0);
    }

    [Fact]
    public async Task Keys_wrapped_under_another_deployments_key_are_refused_before_any_event_goes_in()
    {
        await using var source = await TestCluster.CreateDatabaseAsync();
        await using var target = await TestCluster.CreateDatabaseAsync();
        using var from = new CliRun(source);
        (await from.RunAsync("seed-demo")).Code.ShouldBe(0);
        var (events, keys) = (Path.Combine(from.DataDir, "events.ndjson"), Path.Combine(from.DataDir, "keys.ndjson"));
        (await from.RunAsync("export", "--out", events, "--keys", keys)).Code.ShouldBe(0);

        using var into = new CliRun(target); // a data folder of its own: another key-encryption key
        var (code, output) = await into.RunAsync("import", "--in", events, "--keys", keys);

        code.ShouldBe(2, output);
        output.ShouldContain("another key-encryption key");
        output.ShouldNotContain("   at ");
        (await CountAsync(target, "events")).ShouldBe(0);
    }

    [Fact]
    public async Task An_export_without_keys_imports_where_there_is_no_key_and_its_applicants_read_as_erased()
    {
        await using var source = await TestCluster.CreateDatabaseAsync();
        await using var target = await TestCluster.CreateDatabaseAsync();
        using var from = new CliRun(source);
        (await from.RunAsync("seed-demo")).Code.ShouldBe(0);
        var events = Path.Combine(from.DataDir, "events.ndjson");
        (await from.RunAsync("export", "--out", events)).Code.ShouldBe(0); // the records office's export: no keys
        var named = await ScalarAsync<long>(source, "select count(*) from disclosure.requests where state->'applicant'->>'name' is not null");
        named.ShouldBeGreaterThan(0);

        var output = new StringWriter();
        var code = await CliApp.RunAsync(["import", "--in", events, "--connection", target.ConnectionString], output);

        code.ShouldBe(0, output.ToString());
        (await CountAsync(target, "requests")).ShouldBe(await CountAsync(source, "requests"));
        (await ScalarAsync<long>(target, "select count(*) from disclosure.requests where state->'applicant'->>'name' is not null")).ShouldBe(0);
    }

    [Fact]
    public async Task Rebuilding_the_ledger_of_a_store_with_keys_without_its_key_encryption_key_says_so_and_keeps_the_ledger()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var cli = new CliRun(db);
        (await cli.RunAsync("seed-demo")).Code.ShouldBe(0); // its data folder made the key and sealed the applicants with it
        var ledger = await CliRun.DumpAsync(db.ConnectionString, "requests");

        var output = new StringWriter();
        var code = await CliApp.RunAsync(["projections", "rebuild", "ledger", "--connection", db.ConnectionString], output);

        code.ShouldBe(2, output.ToString());
        output.ToString().ShouldContain("no key-encryption key is configured");
        output.ToString().ShouldNotContain("   at ");
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

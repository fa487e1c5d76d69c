using EventSourcedDisclosure.Testing;

namespace EventSourcedDisclosure.Cli.Tests;

/// <summary>Runs `esd` in-process against a test database, with a data folder of its own for the keys it makes.</summary>
public sealed class CliRun(TestDatabase db) : IDisposable
{
    public string DataDir { get; } = Directory.CreateTempSubdirectory("esd-cli-").FullName;

    public async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var code = await CliApp.RunAsync([.. args, "--connection", db.ConnectionString, "--data-dir", DataDir], output);
        return (code, output.ToString());
    }

    public static Task<List<string>> DumpAsync(string connectionString, string table) => ReadModelDump.DumpAsync(connectionString, table);

    public void Dispose() => Directory.Delete(DataDir, recursive: true);
}

using EventSourcedDisclosure.Testing;
using Npgsql;

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

    /// <summary>Every row of a read-model table as text, in a stable order.</summary>
    public static async Task<List<string>> DumpAsync(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select t::text from disclosure.{table} t order by t::text", connection);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    public void Dispose() => Directory.Delete(DataDir, recursive: true);
}

using Npgsql;

namespace EventSourcedDisclosure.Testing;

public static class ReadModelDump
{
    /// <summary>Every row of a read-model table as text, in a stable order: two dumps are equal when the tables are.</summary>
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
}

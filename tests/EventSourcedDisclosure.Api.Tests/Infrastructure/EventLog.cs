using Npgsql;

namespace EventSourcedDisclosure.Api.Tests.Infrastructure;

/// <summary>Reads the events table directly, so tests check what was stored, not what the API says it stored.</summary>
public static class EventLog
{
    public sealed record Row(long Seq, string Tenant, Guid StreamId, long Version, string Type, string Data, string? Actor, string? CorrelationId);

    public static async Task<List<Row>> ReadAsync(this ApiFactory api, string? tenant = null)
    {
        await using var connection = new NpgsqlConnection(api.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            select seq, tenant_id, stream_id, version, type, data::text, metadata->>'actor', metadata->>'correlationId'
            from disclosure.events where $1::text is null or tenant_id = $1 order by seq
            """, connection);
        command.Parameters.Add(new() { Value = (object?)tenant ?? DBNull.Value, DataTypeName = "text" });
        var rows = new List<Row>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(new(reader.GetInt64(0), reader.GetString(1), reader.GetGuid(2), reader.GetInt64(3), reader.GetString(4),
                reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
        return rows;
    }
}

public static class ReadModels
{
    /// <summary>Every row of a read-model table as text, in a stable order: two dumps are equal when the tables are.</summary>
    public static Task<List<string>> DumpAsync(this ApiFactory api, string table) => DumpAsync(api.Database.ConnectionString, table);

    public static Task<List<string>> DumpAsync(string connectionString, string table) =>
        EventSourcedDisclosure.Testing.ReadModelDump.DumpAsync(connectionString, table);
}

public static class Projections
{
    /// <summary>Waits until an async projection has applied every event in the log.</summary>
    public static Task CaughtUpAsync(this ApiFactory api, string projection = "statistics") =>
        CaughtUpAsync(api.Database.ConnectionString, projection);

    /// <summary>
    /// Waits until no event lies past the projection's checkpoint in replay order, (tx, seq). The
    /// highest seq need not be the last event applied: a transaction can draw its seq after a later one's.
    /// </summary>
    public static async Task CaughtUpAsync(string connectionString, string projection)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await Eventually.ReturnsAsync(async () =>
        {
            await using var command = new NpgsqlCommand("""
                select not exists (select from disclosure.events e, disclosure.projection_progress p
                                    where p.name = $1 and (e.tx, e.seq) > (p.last_tx, p.last_seq))
                """, connection);
            command.Parameters.Add(new() { Value = projection });
            return await command.ExecuteScalarAsync() is true ? "caught up" : null;
        }, seconds: 60);
    }
}

using Npgsql;

namespace EventSourcedDisclosure.Benchmarks;

/// <summary>
/// --statements: PostgreSQL's time per statement over a window (pg_stat_statements, functions'
/// statements included), the costliest first, for profiling by hand.
/// </summary>
public static class StatementTimes
{
    public static async Task ResetAsync(string connection)
    {
        await using var source = NpgsqlDataSource.Create(connection);
        await using var reset = source.CreateCommand("create extension if not exists pg_stat_statements; select pg_stat_statements_reset()");
        await reset.ExecuteNonQueryAsync();
    }

    /// <summary>Each statement's time and calls divided by <paramref name="per"/> (1 for totals), named by <paramref name="unit"/>.</summary>
    public static async Task PrintAsync(string connection, double per, string unit, int limit = 45)
    {
        await using var source = NpgsqlDataSource.Create(connection);
        await using var command = source.CreateCommand("""
            select (total_exec_time + total_plan_time) / $1, total_plan_time / $1, calls::float8 / $1, toplevel, left(regexp_replace(query, '\s+', ' ', 'g'), 200)
              from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
             order by total_exec_time + total_plan_time desc limit $2
            """);
        command.Parameters.Add(new() { Value = per });
        command.Parameters.Add(new() { Value = limit });
        await using var reader = await command.ExecuteReaderAsync();
        Console.WriteLine($"  ms {unit} (of it planning) · calls {unit} · top level · statement");
        while (await reader.ReadAsync())
            Console.WriteLine($"  {reader.GetDouble(0):0.000} ({reader.GetDouble(1):0.000}) · {reader.GetDouble(2):0.00} · {(reader.GetBoolean(3) ? "T" : " ")} · {reader.GetString(4)}");
    }
}

using Npgsql;

namespace EventSourcedDisclosure.EventStore.Schema;

/// <summary>
/// Statistics for the store's tables once they first hold rows. A table made empty (by a migration,
/// or swapped in by a rebuild of an empty log and analyzed so) keeps statistics that say it is
/// empty, and its partial indexes are then costed as holding no rows at all: the planner takes a
/// walk through every entry of one (the catalogue's current entries by region) for a lookup
/// by key, and each publication grew slower with the table until autovacuum's first ANALYZE, up to
/// a naptime later — measured in a new database under the command benchmark's load, the group
/// commit's second round trip went 4 → 13 ms over half a minute and back to 4 at that ANALYZE.
/// So a table whose statistics still say empty or unknown is analyzed as soon as it holds a few
/// pages; after that autovacuum keeps its statistics, as for any table.
/// </summary>
public static class FirstStatistics
{
    /// <summary>Pages a table must hold before its first statistics are worth taking.</summary>
    public const int MinimumPages = 8;

    /// <summary>Analyzes the schema's tables that hold rows but whose statistics say none; returns their names.</summary>
    public static async Task<IReadOnlyList<string>> AnalyzeFilledTablesAsync(NpgsqlDataSource db, string schema, CancellationToken ct)
    {
        var filled = new List<string>();
        await using (var query = db.CreateCommand("""
            select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where n.nspname = $1 and c.relkind = 'r' and c.reltuples <= 0
               and pg_relation_size(c.oid) >= $2 * current_setting('block_size')::int
            """))
        {
            query.Parameters.Add(new() { Value = schema });
            query.Parameters.Add(new() { Value = MinimumPages });
            await using var reader = await query.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) filled.Add(reader.GetString(0));
        }
        var analyzed = new List<string>();
        foreach (var table in filled)
        {
            try
            {
                await using var analyze = db.CreateCommand($"analyze {Quote(schema)}.{Quote(table)}");
                await analyze.ExecuteNonQueryAsync(ct);
                analyzed.Add(table);
            }
            // Dropped or renamed meanwhile (a rebuild's swap): the table in its place is looked at next time.
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.LockNotAvailable) { }
        }
        return analyzed;
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";
}

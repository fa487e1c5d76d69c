using Npgsql;
using NpgsqlTypes;

namespace EventSourcedDisclosure.EventStore;

/// <summary>
/// The rows of a table for some (tenant, id) keys, given as a statement's first two parameters,
/// found key by key through the primary key whatever the table's size. Joined to the keys the
/// planner may hash them against a scan of the whole table, and a plan cached while the table was
/// small keeps doing so: the tracking copy scanned the whole ledger for every request command
/// (0.77 ms each at 1,500 requests, growing with the ledger; 0.05 ms now). <c>offset 0</c> keeps
/// the lateral subquery from being flattened into such a join. One key — an inline command's usual
/// case — goes as two scalars, so a cached plan knows it is one row: arrays are planned as ten,
/// and that plan was judged too costly to keep and made again at every call (0.26 ms of planning
/// for 0.02 ms of work).
/// </summary>
public static class KeyRows
{
    /// <summary>A FROM clause: the rows of <paramref name="table"/> as <paramref name="alias"/>, keyed by tenant_id and <paramref name="idColumn"/>.</summary>
    public static string From(int count, string table, string alias, string idColumn = "id")
    {
        var keys = count == 1 ? "(values ($1::text, $2::uuid)) as key_rows(tenant_id, id)" : "unnest($1::text[], $2::uuid[]) as key_rows(tenant_id, id)";
        return $"{keys} cross join lateral (select * from {table} {alias} " +
               $"where {alias}.tenant_id = key_rows.tenant_id and {alias}.{idColumn} = key_rows.id offset 0) {alias}";
    }

    public static void Add(NpgsqlParameterCollection parameters, IReadOnlyCollection<(string Tenant, Guid Id)> keys)
    {
        if (keys.Count == 1)
        {
            var (tenant, id) = keys.First();
            parameters.Add(new() { Value = tenant, NpgsqlDbType = NpgsqlDbType.Text });
            parameters.Add(new() { Value = id, NpgsqlDbType = NpgsqlDbType.Uuid });
            return;
        }
        parameters.Add(new() { Value = keys.Select(k => k.Tenant).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        parameters.Add(new() { Value = keys.Select(k => k.Id).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
    }
}

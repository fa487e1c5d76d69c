using Npgsql;
using NpgsqlTypes;

namespace EventSourcedDisclosure.EventStore;

/// <summary>
/// (tenant, id) pairs as the rows a statement looks up, from its first two parameters. One pair
/// — an inline command's usual case — goes as two scalars, so a cached plan knows it is one row;
/// arrays are planned as ten, and such a plan was judged too costly to keep and re-planned at
/// every call (measured: 0.26 ms of planning per call for 0.02 ms of work).
/// </summary>
public static class KeyRows
{
    /// <summary>The FROM item <c>alias(tenant_id, id)</c> (columns named as given).</summary>
    public static string From(int count, string alias, string tenantColumn = "tenant_id", string idColumn = "id") =>
        count == 1
            ? $"(values ($1::text, $2::uuid)) as {alias}({tenantColumn}, {idColumn})"
            : $"unnest($1::text[], $2::uuid[]) as {alias}({tenantColumn}, {idColumn})";

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

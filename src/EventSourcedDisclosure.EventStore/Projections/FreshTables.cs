using Npgsql;

namespace EventSourcedDisclosure.EventStore.Projections;

/// <summary>
/// The tables a by-stream rebuild writes, as fresh copies swapped in when it is done. COPY into an
/// emptied table paid for the rows its own reset deleted (each unique index checked every new row
/// against them) and for every index row by row; a fresh table has no rows and no indexes, and
/// each index is built once, from sorted input. Readers keep reading the old table meanwhile (a
/// delete left them the old rows too; dropping the catalogue's indexes blocked them for the whole
/// rebuild): only the swap at the end, in the rebuild's transaction, waits for them and makes
/// them wait.
/// </summary>
internal sealed class FreshTables
{
    private const string Suffix = "__rebuild";
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly string _schema;
    private readonly IReadOnlyList<string> _tables;

    private FreshTables(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, IReadOnlyList<string> tables) =>
        (_connection, _transaction, _schema, _tables) = (connection, transaction, schema, tables);

    /// <summary>Each table's fresh copy, by the table's name (both unqualified).</summary>
    public IReadOnlyDictionary<string, string> Names => _tables.ToDictionary(t => t, t => t + Suffix);

    /// <summary>
    /// Locks the tables against writers (readers go on; a second rebuild of them waits for this
    /// one) and creates their fresh copies: columns, defaults, checks, storage and compression,
    /// without indexes.
    /// </summary>
    public static async Task<FreshTables> CreateAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, IReadOnlyList<string> tables, CancellationToken ct)
    {
        var fresh = new FreshTables(connection, transaction, schema, tables);
        await fresh.RunAsync(string.Join(";\n", tables.Select(t =>
            $"lock table {schema}.{t} in exclusive mode; " +
            $"create table {schema}.{t}{Suffix} (like {schema}.{t} including all excluding indexes)")), ct);
        return fresh;
    }

    /// <summary>
    /// Gives each fresh table the old one's indexes and constraints (built while readers still use
    /// the old table), then replaces the old table: same name, owner, grants, options, triggers
    /// and comment. Then statistics: a fresh table has none, and without them the planner takes a
    /// common search term for a rare one.
    /// </summary>
    public async Task SwapAsync(CancellationToken ct)
    {
        // Room to sort in memory for the index builds (at least 256 MB, more where the server gives more).
        await RunAsync("""
            do $$ begin
                if pg_size_bytes(current_setting('maintenance_work_mem')) < pg_size_bytes('256MB') then set local maintenance_work_mem = '256MB'; end if;
            end $$
            """, ct);
        foreach (var table in _tables) await RunAsync(Swap(_schema, table), ct);
    }

    // One block per table: the catalogs say what the old table had, format() quotes the names.
    // Row security policies, rules and dependent views are not carried over (read models have
    // none; a view would make the drop fail, and the rebuild with it, changing nothing).
    // Indexes are built under temporary names (the old ones still hold theirs) and renamed after
    // the drop; renaming a constraint's index renames the constraint with it.
    private static string Swap(string schema, string name) => $$"""
        do $swap$
        declare
            old_table regclass := '{{schema}}.{{name}}'::regclass;
            fresh_table regclass := '{{schema}}.{{name}}{{Suffix}}'::regclass;
            r record;
            built text[] := '{}';
            names text[] := '{}';
            triggers text[];
            n int := 0;
        begin
            for r in select ic.relname as name, pg_get_indexdef(i.indexrelid) as def, i.indisunique as is_unique, c.contype
                       from pg_index i join pg_class ic on ic.oid = i.indexrelid
                       left join pg_constraint c on c.conindid = i.indexrelid and c.conrelid = i.indrelid and c.contype in ('p', 'u')
                      where i.indrelid = old_table order by ic.relname
            loop
                n := n + 1;
                built := built || format('{{name}}{{Suffix}}_%s', n);
                names := names || r.name::text;
                execute format('create %s index %I on %s %s', case when r.is_unique then 'unique' else '' end,
                               built[n], fresh_table, substring(r.def from ' USING .*$'));
                if r.contype = 'p' then
                    execute format('alter table %s add constraint %I primary key using index %I', fresh_table, built[n], built[n]);
                elsif r.contype = 'u' then
                    execute format('alter table %s add constraint %I unique using index %I', fresh_table, built[n], built[n]);
                end if;
            end loop;

            if (select relowner from pg_class where oid = old_table) <> (select relowner from pg_class where oid = fresh_table) then
                execute format('alter table %s owner to %I', fresh_table,
                               (select pg_get_userbyid(relowner) from pg_class where oid = old_table));
            end if;
            for r in select case when a.grantee = 0 then 'public' else quote_ident(pg_get_userbyid(a.grantee)) end as grantee,
                            a.privilege_type, a.is_grantable
                       from pg_class c, aclexplode(c.relacl) a where c.oid = old_table
            loop
                execute format('grant %s on %s to %s%s', r.privilege_type, fresh_table, r.grantee,
                               case when r.is_grantable then ' with grant option' else '' end);
            end loop;
            for r in select reloptions from pg_class where oid = old_table and reloptions is not null loop
                execute format('alter table %s set (%s)', fresh_table, array_to_string(r.reloptions, ', '));
            end loop;
            for r in select attname, attstattarget from pg_attribute where attrelid = old_table and attnum > 0 and not attisdropped and attstattarget >= 0 loop
                execute format('alter table %s alter column %I set statistics %s', fresh_table, r.attname, r.attstattarget);
            end loop;
            execute format('comment on table %s is %L', fresh_table, obj_description(old_table, 'pg_class'));
            triggers := array(select pg_get_triggerdef(oid) from pg_trigger where tgrelid = old_table and not tgisinternal);

            execute format('drop table %s', old_table);
            execute format('alter table %s rename to %I', fresh_table, '{{name}}');
            for i in 1 .. n loop
                execute format('alter index %I.%I rename to %I', '{{schema}}', built[i], names[i]);
            end loop;
            for i in 1 .. coalesce(array_length(triggers, 1), 0) loop
                execute triggers[i];
            end loop;
        end
        $swap$;
        analyze {{schema}}.{{name}};
        """;

    private async Task RunAsync(string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, _connection, _transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}

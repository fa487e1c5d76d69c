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
/// <para>
/// The copies are written and committed on a connection of their own, so that two connections can
/// build their indexes side by side (the items' four and ANALYZE: 1.7–2.3 s, not 3.4). ANALYZE comes
/// last and runs alone whichever connection takes it: its lock conflicts with an index build's, so
/// it waits for every build on its table (measured on the full catalogue: it ends about 1.7 s after
/// the bigram index, whatever it is queued behind). PostgreSQL 15 builds a
/// GIN index on one core, so the catalogue's bigram index stays its rebuild's longest step
/// (docs/performance.md has the splits of it measured and not kept). The rebuild's
/// transaction holds the old tables' lock from before the copies exist until the swap commits, so
/// a second rebuild of the same tables waits for this one; a failed rebuild drops its copies.
/// </para>
/// </summary>
internal sealed class FreshTables : IAsyncDisposable
{
    private const string Suffix = "__rebuild";
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly NpgsqlDataSource _source;
    private readonly NpgsqlConnection _writer;
    private readonly NpgsqlTransaction _writing;
    private readonly string _schema;
    private readonly IReadOnlyList<string> _tables;
    private bool _committed;

    private FreshTables(NpgsqlConnection connection, NpgsqlTransaction transaction, NpgsqlDataSource source,
        NpgsqlConnection writer, NpgsqlTransaction writing, string schema, IReadOnlyList<string> tables) =>
        (_connection, _transaction, _source, _writer, _writing, _schema, _tables) = (connection, transaction, source, writer, writing, schema, tables);

    /// <summary>Each table's fresh copy, by the table's name (both unqualified).</summary>
    public IReadOnlyDictionary<string, string> Names => _tables.ToDictionary(t => t, t => t + Suffix);

    /// <summary>The connection and transaction that write the copies (a COPY into them may FREEZE).</summary>
    public (NpgsqlConnection Connection, NpgsqlTransaction Transaction) Writer => (_writer, _writing);

    /// <summary>
    /// Locks the tables against writers in the rebuild's transaction (readers go on; a second
    /// rebuild of them waits for this one), then creates their fresh copies on a connection of
    /// their own: columns, defaults, checks, storage, compression, options and statistics targets,
    /// without indexes. A copy left by a rebuild that died is dropped first.
    /// </summary>
    public static async Task<FreshTables> CreateAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        NpgsqlDataSource source, string schema, IReadOnlyList<string> tables, CancellationToken ct)
    {
        // The rebuild's transaction waits, idle, while the copies are written and indexed, and the
        // writer's while a page is read: a server's idle-in-transaction timeout (ops sets 60 s)
        // would end a long rebuild at its swap.
        const string Patient = "set local idle_in_transaction_session_timeout = 0";
        await RunAsync(connection, transaction,
            string.Join(";\n", tables.Select(t => $"lock table {schema}.{t} in exclusive mode").Prepend(Patient)), ct);
        var writer = await source.OpenConnectionAsync(ct);
        try
        {
            var writing = await writer.BeginTransactionAsync(ct);
            await RunAsync(writer, writing, string.Join(";\n", tables.Select(t => Create(schema, t)).Prepend(Patient)), ct);
            return new FreshTables(connection, transaction, source, writer, writing, schema, tables);
        }
        catch
        {
            await writer.DisposeAsync();
            throw;
        }
    }

    // Autovacuum stays off the copies until the swap: its lock would hold an index build back, and
    // their rows are frozen and analyzed before anyone reads them.
    private static string Create(string schema, string name) => $$"""
        drop table if exists {{schema}}.{{name}}{{Suffix}};
        create table {{schema}}.{{name}}{{Suffix}} (like {{schema}}.{{name}} including all excluding indexes);
        do $create$
        declare
            old_table regclass := '{{schema}}.{{name}}'::regclass;
            fresh_table regclass := '{{schema}}.{{name}}{{Suffix}}'::regclass;
            r record;
        begin
            for r in select reloptions from pg_class where oid = old_table and reloptions is not null loop
                execute format('alter table %s set (%s)', fresh_table, array_to_string(r.reloptions, ', '));
            end loop;
            for r in select attname, attstattarget from pg_attribute where attrelid = old_table and attnum > 0 and not attisdropped and attstattarget >= 0 loop
                execute format('alter table %s alter column %I set statistics %s', fresh_table, r.attname, r.attstattarget);
            end loop;
        end
        $create$;
        alter table {{schema}}.{{name}}{{Suffix}} set (autovacuum_enabled = false, toast.autovacuum_enabled = false)
        """;

    /// <summary>
    /// Commits the copies' rows, then gives them the old tables' indexes on two connections, the
    /// largest first (the old index's size stands for its cost), and their statistics: a fresh
    /// table has none, and without them the planner takes a common search term for a rare one.
    /// </summary>
    public async Task BuildIndexesAsync(CancellationToken ct)
    {
        await _writing.CommitAsync(ct);
        _committed = true;
        var work = new System.Collections.Concurrent.ConcurrentQueue<string>(await BuildsAsync(ct));
        await using var second = await _source.OpenConnectionAsync(ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        async Task BuildAsync(NpgsqlConnection builder)
        {
            try
            {
                while (work.TryDequeue(out var sql))
                {
                    await using var tx = await builder.BeginTransactionAsync(stop.Token);
                    // Room to sort in memory (at least 256 MB, more where the server gives more), for this build only.
                    await RunAsync(builder, tx, $"""
                        do $$ begin
                            if pg_size_bytes(current_setting('maintenance_work_mem')) < pg_size_bytes('256MB') then set local maintenance_work_mem = '256MB'; end if;
                        end $$;
                        {sql}
                        """, stop.Token);
                    await tx.CommitAsync(stop.Token);
                }
            }
            catch
            {
                await stop.CancelAsync();
                throw;
            }
        }
        // A failure cancels the other builder; WhenAll then throws the failure, not the cancellation.
        await Task.WhenAll(BuildAsync(_writer), BuildAsync(second));
    }

    // Every index of the old tables as a statement for its copy, under a temporary name (the old
    // ones still hold theirs) that the swap recomputes; then each copy's ANALYZE.
    private async Task<List<string>> BuildsAsync(CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            select format('create %s index %I on %I.%I %s', case when i.indisunique then 'unique' else '' end,
                          format('%s{Suffix}_%s', t.name, row_number() over (partition by t.name order by ic.relname)),
                          $1::text, t.name || '{Suffix}', substring(pg_get_indexdef(i.indexrelid) from ' USING .*$')),
                   pg_relation_size(i.indexrelid) as size
              from unnest($2::text[]) t(name)
              join pg_index i on i.indrelid = format('%I.%I', $1::text, t.name)::regclass
              join pg_class ic on ic.oid = i.indexrelid
             order by size desc
            """, _writer);
        command.Parameters.Add(new() { Value = _schema });
        command.Parameters.Add(new() { Value = _tables.ToArray() });
        var builds = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) builds.Add(reader.GetString(0));
        builds.AddRange(_tables.Select(t => $"analyze {_schema}.{t}{Suffix}"));
        return builds;
    }

    /// <summary>
    /// In the rebuild's transaction: makes the copies' unique indexes the old tables' constraints,
    /// gives them the old tables' owner, grants, options, triggers and comment, and puts them in the
    /// old tables' place.
    /// </summary>
    public async Task SwapAsync(CancellationToken ct)
    {
        foreach (var table in _tables) await RunAsync(_connection, _transaction, Swap(_schema, table), ct);
    }

    // One block per table: the catalogs say what the old table had, format() quotes the names.
    // Row security policies, rules and dependent views are not carried over (read models have
    // none; a view would make the drop fail, and the rebuild with it, changing nothing).
    // The indexes were built under temporary names, numbered as BuildsAsync numbers them (the old
    // table's lock keeps its indexes as they were), and are renamed after the drop; renaming a
    // constraint's index renames the constraint with it.
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
            for r in select ic.relname as name, c.contype
                       from pg_index i join pg_class ic on ic.oid = i.indexrelid
                       left join pg_constraint c on c.conindid = i.indexrelid and c.conrelid = i.indrelid and c.contype in ('p', 'u')
                      where i.indrelid = old_table order by ic.relname
            loop
                n := n + 1;
                built := built || format('{{name}}{{Suffix}}_%s', n);
                names := names || r.name::text;
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
            -- The copy has the old options since its creation; autovacuum's come back with them here.
            execute format('alter table %s reset (autovacuum_enabled, toast.autovacuum_enabled)', fresh_table);
            for r in select reloptions from pg_class where oid = old_table and reloptions is not null loop
                execute format('alter table %s set (%s)', fresh_table, array_to_string(r.reloptions, ', '));
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
        $swap$
        """;

    /// <summary>
    /// After a failure: drops the copies once committed (until then the writer's rollback takes
    /// them). Call while the rebuild's transaction still holds the old tables' lock, and before
    /// the swap has touched the copies (or after rolling that back): no other rebuild's copies
    /// can exist yet, and nothing of this one's holds a lock the drop would wait for.
    /// </summary>
    public async Task DiscardAsync()
    {
        if (!_committed) return;
        await using var connection = await _source.OpenConnectionAsync(CancellationToken.None);
        await using var drop = new NpgsqlCommand(
            string.Join(";\n", _tables.Select(t => $"drop table if exists {_schema}.{t}{Suffix}")), connection);
        await drop.ExecuteNonQueryAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _writing.DisposeAsync();
        await _writer.DisposeAsync();
    }

    private static async Task RunAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}

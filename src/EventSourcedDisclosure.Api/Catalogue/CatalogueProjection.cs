using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Items;
using EventSourcedDisclosure.EventStore;
using EventSourcedDisclosure.EventStore.Projections;
using NpgsqlTypes;

namespace EventSourcedDisclosure.Api.Catalogue;

/// <summary>
/// Inline: the public catalogue (公开目录), kept as versions valid from one business date to the
/// next, so that the catalogue of any past day is a query: valid_from ≤ day &lt; valid_to.
/// A publication opens a version; a withdrawal (the attribute leaves 主动公开) closes it; a
/// repeal closes it and opens one marked invalid (失效/废止), which stays listed.
/// </summary>
public sealed class CatalogueProjection : IProjection, IRebuildAware, IStreamRebuild
{
    public string Name => "catalogue";

    public string SchemaSql(string s) => $"""
        create table if not exists {s}.catalogue_entries (
            tenant_id       text    not null,
            item_id         uuid    not null,
            seq             bigint  not null,
            revision        int     not null,
            index_number    text    not null,
            agency_name     text    not null,
            region          text    not null,
            title           text    not null,
            summary         text    not null,
            body            text,
            document_number text,
            written_on      date    not null,
            published_on    date    not null,
            category        text    not null,
            topic           text,
            keywords        text[]  not null,
            genre           text    not null,
            channels        text[]  not null,
            valid           boolean not null,
            repealed_on     date,
            valid_from      date    not null,
            valid_to        date,
            search_text     text,
            bigrams         int[]   not null,
            title_bigrams   int[]   not null,
            primary key (tenant_id, item_id, seq));
        -- Bigrams were text[] (and the title's a generated column) before they were integers: such a
        -- catalogue loses them here and is rebuilt from the log once this migration commits.
        do $$ begin
            if (select atttypid from pg_attribute where attrelid = '{s}.catalogue_entries'::regclass and attname = 'bigrams') = 'text[]'::regtype then
                alter table {s}.catalogue_entries drop column if exists title_bigrams, drop column bigrams,
                    add column bigrams int[] not null default array[]::int[], add column title_bigrams int[] not null default array[]::int[];
                alter table {s}.catalogue_entries alter column bigrams drop default, alter column title_bigrams drop default;
                drop function if exists {s}.title_bigrams(text);
                insert into {s}.store_settings (name, value) values ('{ProjectionAdmin.RebuildRequest}catalogue', 'bigrams as integers')
                on conflict (name) do nothing;
            end if;
        end $$;
        -- Kept only where it differs from the text columns (CatalogueVersions.Searchable); entries
        -- written before keep theirs, which a search reads the same way.
        do $$ begin
            if (select attnotnull from pg_attribute where attrelid = '{s}.catalogue_entries'::regclass and attname = 'search_text') then
                alter table {s}.catalogue_entries alter column search_text drop not null;
            end if;
        end $$;
        -- Added after catalogues existed: a database that has entries gets its counts once, here.
        do $$ begin
            if to_regclass('{s}.catalogue_counts') is null then
                create table {s}.catalogue_counts (
                    tenant_id text   not null,
                    region    text   not null,
                    current   bigint not null,
                    primary key (tenant_id, region));
                insert into {s}.catalogue_counts
                select tenant_id, region, count(*) from {s}.catalogue_entries where valid_to is null group by tenant_id, region;
            end if;
        end $$;
        drop index if exists {s}.catalogue_current_by_agency;
        {string.Join(";\n", Indexes(s))};
        -- The long columns compress with lz4 where the server has it: pglz cost more than the rest of
        -- an entry's insert (a catalogue rebuild writes hundreds of thousands). pglz stays elsewhere.
        -- Altered once (the check keeps a node's start from taking the table's lock every time).
        do $$ begin
            if exists (select from pg_attribute where attrelid = '{s}.catalogue_entries'::regclass
                          and attname in ('body', 'search_text') and attcompression <> 'l') then
                alter table {s}.catalogue_entries alter column body set compression lz4,
                    alter column search_text set compression lz4;
            end if;
        exception when feature_not_supported or invalid_parameter_value then null;
        end $$;
        """;

    // One statement per event, deferred: a batch's (or a command's) in one round trip with the others.
    public Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken ct)
    {
        foreach (var e in events)
        {
            var command = e.Data switch
            {
                ItemPublished p => Publish(context.Schema, e, p),
                ItemAttributeAssigned { Disclosure: not Disclosure.Proactive } a => Close(context.Schema, e.TenantId, a.ItemId, a.AssignedOn),
                ItemRepealed r => Repeal(context.Schema, e, r),
                _ => null,
            };
            if (command is not null) context.Defer(command);
        }
        return Task.CompletedTask;
    }

    // More channels for the same revision: the same entry, not a new one (不同渠道公开相同信息计1条).
    // Otherwise the current version closes and the new one opens, in the same statement.
    private static Npgsql.NpgsqlBatchCommand Publish(string s, StoredEvent e, ItemPublished p)
    {
        var command = new Npgsql.NpgsqlBatchCommand($"""
            with widened as (
                update {s}.catalogue_entries set channels = $17
                 where tenant_id = $1 and item_id = $2 and revision = $4 and valid_to is null and valid
                returning 1),
            closed as (
                update {s}.catalogue_entries set valid_to = greatest(valid_from, $12)
                 where tenant_id = $1 and item_id = $2 and valid_to is null and not exists (select from widened)
                returning tenant_id, region),
            opened as (
                insert into {s}.catalogue_entries (tenant_id, item_id, seq, revision, index_number, agency_name, region,
                    title, summary, body, document_number, written_on, published_on, category, topic, keywords, genre, channels,
                    valid, repealed_on, valid_from, valid_to, search_text, bigrams, title_bigrams)
                select $1, $2, {SequenceOf(s, "$1", "$3", "$20")}, $4, $5, $6, coalesce((select region from {s}.agencies where agency = $1), ''),
                       $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, true, null, $12, null, $18, $19, $21
                 where not exists (select from widened)
                returning tenant_id, region)
            {CountChanges(s)}
            """);
        var c = p.Content;
        var (searchText, bigrams) = CatalogueVersions.Searchable(c);
        Add(command, e.TenantId, p.ItemId, e.StreamId, p.Revision, p.IndexNumber, p.AgencyName, c.Title, c.Summary,
            Nullable(c.Body, NpgsqlDbType.Text), Nullable(c.DocumentNumber, NpgsqlDbType.Text), c.WrittenOn, p.PublishedOn, c.Category,
            Nullable(c.Topic, NpgsqlDbType.Text), c.Keywords.ToArray(), Codes.Of(c.Genre), p.Channels.Select(Codes.Of).ToArray(),
            Nullable(searchText, NpgsqlDbType.Text), bigrams, e.Version, Bigrams.Of(c.Title));
        return command;
    }

    // An entry is keyed by the sequence of the event that opened it. Inline, that event is appended
    // in the same round trip and has no sequence yet in C#: the statement finds it in the log.
    private static string SequenceOf(string s, string tenant, string stream, string version) =>
        $"(select seq from {s}.events where tenant_id = {tenant} and stream_id = {stream} and version = {version})";

    // The current entries per agency and region, moved by the same statement that opens or closes
    // one: a city-wide page's total is then a sum over its agencies, not a count of every entry.
    private static string CountChanges(string s) => $"""
        insert into {s}.catalogue_counts (tenant_id, region, current)
        select tenant_id, region, sum(change) from (select tenant_id, region, 1 as change from opened
                                                    union all select tenant_id, region, -1 from closed) changes
         group by tenant_id, region having sum(change) <> 0
        on conflict (tenant_id, region) do update set current = {s}.catalogue_counts.current + excluded.current
        """;

    private static Npgsql.NpgsqlBatchCommand Repeal(string s, StoredEvent e, ItemRepealed r)
    {
        var command = new Npgsql.NpgsqlBatchCommand($"""
            with closed as (
                update {s}.catalogue_entries set valid_to = greatest(valid_from, $3)
                 where tenant_id = $1 and item_id = $2 and valid_to is null
                returning *)
            insert into {s}.catalogue_entries (tenant_id, item_id, seq, revision, index_number, agency_name, region, title, summary, body,
                document_number, written_on, published_on, category, topic, keywords, genre, channels, valid, repealed_on, valid_from, valid_to,
                search_text, bigrams, title_bigrams)
            select tenant_id, item_id, {SequenceOf(s, "$1", "$4", "$5")}, revision, index_number, agency_name, region, title, summary, body, document_number,
                   written_on, published_on, category, topic, keywords, genre, channels, false, $3, greatest(valid_from, $3), null,
                   search_text, bigrams, title_bigrams
              from closed
            """);
        Add(command, e.TenantId, r.ItemId, r.RepealedOn, e.StreamId, e.Version);
        return command;
    }

    private static Npgsql.NpgsqlBatchCommand Close(string s, string tenant, Guid item, DateOnly on)
    {
        var command = new Npgsql.NpgsqlBatchCommand($"""
            with closed as (
                update {s}.catalogue_entries set valid_to = greatest(valid_from, $3)
                 where tenant_id = $1 and item_id = $2 and valid_to is null
                returning tenant_id, region),
            opened as (select tenant_id, region from closed where false)
            {CountChanges(s)}
            """);
        Add(command, tenant, item, on);
        return command;
    }

    private static IEnumerable<string> Indexes(string s) =>
    [
        $"create index if not exists catalogue_current on {s}.catalogue_entries (published_on desc, index_number desc) where valid_to is null",
        $"create index if not exists catalogue_index_number on {s}.catalogue_entries (index_number)",
        // An item's current version: what every publication, withdrawal and repeal looks up first.
        // At most one current version per item. Not unique: a republication closes the old version and
        // opens the new one in one statement. No other index carries both keys and the predicate, so
        // the planner takes it even before the table has statistics.
        $"create index if not exists catalogue_current_item on {s}.catalogue_entries (tenant_id, item_id) where valid_to is null",
        $"create index if not exists catalogue_by_agency on {s}.catalogue_entries (tenant_id, published_on desc, index_number desc)",
        $"create index if not exists catalogue_current_by_region on {s}.catalogue_entries (region text_pattern_ops, published_on desc, index_number desc) where valid_to is null",
        $"create index if not exists catalogue_bigrams on {s}.catalogue_entries using gin (bigrams)",
        // The title's pairs, for a rare term's title hits.
        $"create index if not exists catalogue_title_bigrams on {s}.catalogue_entries using gin (title_bigrams) where valid_to is null",
    ];

    // A rebuild reads items whole and writes each entry once with COPY into a fresh table; its
    // indexes are built after (cheaper once than row by row: the bigram index most of all).
    public string StreamType => "item";

    public IReadOnlyList<string> EventTypes => CatalogueVersions.EventTypes;

    public IReadOnlyList<string> Tables => ["catalogue_entries", "catalogue_counts"];

    public async Task WriteStreamsAsync(ProjectionContext context, IReadOnlyList<IReadOnlyList<StoredEvent>> streams, CancellationToken ct)
    {
        var regions = await RegionsAsync(context, streams.Select(s => s[0].TenantId).Distinct().ToArray(), ct);
        // Frozen: the rebuild created the table (IStreamRebuild), so its first vacuum has nothing to do.
        await using var copy = await context.Connection.BeginBinaryImportAsync($"""
            copy {context.Table("catalogue_entries")} (tenant_id, item_id, seq, revision, index_number, agency_name, region, title, summary,
                body, document_number, written_on, published_on, category, topic, keywords, genre, channels, valid, repealed_on,
                valid_from, valid_to, search_text, bigrams, title_bigrams) from stdin (format binary, freeze)
            """, ct);
        var counts = RebuildCounts.GetOrCreateValue(context);
        foreach (var stream in streams)
            foreach (var v in CatalogueVersions.Of(stream, tenant => regions.GetValueOrDefault(tenant, "")))
            {
                counts[(v.TenantId, v.Region)] = counts.GetValueOrDefault((v.TenantId, v.Region)) + (v.ValidTo is null ? 1 : 0);
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(v.TenantId, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(v.ItemId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(v.Seq, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(v.Revision, NpgsqlDbType.Integer, ct);
                foreach (var text in new[] { v.IndexNumber, v.AgencyName, v.Region, v.Title, v.Summary }) await copy.WriteAsync(text, NpgsqlDbType.Text, ct);
                await WriteAsync(copy, v.Body, NpgsqlDbType.Text, ct);
                await WriteAsync(copy, v.DocumentNumber, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(v.WrittenOn, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(v.PublishedOn, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(v.Category, NpgsqlDbType.Text, ct);
                await WriteAsync(copy, v.Topic, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(v.Keywords, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                await copy.WriteAsync(v.Genre, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(v.Channels, NpgsqlDbType.Array | NpgsqlDbType.Text, ct);
                await copy.WriteAsync(v.Valid, NpgsqlDbType.Boolean, ct);
                await WriteAsync(copy, v.RepealedOn, NpgsqlDbType.Date, ct);
                await copy.WriteAsync(v.ValidFrom, NpgsqlDbType.Date, ct);
                await WriteAsync(copy, v.ValidTo, NpgsqlDbType.Date, ct);
                await WriteAsync(copy, v.SearchText, NpgsqlDbType.Text, ct);
                // Encoded here, sent as they are: COPY gives the bytes to the column's type (int[]).
                await copy.WriteAsync(IntArrayCopy.Encode(v.Bigrams), NpgsqlDbType.Bytea, ct);
                await copy.WriteAsync(IntArrayCopy.Encode(v.TitleBigrams), NpgsqlDbType.Bytea, ct);
            }
        await copy.CompleteAsync(ct);
    }

    private static async Task WriteAsync<T>(Npgsql.NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct)
    {
        if (value is null) await copy.WriteNullAsync(ct);
        else await copy.WriteAsync(value, type, ct);
    }

    // An entry's region is its agency's at the time of writing, as a live publication's statement reads it.
    private static async Task<Dictionary<string, string>> RegionsAsync(ProjectionContext context, string[] tenants, CancellationToken ct)
    {
        await using var command = context.Command($"select agency, region from {context.Schema}.agencies where agency = any($1)");
        command.Parameters.Add(new() { Value = tenants });
        var regions = new Dictionary<string, string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) regions[reader.GetString(0)] = reader.GetString(1);
        return regions;
    }

    // The kept totals, counted as the rebuild wrote the entries (a scan of the written table cost
    // 5–7 % of the rebuild): a row for every agency and region that ever had an entry, as the
    // live statements leave them.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ProjectionContext, Dictionary<(string Tenant, string Region), long>> RebuildCounts = new();

    public async Task AfterReplayAsync(ProjectionContext context, CancellationToken ct)
    {
        var counts = RebuildCounts.GetOrCreateValue(context);
        await using var command = context.Command(
            $"insert into {context.Table("catalogue_counts")} (tenant_id, region, current) select * from unnest($1::text[], $2::text[], $3::bigint[])");
        command.Parameters.Add(new() { Value = counts.Keys.Select(k => k.Tenant).ToArray() });
        command.Parameters.Add(new() { Value = counts.Keys.Select(k => k.Region).ToArray() });
        command.Parameters.Add(new() { Value = counts.Values.ToArray() });
        await command.ExecuteNonQueryAsync(ct);
        RebuildCounts.Remove(context);
    }

    private sealed record Typed(object? Value, NpgsqlDbType Type);

    private static Typed Nullable(object? value, NpgsqlDbType type) => new(value, type);

    private static void Add(Npgsql.NpgsqlBatchCommand command, params object?[] values)
    {
        foreach (var value in values)
            command.Parameters.Add(value is Typed t
                ? new() { Value = t.Value ?? DBNull.Value, NpgsqlDbType = t.Type }
                : new() { Value = value });
    }

    public async Task ResetAsync(ProjectionContext context, CancellationToken ct)
    {
        await using var command = context.Command($"delete from {context.Schema}.catalogue_entries; delete from {context.Schema}.catalogue_counts");
        await command.ExecuteNonQueryAsync(ct);
    }
}

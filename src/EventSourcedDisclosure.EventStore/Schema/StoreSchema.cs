namespace EventSourcedDisclosure.EventStore.Schema;

/// <summary>
/// The store's DDL, one idempotent script run at every start-up under an advisory lock.
/// Tables follow Marten's shape (streams, events, progression) with tenant first in every key.
/// </summary>
internal static class StoreSchema
{
    public static string Script(string s) => $$"""
        create schema if not exists {{s}};

        create sequence if not exists {{s}}.event_seq as bigint;

        create table if not exists {{s}}.streams (
            tenant_id   text        not null,
            id          uuid        not null,
            type        text        not null,
            version     bigint      not null,
            created_at  timestamptz not null default now(),
            updated_at  timestamptz not null default now(),
            is_archived boolean     not null default false,
            primary key (tenant_id, id)
        );
        create index if not exists streams_by_id on {{s}}.streams (id);

        -- seq is the human-facing global position; replay order is (tx, seq): see
        -- docs/event-store.md. tx is the writing transaction's xid8, assigned at its first write.
        create table if not exists {{s}}.events (
            tenant_id   text        not null,
            stream_id   uuid        not null,
            version     bigint      not null,
            seq         bigint      not null,
            tx          xid8        not null default pg_current_xact_id(),
            type        text        not null,
            data        jsonb       not null,
            metadata    jsonb       not null,
            recorded_at timestamptz not null default now(),
            is_archived boolean     not null default false,
            primary key (tenant_id, stream_id, version)
        );
        create index if not exists events_by_tx_seq on {{s}}.events (tx, seq);
        create index if not exists events_by_seq on {{s}}.events (seq);
        create index if not exists events_by_tenant_seq on {{s}}.events (tenant_id, seq);

        -- The tamper-evident chain (docs/audit.md): each tenant's events in commit order.
        alter table {{s}}.events add column if not exists chain_position bigint, add column if not exists hash text;
        create unique index if not exists events_chain on {{s}}.events (tenant_id, chain_position);

        -- No query filters on an event's payload, metadata or hash, so ANALYZE need not study them:
        -- their statistics were half of its time on the events. Set once (ALTER TABLE would wait
        -- for a running ANALYZE at every start-up otherwise).
        do $stats$
        begin
            if exists (select from pg_attribute where attrelid = '{{s}}.events'::regclass
                        and attname in ('data', 'metadata', 'hash') and attstattarget is distinct from 0) then
                alter table {{s}}.events alter column data set statistics 0, alter column metadata set statistics 0,
                    alter column hash set statistics 0;
            end if;
        end
        $stats$;

        -- The log is append-only: the application never updates or deletes an event, whatever its role.
        create or replace function {{s}}.events_are_append_only() returns trigger language plpgsql as $fn$
        begin
            raise exception using errcode = 'ES403', message = 'the event log is append-only: events are never updated or deleted';
        end
        $fn$;
        drop trigger if exists events_append_only on {{s}}.events;
        create trigger events_append_only before update or delete on {{s}}.events
            for each row execute function {{s}}.events_are_append_only();

        create table if not exists {{s}}.projection_progress (
            name       text        primary key,
            last_tx    xid8        not null default '0',
            last_seq   bigint      not null default 0,
            updated_at timestamptz not null default now()
        );

        create table if not exists {{s}}.idempotency_keys (
            tenant_id    text        not null,
            key          text        not null,
            request_hash text        not null,
            stream_id    uuid        not null,
            version      bigint      not null,
            result       jsonb,
            created_at   timestamptz not null default now(),
            primary key (tenant_id, key)
        );

        -- Crypto-shredding (docs/audit.md): the only personal data the log holds is sealed under
        -- these keys, which live outside the append-only log and are destroyed on erasure.
        create table if not exists {{s}}.personal_data_keys (
            tenant_id   text        not null,
            subject_id  uuid        not null,
            wrapped_key text,
            created_at  timestamptz not null default now(),
            erased_at   timestamptz,
            primary key (tenant_id, subject_id),
            check ((wrapped_key is null) = (erased_at is not null))
        );

        create table if not exists {{s}}.store_settings (
            name  text primary key,
            value text not null
        );

        drop function if exists {{s}}.append_events(text, uuid, text, bigint, text[], jsonb[], jsonb[], text, text, jsonb);

        {{LockFunction(s)}}

        {{PrepareFunction(s)}}

        {{VerifyFunction(s)}}

        {{AppendFunction(s)}}
        """;

    /// <summary>
    /// The role applications should log in through (as a member): it may read and write every
    /// table but never UPDATE, DELETE or TRUNCATE events. Without the right to create roles (a
    /// managed database) the operator creates it; ops/database-roles.md.
    /// </summary>
    public static string AppRole(string s) => $$"""

        do $roles$
        begin
            begin
                create role {{s}}_app nologin;
            exception when duplicate_object or unique_violation then null; -- another database of the cluster made it
            end;
            execute 'grant usage on schema {{s}} to {{s}}_app';
            execute 'grant select, insert, update, delete on all tables in schema {{s}} to {{s}}_app';
            execute 'revoke update, delete, truncate on {{s}}.events from {{s}}_app';
            execute 'grant usage, select on all sequences in schema {{s}} to {{s}}_app';
            execute 'grant execute on all functions in schema {{s}} to {{s}}_app';
        exception when insufficient_privilege then
            raise notice 'role {{s}}_app not created: no CREATEROLE privilege (see ops/database-roles.md)';
        end
        $roles$;
        """;

    // The tenant's chain lock, then the stream's, and what an append needs to extend both: the
    // stream's version and the chain's head. Every append takes them in this order.
    private static string PrepareFunction(string s) => $$"""
        create or replace function {{s}}.prepare_append(p_tenant text, p_stream uuid,
            out stream_version bigint, out chain_position bigint, out chain_hash text)
        language plpgsql as $fn$
        begin
            perform pg_advisory_xact_lock(hashtextextended(p_tenant || '/chain', 0));
            stream_version := {{s}}.lock_stream(p_tenant, p_stream);
            select e.chain_position, e.hash into chain_position, chain_hash
              from {{s}}.events e where e.tenant_id = p_tenant and e.chain_position is not null
             order by e.chain_position desc limit 1;
        end
        $fn$;
        """;

    // prepare_append for a writer that already knows the heads (its own last commit): the same
    // locks in the same order, and instead of the heads, whether they are still what it knows.
    // Streams known at a version without a lock (the agency's, the calendar's) are compared too:
    // read committed, as a load reads them. Anything changed: ES412, and the transaction is void.
    private static string VerifyFunction(string s) => $$"""
        create or replace function {{s}}.verify_heads(p_tenant text, p_chain_position bigint, p_chain_hash text,
            p_streams uuid[], p_versions bigint[], p_stamp_tenants text[], p_stamp_streams uuid[], p_stamp_versions bigint[])
        returns boolean
        language plpgsql as $fn$
        declare
            v_position bigint;
            v_hash     text;
        begin
            perform pg_advisory_xact_lock(hashtextextended(p_tenant || '/chain', 0));
            select e.chain_position, e.hash into v_position, v_hash
              from {{s}}.events e where e.tenant_id = p_tenant and e.chain_position is not null
             order by e.chain_position desc limit 1;
            if coalesce(v_position, 0) <> p_chain_position or (v_position is not null and v_hash <> p_chain_hash) then
                raise exception using errcode = 'ES412',
                    message = format('the chain of %s is at position %s, not %s', p_tenant, coalesce(v_position, 0), p_chain_position);
            end if;
            for i in 1 .. coalesce(array_length(p_streams, 1), 0) loop
                if {{s}}.lock_stream(p_tenant, p_streams[i]) <> p_versions[i] then
                    raise exception using errcode = 'ES412', message = format('stream %s is not at version %s', p_streams[i], p_versions[i]);
                end if;
            end loop;
            if exists (select from unnest(p_stamp_tenants, p_stamp_streams, p_stamp_versions) as k(tenant_id, id, version)
                        where coalesce((select st.version from {{s}}.streams st where st.tenant_id = k.tenant_id and st.id = k.id), 0) <> k.version) then
                raise exception using errcode = 'ES412', message = 'a stream the decision read has changed';
            end if;
            return true;
        end
        $fn$;
        """;

    // The stream's lock for the rest of the transaction, and its version. Taken before anything
    // gives the transaction an xid (see below); appends take it again, re-entrantly.
    private static string LockFunction(string s) => $$"""
        create or replace function {{s}}.lock_stream(p_tenant text, p_stream uuid) returns bigint
        language plpgsql as $fn$
        declare v_version bigint;
        begin
            perform pg_advisory_xact_lock(hashtextextended(p_tenant || '/stream/' || p_stream::text, 0));
            select st.version into v_version from {{s}}.streams st where st.tenant_id = p_tenant and st.id = p_stream;
            return coalesce(v_version, 0);
        end
        $fn$;
        """;

    // This MUST stay one server-side call that takes its locks and checks the version before it
    // writes anything. Advisory locks assign no transaction id, so a second appender to the same
    // stream waits at the lock without an xid and gets a larger one than the holder: (tx, seq)
    // order then agrees with version order inside every stream (ordering note, caveat a).
    private static string AppendFunction(string s) => $$"""
        create or replace function {{s}}.append_events(
            p_tenant text, p_stream uuid, p_stream_type text, p_expected bigint,
            p_types text[], p_data jsonb[], p_metadata jsonb[],
            p_idem_key text, p_idem_hash text, p_idem_result jsonb,
            p_recorded_at timestamptz, p_hashes text[], p_first_position bigint)
        returns table (out_version bigint, out_seqs bigint[], out_recorded_at timestamptz,
                       out_replayed boolean, out_result jsonb)
        language plpgsql as $fn$
        declare
            v_current bigint;
            v_count   int := coalesce(array_length(p_types, 1), 0);
            v_seqs    bigint[];
            v_stored  record;
        begin
            if p_idem_key is not null then
                perform pg_advisory_xact_lock(hashtextextended(p_tenant || '/idem/' || p_idem_key, 0));
                select k.request_hash, k.version, k.result into v_stored
                  from {{s}}.idempotency_keys k where k.tenant_id = p_tenant and k.key = p_idem_key;
                if found then
                    if v_stored.request_hash <> p_idem_hash then
                        raise exception using errcode = 'ES422',
                            message = 'idempotency key already used for a different request',
                            detail = p_idem_key;
                    end if;
                    return query select v_stored.version, array[]::bigint[], now(), true, v_stored.result;
                    return;
                end if;
            end if;

            v_current := {{s}}.lock_stream(p_tenant, p_stream);

            -- null = any version; 0 = the stream must not exist yet; n = the stream must be at n.
            if p_expected is not null and p_expected <> v_current then
                raise exception using errcode = 'ES409',
                    message = format('stream %s is at version %s, not %s', p_stream, v_current, p_expected);
            end if;
            if v_count = 0 then
                raise exception using errcode = 'ES400', message = 'an append needs at least one event';
            end if;

            -- nextval in the select list runs after the ordering, so seq rises with version.
            with inserted as (
                insert into {{s}}.events (tenant_id, stream_id, version, seq, type, data, metadata, recorded_at, hash, chain_position)
                select p_tenant, p_stream, v_current + i, nextval('{{s}}.event_seq'),
                       p_types[i], p_data[i], p_metadata[i], p_recorded_at, p_hashes[i], p_first_position + i - 1
                  from generate_subscripts(p_types, 1) as i
                 order by i
                returning seq, version)
            select array_agg(seq order by version) into v_seqs from inserted;

            if v_current = 0 then
                insert into {{s}}.streams (tenant_id, id, type, version)
                values (p_tenant, p_stream, p_stream_type, v_count);
            else
                update {{s}}.streams set version = v_current + v_count, updated_at = now()
                 where tenant_id = p_tenant and id = p_stream;
            end if;

            if p_idem_key is not null then
                insert into {{s}}.idempotency_keys (tenant_id, key, request_hash, stream_id, version, result)
                values (p_tenant, p_idem_key, p_idem_hash, p_stream, v_current + v_count, p_idem_result);
            end if;

            return query select v_current + v_count, v_seqs, p_recorded_at, false, p_idem_result;
        end
        $fn$;
        """;
}

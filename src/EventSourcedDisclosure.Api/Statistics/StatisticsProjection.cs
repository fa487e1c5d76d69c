using EventSourcedDisclosure.Domain.Appeals;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Items;
using EventSourcedDisclosure.Domain.Requests;
using EventSourcedDisclosure.EventStore;
using EventSourcedDisclosure.EventStore.Projections;
using NpgsqlTypes;

namespace EventSourcedDisclosure.Api.Statistics;

/// <summary>
/// Async: the facts the yearly tables are counted from, one row per request, item and appeal
/// with the business dates and the log sequence of the event behind each. Many agencies and
/// streams feed it, so it runs in the daemon, not in the appending transaction. The tables
/// themselves are a fold over these facts (Domain/Statistics), by year and format.
/// </summary>
public sealed class StatisticsProjection : IProjection, IReadsEventData
{
    public string Name => "statistics";

    // The events ApplyAsync turns into facts (keep the two together): the daemon reads no other's data.
    private static readonly Type[] Facts =
    [
        typeof(RequestReceived), typeof(RequestAnswered), typeof(FeePaid),
        typeof(ReconsiderationFiled), typeof(LawsuitFiled), typeof(ReconsiderationDecided), typeof(LawsuitDecided),
        typeof(ItemDrafted), typeof(ItemPublished), typeof(ItemRepealed),
    ];

    public IReadOnlySet<string> EventTypesWithData { get; } =
        Domain.DomainEvents.All.Where(e => Facts.Contains(e.Type)).Select(e => e.Name).ToHashSet();

    public string SchemaSql(string s) => $$"""
        create table if not exists {{s}}.stat_requests (
            tenant_id text not null, id uuid not null, received_on date not null, applicant_type text not null,
            received_seq bigint not null, answered_on date, outcome text, reason text, answered_seq bigint,
            primary key (tenant_id, id));
        alter table {{s}}.stat_requests add column if not exists fee_paid_on date, add column if not exists fee_amount numeric;
        create table if not exists {{s}}.stat_items (
            tenant_id text not null, id uuid not null, genre text not null, written_on date not null, amount numeric,
            drafted_seq bigint not null, first_published_on date, published_seq bigint, repealed_on date, repealed_seq bigint,
            channels jsonb not null default '{}'::jsonb,
            primary key (tenant_id, id));
        create table if not exists {{s}}.stat_appeals (
            tenant_id text not null, request_id uuid not null, id uuid not null, kind text not null,
            after_reconsideration boolean not null, filed_on date not null, filed_seq bigint not null,
            decided_on date, result text, decided_seq bigint,
            primary key (tenant_id, id));
        -- Per agency: the position of the last batch that changed its facts (StatisticsCache).
        create table if not exists {{s}}.stat_versions (
            tenant_id text primary key, last_tx xid8 not null, last_seq bigint not null);
        """;

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken ct)
    {
        var s = context.Schema;
        var facts = new FactWrites(s);
        // Per agency, the last event that changed its facts: the version its cached cells are kept
        // under. A position in the log, not of the batch, so a rebuild arrives at the same versions.
        var touched = new Dictionary<string, StoredEvent>();
        foreach (var e in events)
        {
            var (tenant, seq) = (e.TenantId, e.Sequence);
            switch (e.Data)
            {
                case RequestReceived r: facts.RequestReceived(tenant, r.RequestId, r.ReceivedOn, Codes.Of(r.Applicant.Type), seq); break;
                case RequestAnswered a: facts.RequestAnswered(tenant, a.RequestId, a.AnsweredOn, Codes.Of(a.Outcome), a.Reason, seq); break;
                case FeePaid f: facts.FeePaid(tenant, f.RequestId, f.PaidOn, f.Amount); break;
                case ReconsiderationFiled f: facts.AppealFiled(tenant, f.RequestId, f.ReconsiderationId, "reconsideration", false, f.FiledOn, seq); break;
                case LawsuitFiled f: facts.AppealFiled(tenant, f.RequestId, f.LawsuitId, "lawsuit", f.AfterReconsideration, f.FiledOn, seq); break;
                case ReconsiderationDecided d: facts.AppealDecided(tenant, d.ReconsiderationId, d.DecidedOn, Codes.Of(d.Result), seq); break;
                case LawsuitDecided d: facts.AppealDecided(tenant, d.LawsuitId, d.DecidedOn, Codes.Of(d.Result), seq); break;
                case ItemDrafted d: facts.ItemDrafted(tenant, d.ItemId, Codes.Of(d.Content.Genre), d.Content.WrittenOn, d.Content.Amount, seq); break;
                case ItemPublished p: facts.ItemPublished(tenant, p.ItemId, p.PublishedOn, p.NewChannels.Select(Codes.Of), seq); break;
                case ItemRepealed r: facts.ItemRepealed(tenant, r.ItemId, r.RepealedOn, seq); break;
                default: continue;
            }
            touched[e.TenantId] = e;
        }
        if (touched.Count == 0) return;
        // One round trip: the facts' statements in order, then the versions.
        await using var batch = new Npgsql.NpgsqlBatch(context.Connection, context.Transaction);
        facts.AddTo(batch);
        var version = new Npgsql.NpgsqlBatchCommand($"""
            insert into {s}.stat_versions (tenant_id, last_tx, last_seq) select * from unnest($1::text[], $2::xid8[], $3::bigint[])
            on conflict (tenant_id) do update set last_tx = excluded.last_tx, last_seq = excluded.last_seq
            """);
        version.Parameters.Add(new() { Value = touched.Keys.ToArray() });
        version.Parameters.Add(new() { Value = touched.Values.Select(e => e.TransactionId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Xid8 });
        version.Parameters.Add(new() { Value = touched.Values.Select(e => e.Sequence).ToArray() });
        batch.BatchCommands.Add(version);
        await batch.ExecuteNonQueryAsync(ct);
    }

    public async Task ResetAsync(ProjectionContext context, CancellationToken ct)
    {
        await using var command = context.Command(
            $"delete from {context.Schema}.stat_requests; delete from {context.Schema}.stat_items; delete from {context.Schema}.stat_appeals; " +
            $"delete from {context.Schema}.stat_versions;");
        await command.ExecuteNonQueryAsync(ct);
    }
}

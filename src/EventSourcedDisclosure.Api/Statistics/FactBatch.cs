using EventSourcedDisclosure.Domain.Appeals;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Items;
using EventSourcedDisclosure.Domain.Requests;
using EventSourcedDisclosure.EventStore;
using Npgsql;
using NpgsqlTypes;

namespace EventSourcedDisclosure.Api.Statistics;

/// <summary>
/// One daemon batch's facts, gathered by kind and written as one statement per kind from arrays:
/// a statement per event had PostgreSQL plan thousands of statements per batch when catching up.
/// Per key the events fold as they did one at a time, in log order — an insert keeps the first,
/// an update the last, a publication its first date and each channel's first date. Inserts go
/// before updates: within a stream no update comes before its insert in the log.
/// </summary>
internal sealed class FactBatch
{
    private sealed record Received(string Tenant, Guid Id, DateOnly On, string ApplicantType, long Seq);
    private sealed record Answered(string Tenant, Guid Id, DateOnly On, string Outcome, string? Reason, long Seq);
    private sealed record Paid(string Tenant, Guid Id, DateOnly On, decimal Amount);
    private sealed record Filed(string Tenant, Guid RequestId, Guid Id, string Kind, bool AfterReconsideration, DateOnly On, long Seq);
    private sealed record Decided(string Tenant, Guid Id, DateOnly On, string Result, long Seq);
    private sealed record Drafted(string Tenant, Guid Id, string Genre, DateOnly WrittenOn, decimal? Amount, long Seq);
    private sealed record Repealed(string Tenant, Guid Id, DateOnly On, long Seq);
    private sealed record Published(string Tenant, Guid Id, DateOnly First, long Seq)
    {
        public Dictionary<string, string> Channels { get; } = [];
    }

    private readonly Dictionary<(string, Guid), Received> _received = [];
    private readonly Dictionary<(string, Guid), Answered> _answered = [];
    private readonly Dictionary<(string, Guid), Paid> _paid = [];
    private readonly Dictionary<(string, Guid), Filed> _filed = [];
    private readonly Dictionary<(string, Guid), Decided> _decided = [];
    private readonly Dictionary<(string, Guid), Drafted> _drafted = [];
    private readonly Dictionary<(string, Guid), Published> _published = [];
    private readonly Dictionary<(string, Guid), Repealed> _repealed = [];

    /// <summary>Per agency, the last event that changed its facts.</summary>
    public Dictionary<string, StoredEvent> Touched { get; } = [];

    public void Add(StoredEvent e)
    {
        var t = e.TenantId;
        switch (e.Data)
        {
            case RequestReceived r: _received.TryAdd((t, r.RequestId), new(t, r.RequestId, r.ReceivedOn, Codes.Of(r.Applicant.Type), e.Sequence)); break;
            case RequestAnswered a: _answered[(t, a.RequestId)] = new(t, a.RequestId, a.AnsweredOn, Codes.Of(a.Outcome), a.Reason, e.Sequence); break;
            case FeePaid f: _paid[(t, f.RequestId)] = new(t, f.RequestId, f.PaidOn, f.Amount); break;
            case ReconsiderationFiled f: _filed.TryAdd((t, f.ReconsiderationId), new(t, f.RequestId, f.ReconsiderationId, "reconsideration", false, f.FiledOn, e.Sequence)); break;
            case LawsuitFiled f: _filed.TryAdd((t, f.LawsuitId), new(t, f.RequestId, f.LawsuitId, "lawsuit", f.AfterReconsideration, f.FiledOn, e.Sequence)); break;
            case ReconsiderationDecided d: _decided[(t, d.ReconsiderationId)] = new(t, d.ReconsiderationId, d.DecidedOn, Codes.Of(d.Result), e.Sequence); break;
            case LawsuitDecided d: _decided[(t, d.LawsuitId)] = new(t, d.LawsuitId, d.DecidedOn, Codes.Of(d.Result), e.Sequence); break;
            case ItemDrafted d: _drafted.TryAdd((t, d.ItemId), new(t, d.ItemId, Codes.Of(d.Content.Genre), d.Content.WrittenOn, d.Content.Amount, e.Sequence)); break;
            case ItemPublished p:
                if (!_published.TryGetValue((t, p.ItemId), out var publication))
                    _published[(t, p.ItemId)] = publication = new(t, p.ItemId, p.PublishedOn, e.Sequence);
                foreach (var channel in p.NewChannels) publication.Channels.TryAdd(Codes.Of(channel), p.PublishedOn.ToString("yyyy-MM-dd"));
                break;
            case ItemRepealed r: _repealed[(t, r.ItemId)] = new(t, r.ItemId, r.RepealedOn, e.Sequence); break;
            default: return;
        }
        Touched[t] = e;
    }

    public IEnumerable<NpgsqlBatchCommand> Commands(string s)
    {
        if (_received.Count > 0)
            yield return Command($"""
                insert into {s}.stat_requests (tenant_id, id, received_on, applicant_type, received_seq)
                select * from unnest($1::text[], $2::uuid[], $3::date[], $4::text[], $5::bigint[]) on conflict (tenant_id, id) do nothing
                """, Values(_received, r => r.Tenant), Values(_received, r => r.Id), Values(_received, r => r.On),
                Values(_received, r => r.ApplicantType), Values(_received, r => r.Seq));
        if (_filed.Count > 0)
            yield return Command($"""
                insert into {s}.stat_appeals (tenant_id, request_id, id, kind, after_reconsideration, filed_on, filed_seq)
                select * from unnest($1::text[], $2::uuid[], $3::uuid[], $4::text[], $5::boolean[], $6::date[], $7::bigint[])
                on conflict (tenant_id, id) do nothing
                """, Values(_filed, f => f.Tenant), Values(_filed, f => f.RequestId), Values(_filed, f => f.Id), Values(_filed, f => f.Kind),
                Values(_filed, f => f.AfterReconsideration), Values(_filed, f => f.On), Values(_filed, f => f.Seq));
        if (_drafted.Count > 0)
            yield return Command($"""
                insert into {s}.stat_items (tenant_id, id, genre, written_on, amount, drafted_seq)
                select * from unnest($1::text[], $2::uuid[], $3::text[], $4::date[], $5::numeric[], $6::bigint[]) on conflict (tenant_id, id) do nothing
                """, Values(_drafted, d => d.Tenant), Values(_drafted, d => d.Id), Values(_drafted, d => d.Genre), Values(_drafted, d => d.WrittenOn),
                Values(_drafted, d => d.Amount), Values(_drafted, d => d.Seq));
        if (_answered.Count > 0)
            yield return Command($"""
                update {s}.stat_requests r set answered_on = u.answered_on, outcome = u.outcome, reason = u.reason, answered_seq = u.seq
                  from unnest($1::text[], $2::uuid[], $3::date[], $4::text[], $5::text[], $6::bigint[]) as u(tenant_id, id, answered_on, outcome, reason, seq)
                 where r.tenant_id = u.tenant_id and r.id = u.id
                """, Values(_answered, a => a.Tenant), Values(_answered, a => a.Id), Values(_answered, a => a.On), Values(_answered, a => a.Outcome),
                Values(_answered, a => a.Reason), Values(_answered, a => a.Seq));
        if (_paid.Count > 0)
            yield return Command($"""
                update {s}.stat_requests r set fee_paid_on = u.paid_on, fee_amount = u.amount
                  from unnest($1::text[], $2::uuid[], $3::date[], $4::numeric[]) as u(tenant_id, id, paid_on, amount)
                 where r.tenant_id = u.tenant_id and r.id = u.id
                """, Values(_paid, p => p.Tenant), Values(_paid, p => p.Id), Values(_paid, p => p.On), Values(_paid, p => p.Amount));
        if (_decided.Count > 0)
            yield return Command($"""
                update {s}.stat_appeals a set decided_on = u.decided_on, result = u.result, decided_seq = u.seq
                  from unnest($1::text[], $2::uuid[], $3::date[], $4::text[], $5::bigint[]) as u(tenant_id, id, decided_on, result, seq)
                 where a.tenant_id = u.tenant_id and a.id = u.id
                """, Values(_decided, d => d.Tenant), Values(_decided, d => d.Id), Values(_decided, d => d.On), Values(_decided, d => d.Result),
                Values(_decided, d => d.Seq));
        if (_published.Count > 0)
            // Channels already recorded keep their date (the right operand of || wins).
            yield return Command($"""
                update {s}.stat_items i set first_published_on = coalesce(i.first_published_on, u.first_on),
                       published_seq = coalesce(i.published_seq, u.seq), channels = u.channels || i.channels
                  from unnest($1::text[], $2::uuid[], $3::date[], $4::bigint[], $5::jsonb[]) as u(tenant_id, id, first_on, seq, channels)
                 where i.tenant_id = u.tenant_id and i.id = u.id
                """, Values(_published, p => p.Tenant), Values(_published, p => p.Id), Values(_published, p => p.First), Values(_published, p => p.Seq),
                Jsonb(Values(_published, p => System.Text.Json.JsonSerializer.Serialize(p.Channels))));
        if (_repealed.Count > 0)
            yield return Command($"""
                update {s}.stat_items i set repealed_on = u.repealed_on, repealed_seq = u.seq
                  from unnest($1::text[], $2::uuid[], $3::date[], $4::bigint[]) as u(tenant_id, id, repealed_on, seq)
                 where i.tenant_id = u.tenant_id and i.id = u.id
                """, Values(_repealed, r => r.Tenant), Values(_repealed, r => r.Id), Values(_repealed, r => r.On), Values(_repealed, r => r.Seq));
    }

    private static T[] Values<TRow, T>(Dictionary<(string, Guid), TRow> rows, Func<TRow, T> column) => rows.Values.Select(column).ToArray();

    private static NpgsqlParameter Jsonb(string[] values) => new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb };

    private static NpgsqlBatchCommand Command(string sql, params object[] arrays)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var array in arrays) command.Parameters.Add(array as NpgsqlParameter ?? new NpgsqlParameter { Value = array });
        return command;
    }
}

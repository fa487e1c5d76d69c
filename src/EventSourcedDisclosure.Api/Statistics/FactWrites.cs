using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace EventSourcedDisclosure.Api.Statistics;

/// <summary>
/// A daemon batch's changes to the facts as a few set-based statements instead of one per event
/// (a rebuild ran 600,000 single-row statements for 1.5 million events). Per table, the new rows
/// go in first, the first for a key winning as `on conflict do nothing` would have it; then each
/// key's updates folded into one: the last answer, fee, repeal and decision; the first
/// publication's date and sequence, and each channel's first date. Inserting first is the
/// events' own order unless an update precedes its key's insert within the batch: the batch is
/// cut there, so the facts come out as event-by-event application would leave them whatever the
/// batch size (the live daemon and a rebuild cut the log differently).
/// </summary>
internal sealed class FactWrites(string schema)
{
    private readonly List<Segment> _segments = [new()];

    public void RequestReceived(string tenant, Guid id, DateOnly receivedOn, string applicantType, long seq) =>
        Insert(s => s.Requests, s => s.Answers.ContainsKey((tenant, id)) || s.Fees.ContainsKey((tenant, id)),
            (tenant, id), new RequestRow(receivedOn, applicantType, seq));

    public void RequestAnswered(string tenant, Guid id, DateOnly answeredOn, string outcome, string? reason, long seq) =>
        _segments[^1].Answers[(tenant, id)] = new(answeredOn, outcome, reason, seq);

    public void FeePaid(string tenant, Guid id, DateOnly paidOn, decimal amount) =>
        _segments[^1].Fees[(tenant, id)] = new(paidOn, amount);

    public void ItemDrafted(string tenant, Guid id, string genre, DateOnly writtenOn, decimal? amount, long seq) =>
        Insert(s => s.Items, s => s.Publications.ContainsKey((tenant, id)) || s.Repeals.ContainsKey((tenant, id)),
            (tenant, id), new ItemRow(genre, writtenOn, amount, seq));

    public void ItemPublished(string tenant, Guid id, DateOnly publishedOn, IEnumerable<string> newChannels, long seq)
    {
        var publications = _segments[^1].Publications;
        if (!publications.TryGetValue((tenant, id), out var first))
            publications[(tenant, id)] = first = new(publishedOn, seq, []);
        foreach (var channel in newChannels) first.Channels.TryAdd(channel, publishedOn.ToString("yyyy-MM-dd"));
    }

    public void ItemRepealed(string tenant, Guid id, DateOnly repealedOn, long seq) =>
        _segments[^1].Repeals[(tenant, id)] = new(repealedOn, seq);

    public void AppealFiled(string tenant, Guid requestId, Guid id, string kind, bool afterReconsideration, DateOnly filedOn, long seq) =>
        Insert(s => s.Appeals, s => s.Decisions.ContainsKey((tenant, id)),
            (tenant, id), new AppealRow(requestId, kind, afterReconsideration, filedOn, seq));

    public void AppealDecided(string tenant, Guid id, DateOnly decidedOn, string result, long seq) =>
        _segments[^1].Decisions[(tenant, id)] = new(decidedOn, result, seq);

    private void Insert<TRow>(Func<Segment, Dictionary<(string, Guid), TRow>> rows, Func<Segment, bool> updatedBefore,
        (string, Guid) key, TRow row)
    {
        if (updatedBefore(_segments[^1])) _segments.Add(new());
        rows(_segments[^1]).TryAdd(key, row);
    }

    /// <summary>Adds the statements, in order, to the batch.</summary>
    public void AddTo(NpgsqlBatch batch)
    {
        var s = schema;
        foreach (var segment in _segments)
        {
            Add(batch, segment.Requests, $"""
                insert into {s}.stat_requests (tenant_id, id, received_on, applicant_type, received_seq)
                select * from unnest($1::text[], $2::uuid[], $3::date[], $4::text[], $5::bigint[]) on conflict (tenant_id, id) do nothing
                """, r => r.ReceivedOn, r => r.ApplicantType, r => r.Seq);
            Add(batch, segment.Items, $"""
                insert into {s}.stat_items (tenant_id, id, genre, written_on, amount, drafted_seq)
                select * from unnest($1::text[], $2::uuid[], $3::text[], $4::date[], $5::numeric[], $6::bigint[]) on conflict (tenant_id, id) do nothing
                """, r => r.Genre, r => r.WrittenOn, r => r.Amount, r => r.Seq);
            Add(batch, segment.Appeals, $"""
                insert into {s}.stat_appeals (tenant_id, id, request_id, kind, after_reconsideration, filed_on, filed_seq)
                select * from unnest($1::text[], $2::uuid[], $3::uuid[], $4::text[], $5::boolean[], $6::date[], $7::bigint[]) on conflict (tenant_id, id) do nothing
                """, r => r.RequestId, r => r.Kind, r => r.AfterReconsideration, r => r.FiledOn, r => r.Seq);
            Add(batch, segment.Answers, $"""
                update {s}.stat_requests t set answered_on = u.answered_on, outcome = u.outcome, reason = u.reason, answered_seq = u.seq
                  from unnest($1::text[], $2::uuid[], $3::date[], $4::text[], $5::text[], $6::bigint[]) u(tenant_id, id, answered_on, outcome, reason, seq)
                 where t.tenant_id = u.tenant_id and t.id = u.id
                """, r => r.AnsweredOn, r => r.Outcome, r => r.Reason, r => r.Seq);
            Add(batch, segment.Fees, $"""
                update {s}.stat_requests t set fee_paid_on = u.paid_on, fee_amount = u.amount
                  from unnest($1::text[], $2::uuid[], $3::date[], $4::numeric[]) u(tenant_id, id, paid_on, amount)
                 where t.tenant_id = u.tenant_id and t.id = u.id
                """, r => r.PaidOn, r => r.Amount);
            // jsonb || keeps the right side's value for a key both have: a channel keeps its first date.
            Add(batch, segment.Publications, $"""
                update {s}.stat_items t set first_published_on = coalesce(t.first_published_on, u.published_on),
                       published_seq = coalesce(t.published_seq, u.seq), channels = u.channels || t.channels
                  from unnest($1::text[], $2::uuid[], $3::date[], $4::bigint[], $5::jsonb[]) u(tenant_id, id, published_on, seq, channels)
                 where t.tenant_id = u.tenant_id and t.id = u.id
                """, r => r.PublishedOn, r => r.Seq, r => new Json(JsonSerializer.Serialize(r.Channels)));
            Add(batch, segment.Repeals, $"""
                update {s}.stat_items t set repealed_on = u.repealed_on, repealed_seq = u.seq
                  from unnest($1::text[], $2::uuid[], $3::date[], $4::bigint[]) u(tenant_id, id, repealed_on, seq)
                 where t.tenant_id = u.tenant_id and t.id = u.id
                """, r => r.RepealedOn, r => r.Seq);
            Add(batch, segment.Decisions, $"""
                update {s}.stat_appeals t set decided_on = u.decided_on, result = u.result, decided_seq = u.seq
                  from unnest($1::text[], $2::uuid[], $3::date[], $4::text[], $5::bigint[]) u(tenant_id, id, decided_on, result, seq)
                 where t.tenant_id = u.tenant_id and t.id = u.id
                """, r => r.DecidedOn, r => r.Result, r => r.Seq);
        }
    }

    // One array parameter per column, after the key's two.
    private static void Add<TRow>(NpgsqlBatch batch, Dictionary<(string Tenant, Guid Id), TRow> rows, string sql, params Func<TRow, object?>[] columns)
    {
        if (rows.Count == 0) return;
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new() { Value = rows.Keys.Select(k => k.Tenant).ToArray() });
        command.Parameters.Add(new() { Value = rows.Keys.Select(k => k.Id).ToArray() });
        foreach (var column in columns)
        {
            var values = rows.Values.Select(column).ToArray();
            command.Parameters.Add(values.FirstOrDefault(v => v is not null) switch
            {
                Json => new() { Value = values.Select(v => ((Json)v!).Text).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb },
                // A column of nulls has no type to infer: sent as text, cast by the statement.
                null => new() { Value = values.Select(_ => (string?)null).ToArray() },
                _ => new() { Value = Typed(values) },
            });
        }
        batch.BatchCommands.Add(command);
    }

    // An array of the values' own type (nullable where some are null), as Npgsql maps it.
    private static Array Typed(object?[] values)
    {
        var type = values.First(v => v is not null)!.GetType();
        if (type.IsValueType && values.Any(v => v is null)) type = typeof(Nullable<>).MakeGenericType(type);
        var array = Array.CreateInstance(type, values.Length);
        for (var i = 0; i < values.Length; i++) array.SetValue(values[i], i);
        return array;
    }

    private sealed record Json(string Text);
    private sealed record RequestRow(DateOnly ReceivedOn, string ApplicantType, long Seq);
    private sealed record AnswerRow(DateOnly AnsweredOn, string Outcome, string? Reason, long Seq);
    private sealed record FeeRow(DateOnly PaidOn, decimal Amount);
    private sealed record ItemRow(string Genre, DateOnly WrittenOn, decimal? Amount, long Seq);
    private sealed record PublicationRow(DateOnly PublishedOn, long Seq, Dictionary<string, string> Channels);
    private sealed record RepealRow(DateOnly RepealedOn, long Seq);
    private sealed record AppealRow(Guid RequestId, string Kind, bool AfterReconsideration, DateOnly FiledOn, long Seq);
    private sealed record DecisionRow(DateOnly DecidedOn, string Result, long Seq);

    private sealed class Segment
    {
        public readonly Dictionary<(string, Guid), RequestRow> Requests = [];
        public readonly Dictionary<(string, Guid), AnswerRow> Answers = [];
        public readonly Dictionary<(string, Guid), FeeRow> Fees = [];
        public readonly Dictionary<(string, Guid), ItemRow> Items = [];
        public readonly Dictionary<(string, Guid), PublicationRow> Publications = [];
        public readonly Dictionary<(string, Guid), RepealRow> Repeals = [];
        public readonly Dictionary<(string, Guid), AppealRow> Appeals = [];
        public readonly Dictionary<(string, Guid), DecisionRow> Decisions = [];
    }
}

using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Requests;
using EventSourcedDisclosure.EventStore;
using EventSourcedDisclosure.EventStore.Projections;
using NpgsqlTypes;

namespace EventSourcedDisclosure.Api.Requests;

/// <summary>
/// Inline, public: what an applicant may see by tracking code, and nothing else — the table
/// holds no personal field, so the public answer cannot leak one. Runs after the ledger in the
/// same transaction and copies the non-personal columns of the request it just folded.
/// </summary>
public sealed class TrackingProjection : IProjection
{
    public string Name => "tracking";

    public string SchemaSql(string s) => $"""
        create table if not exists {s}.public_tracking (
            tracking_code text    primary key,
            status        text    not null,
            received_on   date    not null,
            due_on        date,
            extended      boolean not null,
            paused        boolean not null,
            answered_on   date,
            outcome       text);
        """;

    // Deferred after the ledger's upserts, which it copies from: the batch runs them in order.
    public Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken ct)
    {
        var streams = events.Where(e => e.Type.StartsWith("request.", StringComparison.Ordinal)).Select(e => (e.TenantId, e.StreamId)).Distinct().ToList();
        if (streams.Count == 0) return Task.CompletedTask;
        var command = new Npgsql.NpgsqlBatchCommand($"""
            insert into {context.Schema}.public_tracking (tracking_code, status, received_on, due_on, extended, paused, answered_on, outcome)
            select r.tracking_code, r.status, r.received_on, r.due_on, r.extended,
                   exists (select 1 from jsonb_array_elements(r.state->'consultations') c where c->>'repliedOn' is null) and r.status <> 'closed',
                   r.answered_on, r.outcome
              from {KeyRows.From(streams.Count, $"{context.Schema}.requests", "r")}
            on conflict (tracking_code) do update set status = excluded.status, due_on = excluded.due_on, extended = excluded.extended,
                paused = excluded.paused, answered_on = excluded.answered_on, outcome = excluded.outcome
            """);
        KeyRows.Add(command.Parameters, streams);
        context.Defer(command);
        return Task.CompletedTask;
    }

    public async Task ResetAsync(ProjectionContext context, CancellationToken ct)
    {
        await using var command = context.Command($"delete from {context.Schema}.public_tracking");
        await command.ExecuteNonQueryAsync(ct);
    }
}

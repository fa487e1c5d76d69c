using EventSourcedDisclosure.EventStore;
using EventSourcedDisclosure.EventStore.Projections;

namespace EventSourcedDisclosure.Api.Activity;

/// <summary>
/// Async: how many events of each type every agency has recorded, for operators watching
/// volumes. Many streams feed one row, which is why it is not inline.
/// </summary>
public sealed class ActivityProjection : IProjection, IReadsEventData
{
    public string Name => "activity";

    // Counts by tenant, type and time: no event's data.
    public IReadOnlySet<string> EventTypesWithData { get; } = new HashSet<string>();

    public string SchemaSql(string s) => $"""
        create table if not exists {s}.agency_activity (
            tenant_id        text        not null,
            event_type       text        not null,
            events           bigint      not null,
            last_recorded_at timestamptz not null,
            primary key (tenant_id, event_type));
        """;

    public async Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken ct)
    {
        await using var command = context.Command($"""
            insert into {context.Schema}.agency_activity as a (tenant_id, event_type, events, last_recorded_at)
            select tenant, type, count(*), max(at) from unnest($1::text[], $2::text[], $3::timestamptz[]) as e(tenant, type, at)
            group by tenant, type
            on conflict (tenant_id, event_type) do update
               set events = a.events + excluded.events,
                   last_recorded_at = greatest(a.last_recorded_at, excluded.last_recorded_at)
            """);
        command.Parameters.Add(new() { Value = events.Select(e => e.TenantId).ToArray() });
        command.Parameters.Add(new() { Value = events.Select(e => e.Type).ToArray() });
        command.Parameters.Add(new() { Value = events.Select(e => e.RecordedAt).ToArray() });
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task ResetAsync(ProjectionContext context, CancellationToken ct)
    {
        await using var command = context.Command($"delete from {context.Schema}.agency_activity");
        await command.ExecuteNonQueryAsync(ct);
    }
}

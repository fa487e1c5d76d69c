using System.Text.Json;
using NpgsqlTypes;
using EventSourcedDisclosure.Domain.Agencies;
using EventSourcedDisclosure.EventStore;
using EventSourcedDisclosure.EventStore.Projections;

namespace EventSourcedDisclosure.Api.Agencies;

/// <summary>Inline: the agency directory, read-your-writes.</summary>
public sealed class AgencyDirectoryProjection : IProjection, IReadsEventData
{
    public string Name => "agencies";

    // A rebuild replays the whole log in order: only these events' data is read (ApplyAsync's cases).
    public IReadOnlySet<string> EventTypesWithData { get; } = Domain.DomainEvents.All
        .Where(e => e.Type == typeof(AgencyRegistered) || e.Type == typeof(AgencyDetailsChanged)).Select(e => e.Name).ToHashSet();

    public string SchemaSql(string s) => $"""
        create table if not exists {s}.agencies (
            agency         text        primary key,
            name           text        not null,
            region         text        not null,
            index_prefix   text        not null,
            index_template text        not null,
            categories     jsonb       not null,
            withholding_review_months int not null,
            version        bigint      not null,
            registered_at  timestamptz not null,
            changed_at     timestamptz not null);
        create index if not exists agencies_by_region on {s}.agencies (region text_pattern_ops);
        """;

    public Task ApplyAsync(ProjectionContext context, IReadOnlyList<StoredEvent> events, CancellationToken ct)
    {
        foreach (var e in events)
        {
            var (agency, name, region, prefix, template, categories, months, at) = e.Data switch
            {
                AgencyRegistered r => (r.Agency, r.Name, r.Region, r.IndexPrefix, r.IndexTemplate, r.Categories, r.WithholdingReviewMonths, r.RegisteredAt),
                AgencyDetailsChanged c => (c.Agency, c.Name, c.Region, c.IndexPrefix, c.IndexTemplate, c.Categories, c.WithholdingReviewMonths, c.ChangedAt),
                _ => default,
            };
            if (agency is null) continue;
            var command = new Npgsql.NpgsqlBatchCommand($"""
                insert into {context.Schema}.agencies as a
                    (agency, name, region, index_prefix, index_template, categories, version, registered_at, changed_at, withholding_review_months)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)
                on conflict (agency) do update set name = $2, region = $3, index_prefix = $4,
                    index_template = $5, categories = $6, version = $7, changed_at = $8, withholding_review_months = $9
                """);
            foreach (var value in new object[] { agency, name, region, prefix, template })
                command.Parameters.Add(new() { Value = value });
            command.Parameters.Add(new() { Value = JsonSerializer.Serialize(categories, EventTypeRegistry.Json), NpgsqlDbType = NpgsqlDbType.Jsonb });
            command.Parameters.Add(new() { Value = e.Version });
            command.Parameters.Add(new() { Value = at });
            command.Parameters.Add(new() { Value = months });
            context.Defer(command);
        }
        return Task.CompletedTask;
    }

    public async Task ResetAsync(ProjectionContext context, CancellationToken ct)
    {
        await using var command = context.Command($"delete from {context.Schema}.agencies");
        await command.ExecuteNonQueryAsync(ct);
    }
}

using Npgsql;
using EventSourcedDisclosure.Api.Hosting;
using System.Text.Json;
using EventSourcedDisclosure.Api.Calendar;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Items;
using EventSourcedDisclosure.EventStore;
using EventSourcedDisclosure.EventStore.Projections;
using NpgsqlTypes;

namespace EventSourcedDisclosure.Api.Items;

/// <summary>
/// Inline: every item's folded state (a snapshot, as Marten's inline single-stream projection
/// keeps one) plus the columns staff filter on. The same fold as the decider's, so the list and
/// the command answers always agree.
/// </summary>
public sealed class ItemsProjection(CalendarProvider calendars) : SnapshotProjection<Item>("items", Item.Initial, Item.Evolve)
{
    public override string Name => "items";

    public override string SchemaSql(string s) => $"""
        create table if not exists {s}.items (
            tenant_id            text    not null,
            id                   uuid    not null,
            title                text    not null,
            category             text    not null,
            genre                text    not null,
            status               text    not null,
            disclosure           text,
            important            boolean not null,
            written_on           date    not null,
            publication_due_on   date,
            index_number         text,
            first_published_on   date,
            review_due_on        date,
            repealed_on          date,
            version              bigint  not null,
            state                jsonb   not null,
            primary key (tenant_id, id));
        create unique index if not exists items_index_number on {s}.items (index_number) where index_number is not null;
        create index if not exists items_publication_due on {s}.items (tenant_id, publication_due_on) where publication_due_on is not null;
        create index if not exists items_review_due on {s}.items (tenant_id, review_due_on) where review_due_on is not null;
        """;

    protected override bool Handles(StoredEvent e) => e.Type.StartsWith("item.", StringComparison.Ordinal);

    protected override NpgsqlBatchCommand SaveCommand(string schema, Item item, long version)
    {
        var command = new NpgsqlBatchCommand($"""
            insert into {schema}.items as i (tenant_id, id, title, category, genre, status, disclosure, important,
                written_on, publication_due_on, index_number, first_published_on, review_due_on, repealed_on, version, state)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
            on conflict (tenant_id, id) do update set title = $3, category = $4, genre = $5, status = $6, disclosure = $7,
                important = $8, written_on = $9, publication_due_on = $10, index_number = $11, first_published_on = $12,
                review_due_on = $13, repealed_on = $14, version = $15, state = $16
            """);
        var content = item.Content!;
        object?[] values =
        [
            item.Agency, item.Id, content.Title, content.Category, Codes.Of(content.Genre), Codes.Of(item.Status),
            item.Attribute is { } a ? Codes.Of(a.Disclosure) : null, item.Attribute?.Important ?? false, content.WrittenOn,
            item.PublicationDue(calendars.Current)?.Date, item.IndexNumber, item.FirstPublishedOn,
            item.Attribute?.Disclosure == Disclosure.Withheld ? item.WithholdingReviewDueOn : null, item.RepealedOn, version,
        ];
        foreach (var value in values) command.Parameters.Add(new() { Value = value ?? DBNull.Value });
        command.Parameters[6].NpgsqlDbType = NpgsqlDbType.Text;
        command.Parameters[9].NpgsqlDbType = NpgsqlDbType.Date;
        command.Parameters[10].NpgsqlDbType = NpgsqlDbType.Text;
        command.Parameters[11].NpgsqlDbType = NpgsqlDbType.Date;
        command.Parameters[12].NpgsqlDbType = NpgsqlDbType.Date;
        command.Parameters[13].NpgsqlDbType = NpgsqlDbType.Date;
        command.Parameters.Add(new() { Value = Json(item), NpgsqlDbType = NpgsqlDbType.Jsonb });
        return command;
    }
}

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
public sealed class ItemsProjection(CalendarProvider calendars) : SnapshotProjection<Item>("items", "item", Item.Initial, Item.Evolve)
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

    protected override IReadOnlyList<(string Name, NpgsqlDbType Type)> Columns { get; } =
    [
        ("tenant_id", NpgsqlDbType.Text), ("id", NpgsqlDbType.Uuid), ("title", NpgsqlDbType.Text), ("category", NpgsqlDbType.Text),
        ("genre", NpgsqlDbType.Text), ("status", NpgsqlDbType.Text), ("disclosure", NpgsqlDbType.Text), ("important", NpgsqlDbType.Boolean),
        ("written_on", NpgsqlDbType.Date), ("publication_due_on", NpgsqlDbType.Date), ("index_number", NpgsqlDbType.Text),
        ("first_published_on", NpgsqlDbType.Date), ("review_due_on", NpgsqlDbType.Date), ("repealed_on", NpgsqlDbType.Date),
        ("version", NpgsqlDbType.Bigint), ("state", NpgsqlDbType.Jsonb),
    ];

    protected override object?[] Row(Item item, long version)
    {
        var content = item.Content!;
        return
        [
            item.Agency, item.Id, content.Title, content.Category, Codes.Of(content.Genre), Codes.Of(item.Status),
            item.Attribute is { } a ? Codes.Of(a.Disclosure) : null, item.Attribute?.Important ?? false, content.WrittenOn,
            item.PublicationDue(calendars.Current)?.Date, item.IndexNumber, item.FirstPublishedOn,
            item.Attribute?.Disclosure == Disclosure.Withheld ? item.WithholdingReviewDueOn : null, item.RepealedOn, version, Json(item),
        ];
    }
}

using EventSourcedDisclosure.Api.Hosting;
using System.Text.Json;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Requests;
using EventSourcedDisclosure.EventStore;
using EventSourcedDisclosure.EventStore.Projections;
using NpgsqlTypes;

namespace EventSourcedDisclosure.Api.Requests;

/// <summary>
/// Inline: the request ledger (依申请公开台账): every request's folded state plus the columns the
/// ledger filters on. Due-soon and overdue depend on today's date, so they are decided at query time.
/// </summary>
public sealed class LedgerProjection() : SnapshotProjection<Request>("requests", "request", Request.Initial, Request.Evolve)
{
    public override string Name => "ledger";

    public override string SchemaSql(string s) => $"""
        create table if not exists {s}.requests (
            tenant_id     text    not null,
            id            uuid    not null,
            tracking_code text    not null unique,
            received_on   date    not null,
            due_on        date,
            status        text    not null,
            extended      boolean not null,
            outcome       text,
            answered_on   date,
            version       bigint  not null,
            state         jsonb   not null,
            primary key (tenant_id, id));
        create index if not exists requests_open_due on {s}.requests (tenant_id, due_on) where status <> 'closed';
        create index if not exists requests_received on {s}.requests (tenant_id, received_on desc);
        """;

    protected override bool Handles(StoredEvent e) => e.Type.StartsWith("request.", StringComparison.Ordinal);

    protected override IReadOnlyList<(string Name, NpgsqlDbType Type)> Columns { get; } =
    [
        ("tenant_id", NpgsqlDbType.Text), ("id", NpgsqlDbType.Uuid), ("tracking_code", NpgsqlDbType.Text), ("received_on", NpgsqlDbType.Date),
        ("due_on", NpgsqlDbType.Date), ("status", NpgsqlDbType.Text), ("extended", NpgsqlDbType.Boolean), ("outcome", NpgsqlDbType.Text),
        ("answered_on", NpgsqlDbType.Date), ("version", NpgsqlDbType.Bigint), ("state", NpgsqlDbType.Jsonb),
    ];

    protected override object?[] Row(Request r, long version) =>
    [
        r.Agency, r.Id, r.TrackingCode, r.ReceivedOn, r.Due?.On, Codes.Of(r.Status), r.Extended, r.Outcome is { } o ? Codes.Of(o) : null,
        r.AnsweredOn, version, Json(r),
    ];
}

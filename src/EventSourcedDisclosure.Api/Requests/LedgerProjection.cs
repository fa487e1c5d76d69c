using Npgsql;
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
public sealed class LedgerProjection() : SnapshotProjection<Request>("requests", Request.Initial, Request.Evolve)
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

    protected override NpgsqlBatchCommand SaveCommand(string schema, Request r, long version)
    {
        var command = new NpgsqlBatchCommand($"""
            insert into {schema}.requests (tenant_id, id, tracking_code, received_on, due_on, status, extended, outcome, answered_on, version, state)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            on conflict (tenant_id, id) do update set due_on = $5, status = $6, extended = $7, outcome = $8, answered_on = $9,
                version = $10, state = $11
            """);
        command.Parameters.Add(new() { Value = r.Agency });
        command.Parameters.Add(new() { Value = r.Id });
        command.Parameters.Add(new() { Value = r.TrackingCode });
        command.Parameters.Add(new() { Value = r.ReceivedOn });
        command.Parameters.Add(new() { Value = (object?)r.Due?.On ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date });
        command.Parameters.Add(new() { Value = Codes.Of(r.Status) });
        command.Parameters.Add(new() { Value = r.Extended });
        command.Parameters.Add(new() { Value = r.Outcome is { } o ? Codes.Of(o) : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)r.AnsweredOn ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date });
        command.Parameters.Add(new() { Value = version });
        command.Parameters.Add(new() { Value = Json(r), NpgsqlDbType = NpgsqlDbType.Jsonb });
        return command;
    }
}

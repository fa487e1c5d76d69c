using System.Text.Json;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Domain.Calendar;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.Domain.Requests;
using EventSourcedDisclosure.EventStore;
using Npgsql;
using NpgsqlTypes;

namespace EventSourcedDisclosure.Api.Requests;

public sealed record LedgerFilter(string? Status, int? Year, int? Page, int? PageSize);

public sealed record PublicTracking(string TrackingCode, string Status, DateOnly ReceivedOn, DateOnly? DueOn, bool Extended, bool Paused,
    DateOnly? AnsweredOn, string? Outcome);

public sealed record DisclosureCandidate(Guid ItemId, string? Title, int Applicants);

public static class RequestQueries
{
    public static readonly string[] LedgerStatuses = ["open", "dueSoon", "overdue", "closed", "paused", "awaitingCorrection", "extended"];

    public static async Task<(Request? Request, long Version)> FindAsync(NpgsqlDataSource db, string schema, string agency, Guid id, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"select state, version from {schema}.requests where tenant_id = $1 and id = $2");
        command.Parameters.Add(new() { Value = agency });
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (Read(reader.GetString(0)), reader.GetInt64(1)) : (null, 0);
    }

    /// <summary>From the public table only: it has no personal field to leak.</summary>
    public static async Task<PublicTracking?> FindByTrackingCodeAsync(NpgsqlDataSource db, string schema, string code, CancellationToken ct)
    {
        await using var command = db.CreateCommand(
            $"select tracking_code, status, received_on, due_on, extended, paused, answered_on, outcome from {schema}.public_tracking where tracking_code = $1");
        command.Parameters.Add(new() { Value = code });
        await using var r = await command.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct)
            ? new(r.GetString(0), r.GetString(1), r.GetFieldValue<DateOnly>(2), r.IsDBNull(3) ? null : r.GetFieldValue<DateOnly>(3), r.GetBoolean(4),
                r.GetBoolean(5), r.IsDBNull(6) ? null : r.GetFieldValue<DateOnly>(6), r.IsDBNull(7) ? null : r.GetString(7))
            : null;
    }

    public static async Task<Page<RequestView>> LedgerAsync(NpgsqlDataSource db, string schema, string agency, LedgerFilter f,
        WorkingCalendar calendar, DateOnly today, CancellationToken ct)
    {
        var paging = Paging.Of(f.Page, f.PageSize);
        new Validation()
            .Require(f.Status is null || LedgerStatuses.Contains(f.Status), "status", $"must be one of {string.Join(", ", LedgerStatuses)}")
            .Require(f.Year is null or (>= 2008 and <= 2200), "year", "is not a plausible year").ThrowIfAny();
        await using var command = db.CreateCommand($"""
            select state, version, count(*) over () from {schema}.requests
             where tenant_id = $1 and ($2::int is null or extract(year from received_on) = $2)
               and case $3::text
                     when 'open' then status <> 'closed'
                     when 'closed' then status = 'closed'
                     when 'paused' then status = 'paused'
                     when 'awaitingCorrection' then status = 'awaitingCorrection'
                     when 'extended' then extended and status <> 'closed'
                     when 'overdue' then status = 'open' and due_on < $4
                     when 'dueSoon' then status = 'open' and due_on >= $4 and due_on <= $5
                     else true end
             order by due_on nulls last, received_on, id limit $6 offset $7
            """);
        command.Parameters.Add(new() { Value = agency });
        command.Parameters.Add(new() { Value = (object?)f.Year ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new() { Value = (object?)f.Status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = today });
        command.Parameters.Add(new() { Value = calendar.AddWorkingDays(today, RequestDeadlines.DueSoonWorkingDays).Date });
        command.Parameters.Add(new() { Value = paging.PageSize });
        command.Parameters.Add(new() { Value = paging.Offset });
        var rows = new List<RequestView>();
        long total = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(RequestView.Of(Read(reader.GetString(0)), reader.GetInt64(1), calendar, today));
            total = reader.GetInt64(2);
        }
        return paging.Page(rows, total);
    }

    /// <summary>Every open request of every agency, for a calendar amendment, read in its transaction.</summary>
    public static async Task<List<(string Tenant, Guid Id)>> OpenRequestsAsync(EventSession session, string schema, CancellationToken ct)
    {
        await using var command = session.Context.Command($"select tenant_id, id from {schema}.requests where status <> 'closed' order by tenant_id, id");
        var rows = new List<(string, Guid)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) rows.Add((reader.GetString(0), reader.GetGuid(1)));
        return rows;
    }

    /// <summary>条例第四十四条: information that three or more applicants asked for is a candidate for proactive disclosure.</summary>
    public static async Task<List<DisclosureCandidate>> CandidatesAsync(NpgsqlDataSource db, string schema, string agency, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"""
            select d.item::uuid, i.title, count(distinct coalesce(r.state->'applicant'->>'idNumber', r.state->'applicant'->>'name'))::int
              from {schema}.requests r
             cross join lateral jsonb_array_elements_text(r.state->'disclosedItems') d(item)
              left join {schema}.items i on i.tenant_id = r.tenant_id and i.id = d.item::uuid
             where r.tenant_id = $1
             group by 1, 2 having count(distinct coalesce(r.state->'applicant'->>'idNumber', r.state->'applicant'->>'name')) >= 3
             order by 3 desc, 1
            """);
        command.Parameters.Add(new() { Value = agency });
        var rows = new List<DisclosureCandidate>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt32(2)));
        return rows;
    }

    private static Request Read(string json) => JsonSerializer.Deserialize<Request>(json, EventTypeRegistry.Json)!;
}

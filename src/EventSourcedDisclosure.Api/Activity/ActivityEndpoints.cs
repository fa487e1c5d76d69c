using EventSourcedDisclosure.Api.Hosting;
using Npgsql;

namespace EventSourcedDisclosure.Api.Activity;

public sealed record ActivityRow(string Type, long Events, DateTimeOffset LastRecordedAt);

public static class ActivityEndpoints
{
    public static void MapActivity(this IEndpointRouteBuilder api) =>
        api.MapGet("/agencies/{agency}/activity", async (string agency, NpgsqlDataSource db, EventStore.EventStore store, CancellationToken ct) =>
        {
            await using var command = db.CreateCommand(
                $"select event_type, events, last_recorded_at from {store.Options.Schema}.agency_activity where tenant_id = $1 order by event_type");
            command.Parameters.Add(new() { Value = agency });
            var rows = new List<ActivityRow>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                rows.Add(new(reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2)));
            return Results.Ok(new { agency, events = rows });
        }).WithTags("Operations").WithSummary("Events recorded per type for an agency (async projection)")
            .RequireRole(Readers.Activity);
}

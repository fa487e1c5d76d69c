using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.EventStore.Integrity;
using Npgsql;

namespace EventSourcedDisclosure.Api.Audit;

/// <summary>The records office's view: every event with who, when and why, and proof that none was altered.</summary>
public static class AuditEndpoints
{
    public static void MapAudit(this IEndpointRouteBuilder api)
    {
        var audit = api.MapGroup("/audit").WithTags("Audit");

        audit.MapGet("/streams/{id:guid}", async (Guid id, NpgsqlDataSource db, EventStore.EventStore store, CancellationToken ct) =>
            await AuditQueries.StreamAsync(db, store.Options.Schema, id, ct) is { Count: > 0 } events ? Results.Ok(events) : Results.NotFound())
            .WithSummary("Every event of a stream, with actor, times, correlation and causation, and its chain hash")
            .RequireRole(Roles.Auditor);

        audit.MapGet("/events", async ([AsParameters] AuditFilter filter, NpgsqlDataSource db, EventStore.EventStore store, CancellationToken ct) =>
            Results.Ok(await AuditQueries.EventsAsync(db, store.Options.Schema, filter, ct)))
            .WithSummary("The global log by agency, actor, type and time; page on with after=<next>")
            .RequireRole(Roles.Auditor);

        audit.MapGet("/export", (string? agency, DateTimeOffset? from, DateTimeOffset? to, LogExport export, HttpContext http) =>
            Results.Stream(body => export.ExportAsync(body, agency, from, to, http.RequestAborted), "application/x-ndjson",
                $"events-{agency ?? "all"}.ndjson"))
            .WithSummary("An agency's events (or all) as NDJSON, streamed; re-importable into an empty store")
            .RequireRole(Roles.Auditor);

        audit.MapGet("/verify", async (string agency, ChainVerifier verifier, CancellationToken ct) =>
        {
            var result = await verifier.VerifyAsync(agency, ct);
            return Results.Ok(new { verified = result.Verified, events = result.Events, firstBrokenSequence = result.FirstBrokenSequence, problem = result.Problem });
        }).WithSummary("Recomputes the agency's hash chain: the first broken sequence, if any")
            .RequireRole(Roles.Auditor);
    }
}

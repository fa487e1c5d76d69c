using System.Security.Cryptography;
using System.Text.Json;
using EventSourcedDisclosure.EventStore;

namespace EventSourcedDisclosure.Api.Hosting;

/// <summary>
/// A stream as a command sees it: where it lives and how its state folds. <paramref name="New"/>:
/// its id was made for this command (a version 7 GUID), so it is known not to exist yet.
/// </summary>
public sealed record StreamRef<TState>(string Tenant, Guid Id, string Type, TState Initial, Func<TState, object, TState> Evolve, bool New = false);

/// <summary>What a command answers: the view of the new state and, for a new stream, its location.</summary>
public sealed record CommandResponse(object Body, string? Location = null);

/// <summary>
/// The HTTP conventions of ../shared/API.md, once for every command: Idempotency-Key replay,
/// If-Match (412), lock and load → decide → append at the loaded version, ETag, and
/// event metadata from the caller. Endpoints supply only the decide and the view. The command
/// itself runs in the <see cref="CommandBatcher"/> (with others, under load), or alone under an
/// Idempotency-Key, whose check and record go with its own append.
/// </summary>
public sealed class CommandPipeline(EventStore.EventStore store, CommandBatcher batcher, KnownStreams known)
{
    public Task<IResult> ExecuteAsync<TState>(
        HttpContext http, StreamRef<TState> stream,
        Func<TState, IReadOnlyList<object>> decide,
        Func<TState, long, CommandResponse> view, IReadOnlyList<ReadAlongside>? alongside = null) =>
        ExecuteAsync(http, stream, (state, _) => Task.FromResult(decide(state)), view, alongside);

    /// <summary>
    /// The same, for a decision that needs the transaction it will commit in: to reserve a
    /// counter stream's next value, say. Whatever it appends commits with the command's events.
    /// </summary>
    public async Task<IResult> ExecuteAsync<TState>(
        HttpContext http, StreamRef<TState> stream,
        Func<TState, EventSession, Task<IReadOnlyList<object>>> decide,
        Func<TState, long, CommandResponse> view, IReadOnlyList<ReadAlongside>? alongside = null, IReadOnlyList<Guid>? thenLock = null)
    {
        var ct = http.RequestAborted;
        var key = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        if (key is { Length: 0 or > 200 })
            return Problems.Problem(400, "validation", "Idempotency-Key must be 1–200 characters.", "Bad header.");
        var hash = key is null ? null : await RequestHashAsync(http);
        if (key is not null && await store.FindIdempotentResultAsync(stream.Tenant, key, ct) is { } earlier)
            return earlier.RequestHash == hash
                ? Replay(http, earlier.Result)
                : Problems.From(new IdempotencyKeyReusedException(key));

        var command = new QueuedCommand<TState>(stream, decide, view, alongside, thenLock, IfMatch(http), http.EventMetadata(),
            key is null ? null : (key, hash!));
        var outcome = key is null ? await batcher.RunAsync(command, ct) : await RunAloneAsync(command, ct);
        return outcome switch
        {
            { Problem: { } problem } => problem,
            { Replayed: { } stored } => Replay(http, stored),
            _ => Respond(http, outcome.Status, outcome.Response!, outcome.Version),
        };
    }

    // Written outside the writers: what they knew of the tenant and stream is old now.
    private async Task<CommandOutcome> RunAloneAsync(QueuedCommand command, CancellationToken ct)
    {
        try { return await command.RunAloneAsync(store, ct); }
        finally { known.Forget(command); }
    }

    private static IResult Respond(HttpContext http, int status, CommandResponse response, long version)
    {
        http.Response.Headers.ETag = $"\"{version}\"";
        if (status == 201 && response.Location is not null) http.Response.Headers.Location = response.Location;
        return new SizedJsonResult(JsonSerializer.SerializeToUtf8Bytes(response.Body, response.Body.GetType(), EventTypeRegistry.Json), status);
    }

    private static IResult Replay(HttpContext http, JsonElement? stored)
    {
        var response = stored!.Value.Deserialize<StoredResponse>(EventTypeRegistry.Json)!;
        http.Response.Headers["Idempotent-Replayed"] = "true";
        return Respond(http, response.Status, new CommandResponse(JsonDocument.Parse(response.Body).RootElement, response.Location), response.Version);
    }

    private static long? IfMatch(HttpContext http) =>
        http.Request.Headers.IfMatch.FirstOrDefault() is { } value
        && long.TryParse(value.Trim().TrimStart('W', '/').Trim('"'), out var version) ? version : null;

    // Same key and same method, path and body = the same request. The body was buffered by
    // IdempotencyBuffering, so it can be read again after model binding consumed it.
    private static async Task<string> RequestHashAsync(HttpContext http)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{http.Request.Method} {http.Request.Path}\n"));
        if (http.Request.Body.CanSeek)
        {
            http.Request.Body.Position = 0;
            var buffer = new byte[8192];
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0) sha.AppendData(buffer, 0, read);
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}

public static class RequestMetadata
{
    public const string CorrelationHeader = "X-Correlation-Id";

    /// <summary>Actor from the token; correlation from the caller or this request; causation: this request.</summary>
    public static EventMetadata EventMetadata(this HttpContext http) =>
        new(http.User.Actor(), http.CorrelationId(), http.TraceIdentifier);

    public static string CorrelationId(this HttpContext http) =>
        http.Items[CorrelationHeader] as string ?? http.TraceIdentifier;

    /// <summary>Accepts a caller's correlation id (or makes one), echoes it, and buffers bodies that may be replayed.</summary>
    public static void UseRequestMetadata(this WebApplication app) => app.Use((http, next) =>
    {
        var given = http.Request.Headers[CorrelationHeader].FirstOrDefault();
        var id = given is { Length: > 0 and <= 100 } ? given : http.TraceIdentifier;
        http.Items[CorrelationHeader] = id;
        http.Response.Headers[CorrelationHeader] = id;
        if (http.Request.Headers.ContainsKey("Idempotency-Key")) http.Request.EnableBuffering();
        return next(http);
    });
}

using System.Data;
using Npgsql;

namespace EventSourcedDisclosure.Api.Hosting;

/// <summary>
/// The connection a <see cref="CommandBatcher"/> writer keeps while commands keep coming. The pool
/// hands out its least recently used connection, so batch after batch would land on whichever
/// backend had waited longest; kept, the writer's backend stays warm, and the commands' throughput
/// rose in eight interleaved pairs of nine (docs/event-store.md, "A writer's connection").
/// Idle for <see cref="IdleRelease"/>, it goes back to the pool, whose lifetime and health rules
/// then apply; found broken, it is replaced before the next batch.
/// </summary>
internal sealed class WriterConnection(NpgsqlDataSource source) : IAsyncDisposable
{
    public static readonly TimeSpan IdleRelease = TimeSpan.FromSeconds(1);

    private NpgsqlConnection? _connection;

    public bool Held => _connection is not null;

    /// <summary>The kept connection, open: a new one from the pool if there is none or it broke.</summary>
    public async Task<NpgsqlConnection> OpenAsync()
    {
        if (_connection is { FullState: ConnectionState.Open }) return _connection;
        await ReleaseAsync();
        var connection = source.CreateConnection();
        await connection.OpenAsync();
        return _connection = connection;
    }

    public async ValueTask ReleaseAsync()
    {
        if (_connection is null) return;
        var connection = _connection;
        _connection = null;
        await connection.DisposeAsync();
    }

    public ValueTask DisposeAsync() => ReleaseAsync();
}

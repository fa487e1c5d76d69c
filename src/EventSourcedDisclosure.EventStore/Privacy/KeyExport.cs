using System.Text;
using System.Text.Json;
using Npgsql;

namespace EventSourcedDisclosure.EventStore.Privacy;

/// <summary>One subject's data key as it is stored: wrapped under the deployment's key, or erased.</summary>
public sealed record ExportedKey(string Agency, Guid Subject, string? WrappedKey, DateTimeOffset CreatedAt, DateTimeOffset? ErasedAt);

/// <summary>
/// Moves the data keys with the log when a store is copied to another database of the same
/// deployment. They stay wrapped: without the deployment's key-encryption key they open nothing,
/// and the records office's event export never carries them.
/// </summary>
public sealed class KeyExport(EventStore store)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<long> ExportAsync(Stream output, CancellationToken ct = default)
    {
        await using var command = store.DataSource.CreateCommand(
            $"select tenant_id, subject_id, wrapped_key, created_at, erased_at from {store.Options.Schema}.personal_data_keys order by tenant_id, subject_id");
        await using var reader = await command.ExecuteReaderAsync(ct);
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true);
        long count = 0;
        while (await reader.ReadAsync(ct))
        {
            var key = new ExportedKey(reader.GetString(0), reader.GetGuid(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4));
            await writer.WriteLineAsync(JsonSerializer.Serialize(key, Json));
            count++;
        }
        return count;
    }

    /// <summary>
    /// Whether exported keys open under this deployment's key-encryption key: the first wrapped
    /// one is tried (erased keys have nothing to open). Asked before an import writes anything:
    /// keys that open nothing here would fail the rebuild after the events are in.
    /// </summary>
    public async Task<bool> OpenHereAsync(Stream input, CancellationToken ct = default)
    {
        using var lines = new StreamReader(input, Encoding.UTF8, leaveOpen: true);
        while (await lines.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0 || JsonSerializer.Deserialize<ExportedKey>(line, Json) is not { WrappedKey: { } wrapped } key) continue;
            try
            {
                store.Keys.Open(wrapped, key.Agency, key.Subject);
                return true;
            }
            catch (System.Security.Cryptography.CryptographicException) { return false; }
        }
        return true;
    }

    /// <summary>Imports keys; an erasure always wins over a key, so a copy can never revive erased data.</summary>
    public async Task<long> ImportAsync(Stream input, CancellationToken ct = default)
    {
        var keys = new List<ExportedKey>();
        using (var lines = new StreamReader(input, Encoding.UTF8, leaveOpen: true))
            while (await lines.ReadLineAsync(ct) is { } line)
                if (line.Length > 0) keys.Add(JsonSerializer.Deserialize<ExportedKey>(line, Json)!);
        if (keys.Count == 0) return 0;
        await using var command = store.DataSource.CreateCommand($"""
            insert into {store.Options.Schema}.personal_data_keys as k (tenant_id, subject_id, wrapped_key, created_at, erased_at)
            select t, s, w, c, e from unnest($1::text[], $2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[]) as x(t, s, w, c, e)
            on conflict (tenant_id, subject_id) do update
               set wrapped_key = case when k.erased_at is null and excluded.erased_at is null then k.wrapped_key end,
                   erased_at = coalesce(k.erased_at, excluded.erased_at)
            """);
        command.Parameters.Add(new() { Value = keys.Select(k => k.Agency).ToArray() });
        command.Parameters.Add(new() { Value = keys.Select(k => k.Subject).ToArray() });
        command.Parameters.Add(new() { Value = keys.Select(k => k.WrappedKey).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = keys.Select(k => k.CreatedAt.ToUniversalTime()).ToArray() });
        command.Parameters.Add(new() { Value = keys.Select(k => k.ErasedAt?.ToUniversalTime()).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(ct);
        return keys.Count;
    }
}

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
    /// Reads a keys file whole (it is small: one line per subject), refusing a line that is not a
    /// key before anything is written.
    /// </summary>
    public static async Task<IReadOnlyList<ExportedKey>> ReadAsync(Stream input, CancellationToken ct = default)
    {
        var keys = new List<ExportedKey>();
        using var lines = new StreamReader(input, Encoding.UTF8, leaveOpen: true);
        var number = 0;
        while (await lines.ReadLineAsync(ct) is { } line)
        {
            number++;
            if (line.Length == 0) continue;
            ExportedKey? key;
            try { key = JsonSerializer.Deserialize<ExportedKey>(line, Json); }
            catch (JsonException) { key = null; }
            if (key is not { Agency.Length: > 0 } || key.Subject == Guid.Empty || (key.WrappedKey is null && key.ErasedAt is null))
                throw new InvalidDataException($"Line {number} of the keys file is not a data key (agency, subject, and a wrapped key or its erasure).");
            keys.Add(key);
        }
        return keys;
    }

    /// <summary>
    /// Whether exported keys open under this deployment's key-encryption key: the first wrapped
    /// one is tried (erased keys have nothing to open). Asked before an import writes anything:
    /// keys that open nothing here would fail the rebuild after the events are in.
    /// </summary>
    public bool OpenHere(IReadOnlyList<ExportedKey> keys)
    {
        if (keys.FirstOrDefault(k => k.WrappedKey is not null) is not { } key) return true;
        try
        {
            store.Keys.Open(key.WrappedKey!, key.Agency, key.Subject);
            return true;
        }
        catch (System.Security.Cryptography.CryptographicException) { return false; }
    }

    /// <summary>Imports keys on their own; an erasure always wins over a key, so a copy can never revive erased data.</summary>
    public async Task<long> ImportAsync(Stream input, CancellationToken ct = default)
    {
        var keys = await ReadAsync(input, ct);
        await using var connection = await store.DataSource.OpenConnectionAsync(ct);
        await WriteAsync(connection, null, store.Options.Schema, keys, ct);
        return keys.Count;
    }

    /// <summary>Writes keys in the caller's transaction (an import's, with the events they open).</summary>
    internal static async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string schema, IReadOnlyList<ExportedKey> keys, CancellationToken ct)
    {
        if (keys.Count == 0) return;
        await using var command = new NpgsqlCommand($"""
            insert into {schema}.personal_data_keys as k (tenant_id, subject_id, wrapped_key, created_at, erased_at)
            select t, s, w, c, e from unnest($1::text[], $2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[]) as x(t, s, w, c, e)
            on conflict (tenant_id, subject_id) do update
               set wrapped_key = case when k.erased_at is null and excluded.erased_at is null then k.wrapped_key end,
                   erased_at = coalesce(k.erased_at, excluded.erased_at)
            """, connection, tx);
        command.Parameters.Add(new() { Value = keys.Select(k => k.Agency).ToArray() });
        command.Parameters.Add(new() { Value = keys.Select(k => k.Subject).ToArray() });
        command.Parameters.Add(new() { Value = keys.Select(k => k.WrappedKey).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = keys.Select(k => k.CreatedAt.ToUniversalTime()).ToArray() });
        command.Parameters.Add(new() { Value = keys.Select(k => k.ErasedAt?.ToUniversalTime()).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync(ct);
    }
}

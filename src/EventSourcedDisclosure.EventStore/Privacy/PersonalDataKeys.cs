using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace EventSourcedDisclosure.EventStore.Privacy;

/// <summary>
/// Crypto-shredding: one data key per data subject (a stream), kept outside the immutable log and
/// wrapped under the deployment's key-encryption key. Erasing a subject destroys its data key: the
/// events and their hashes stay as they were, and the personal data in them can no longer be read.
/// </summary>
public sealed class PersonalDataKeys(string schema, byte[]? keyEncryptionKey)
{
    private string S => schema;

    /// <summary>The subject's data key, made on first use, in the appending transaction (the stream is locked).</summary>
    internal async Task<byte[]> GetOrCreateAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string tenant, Guid subject, CancellationToken ct)
    {
        var kek = KeyEncryptionKey();
        // One round trip: the new key, or the one already there (null once erased).
        await using var select = new NpgsqlCommand($"""
            with made as (
                insert into {S}.personal_data_keys (tenant_id, subject_id, wrapped_key) values ($1, $2, $3) on conflict do nothing
                returning wrapped_key)
            select wrapped_key from made
            union all
            select wrapped_key from {S}.personal_data_keys where tenant_id = $1 and subject_id = $2
            limit 1
            """, connection, tx);
        select.Parameters.Add(new() { Value = tenant });
        select.Parameters.Add(new() { Value = subject });
        select.Parameters.Add(new() { Value = Wrap(RandomNumberGenerator.GetBytes(32), kek, tenant, subject) });
        return await select.ExecuteScalarAsync(ct) is string wrapped
            ? Unwrap(wrapped, kek, tenant, subject)
            : throw new PersonalDataErasedException(tenant, subject);
    }

    /// <summary>Destroys the subject's key (or forbids one from ever being made), in the caller's transaction.</summary>
    internal async Task EraseAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string tenant, Guid subject, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            insert into {S}.personal_data_keys as k (tenant_id, subject_id, wrapped_key, erased_at) values ($1, $2, null, now())
            on conflict (tenant_id, subject_id) do update set wrapped_key = null, erased_at = coalesce(k.erased_at, now())
            """, connection, tx);
        command.Parameters.Add(new() { Value = tenant });
        command.Parameters.Add(new() { Value = subject });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The SQL of one subject's key row ($1 tenant, $2 subject): its wrapped key, null once erased; no row if none was made.</summary>
    internal string OneKeySql => $"select wrapped_key from {S}.personal_data_keys where tenant_id = $1 and subject_id = $2";

    /// <summary>
    /// A new data key for a subject known to have none, and the insert that keeps it, for the
    /// caller to send in its appending transaction: only under the stream's lock, taken before
    /// the key row was read (a key made meanwhile would make the insert fail, and the append with it).
    /// </summary>
    internal (byte[] Key, string Wrapped, NpgsqlBatchCommand Insert) Make(string tenant, Guid subject)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var wrapped = Wrap(key, KeyEncryptionKey(), tenant, subject);
        var insert = new NpgsqlBatchCommand($"insert into {S}.personal_data_keys (tenant_id, subject_id, wrapped_key) values ($1, $2, $3)");
        insert.Parameters.Add(new() { Value = tenant });
        insert.Parameters.Add(new() { Value = subject });
        insert.Parameters.Add(new() { Value = wrapped });
        return (key, wrapped, insert);
    }

    internal byte[] Open(string wrapped, string tenant, Guid subject) => Unwrap(wrapped, KeyEncryptionKey(), tenant, subject);

    /// <summary>The data keys of these subjects that still exist; erased and unknown subjects are absent.</summary>
    internal async Task<Dictionary<(string, Guid), byte[]>> LoadAsync(
        NpgsqlConnection connection, NpgsqlTransaction? tx, IReadOnlyCollection<(string Tenant, Guid Subject)> subjects, CancellationToken ct)
    {
        var keys = new Dictionary<(string, Guid), byte[]>();
        if (subjects.Count == 0) return keys;
        // The key-encryption key is asked for only when there is a key to open: a copy imported
        // without its keys (the records office's export) rebuilds with the applicants unreadable,
        // as if erased, on a deployment that has no key.
        await using var command = new NpgsqlCommand($"""
            select k.tenant_id, k.subject_id, k.wrapped_key from {KeyRows.From(subjects.Count, $"{S}.personal_data_keys", "k", "subject_id")}
             where k.wrapped_key is not null
            """, connection, tx);
        KeyRows.Add(command.Parameters, subjects);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (tenant, subject) = (reader.GetString(0), reader.GetGuid(1));
            keys[(tenant, subject)] = Unwrap(reader.GetString(2), KeyEncryptionKey(), tenant, subject);
        }
        return keys;
    }

    /// <summary>
    /// A short check value of the key-encryption key, kept in the database at first start: a node
    /// configured with another key refuses to start instead of making keys its peers cannot open.
    /// </summary>
    public string? Fingerprint => keyEncryptionKey is null
        ? null
        : Convert.ToHexStringLower(SHA256.HashData([.. "esd personal data key check\n"u8, .. keyEncryptionKey]))[..16];

    private byte[] KeyEncryptionKey() => keyEncryptionKey ?? throw new PersonalDataKeyMissingException();

    private static string Wrap(byte[] dataKey, byte[] kek, string tenant, Guid subject) =>
        PersonalDataSealer.Encrypt(dataKey, kek, Aad(tenant, subject));

    private static byte[] Unwrap(string wrapped, byte[] kek, string tenant, Guid subject) =>
        PersonalDataSealer.Decrypt(wrapped, kek, Aad(tenant, subject));

    private static byte[] Aad(string tenant, Guid subject) => Encoding.UTF8.GetBytes($"data key/{tenant}/{subject:D}");
}

/// <summary>An append of personal data for a subject whose data was erased: refused, nothing is written.</summary>
public sealed class PersonalDataErasedException(string tenant, Guid subject)
    : Exception($"The personal data of {tenant}/{subject} was erased; no new personal data is recorded for it.");

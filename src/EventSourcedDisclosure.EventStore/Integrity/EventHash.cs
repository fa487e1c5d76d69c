using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EventSourcedDisclosure.EventStore.Integrity;

/// <summary>
/// Each tenant's events form a hash chain in commit order:
/// hash = SHA-256(previous hash ‖ tenant ‖ stream ‖ version ‖ type ‖ canonical data ‖ canonical metadata ‖ recorded-at ‖ position),
/// the fields joined by "\n", the first previous hash 64 zeros. docs/audit.md spells out the procedure.
/// </summary>
public static class EventHash
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    private const string InstantFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    // The text hashed, built as UTF-8 in one buffer per thread (the hash is computed before anything awaits).
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_text;

    /// <summary>
    /// The hash of an event whose data and metadata are JSON as serialized or stored (any member
    /// order, any escaping): their canonical texts go into the hash, as UTF-8, without becoming strings.
    /// </summary>
    public static string OfJson(string previous, string tenant, Guid stream, long version, string type,
        string data, string metadata, DateTimeOffset recordedAt, long position)
    {
        var text = t_text ??= new ArrayBufferWriter<byte>(4096);
        text.ResetWrittenCount();
        Field(text, previous);
        Field(text, tenant);
        Format(text, stream, "D");
        Format(text, version, null);
        Field(text, type);
        Json(text, data);
        Json(text, metadata);
        Format(text, recordedAt.ToUniversalTime(), InstantFormat);
        Format(text, position, null, last: true);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(text.WrittenSpan, hash);
        if (text.Capacity > 1 << 20) t_text = null; // one huge event does not pin its buffer
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>UTC with microseconds: what PostgreSQL's timestamptz keeps.</summary>
    public static string Instant(DateTimeOffset at) => at.ToUniversalTime().ToString(InstantFormat, CultureInfo.InvariantCulture);

    /// <summary>An instant cut to the microsecond, so the stored value and the hashed one are the same.</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);

    private static void Field(ArrayBufferWriter<byte> text, string value)
    {
        Encoding.UTF8.GetBytes(value, text);
        Newline(text);
    }

    private static void Json(ArrayBufferWriter<byte> text, string json)
    {
        CanonicalJson.Write(json, text);
        Newline(text);
    }

    private static void Format<T>(ArrayBufferWriter<byte> text, T value, string? format, bool last = false) where T : IUtf8SpanFormattable
    {
        var span = text.GetSpan(64);
        if (!value.TryFormat(span, out var written, format, CultureInfo.InvariantCulture))
            throw new InvalidOperationException($"{typeof(T).Name} did not fit in 64 bytes.");
        text.Advance(written);
        if (!last) Newline(text);
    }

    private static void Newline(ArrayBufferWriter<byte> text)
    {
        text.GetSpan(1)[0] = (byte)'\n';
        text.Advance(1);
    }
}

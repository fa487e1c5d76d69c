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

    public static string Compute(string previous, string tenant, Guid stream, long version, string type,
        string canonicalData, string canonicalMetadata, DateTimeOffset recordedAt, long position)
    {
        var text = string.Join('\n', previous, tenant, stream.ToString("D"), version.ToString(CultureInfo.InvariantCulture), type,
            canonicalData, canonicalMetadata, Instant(recordedAt), position.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>UTC with microseconds: what PostgreSQL's timestamptz keeps.</summary>
    public static string Instant(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>An instant cut to the microsecond, so the stored value and the hashed one are the same.</summary>
    public static DateTimeOffset ToMicroseconds(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);
}

using System.Security.Cryptography;
using System.Text;

namespace EventSourcedDisclosure.Domain.Common;

/// <summary>Name-based ids (RFC 9562 version 5) for streams that have a natural key.</summary>
public static class DeterministicId
{
    private static readonly Guid Namespace = new("6f1d2a3e-8c47-4b0e-9a51-2e7f0c9d4b13");

    public static Guid For(string kind, string key)
    {
        var bytes = SHA1.HashData([.. Namespace.ToByteArray(bigEndian: true), .. Encoding.UTF8.GetBytes($"{kind}:{key}")]);
        var id = bytes.AsSpan(0, 16).ToArray();
        id[6] = (byte)((id[6] & 0x0F) | 0x50);
        id[8] = (byte)((id[8] & 0x3F) | 0x80);
        return new Guid(id, bigEndian: true);
    }
}

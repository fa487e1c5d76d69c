using System.Security.Cryptography;

namespace EventSourcedDisclosure.Domain.Requests;

/// <summary>
/// 查询码: 80 random bits in Crockford's base32 (no I, L, O, U), grouped by four —
/// "7K2M-9QXH-4RTB-0CWE" — easy to read out on the phone; reading I/L as 1 and O as 0 forgives
/// the usual mishearings.
/// </summary>
public static class TrackingCodes
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    public const int Length = 16;

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[10];
        RandomNumberGenerator.Fill(bytes);
        var value = new System.Numerics.BigInteger(bytes, isUnsigned: true);
        var chars = new char[Length];
        for (var i = Length - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value % 32)];
            value /= 32;
        }
        return Format(new string(chars));
    }

    /// <summary>The canonical form, or null for anything that cannot be a code.</summary>
    public static string? Normalize(string? input)
    {
        if (input is null || input.Length > 32) return null;
        var chars = input.ToUpperInvariant().Where(c => c is not ('-' or ' '))
            .Select(c => c switch { 'I' or 'L' => '1', 'O' => '0', _ => c }).ToArray();
        return chars.Length == Length && chars.All(Alphabet.Contains) ? Format(new string(chars)) : null;
    }

    private static string Format(string raw) => string.Join('-', Enumerable.Range(0, 4).Select(i => raw.Substring(i * 4, 4)));
}

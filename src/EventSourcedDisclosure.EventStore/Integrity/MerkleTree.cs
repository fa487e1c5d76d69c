using System.Security.Cryptography;

namespace EventSourcedDisclosure.EventStore.Integrity;

/// <summary>
/// The Merkle tree of RFC 9162 (Certificate Transparency 2.0) §2.1 over a tenant's chain: leaf =
/// SHA-256(0x00 ‖ event hash), node = SHA-256(0x01 ‖ left ‖ right), split at the largest power of
/// two below n. Inclusion and consistency proofs, and their verification, follow §2.1.3–2.1.4.
/// </summary>
public static class MerkleTree
{
    public static byte[] LeafHash(byte[] leaf) => SHA256.HashData([0x00, .. leaf]);

    public static byte[] NodeHash(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);

    /// <summary>MTH(D[n]) over leaf hashes (already hashed with LeafHash).</summary>
    public static byte[] Root(IReadOnlyList<byte[]> leafHashes) =>
        leafHashes.Count == 0 ? SHA256.HashData([]) : Root(leafHashes, 0, leafHashes.Count);

    private static byte[] Root(IReadOnlyList<byte[]> d, int start, int n)
    {
        if (n == 1) return d[start];
        var k = Split(n);
        return NodeHash(Root(d, start, k), Root(d, start + k, n - k));
    }

    /// <summary>PATH(m, D[n]): the audit path of leaf m in the tree of the first n leaves.</summary>
    public static List<byte[]> InclusionProof(IReadOnlyList<byte[]> d, int m, int n)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(m, n);
        return Path(d, m, 0, n);
    }

    private static List<byte[]> Path(IReadOnlyList<byte[]> d, int m, int start, int n)
    {
        if (n == 1) return [];
        var k = Split(n);
        return m < k
            ? [.. Path(d, m, start, k), Root(d, start + k, n - k)]
            : [.. Path(d, m - k, start + k, n - k), Root(d, start, k)];
    }

    /// <summary>PROOF(m, D[n]): that the first m leaves are a prefix of the first n.</summary>
    public static List<byte[]> ConsistencyProof(IReadOnlyList<byte[]> d, int m, int n)
    {
        if (m <= 0 || m > n) throw new ArgumentOutOfRangeException(nameof(m));
        return m == n ? [] : SubProof(d, m, 0, n, true);
    }

    private static List<byte[]> SubProof(IReadOnlyList<byte[]> d, int m, int start, int n, bool complete)
    {
        if (m == n) return complete ? [] : [Root(d, start, n)];
        var k = Split(n);
        return m <= k
            ? [.. SubProof(d, m, start, k, complete), Root(d, start + k, n - k)]
            : [.. SubProof(d, m - k, start + k, n - k, false), Root(d, start, k)];
    }

    /// <summary>RFC 9162 §2.1.3.2.</summary>
    public static bool VerifyInclusion(long index, long size, byte[] leafHash, IReadOnlyList<byte[]> proof, byte[] root)
    {
        if (index >= size) return false;
        long fn = index, sn = size - 1;
        var r = leafHash;
        foreach (var p in proof)
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                if ((fn & 1) == 0)
                    while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else r = NodeHash(r, p);
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    /// <summary>RFC 9162 §2.1.4.2.</summary>
    public static bool VerifyConsistency(long first, long second, byte[] firstRoot, byte[] secondRoot, IReadOnlyList<byte[]> proof)
    {
        if (first == second) return proof.Count == 0 && firstRoot.AsSpan().SequenceEqual(secondRoot);
        if (first == 0 || first > second || proof.Count == 0) return false;
        var path = proof.ToList();
        if (IsPowerOfTwo(first)) path.Insert(0, firstRoot);
        long fn = first - 1, sn = second - 1;
        while ((fn & 1) == 1) { fn >>= 1; sn >>= 1; }
        byte[] fr = path[0], sr = path[0];
        foreach (var c in path.Skip(1))
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = NodeHash(c, fr);
                sr = NodeHash(c, sr);
                if ((fn & 1) == 0)
                    while ((fn & 1) == 0 && fn != 0) { fn >>= 1; sn >>= 1; }
            }
            else sr = NodeHash(sr, c);
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr.AsSpan().SequenceEqual(firstRoot) && sr.AsSpan().SequenceEqual(secondRoot);
    }

    private static bool IsPowerOfTwo(long n) => (n & (n - 1)) == 0;

    private static int Split(int n)
    {
        var k = 1;
        while (k << 1 < n) k <<= 1;
        return k;
    }
}

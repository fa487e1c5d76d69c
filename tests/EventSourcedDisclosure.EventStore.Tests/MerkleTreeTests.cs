using System.Security.Cryptography;
using EventSourcedDisclosure.EventStore.Integrity;

namespace EventSourcedDisclosure.EventStore.Tests;

/// <summary>Proofs built by one half of RFC 9162 §2.1 and checked by the other, for every size and index up to 40.</summary>
public sealed class MerkleTreeTests
{
    private static List<byte[]> Leaves(int n) =>
        Enumerable.Range(0, n).Select(i => MerkleTree.LeafHash(SHA256.HashData(BitConverter.GetBytes(i)))).ToList();

    [Fact]
    public void Every_inclusion_proof_verifies_and_a_wrong_leaf_does_not()
    {
        for (var n = 1; n <= 40; n++)
        {
            var leaves = Leaves(n);
            var root = MerkleTree.Root(leaves);
            for (var m = 0; m < n; m++)
            {
                var proof = MerkleTree.InclusionProof(leaves, m, n);
                MerkleTree.VerifyInclusion(m, n, leaves[m], proof, root).ShouldBeTrue($"n={n} m={m}");
                MerkleTree.VerifyInclusion(m, n, leaves[(m + 1) % n], proof, root).ShouldBe(n == 1, $"n={n} m={m}");
            }
        }
    }

    [Fact]
    public void Every_consistency_proof_verifies_and_a_changed_early_leaf_breaks_it()
    {
        for (var n = 1; n <= 40; n++)
        {
            var leaves = Leaves(n);
            for (var m = 1; m <= n; m++)
            {
                var oldRoot = MerkleTree.Root(leaves.Take(m).ToList());
                var proof = MerkleTree.ConsistencyProof(leaves, m, n);
                MerkleTree.VerifyConsistency(m, n, oldRoot, MerkleTree.Root(leaves), proof).ShouldBeTrue($"m={m} n={n}");

                if (m == n) continue;
                var tampered = leaves.ToList();
                tampered[0] = MerkleTree.LeafHash([1, 2, 3]);
                MerkleTree.VerifyConsistency(m, n, oldRoot, MerkleTree.Root(tampered), MerkleTree.ConsistencyProof(tampered, m, n))
                    .ShouldBeFalse($"m={m} n={n}");
            }
        }
    }

    [Fact]
    public void The_root_of_two_leaves_is_the_node_hash_of_both() =>
        MerkleTree.Root(Leaves(2)).ShouldBe(MerkleTree.NodeHash(Leaves(2)[0], Leaves(2)[1]));
}

using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Domain.Common;
using EventSourcedDisclosure.EventStore.Integrity;

namespace EventSourcedDisclosure.Api.Audit;

public sealed record InclusionProofView(string Agency, long Sequence, long LeafIndex, long TreeSize, string LeafHash, IReadOnlyList<string> AuditPath, string RootHash);

public sealed record ConsistencyProofView(string Agency, long From, long To, string FromRoot, string ToRoot, IReadOnlyList<string> Proof);

/// <summary>Digests and proofs over each agency's Merkle tree (RFC 9162 style).</summary>
public static class ProofEndpoints
{
    public static void MapProofs(this IEndpointRouteBuilder api)
    {
        var audit = api.MapGroup("/audit").WithTags("Audit");

        audit.MapGet("/digest", async (string agency, DateOnly date, AuditLedger ledger, TreeHeadSigner signer, CancellationToken ct) =>
        {
            var end = new AsOf(null, date).Until!.Value;
            var size = await ledger.SizeAtAsync(agency, end, ct);
            var leaves = await ledger.LeafHashesAsync(agency, size, ct);
            return Results.Ok(signer.Sign(agency, date, size, MerkleTree.Root(leaves)));
        }).WithSummary("The signed tree head of an agency's log at the end of a day")
            .RequireRole(Roles.Auditor);

        audit.MapGet("/proof/{sequence:long}", async (long sequence, long? treeSize, AuditLedger ledger, CancellationToken ct) =>
        {
            if (await ledger.LocateAsync(sequence, ct) is not var (agency, position)) return Results.NotFound();
            var leaves = await ledger.LeafHashesAsync(agency, treeSize ?? long.MaxValue, ct);
            var size = leaves.Count;
            new Validation().Require(position <= size, "treeSize", $"the event is at position {position}, after a tree of {size}").ThrowIfAny();
            var path = MerkleTree.InclusionProof(leaves, (int)position - 1, size);
            return Results.Ok(new InclusionProofView(agency, sequence, position - 1, size, Hex(leaves[(int)position - 1]),
                path.Select(Hex).ToList(), Hex(MerkleTree.Root(leaves))));
        }).WithSummary("An inclusion proof for one event in its agency's tree (now, or of a given size)")
            .RequireRole(Roles.Auditor);

        audit.MapGet("/consistency", async (string agency, long from, long to, AuditLedger ledger, CancellationToken ct) =>
        {
            var leaves = await ledger.LeafHashesAsync(agency, to, ct);
            new Validation().Require(from >= 1 && from <= to, "from", "must be 1 or more and not after to")
                .Require(to <= leaves.Count, "to", $"the agency's tree has {leaves.Count} leaves").ThrowIfAny();
            var proof = MerkleTree.ConsistencyProof(leaves, (int)from, (int)to);
            return Results.Ok(new ConsistencyProofView(agency, from, to, Hex(MerkleTree.Root(leaves.Take((int)from).ToList())),
                Hex(MerkleTree.Root(leaves)), proof.Select(Hex).ToList()));
        }).WithSummary("A consistency proof: the tree of size from is a prefix of the tree of size to")
            .RequireRole(Roles.Auditor);
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}

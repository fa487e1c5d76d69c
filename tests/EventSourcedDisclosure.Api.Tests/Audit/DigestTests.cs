using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EventSourcedDisclosure.Api.Audit;
using EventSourcedDisclosure.Api.Tests.Infrastructure;
using EventSourcedDisclosure.EventStore.Integrity;
using Npgsql;

namespace EventSourcedDisclosure.Api.Tests.Audit;

/// <summary>An auditor keeps a digest; later the log must prove it only grew — until someone rewrites the past.</summary>
public sealed class DigestTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task An_old_digest_verifies_against_the_longer_log_and_fails_once_the_past_is_rewritten()
    {
        var steps = new ItemSteps(api, "merkle");
        await steps.RegisterAgencyAsync();
        for (var i = 0; i < 5; i++) await steps.AttributeAsync(await steps.DraftAsync());
        var auditor = api.ClientAs("auditor", "*:auditor");
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).ToString("yyyy-MM-dd");

        var keptResponse = await auditor.GetAsync($"/api/v1/audit/digest?agency=merkle&date={today}");
        keptResponse.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, string.Join("\n", api.Logs.Lines.Where(l => l.Contains("Error"))));
        var kept = await keptResponse.BodyAsync();
        var keptSize = kept["treeSize"]!.GetValue<long>();
        keptSize.ShouldBe(11);
        VerifySignature(kept).ShouldBeTrue();

        for (var i = 0; i < 7; i++) await steps.AttributeAsync(await steps.DraftAsync());
        var later = await (await auditor.GetAsync($"/api/v1/audit/digest?agency=merkle&date={today}")).BodyAsync();
        var laterSize = later["treeSize"]!.GetValue<long>();
        laterSize.ShouldBe(25);

        async Task<bool> ConsistentAsync()
        {
            var proof = await (await auditor.GetAsync($"/api/v1/audit/consistency?agency=merkle&from={keptSize}&to={laterSize}")).BodyAsync();
            return MerkleTree.VerifyConsistency(keptSize, laterSize, Bytes(kept["rootHash"]!), Bytes(proof["toRoot"]!),
                proof["proof"]!.AsArray().Select(p => Bytes(p!)).ToList());
        }
        (await ConsistentAsync()).ShouldBeTrue();

        // Every event can be shown to be in the tree.
        var drafted = (await api.ReadAsync("merkle")).First(e => e.Type == "item.drafted.v1");
        var inclusion = await (await auditor.GetAsync($"/api/v1/audit/proof/{drafted.Seq}")).BodyAsync();
        MerkleTree.VerifyInclusion(inclusion["leafIndex"]!.GetValue<long>(), inclusion["treeSize"]!.GetValue<long>(), Bytes(inclusion["leafHash"]!),
            inclusion["auditPath"]!.AsArray().Select(p => Bytes(p!)).ToList(), Bytes(inclusion["rootHash"]!)).ShouldBeTrue();

        // A superuser rewrites an event from before the kept digest.
        await using (var connection = new NpgsqlConnection(api.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                $"set session_replication_role = replica; update disclosure.events set data = jsonb_set(data, '{{content,summary}}', '\"另一个概述\"') where seq = {drafted.Seq}", connection);
            await command.ExecuteNonQueryAsync();
        }
        (await ConsistentAsync()).ShouldBeFalse();
    }

    private static byte[] Bytes(JsonNode hex) => Convert.FromHexString(hex.GetValue<string>());

    private static bool VerifySignature(JsonNode head)
    {
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(head["publicKey"]!.GetValue<string>()), out _);
        var text = TreeHeadSigner.SignedText(head["agency"]!.GetValue<string>(), DateOnly.Parse(head["date"]!.GetValue<string>()),
            head["treeSize"]!.GetValue<long>(), head["rootHash"]!.GetValue<string>());
        return key.VerifyData(Encoding.UTF8.GetBytes(text), Convert.FromBase64String(head["signature"]!.GetValue<string>()), HashAlgorithmName.SHA256);
    }
}

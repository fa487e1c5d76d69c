using System.Net;
using EventSourcedDisclosure.Api.Hosting;
using EventSourcedDisclosure.Api.Tests.Infrastructure;
using EventSourcedDisclosure.Testing;

namespace EventSourcedDisclosure.Api.Tests.Foundation;

/// <summary>
/// How a command's answer goes over the wire, through Kestrel in a real process (the in-memory
/// test server frames nothing): whole, with its Content-Length, not chunked.
/// </summary>
public sealed class AnswerFramingTests
{
    private static readonly byte[] Key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    [Fact]
    public async Task A_command_answers_with_its_length_first_time_alone_and_replayed()
    {
        await using var database = await TestCluster.CreateDatabaseAsync();
        await using var api = ApiProcess.Start(AppContext.BaseDirectory, ApiProcess.Deployment(database.ConnectionString, Key, Key));
        await api.WaitReadyAsync(TimeSpan.FromSeconds(60));
        using var client = api.Client(TokenIssuer.Mint(Key, "clerk", "clerk", ["*:admin"]));
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = "k-" + Guid.NewGuid() };
        var answers = new[]
        {
            await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/sized", new { name = "隆尧县教育局", region = "130525", indexPrefix = "sized" }),
            await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/sized", new { name = "隆尧县教育和体育局", region = "130525", indexPrefix = "sized" }, key),
            await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/sized", new { name = "隆尧县教育和体育局", region = "130525", indexPrefix = "sized" }, key),
        };
        answers.Select(a => a.StatusCode).ShouldBe([HttpStatusCode.Created, HttpStatusCode.OK, HttpStatusCode.OK]);
        answers[2].Headers.GetValues("Idempotent-Replayed").Single().ShouldBe("true");
        foreach (var answer in answers)
        {
            answer.Headers.TransferEncodingChunked.ShouldNotBe(true);
            var bytes = await answer.Content.ReadAsByteArrayAsync();
            answer.Content.Headers.ContentLength.ShouldBe(bytes.Length);
            answer.Content.Headers.ContentType!.ToString().ShouldBe("application/json; charset=utf-8");
            System.Text.Json.JsonDocument.Parse(bytes).RootElement.GetProperty("name").GetString().ShouldStartWith("隆尧县教育");
        }
    }
}

using System.Net;
using EventSourcedDisclosure.Api.Tests.Infrastructure;

namespace EventSourcedDisclosure.Api.Tests.Requests;

public sealed class OnlineSubmissionTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static object Online(string channel = "online") => new
    {
        receivedOn = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).ToString("yyyy-MM-dd"), channel,
        applicant = new { type = "naturalPerson", name = "网上申请人", phone = "13800000000" }, description = "申请公开本县学校名单",
    };

    private HttpRequestMessage From(string client, object body) =>
        new(HttpMethod.Post, "/api/v1/agencies/online/requests") { Content = System.Net.Http.Json.JsonContent.Create(body), Headers = { { ClientAddress.Header, client } } };

    [Fact]
    public async Task Anyone_may_submit_online_without_an_account_but_not_record_other_channels()
    {
        await new RequestSteps(api, "online").RegisterAgencyAsync();
        var submitted = await api.Anonymous().SendAsync(From("198.51.100.7", Online()));
        submitted.StatusCode.ShouldBe(HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync());
        (await submitted.BodyAsync())["trackingCode"]!.GetValue<string>().Length.ShouldBe(19);
        (await api.ReadAsync("online")).Last().Actor.ShouldBe("public");

        await (await api.Anonymous().SendAsync(From("198.51.100.7", Online("inPerson")))).ShouldBeProblemAsync(401);
        var notAnOfficer = api.ClientAs("drafter", "online:drafter");
        await (await notAnOfficer.SendAsync(From("198.51.100.8", Online()))).ShouldBeProblemAsync(403);
    }

    [Fact]
    public async Task A_burst_from_one_client_is_throttled_and_others_are_still_served()
    {
        await new RequestSteps(api, "online").RegisterAgencyAsync();
        var client = api.Anonymous();
        var burst = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => client.SendAsync(From("203.0.113.9", Online()))));
        var accepted = burst.Count(r => r.StatusCode == HttpStatusCode.Created);
        accepted.ShouldBeLessThanOrEqualTo(10);
        burst.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests).ShouldBe(100 - accepted);

        (await client.SendAsync(From("203.0.113.10", Online()))).StatusCode.ShouldBe(HttpStatusCode.Created);
        // Staff are not throttled.
        (await api.ClientAs("officer", "online:requestOfficer").SendAsync(From("203.0.113.9", Online("inPerson")))).StatusCode.ShouldBe(HttpStatusCode.Created);
    }
}

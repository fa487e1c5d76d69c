using System.Net;
using EventSourcedDisclosure.Api.Tests.Infrastructure;
using EventSourcedDisclosure.Domain.Requests;

namespace EventSourcedDisclosure.Api.Tests.Requests;

public sealed class TrackingTests(ApiFactory api) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private readonly RequestSteps _s = new(api, "tracking");

    public Task InitializeAsync() => _s.RegisterAgencyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_applicant_sees_progress_and_nothing_personal()
    {
        var applicant = new { type = "naturalPerson", name = "王小明", idNumber = "11010519491231002X", phone = "13912345678",
            address = "河北省邢台市隆尧县尧城镇幸福路8号", email = "wxm@example.cn" };
        var received = await _s.ReceiveAsync("2025-03-03", applicant);
        var code = received["trackingCode"]!.GetValue<string>();
        await _s.OkAsync(RequestSteps.IdOf(received), "answer", new { answeredOn = "2025-03-10", outcome = "disclosed", detail = "已通过电子邮件提供" });

        var response = await api.Anonymous().GetAsync($"/api/v1/tracking/{code.ToLowerInvariant()}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var raw = await response.Content.ReadAsStringAsync();
        foreach (var value in new[] { "王小明", "11010519491231002X", "13912345678", "幸福路", "wxm@example.cn", "教育经费", "研究", "已通过电子邮件提供" })
            raw.ShouldNotContain(value);
        var body = await response.BodyAsync();
        body["status"]!.GetValue<string>().ShouldBe("closed");
        body["outcome"]!.GetValue<string>().ShouldBe("disclosed");
        body["receivedOn"]!.GetValue<string>().ShouldBe("2025-03-03");
        body["dueOn"]!.GetValue<string>().ShouldBe("2025-03-31");
    }

    [Fact]
    public async Task Ten_thousand_random_codes_and_malformed_ones_all_answer_the_same_404()
    {
        await _s.ReceiveAsync("2025-03-03");
        var client = api.Anonymous();
        var codes = Enumerable.Range(0, 10_000).Select(_ => TrackingCodes.New());
        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        await Parallel.ForEachAsync(codes, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (code, ct) =>
            statuses.Add((await client.GetAsync($"/api/v1/tracking/{code}", ct)).StatusCode));
        statuses.Count.ShouldBe(10_000);
        statuses.ShouldAllBe(s => s == HttpStatusCode.NotFound);

        var unknown = await (await client.GetAsync($"/api/v1/tracking/{TrackingCodes.New()}")).Content.ReadAsStringAsync();
        foreach (var malformed in new[] { "x", "0000-0000-0000-000U", new string('A', 40), "%27%20or%201%3D1" })
        {
            var response = await client.GetAsync($"/api/v1/tracking/{malformed}");
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            Strip(await response.Content.ReadAsStringAsync()).ShouldBe(Strip(unknown));
        }
    }

    // Problem bodies carry a per-request trace id; everything else must be identical.
    private static string Strip(string problem) => System.Text.RegularExpressions.Regex.Replace(problem, "\"traceId\":\"[^\"]*\"", "");
}

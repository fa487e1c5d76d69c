using EventSourcedDisclosure.Api.Tests.Infrastructure;

namespace EventSourcedDisclosure.Api.Tests.Requests;

public sealed class VerboseApiFactory : ApiFactory
{
    protected override string LogLevel => "Trace";
}

/// <summary>Applicant data is in the staff view of its own agency, and nowhere else: not another agency, not the logs.</summary>
public sealed class PersonalDataTests(VerboseApiFactory api) : IClassFixture<VerboseApiFactory>
{
    private static readonly string[] Personal = ["赵六六", "110101199003071233", "13700001111", "光明路66号", "zhao66@example.cn"];

    [Fact]
    public async Task Applicant_data_never_reaches_a_log_or_another_agencys_view()
    {
        var steps = new RequestSteps(api, "pii");
        await steps.RegisterAgencyAsync();
        await new RequestSteps(api, "other").RegisterAgencyAsync();
        var applicant = new { type = "naturalPerson", name = Personal[0], idNumber = Personal[1], phone = Personal[2], address = "某市" + Personal[3], email = Personal[4] };
        var received = await steps.ReceiveAsync("2025-03-03", applicant);
        var id = RequestSteps.IdOf(received);
        // A failing command too: error paths log more than happy ones.
        await steps.PostAsync(id, "extension", new { extendedOn = "2025-03-04", workingDays = 30 });
        await steps.PostAsync(id, "answer", new { answeredOn = "2025-03-05", outcome = "withheld", reason = "notHeld", detail = "x" });

        var staff = await (await steps.Clerk.GetAsync($"{steps.Requests}/{id}")).Content.ReadAsStringAsync();
        staff.ShouldContain(Personal[1]);
        (await steps.Clerk.GetAsync($"/api/v1/agencies/other/requests/{id}")).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);

        api.Logs.Lines.Count.ShouldBeGreaterThan(0);
        foreach (var value in Personal)
            api.Logs.Lines.ShouldNotContain(line => line.Contains(value), $"'{value}' was logged");
    }
}

/// <summary>Across a whole scenario: nothing public, no problem detail and no log line carries an applicant's data.</summary>
public sealed class PersonalDataScenarioTests(VerboseApiFactory api) : IClassFixture<VerboseApiFactory>
{
    private static readonly string[] Personal = ["钱七七", "110101199003071233", "13611112222", "和平里九区", "qian77@example.cn"];

    [Fact]
    public async Task No_public_answer_problem_detail_or_log_line_contains_applicant_data()
    {
        var steps = new RequestSteps(api, "scenario");
        await steps.RegisterAgencyAsync();
        var applicant = new { type = "naturalPerson", name = Personal[0], idNumber = Personal[1], phone = Personal[2], address = "北京市" + Personal[3], email = Personal[4] };
        var seen = new List<string>();
        async Task Keep(HttpResponseMessage response) => seen.Add(await response.Content.ReadAsStringAsync());

        // An online submission by the applicant, then the agency's work on it.
        var online = new HttpRequestMessage(HttpMethod.Post, "/api/v1/agencies/scenario/requests")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { receivedOn = "2025-03-03", channel = "online", applicant, description = "申请公开" }),
        };
        var submitted = await api.Anonymous().SendAsync(online);
        var code = (await submitted.BodyAsync())["trackingCode"]!.GetValue<string>();
        var id = Guid.Parse((await submitted.BodyAsync())["id"]!.GetValue<string>());
        await steps.OkAsync(id, "consultation", new { startedOn = "2025-03-04", thirdParty = "某公司" });
        await steps.OkAsync(id, "consultation/reply", new { repliedOn = "2025-03-06", opinion = "同意" });
        await steps.OkAsync(id, "answer", new { answeredOn = "2025-03-20", outcome = "disclosed", detail = "已提供" });

        // Everything the public can read.
        var anonymous = api.Anonymous();
        await Keep(await anonymous.GetAsync($"/api/v1/tracking/{code}"));
        await Keep(await anonymous.GetAsync("/api/v1/catalogue"));
        await Keep(await anonymous.GetAsync("/health/ready"));
        // Problem details, including for requests that carry the data themselves.
        await Keep(await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/agencies/scenario/requests")
            { Content = System.Net.Http.Json.JsonContent.Create(new { receivedOn = "2099-01-01", channel = "online", applicant, description = "x" }) }));
        await Keep(await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/agencies/scenario/requests")
            { Content = System.Net.Http.Json.JsonContent.Create(new { receivedOn = "2025-03-03", channel = "inPerson", applicant, description = "x" }) }));
        await Keep(await steps.PostAsync(id, "answer", new { answeredOn = "2025-03-21", outcome = "disclosed", detail = Personal[0] }));
        await Keep(await api.ClientAs("editor", "scenario:reportEditor").GetAsync("/api/v1/agencies/scenario/statistics/2025"));
        await Keep(await api.ClientAs("drafter", "scenario:drafter").GetAsync($"/api/v1/agencies/scenario/requests/{id}"));

        seen.Count.ShouldBe(8);
        foreach (var value in Personal)
        {
            seen.ShouldNotContain(text => text.Contains(value), $"'{value}' in a public answer or problem detail");
            api.Logs.Lines.ShouldNotContain(line => line.Contains(value), $"'{value}' in the log");
        }
    }
}

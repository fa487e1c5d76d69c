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

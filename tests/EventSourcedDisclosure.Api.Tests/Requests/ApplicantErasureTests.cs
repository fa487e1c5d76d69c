using System.Net;
using EventSourcedDisclosure.Api.Tests.Infrastructure;
using EventSourcedDisclosure.EventStore.Projections;
using Microsoft.Extensions.DependencyInjection;

namespace EventSourcedDisclosure.Api.Tests.Requests;

/// <summary>
/// Crypto-shredding over HTTP: the log never holds an applicant's data in the clear; after the
/// retention period an administrator erases it, every view shows it erased, the counts and the
/// chain stay, and a rebuilt ledger equals the live one.
/// </summary>
public sealed class ApplicantErasureTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly string[] Personal = ["冯三三", "110101199003071233", "13522223333", "长安街八号", "feng33@example.cn"];

    [Fact]
    public async Task After_the_retention_period_the_applicant_is_erased_everywhere_and_the_log_still_verifies()
    {
        var steps = new RequestSteps(api, "shred");
        await steps.RegisterAgencyAsync();
        var applicant = new { type = "naturalPerson", name = Personal[0], idNumber = Personal[1], phone = Personal[2], address = "北京市" + Personal[3], email = Personal[4] };
        var received = await steps.ReceiveAsync("2025-03-03", applicant);
        var id = RequestSteps.IdOf(received);
        var code = received["trackingCode"]!.GetValue<string>();
        await steps.OkAsync(id, "answer", new { answeredOn = "2025-03-20", outcome = "disclosed", detail = "已提供" });

        // Sealed in the log and in what the records office exports; in the clear for the request officer.
        var auditor = api.ClientAs("records", "*:auditor");
        var stored = string.Join('\n', (await api.ReadAsync("shred")).Select(e => e.Data))
            + await auditor.GetStringAsync($"/api/v1/audit/streams/{id}") + await auditor.GetStringAsync("/api/v1/audit/export?agency=shred");
        foreach (var value in Personal) stored.ShouldNotContain(value);
        var officer = api.ClientAs("officer", "shred:requestOfficer");
        (await officer.GetStringAsync($"{steps.Requests}/{id}")).ShouldContain(Personal[1]);

        // Inside the retention period (to the end of 2035): refused, nothing appended.
        var admin = api.ClientAs("archivist", "shred:admin");
        var erase = $"{steps.Requests}/{id}/applicant-erasure";
        var eventsBefore = (await api.ReadAsync("shred")).Count;
        await (await admin.SendJsonAsync(HttpMethod.Post, erase, new { reason = "保管期限届满" })).ShouldBeProblemAsync(409, "applicant-retention-running");
        (await officer.SendJsonAsync(HttpMethod.Post, erase, new { reason = "保管期限届满" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await api.ReadAsync("shred")).Count.ShouldBe(eventsBefore);

        api.Clock.Offset = new DateTimeOffset(2036, 1, 2, 9, 0, 0, TimeSpan.FromHours(8)) - DateTimeOffset.UtcNow;
        try
        {
            var answer = await admin.SendJsonAsync(HttpMethod.Post, erase, new { reason = "保管期限届满" });
            answer.StatusCode.ShouldBe(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
            (await answer.BodyAsync())["applicantErasedOn"]!.GetValue<string>().ShouldBe("2036-01-02");

            // Every view: now, as it stood before the erasure, and the ledger.
            foreach (var path in new[] { $"{steps.Requests}/{id}", $"{steps.Requests}/{id}?version=2", $"{steps.Requests}?status=closed" })
            {
                var view = await auditor.GetStringAsync(path);
                foreach (var value in Personal) view.ShouldNotContain(value, customMessage: path);
            }
            var current = await (await officer.GetAsync($"{steps.Requests}/{id}")).BodyAsync();
            current["applicant"]!["type"]!.GetValue<string>().ShouldBe("naturalPerson");
            current["applicant"]!["name"].ShouldBeNull();
            current["outcome"]!.GetValue<string>().ShouldBe("disclosed");
            (await api.Anonymous().GetAsync($"/api/v1/tracking/{code}")).StatusCode.ShouldBe(HttpStatusCode.OK);

            var verify = await (await auditor.GetAsync("/api/v1/audit/verify?agency=shred")).BodyAsync();
            verify["verified"]!.GetValue<bool>().ShouldBeTrue(verify.ToJsonString());

            // The yearly table still counts the request; a rebuilt ledger equals the live one.
            var admins = api.Services.GetRequiredService<ProjectionAdmin>();
            await admins.CatchUpAsync("statistics");
            var stats = await (await api.ClientAs("editor", "shred:reportEditor").GetAsync("/api/v1/agencies/shred/statistics/2025")).BodyAsync();
            var receivedRow = stats["requests"]!["rows"]!.AsArray().Single(r => r!["key"]!.GetValue<string>() == "received")!;
            receivedRow["values"]![0]!.GetValue<int>().ShouldBe(1);
            var live = await api.DumpAsync("requests");
            await admins.RebuildAsync("ledger");
            (await api.DumpAsync("requests")).ShouldBe(live);

            await (await admin.SendJsonAsync(HttpMethod.Post, erase, new { reason = "again" })).ShouldBeProblemAsync(409, "applicant-already-erased");
        }
        finally { api.Clock.Offset = TimeSpan.Zero; }
    }
}

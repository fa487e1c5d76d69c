using System.Net;
using EventSourcedDisclosure.Api.Tests.Infrastructure;

namespace EventSourcedDisclosure.Api.Tests.Requests;

public sealed class RequestLifecycleTests(ApiFactory api) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private readonly RequestSteps _s = new(api, "lyxjyj");

    public Task InitializeAsync() => _s.RegisterAgencyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_received_request_has_a_tracking_code_a_legal_due_date_and_an_explained_deadline()
    {
        var received = await _s.ReceiveAsync("2024-09-27");
        received["trackingCode"]!.GetValue<string>().ShouldMatch("^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$");
        received["dueOn"]!.GetValue<string>().ShouldBe("2024-10-30");
        received["receiptRule"]!.GetValue<string>().ShouldContain("双方确认之日");

        var deadline = await (await _s.Clerk.GetAsync($"{_s.Requests}/{RequestSteps.IdOf(received)}/deadline")).BodyAsync();
        deadline["dueOn"]!.GetValue<string>().ShouldBe("2024-10-30");
        deadline["rules"]![0]!.GetValue<string>().ShouldStartWith("第三十三条");
        deadline["makeUpWorkdaysCounted"]!.AsArray().Select(d => d!.GetValue<string>()).ShouldBe(["2024-09-29", "2024-10-12"]);
        deadline["holidaysSkipped"]!.AsArray().Count.ShouldBe(5);
    }

    [Fact]
    public async Task Correction_consultation_extension_and_answer_move_the_due_date_and_each_move_is_explained()
    {
        var id = RequestSteps.IdOf(await _s.ReceiveAsync("2025-03-03"));
        var waiting = await _s.OkAsync(id, "correction-notice", new { noticeOn = "2025-03-12", correctBy = "2025-04-30", detail = "请明确所需信息的年份" });
        waiting["status"]!.GetValue<string>().ShouldBe("awaitingCorrection");
        waiting["dueOn"].ShouldBeNull();
        (await _s.OkAsync(id, "correction", new { correctedOn = "2025-04-11", detail = "2024年度" }))["dueOn"]!.GetValue<string>().ShouldBe("2025-05-13");
        (await _s.OkAsync(id, "consultation", new { startedOn = "2025-04-14", thirdParty = "某建设公司" }))["paused"]!.GetValue<bool>().ShouldBeTrue();
        var replied = await _s.OkAsync(id, "consultation/reply", new { repliedOn = "2025-04-16", opinion = "同意公开" });
        replied["dueOn"]!.GetValue<string>().ShouldBe("2025-05-15"); // two working days (15, 16 April) not counted
        var extended = await _s.OkAsync(id, "extension", new { extendedOn = "2025-05-12", workingDays = 5, approvedBy = "办公室主任 李四", reason = "涉及多个科室" });
        extended["dueOn"]!.GetValue<string>().ShouldBe("2025-05-22");
        extended["extended"]!.GetValue<bool>().ShouldBeTrue();
        var answered = await _s.OkAsync(id, "answer", new { answeredOn = "2025-05-26", outcome = "disclosed", detail = "已提供" });
        answered["status"]!.GetValue<string>().ShouldBe("closed");
        answered["late"]!.GetValue<bool>().ShouldBeTrue();
        answered["workingDaysOver"]!.GetValue<int>().ShouldBe(2);

        var deadline = await (await _s.Clerk.GetAsync($"{_s.Requests}/{id}/deadline")).BodyAsync();
        deadline["changes"]!.AsArray().Select(c => c!["cause"]!.GetValue<string>())
            .ShouldBe(["received", "correctionRequested", "correctionReceived", "consultationReplied", "extended"]);
        deadline["rules"]!.AsArray().Count.ShouldBe(4);
        deadline["pauses"]![0]!["workingDaysNotCounted"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task The_ledger_shows_due_soon_then_overdue_as_the_date_passes()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var received = await _s.ReceiveAsync(today.ToString("yyyy-MM-dd"));
        var id = RequestSteps.IdOf(received);
        var due = DateOnly.Parse(received["dueOn"]!.GetValue<string>());
        try
        {
            (await StatusesAsync("open")).ShouldContain(id);
            (await StatusesAsync("dueSoon")).ShouldNotContain(id);

            api.Clock.Offset = TimeSpan.FromDays(due.DayNumber - today.DayNumber - 1); // the day before it is due
            (await StatusesAsync("dueSoon")).ShouldContain(id);
            var row = await (await _s.Clerk.GetAsync($"{_s.Requests}/{id}")).BodyAsync();
            row["status"]!.GetValue<string>().ShouldBe("dueSoon");
            row["workingDaysLeft"]!.GetValue<int>().ShouldBeInRange(0, 1);

            api.Clock.Offset = TimeSpan.FromDays(due.DayNumber - today.DayNumber + 1); // the day after
            (await StatusesAsync("overdue")).ShouldContain(id);
            (await StatusesAsync("dueSoon")).ShouldNotContain(id);
        }
        finally { api.Clock.Offset = TimeSpan.Zero; }
    }

    private async Task<List<Guid>> StatusesAsync(string status)
    {
        var page = await (await _s.Clerk.GetAsync($"{_s.Requests}?status={status}&pageSize=500")).BodyAsync();
        return page["items"]!.AsArray().Select(r => Guid.Parse(r!["id"]!.GetValue<string>())).ToList();
    }

    [Fact]
    public async Task An_amended_calendar_recomputes_open_requests_and_leaves_closed_ones_alone()
    {
        var admin = api.ClientAs("admin", "*:admin");
        api.Clock.Offset = TimeSpan.FromDays(DateOnly.Parse("2027-01-05").DayNumber - DateOnly.FromDateTime(DateTime.UtcNow).DayNumber);
        try
        {
            var open = await _s.ReceiveAsync("2026-12-15");
            open["dueOn"]!.GetValue<string>().ShouldBe("2027-01-13");
            open["dueProvisional"]!.GetValue<bool>().ShouldBeTrue();
            var closed = RequestSteps.IdOf(await _s.ReceiveAsync("2026-12-15"));
            await _s.OkAsync(closed, "answer", new { answeredOn = "2027-01-04", outcome = "disclosed", detail = "已提供" });

            var amended = await admin.SendJsonAsync(HttpMethod.Put, "/api/v1/calendar/2027",
                new { holidays = new[] { "2027-01-01", "2027-01-11" }, workdays = Array.Empty<string>(), source = "测试用的2027年安排" });
            amended.StatusCode.ShouldBe(HttpStatusCode.OK, await amended.Content.ReadAsStringAsync());
            (await amended.BodyAsync())["requestsRecomputed"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(1);

            var now = await (await _s.Clerk.GetAsync($"{_s.Requests}/{RequestSteps.IdOf(open)}")).BodyAsync();
            now["dueOn"]!.GetValue<string>().ShouldBe("2027-01-14");
            now["dueProvisional"]!.GetValue<bool>().ShouldBeFalse();
            var recomputed = (await api.ReadAsync("lyxjyj")).Where(e => e.StreamId == RequestSteps.IdOf(open) && e.Type == "request.deadline-recomputed.v1").ToList();
            recomputed.ShouldHaveSingleItem().Data.ShouldContain("2027-01-13");
            (await api.ReadAsync("lyxjyj")).ShouldNotContain(e => e.StreamId == closed && e.Type == "request.deadline-recomputed.v1");

            // The same notice again changes nothing.
            var again = await admin.SendJsonAsync(HttpMethod.Put, "/api/v1/calendar/2027",
                new { holidays = new[] { "2027-01-01", "2027-01-11" }, workdays = Array.Empty<string>(), source = "测试用的2027年安排" });
            (await again.BodyAsync())["changed"]!.GetValue<bool>().ShouldBeFalse();
        }
        finally { api.Clock.Offset = TimeSpan.Zero; }
    }

    [Fact]
    public async Task The_ledger_rebuilt_from_the_log_equals_the_live_one()
    {
        var id = RequestSteps.IdOf(await _s.ReceiveAsync("2025-03-03"));
        await _s.OkAsync(id, "consultation", new { startedOn = "2025-03-05", thirdParty = "某公司" });
        var live = await api.DumpAsync("requests");
        await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<EventSourcedDisclosure.EventStore.Projections.ProjectionAdmin>(api.Services).RebuildAsync("ledger");
        (await api.DumpAsync("requests")).ShouldBe(live);
    }

    [Fact]
    public async Task Information_asked_for_by_three_applicants_is_a_candidate_for_proactive_disclosure()
    {
        var item = Guid.NewGuid();
        foreach (var name in new[] { "甲", "乙", "丙", "丙" }) // 丙 asked twice: three applicants
        {
            var id = RequestSteps.IdOf(await _s.ReceiveAsync("2025-03-03", RequestSteps.Applicant(name, null)));
            await _s.OkAsync(id, "answer", new { answeredOn = "2025-03-10", outcome = "disclosed", detail = "已提供", disclosedItems = new[] { item } });
        }
        var candidates = await (await _s.Clerk.GetAsync("/api/v1/agencies/lyxjyj/disclosure-candidates")).BodyAsync();
        candidates.AsArray().ShouldContain(c => c!["itemId"]!.GetValue<string>() == item.ToString() && c["applicants"]!.GetValue<int>() == 3);
    }
}

using EventSourcedDisclosure.Api.Tests.Infrastructure;

namespace EventSourcedDisclosure.Api.Tests.Requests;

/// <summary>Every request rule over HTTP: 409 naming the rule (or 400 naming the field), nothing appended.</summary>
public sealed class RequestRuleTests(ApiFactory api) : IClassFixture<ApiFactory>, IAsyncLifetime
{
    private readonly RequestSteps _s = new(api, "reqrules");

    public Task InitializeAsync() => _s.RegisterAgencyAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task RejectedAsync(Guid id, string step, object body, int status, string expect)
    {
        var before = (await api.ReadAsync("reqrules")).Count(e => e.StreamId == id);
        var response = await _s.PostAsync(id, step, body);
        await response.ShouldBeProblemAsync(status, status == 409 ? ":" + expect : null);
        if (status == 400) (await response.BodyAsync())["errors"]![expect].ShouldNotBeNull();
        (await api.ReadAsync("reqrules")).Count(e => e.StreamId == id).ShouldBe(before);
    }

    private async Task<Guid> NewAsync(string on = "2025-03-03") => RequestSteps.IdOf(await _s.ReceiveAsync(on));

    [Fact]
    public async Task Correction_rules()
    {
        var id = await NewAsync();
        await RejectedAsync(id, "correction", new { correctedOn = "2025-03-10", detail = "x" }, 409, "correction-needs-notice");
        await RejectedAsync(id, "correction-notice", new { noticeOn = "2025-03-13", correctBy = "2025-04-01", detail = "x" }, 409,
            "correction-notice-within-7-working-days");
        await _s.OkAsync(id, "correction-notice", new { noticeOn = "2025-03-12", correctBy = "2025-03-26", detail = "请补正" });
        await RejectedAsync(id, "correction-notice", new { noticeOn = "2025-03-12", correctBy = "2025-04-01", detail = "x" }, 409, "correction-notice-once");
        await RejectedAsync(id, "answer", new { answeredOn = "2025-03-20", outcome = "disclosed", detail = "x" }, 409, "awaiting-correction");
        await RejectedAsync(id, "answer", new { answeredOn = "2025-03-20", outcome = "other", reason = "correctionNotSubmitted", detail = "x" }, 409,
            "correction-not-submitted-needs-lapsed-notice");
        await RejectedAsync(id, "correction", new { correctedOn = "2025-03-27", detail = "x" }, 409, "correction-period-lapsed");
        await _s.OkAsync(id, "answer", new { answeredOn = "2025-03-27", outcome = "other", reason = "correctionNotSubmitted", detail = "视为放弃申请" });
        await RejectedAsync(id, "answer", new { answeredOn = "2025-03-28", outcome = "disclosed", detail = "x" }, 409, "request-closed");

        var unclear = await NewAsync();
        await RejectedAsync(unclear, "answer", new { answeredOn = "2025-03-20", outcome = "unavailable", reason = "unclearAfterCorrection", detail = "x" }, 409,
            "unclear-after-correction-needs-correction");
    }

    [Fact]
    public async Task Consultation_and_extension_rules()
    {
        var id = await NewAsync();
        await RejectedAsync(id, "consultation/reply", new { repliedOn = "2025-03-10", opinion = "x" }, 409, "no-open-consultation");
        await _s.OkAsync(id, "consultation", new { startedOn = "2025-03-05", thirdParty = "某公司" });
        await RejectedAsync(id, "consultation", new { startedOn = "2025-03-06", thirdParty = "另一公司" }, 409, "consultation-already-open");
        await RejectedAsync(id, "extension", new { extendedOn = "2025-03-20", workingDays = 21, approvedBy = "主任", reason = "x" }, 400, "workingDays");
        await RejectedAsync(id, "extension", new { extendedOn = "2025-03-20", workingDays = 10, reason = "x" }, 409, "extension-needs-approval-and-reason");
        await RejectedAsync(id, "extension", new { extendedOn = "2025-06-01", workingDays = 10, approvedBy = "主任", reason = "x" }, 409, "extension-within-period");
        await _s.OkAsync(id, "extension", new { extendedOn = "2025-03-20", workingDays = 10, approvedBy = "主任", reason = "需会商" });
        await RejectedAsync(id, "extension", new { extendedOn = "2025-03-21", workingDays = 5, approvedBy = "主任", reason = "x" }, 409, "extension-once");
    }

    [Fact]
    public async Task Answer_and_fee_rules()
    {
        var id = await NewAsync();
        await RejectedAsync(id, "answer", new { answeredOn = "2025-03-20", outcome = "withheld", reason = "notHeld", detail = "x" }, 409, "reason-matches-outcome");
        await RejectedAsync(id, "answer", new { answeredOn = "2025-03-20", outcome = "partiallyDisclosed", detail = "x" }, 409,
            "partial-disclosure-lists-withheld-parts");
        await RejectedAsync(id, "answer", new { answeredOn = "2025-03-20", outcome = "mostlyDisclosed", detail = "x" }, 400, "outcome");
        await RejectedAsync(id, "fee-notice", new { noticeOn = "2025-03-05", basis = "perRequest", quantity = 45, amount = 4500 }, 409, "fee-follows-tiers");
        await RejectedAsync(id, "fee-payment", new { paidOn = "2025-03-06", amount = 5500 }, 409, "fee-payment-matches-notice");
        await _s.OkAsync(id, "fee-notice", new { noticeOn = "2025-03-05", basis = "perRequest", quantity = 45, amount = 5500 });
        await RejectedAsync(id, "fee-notice", new { noticeOn = "2025-03-06", basis = "perPage", quantity = 100, amount = 700 }, 409, "fee-notice-once");
        await RejectedAsync(id, "answer", new { answeredOn = "2025-03-20", outcome = "other", reason = "feeNotPaid", detail = "x" }, 409,
            "fee-not-paid-needs-lapsed-notice");
        var partial = await _s.OkAsync(id, "answer", new
        {
            answeredOn = "2025-03-20", outcome = "partiallyDisclosed", detail = "部分公开",
            withheldParts = new[] { new { description = "供应商报价", reason = "thirdPartyRights" } },
        });
        partial["outcome"]!.GetValue<string>().ShouldBe("partiallyDisclosed");
    }

    [Fact]
    public async Task A_case_is_decided_once()
    {
        var id = await NewAsync();
        var filed = await _s.OkAsync(id, "reconsiderations", new { filedOn = "2025-04-01" });
        var appeal = filed["id"]!.GetValue<string>();
        (await _s.OkAsync(id, $"reconsiderations/{appeal}/decision", new { decidedOn = "2025-05-01", result = "upheld" }))["result"]!
            .GetValue<string>().ShouldBe("upheld");
        await RejectedAsync(id, $"reconsiderations/{appeal}/decision", new { decidedOn = "2025-05-02", result = "corrected" }, 409, "appeal-already-decided");
        await RejectedAsync(id, $"reconsiderations/{appeal}/decision", new { decidedOn = "2025-05-02", result = "dismissed" }, 400, "result");
    }

    [Fact]
    public async Task Bad_receipts_are_400_with_fields_and_append_nothing()
    {
        var before = (await api.ReadAsync("reqrules")).Count;
        var future = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(3)).ToString("yyyy-MM-dd");
        foreach (var (body, field) in new (object, string)[]
                 {
                     (RequestSteps.Receive("2025-03-03", channel: "carrierPigeon"), "channel"),
                     (RequestSteps.Receive("2025-03-03", applicant: new { type = "alien", name = "x" }), "applicant.type"),
                     (RequestSteps.Receive(future), "receivedOn"),
                     (new { receivedOn = "2025-02-30", channel = "online", applicant = RequestSteps.Applicant(), description = "x" }, "receivedOn"),
                 })
        {
            var response = await _s.Clerk.SendJsonAsync(HttpMethod.Post, _s.Requests, body);
            await response.ShouldBeProblemAsync(400);
            (await response.BodyAsync())["errors"]!.AsObject().Select(e => e.Key).ShouldContain(field);
        }
        (await api.ReadAsync("reqrules")).Count.ShouldBe(before);
    }
}

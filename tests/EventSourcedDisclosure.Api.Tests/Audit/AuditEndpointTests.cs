using System.Net;
using EventSourcedDisclosure.Api.Tests.Infrastructure;
using Npgsql;

namespace EventSourcedDisclosure.Api.Tests.Audit;

public sealed class AuditEndpointTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_streams_history_shows_who_did_what_with_correlation_and_chain_hashes()
    {
        var steps = new ItemSteps(api, "audited");
        await steps.RegisterAgencyAsync();
        var id = await steps.DraftAsync();
        var correlated = await steps.Drafter.SendJsonAsync(HttpMethod.Post, $"{steps.Items}/{id}/attribute",
            new { disclosure = "withheld", reason = "processInformation", basis = "条例第十六条第二款", important = false },
            new Dictionary<string, string> { ["X-Correlation-Id"] = "inspection-7" });
        correlated.StatusCode.ShouldBe(HttpStatusCode.OK);
        await steps.ReviewAsync(id);

        var history = (await (await api.ClientAs("auditor", "*:auditor").GetAsync($"/api/v1/audit/streams/{id}")).BodyAsync()).AsArray();
        history.Select(e => e!["type"]!.GetValue<string>()).ShouldBe(["item.drafted.v1", "item.attribute-assigned.v1", "item.reviewed.v1"]);
        history.Select(e => e!["actor"]!.GetValue<string>()).ShouldBe(["drafter", "drafter", "reviewer"]);
        history[1]!["correlationId"]!.GetValue<string>().ShouldBe("inspection-7");
        history[1]!["data"]!["basis"]!.GetValue<string>().ShouldBe("条例第十六条第二款");
        history.ShouldAllBe(e => e!["hash"]!.GetValue<string>().Length == 64);
        history.Select(e => e!["version"]!.GetValue<long>()).ShouldBe([1L, 2L, 3L]);
    }

    [Fact]
    public async Task The_global_log_filters_and_pages_without_losing_or_repeating_events()
    {
        var steps = new ItemSteps(api, "paged");
        await steps.RegisterAgencyAsync();
        for (var i = 0; i < 12; i++) await steps.AttributeAsync(await steps.DraftAsync());
        var auditor = api.ClientAs("auditor", "*:auditor");

        // The log serves finished transactions only: wait until no transaction of the cluster holds the drafts back.
        await Eventually.ReturnsAsync(async () =>
            (await (await auditor.GetAsync("/api/v1/audit/events?agency=paged&type=item.drafted.v1&limit=1000")).BodyAsync())["items"]!.AsArray().Count == 12
                ? "visible" : null);
        var seen = new List<long>();
        long? after = null;
        do
        {
            var response = await auditor.GetAsync($"/api/v1/audit/events?agency=paged&type=item.drafted.v1&limit=5{(after is null ? "" : $"&after={after}")}");
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var page = await response.BodyAsync();
            var items = page["items"]!.AsArray();
            items.ShouldAllBe(e => e!["agency"]!.GetValue<string>() == "paged" && e["type"]!.GetValue<string>() == "item.drafted.v1");
            seen.AddRange(items.Select(e => e!["sequence"]!.GetValue<long>()));
            after = page["next"]?.GetValue<long?>();
        } while (after is not null);
        seen.Count.ShouldBe(12);
        seen.Distinct().Count().ShouldBe(12);

        var byActor = await (await auditor.GetAsync("/api/v1/audit/events?agency=paged&actor=reviewer")).BodyAsync();
        byActor["items"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Verify_passes_and_then_names_the_sequence_a_superuser_changed()
    {
        var steps = new ItemSteps(api, "verified");
        await steps.RegisterAgencyAsync();
        var id = await steps.DraftAsync();
        await steps.AttributeAsync(id);
        var auditor = api.ClientAs("auditor", "*:auditor");
        var ok = await (await auditor.GetAsync("/api/v1/audit/verify?agency=verified")).BodyAsync();
        ok["verified"]!.GetValue<bool>().ShouldBeTrue();
        ok["events"]!.GetValue<long>().ShouldBe(3); // registered, drafted, attribute

        var drafted = (await api.ReadAsync("verified")).Single(e => e.Type == "item.drafted.v1");
        await using (var connection = new NpgsqlConnection(api.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                $"set session_replication_role = replica; update disclosure.events set data = jsonb_set(data, '{{content,title}}', '\"改过的标题\"') where seq = {drafted.Seq}", connection);
            await command.ExecuteNonQueryAsync();
        }
        var broken = await (await auditor.GetAsync("/api/v1/audit/verify?agency=verified")).BodyAsync();
        broken["verified"]!.GetValue<bool>().ShouldBeFalse();
        broken["firstBrokenSequence"]!.GetValue<long>().ShouldBe(drafted.Seq);
    }

    [Fact]
    public async Task Items_and_requests_can_be_read_as_they_stood_at_a_version_or_on_a_day()
    {
        var steps = new ItemSteps(api, "travel");
        await steps.RegisterAgencyAsync();
        var id = await steps.DraftAsync();
        await steps.AttributeAsync(id, "withheld", reason: "stateSecret", basis: "条例第十四条");
        await steps.OkAsync(steps.Drafter, id, "declassification", new { declassifiedOn = "2025-03-01", disclosure = "proactive", basis = "解密" });

        var v2 = await (await steps.Drafter.GetAsync($"{steps.Items}/{id}?version=2")).BodyAsync();
        v2["disclosure"]!.GetValue<string>().ShouldBe("withheld");
        v2["version"]!.GetValue<long>().ShouldBe(2);
        (await (await steps.Drafter.GetAsync($"{steps.Items}/{id}")).BodyAsync())["disclosure"]!.GetValue<string>().ShouldBe("proactive");
        (await steps.Drafter.GetAsync($"{steps.Items}/{id}?asOf=2020-01-01")).StatusCode.ShouldBe(HttpStatusCode.NotFound); // not recorded yet

        var requests = new RequestSteps(api, "travel");
        var request = RequestSteps.IdOf(await requests.ReceiveAsync("2025-03-03"));
        await requests.OkAsync(request, "extension", new { extendedOn = "2025-03-10", workingDays = 10, approvedBy = "主任", reason = "需会商" });
        var before = await (await requests.Clerk.GetAsync($"{requests.Requests}/{request}?version=1")).BodyAsync();
        (before["extended"]!.GetValue<bool>(), before["dueOn"]!.GetValue<string>()).ShouldBe((false, "2025-03-31"));
    }
}

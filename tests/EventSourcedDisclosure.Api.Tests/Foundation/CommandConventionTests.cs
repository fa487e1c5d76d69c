using System.Net;
using EventSourcedDisclosure.Api.Tests.Infrastructure;

namespace EventSourcedDisclosure.Api.Tests.Foundation;

/// <summary>The ETag / If-Match / Idempotency-Key / problem conventions, shown on the agency endpoint.</summary>
public sealed class CommandConventionTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static object Agency(string name = "隆尧县教育局") => new { name, region = "130525", indexPrefix = "lyxjyj" };

    [Fact]
    public async Task Registering_answers_201_with_location_etag_and_body_then_updates_answer_200()
    {
        var client = api.ClientAs("clerk-1");
        var created = await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/lyxjyj", Agency());
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        created.Headers.Location!.ToString().ShouldBe("/api/v1/agencies/lyxjyj");
        created.ETag().ShouldBe("\"1\"");
        var body = await created.BodyAsync();
        body["id"]!.GetValue<string>().ShouldBe("lyxjyj");
        body["indexTemplate"]!.GetValue<string>().ShouldBe("{prefix}/{year}-{serial:00000}");
        body["categories"]!.AsArray().Select(c => (c!["code"]!.GetValue<string>(), c["label"]!.GetValue<string>()))
            .ShouldContain(("lawEnforcement", "行政执法"));

        var renamed = await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/lyxjyj", Agency("隆尧县教育和体育局"));
        renamed.StatusCode.ShouldBe(HttpStatusCode.OK);
        renamed.ETag().ShouldBe("\"2\"");

        var read = await client.GetAsync("/api/v1/agencies/lyxjyj");
        read.ETag().ShouldBe("\"2\"");
        var stored = await read.BodyAsync();
        stored["name"]!.GetValue<string>().ShouldBe("隆尧县教育和体育局");
        stored["categories"]!.AsArray().Count.ShouldBe(8);
    }

    [Fact]
    public async Task Repeating_the_same_details_appends_nothing()
    {
        var client = api.ClientAs("clerk-1");
        await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/same", Agency());
        var again = await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/same", Agency());
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        again.ETag().ShouldBe("\"1\"");
        (await api.ReadAsync("same")).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_stale_If_Match_is_412_and_appends_nothing()
    {
        var client = api.ClientAs("clerk-1");
        await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/stale", Agency());
        await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/stale", Agency("第二个名字"));

        var stale = await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/stale", Agency("第三个名字"),
            new Dictionary<string, string> { ["If-Match"] = "\"1\"" });
        await stale.ShouldBeProblemAsync(412, "precondition-failed");
        (await api.ReadAsync("stale")).Count.ShouldBe(2);

        var current = await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/stale", Agency("第三个名字"),
            new Dictionary<string, string> { ["If-Match"] = "\"2\"" });
        current.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_same_idempotency_key_and_body_returns_the_first_answer_and_appends_once()
    {
        var client = api.ClientAs("clerk-1");
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = "k-" + Guid.NewGuid() };
        var first = await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/idem", Agency(), key);
        var second = await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/idem", Agency(), key);

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        second.StatusCode.ShouldBe(HttpStatusCode.Created);
        second.Headers.Location.ShouldBe(first.Headers.Location);
        second.ETag().ShouldBe(first.ETag());
        (await second.BodyAsync()).ToJsonString().ShouldBe((await first.BodyAsync()).ToJsonString());
        second.Headers.GetValues("Idempotent-Replayed").Single().ShouldBe("true");
        (await api.ReadAsync("idem")).Count.ShouldBe(1);
    }

    [Fact]
    public async Task The_same_idempotency_key_with_another_body_is_422_and_appends_nothing()
    {
        var client = api.ClientAs("clerk-1");
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = "k-" + Guid.NewGuid() };
        await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/idem2", Agency(), key);
        var other = await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/idem2", Agency("别的名字"), key);
        await other.ShouldBeProblemAsync(422);
        (await api.ReadAsync("idem2")).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Invalid_input_is_400_with_field_errors_and_appends_nothing()
    {
        var client = api.ClientAs("clerk-1");
        var response = await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/bad",
            new { name = " ", region = "13052", indexPrefix = "x" });
        await response.ShouldBeProblemAsync(400);
        var errors = (await response.BodyAsync())["errors"]!.AsObject();
        errors.Select(e => e.Key).ShouldBe(["name", "region"], ignoreOrder: true);
        (await api.ReadAsync("bad")).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_malformed_body_is_400_problem()
    {
        var client = api.ClientAs("clerk-1");
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/agencies/broken")
        {
            Content = new StringContent("{\"name\": 12", System.Text.Encoding.UTF8, "application/json"),
        };
        await (await client.SendAsync(request)).ShouldBeProblemAsync(400);
        (await api.ReadAsync("broken")).ShouldBeEmpty();
    }

    [Fact]
    public async Task Every_event_records_the_token_subject_and_the_callers_correlation_id()
    {
        var client = api.ClientAs("wang.fang");
        var response = await client.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/meta", Agency(),
            new Dictionary<string, string> { ["X-Correlation-Id"] = "case-2025-017" });
        response.Headers.GetValues("X-Correlation-Id").Single().ShouldBe("case-2025-017");
        var stored = (await api.ReadAsync("meta")).Single();
        stored.Actor.ShouldBe("wang.fang");
        stored.CorrelationId.ShouldBe("case-2025-017");
        stored.Type.ShouldBe("agency.registered.v1");
    }

    [Fact]
    public async Task An_unknown_agency_is_404_problem()
    {
        var response = await api.ClientAs("clerk-1").GetAsync("/api/v1/agencies/nobody");
        await response.ShouldBeProblemAsync(404);
    }
}

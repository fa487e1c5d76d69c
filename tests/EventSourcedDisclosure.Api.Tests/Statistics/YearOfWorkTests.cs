using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using EventSourcedDisclosure.Api.Tests.Infrastructure;
using EventSourcedDisclosure.EventStore.Projections;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EventSourcedDisclosure.Api.Tests.Statistics;

/// <summary>
/// A year of synthetic work through the HTTP API; the tables must equal, cell by cell, what the
/// test works out from the scenario itself; they must balance, survive a rebuild, and move when
/// a late-recorded event is dated inside the year.
/// </summary>
public sealed class YearOfWorkTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static readonly string[] Agencies = ["sa", "sb", "sc"];
    private static readonly Dictionary<string, string> Regions = new() { ["sa"] = "130525", ["sb"] = "130526", ["sc"] = "110101" };
    private static string D(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_year_of_work_gives_the_expected_balanced_tables_for_agencies_and_regions()
    {
        var (requests, items, appeals) = YearScenario.Build(Agencies, seed: 2025);
        requests.Count.ShouldBeGreaterThanOrEqualTo(300);
        var clerk = api.ClientAs("clerk");
        var reviewer = api.ClientAs("reviewer");
        foreach (var agency in Agencies)
            (await clerk.SendJsonAsync(HttpMethod.Put, $"/api/v1/agencies/{agency}",
                new { name = $"{agency}局", region = Regions[agency], indexPrefix = agency })).EnsureSuccessStatusCode();

        var requestIds = new List<Guid>();
        foreach (var r in requests) requestIds.Add(await DriveAsync(clerk, r));
        foreach (var i in items) await DriveAsync(clerk, reviewer, i);
        foreach (var a in appeals) await DriveAsync(clerk, a, requests[a.RequestIndex].Agency, requestIds[a.RequestIndex]);
        await api.CaughtUpAsync();

        foreach (var agency in Agencies)
        {
            var actual = await StatisticsAsync($"/api/v1/agencies/{agency}/statistics/2025");
            AssertEqual(actual, Expected(requests.Where(r => r.Agency == agency), items.Where(i => i.Agency == agency),
                appeals.Where(a => requests[a.RequestIndex].Agency == agency)), agency);
            actual["checks"]!.AsArray().ShouldAllBe(c => c!["passed"]!.GetValue<bool>());
            actual["checks"]!.AsArray().Select(c => c!["rule"]!.GetValue<string>()).ShouldContain("本年二 = 上年四");
        }
        var city = await StatisticsAsync("/api/v1/regions/130500/statistics/2025");
        AssertEqual(city, Expected(requests.Where(r => r.Agency != "sc"), items.Where(i => i.Agency != "sc"),
            appeals.Where(a => requests[a.RequestIndex].Agency != "sc")), "130500");
        city["agencies"]!.AsArray().Select(a => a!["agency"]!.GetValue<string>()).ShouldBe(["sa", "sb"]);
        city["agencies"]!.AsArray().ShouldAllBe(a => a!["position"]!.GetValue<long>() > 0);
        // Anyone can re-add the region from its agencies.
        var (ra, rb, rc) = (Rows(await StatisticsAsync("/api/v1/agencies/sa/statistics/2025")), Rows(await StatisticsAsync("/api/v1/agencies/sb/statistics/2025")), Rows(city));
        foreach (var (key, values) in rc) values.ShouldBe(values.Select((_, i) => ra[key][i] + rb[key][i]).ToArray(), key);
        foreach (var region in new[] { "130500", "130000", "110000", "110101" })
            (await StatisticsAsync($"/api/v1/regions/{region}/statistics/2025"))["checks"]!.AsArray().ShouldAllBe(c => c!["passed"]!.GetValue<bool>(), region);

        // The 2019 format from the same log: one 其他处理 row holding the three of 2021.
        var f2019 = await StatisticsAsync("/api/v1/agencies/sa/statistics/2025?format=2019");
        f2019["format"]!.GetValue<string>().ShouldBe("2019");
        var other2021 = Rows(await StatisticsAsync("/api/v1/agencies/sa/statistics/2025")).Where(r => r.Key.StartsWith("other.")).Sum(r => r.Value[6]);
        Rows(f2019)["other"][6].ShouldBe(other2021);
        f2019["checks"]!.AsArray().ShouldAllBe(c => c!["passed"]!.GetValue<bool>());

        // Rebuilt from the log: the same tables.
        var before = (await StatisticsAsync("/api/v1/regions/130000/statistics/2025")).ToJsonString();
        await api.Services.GetRequiredService<ProjectionAdmin>().RebuildAsync("statistics");
        // Each agency's position is its last fact's place in the log: the same after a rebuild.
        Strip((await StatisticsAsync("/api/v1/regions/130000/statistics/2025")).ToJsonString()).ShouldBe(Strip(before));

        // Recorded now, dated 30 December 2025: the 2025 tables change, and the cell names the event.
        var late = requests.Select((r, i) => (r, i)).First(x => x.r.Agency == "sa" && x.r.AnsweredOn is null && x.r.ReceivedOn <= new DateOnly(2025, 12, 29));
        var lateId = requestIds[late.i];
        var column = late.r.ApplicantType;
        var was = Rows(await StatisticsAsync("/api/v1/agencies/sa/statistics/2025"));
        (await clerk.SendJsonAsync(HttpMethod.Post, $"/api/v1/agencies/sa/requests/{lateId}/answer",
            new { answeredOn = "2025-12-30", outcome = "disclosed", detail = "补录" })).EnsureSuccessStatusCode();
        await api.CaughtUpAsync();
        var now = Rows(await StatisticsAsync("/api/v1/agencies/sa/statistics/2025"));
        var c = Array.IndexOf(YearScenario.ApplicantTypes, column);
        now["disclosed"][c].ShouldBe(was["disclosed"][c] + 1);
        now["carriedForward"][c].ShouldBe(was["carriedForward"][c] - 1);
        var explained = await StatisticsAsync($"/api/v1/agencies/sa/statistics/2025?explain=requests.disclosed.{column}");
        explained["events"]!.AsArray().ShouldContain(e => e!["stream"]!.GetValue<string>() == lateId.ToString() && e["date"]!.GetValue<string>() == "2025-12-30");
        explained["value"]!.GetValue<decimal>().ShouldBe(now["disclosed"][c]);
    }

    [Fact]
    public async Task An_answer_dated_before_its_receipt_is_rejected_so_no_table_can_be_unbalanced()
    {
        var clerk = api.ClientAs("clerk");
        (await clerk.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/sx", new { name = "sx局", region = "320101", indexPrefix = "sx" })).EnsureSuccessStatusCode();
        var id = await DriveAsync(clerk, new RequestCase("sx", "naturalPerson", new DateOnly(2025, 3, 3), null, null, null, null, false, false));
        var response = await clerk.SendJsonAsync(HttpMethod.Post, $"/api/v1/agencies/sx/requests/{id}/answer",
            new { answeredOn = "2025-03-01", outcome = "disclosed", detail = "x" });
        await response.ShouldBeProblemAsync(400);
        (await response.BodyAsync())["errors"]!["answeredOn"].ShouldNotBeNull();
    }

    private static string Strip(string json) => System.Text.RegularExpressions.Regex.Replace(json, "\"asOf\":\"[^\"]*\",", "");

    private async Task<Guid> DriveAsync(HttpClient clerk, RequestCase r)
    {
        var organisation = r.ApplicantType != "naturalPerson";
        var received = await clerk.SendJsonAsync(HttpMethod.Post, $"/api/v1/agencies/{r.Agency}/requests", new
        {
            receivedOn = D(r.ReceivedOn), channel = "online", description = "申请公开相关信息",
            applicant = new { type = r.ApplicantType, name = organisation ? "某机构" : "某人", idNumber = (string?)null },
        });
        received.StatusCode.ShouldBe(HttpStatusCode.Created, await received.Content.ReadAsStringAsync());
        var id = Guid.Parse((await received.BodyAsync())["id"]!.GetValue<string>());
        async Task Step(string step, object body)
        {
            var response = await clerk.SendJsonAsync(HttpMethod.Post, $"/api/v1/agencies/{r.Agency}/requests/{id}/{step}", body);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{step}: {await response.Content.ReadAsStringAsync()}");
        }
        switch (r.History)
        {
            case "correction":
                await Step("correction-notice", new { noticeOn = D(r.ReceivedOn.AddDays(1)), correctBy = D(r.ReceivedOn.AddDays(20)), detail = "请补正" });
                await Step("correction", new { correctedOn = D(r.ReceivedOn.AddDays(5)), detail = "已补正" });
                break;
            case "lapsedCorrection":
                await Step("correction-notice", new { noticeOn = D(r.ReceivedOn.AddDays(1)), correctBy = D(r.ReceivedOn.AddDays(20)), detail = "请补正" });
                break;
            case "lapsedFee":
                await Step("fee-notice", new { noticeOn = D(r.ReceivedOn.AddDays(1)), basis = "perPage", quantity = 100, amount = 700 });
                break;
        }
        if (r.History is null && r.Consulted)
        {
            await Step("consultation", new { startedOn = D(r.ReceivedOn.AddDays(1)), thirdParty = "第三方" });
            await Step("consultation/reply", new { repliedOn = D(r.ReceivedOn.AddDays(3)), opinion = "同意" });
        }
        if (r.History is null && r.Extended)
            await Step("extension", new { extendedOn = D(r.ReceivedOn.AddDays(4)), workingDays = 10, approvedBy = "主任", reason = "需会商" });
        if (r.AnsweredOn is { } answered)
            await Step("answer", new
            {
                answeredOn = D(answered), outcome = r.Outcome, reason = r.Reason, detail = "答复",
                withheldParts = r.Outcome == "partiallyDisclosed" ? new[] { new { description = "个人信息", reason = "thirdPartyRights" } } : null,
            });
        return id;
    }

    private static async Task DriveAsync(HttpClient clerk, HttpClient reviewer, ItemCase i)
    {
        var items = $"/api/v1/agencies/{i.Agency}/items";
        var drafted = await clerk.SendJsonAsync(HttpMethod.Post, items, new
        {
            title = $"{i.Genre} 事项", summary = "概述", writtenOn = D(i.WrittenOn), department = "办公室", category = "other", genre = i.Genre, amount = i.Amount,
        });
        drafted.StatusCode.ShouldBe(HttpStatusCode.Created, await drafted.Content.ReadAsStringAsync());
        var id = (await drafted.BodyAsync())["id"]!.GetValue<string>();
        async Task Step(HttpClient client, string step, object body) =>
            (await client.SendJsonAsync(HttpMethod.Post, $"{items}/{id}/{step}", body)).StatusCode.ShouldBe(HttpStatusCode.OK, step);
        if (i.Declassified)
        {
            await Step(clerk, "attribute", new { disclosure = "withheld", reason = "stateSecret", basis = "条例第十四条", important = false });
            await Step(clerk, "declassification", new { declassifiedOn = D(i.WrittenOn.AddDays(5)), disclosure = "proactive", basis = "解密" });
        }
        else await Step(clerk, "attribute", new { disclosure = "proactive", important = false });
        if (i.PublishedOn is not { } published) return;
        await Step(reviewer, "review", new { outcome = "cleared", opinion = "不涉密" });
        await Step(clerk, "publication", new { publishedOn = D(published), channels = i.Channels });
        if (i.RepealedOn is { } repealed) await Step(clerk, "repeal", new { repealedOn = D(repealed), reason = "废止" });
    }

    private static async Task DriveAsync(HttpClient clerk, AppealCase a, string agency, Guid request)
    {
        var path = $"/api/v1/agencies/{agency}/requests/{request}/{(a.Kind == "reconsideration" ? "reconsiderations" : "lawsuits")}";
        var filed = await clerk.SendJsonAsync(HttpMethod.Post, path, new { filedOn = D(a.FiledOn), afterReconsideration = a.AfterReconsideration });
        filed.StatusCode.ShouldBe(HttpStatusCode.OK, await filed.Content.ReadAsStringAsync());
        var id = (await filed.BodyAsync())["id"]!.GetValue<string>();
        if (a.DecidedOn is { } decided)
            (await clerk.SendJsonAsync(HttpMethod.Post, $"{path}/{id}/decision", new { decidedOn = D(decided), result = a.Result }))
                .StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>The expected tables, worked out from the scenario with the counting decisions of REFERENCE.md.</summary>
    private static Dictionary<string, decimal> Expected(IEnumerable<RequestCase> requests, IEnumerable<ItemCase> items, IEnumerable<AppealCase> appeals)
    {
        var cells = new Dictionary<string, decimal>();
        void Add(string cell, decimal value = 1) => cells[cell] = cells.GetValueOrDefault(cell) + value;
        var first = new DateOnly(2025, 1, 1);
        var last = new DateOnly(2025, 12, 31);
        foreach (var r in requests)
        {
            var rows = new List<string>();
            if (r.ReceivedOn.Year == 2025) rows.Add("received");
            if (r.ReceivedOn < first && !(r.AnsweredOn < first)) rows.Add("carriedOver");
            if (r.AnsweredOn?.Year == 2025) rows.AddRange([r.Reason is null ? r.Outcome! : $"{r.Outcome}.{r.Reason}", "total"]);
            if (!(r.AnsweredOn <= last)) rows.Add("carriedForward");
            foreach (var row in rows)
            {
                Add($"requests.{row}.{r.ApplicantType}");
                Add($"requests.{row}.total");
            }
        }
        foreach (var i in items)
        {
            if (i.Genre is "regulation" or "normativeDocument")
            {
                if (i.PublishedOn?.Year == 2025) Add($"proactive.{i.Genre}.issued");
                if (i.RepealedOn?.Year == 2025) Add($"proactive.{i.Genre}.repealed");
                if (i.PublishedOn <= last && !(i.RepealedOn <= last)) Add($"proactive.{i.Genre}.inForce");
            }
            if (i.Genre is "licensing" or "penalty" or "enforcement" && i.WrittenOn.Year == 2025) Add($"proactive.{i.Genre}.decisions");
            if (i.Genre == "fee" && i.WrittenOn.Year == 2025) Add("proactive.fee.amountTenThousandYuan", i.Amount!.Value);
            if (i.PublishedOn?.Year == 2025)
                foreach (var channel in i.Channels.Select(c => c is "press" ? "other" : c).Distinct()) Add($"proactive.channels.{channel}");
        }
        foreach (var a in appeals.Where(a => a.FiledOn.Year == 2025))
        {
            var table = a.Kind == "reconsideration" ? "reconsideration" : a.AfterReconsideration ? "lawsuitAfterReconsideration" : "lawsuitDirect";
            Add($"appeals.{table}.{(a.DecidedOn <= last ? a.Result : "pending")}");
            Add($"appeals.{table}.total");
        }
        return cells;
    }

    private static void AssertEqual(JsonNode actual, Dictionary<string, decimal> expected, string scope)
    {
        var rows = actual["requests"]!["rows"]!.AsArray();
        rows.Count.ShouldBe(25);
        var columns = actual["requests"]!["columns"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        foreach (var row in rows)
            for (var c = 0; c < columns.Count; c++)
                row!["values"]![c]!.GetValue<decimal>().ShouldBe(expected.GetValueOrDefault($"requests.{row["key"]!.GetValue<string>()}.{columns[c]}"),
                    $"{scope}: requests.{row["key"]}.{columns[c]}");
        foreach (var (group, cellsOfGroup) in actual["proactive"]!.AsObject())
            foreach (var (key, value) in cellsOfGroup!.AsObject())
            {
                var want = expected.GetValueOrDefault($"proactive.{group}.{key}");
                if (key == "amountTenThousandYuan") value!.GetValue<string>().ShouldBe((want / 10_000m).ToString("0.000000", CultureInfo.InvariantCulture), $"{scope}: fee");
                else value!.GetValue<decimal>().ShouldBe(want, $"{scope}: proactive.{group}.{key}");
            }
        foreach (var (table, counts) in actual["appeals"]!.AsObject())
            foreach (var (key, value) in counts!.AsObject())
                value!.GetValue<decimal>().ShouldBe(expected.GetValueOrDefault($"appeals.{table}.{key}"), $"{scope}: appeals.{table}.{key}");
        // Every expected cell was shown somewhere: nothing the scenario produced fell off the tables.
        expected.Keys.Where(k => k.StartsWith("requests.")).Select(k => k.Split('.')[1] is var r && k.Count(ch => ch == '.') == 3 ? k.Split('.')[1] + "." + k.Split('.')[2] : r)
            .ShouldAllBe(row => rows.Any(x => x!["key"]!.GetValue<string>() == row));
    }

    private static Dictionary<string, int[]> Rows(JsonNode tables) =>
        tables["requests"]!["rows"]!.AsArray().ToDictionary(r => r!["key"]!.GetValue<string>(), r => r!["values"]!.AsArray().Select(v => v!.GetValue<int>()).ToArray());

    private async Task<JsonNode> StatisticsAsync(string path)
    {
        var response = await api.ClientAs("reporter").GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.BodyAsync();
    }
}

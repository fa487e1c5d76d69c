using System.Net;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using EventSourcedDisclosure.Api.Tests.Infrastructure;

namespace EventSourcedDisclosure.Api.Tests.Statistics;

public sealed class AnnualReportTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_report_renders_in_every_format_with_the_agencys_text_and_fees()
    {
        var steps = new RequestSteps(api, "report");
        await steps.RegisterAgencyAsync();
        var id = RequestSteps.IdOf(await steps.ReceiveAsync("2025-03-03"));
        await steps.OkAsync(id, "fee-notice", new { noticeOn = "2025-03-05", basis = "perPage", quantity = 100, amount = 700 });
        await steps.OkAsync(id, "fee-payment", new { paidOn = "2025-03-10", amount = 700 });
        await steps.OkAsync(id, "answer", new { answeredOn = "2025-03-20", outcome = "disclosed", detail = "已提供" });
        (await steps.Clerk.SendJsonAsync(HttpMethod.Put, "/api/v1/agencies/report/annual-reports/2025/text",
            new { overview = "本年度，我局坚持以公开为常态、不公开为例外。", problems = "一是公开的及时性有待提高。", other = "无其他需要报告的事项。" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        await api.CaughtUpAsync();

        var html = await steps.Clerk.GetAsync("/api/v1/agencies/report/annual-reports/2025?format=html");
        html.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var page = await html.Content.ReadAsStringAsync();
        page.ShouldContain("report局2025年政府信息公开工作年度报告");
        page.ShouldContain("本年度，我局坚持以公开为常态");
        page.ShouldContain("本年度共收取信息处理费700元");

        var markdown = new HttpRequestMessage(HttpMethod.Get, "/api/v1/agencies/report/annual-reports/2025");
        markdown.Headers.Accept.ParseAdd("text/markdown");
        var md = await steps.Clerk.SendAsync(markdown);
        md.Content.Headers.ContentType!.MediaType.ShouldBe("text/markdown");
        (await md.Content.ReadAsStringAsync()).ShouldContain("## 五、存在的主要问题及改进情况");

        var validator = new OpenXmlValidator();
        var docx = await steps.Clerk.GetAsync("/api/v1/agencies/report/annual-reports/2025?format=docx");
        using (var word = WordprocessingDocument.Open(new MemoryStream(await docx.Content.ReadAsByteArrayAsync()), false))
        {
            validator.Validate(word).ShouldBeEmpty();
            word.MainDocumentPart!.Document.InnerText.ShouldContain("一是公开的及时性有待提高。");
        }
        var xlsx = await steps.Clerk.GetAsync("/api/v1/agencies/report/annual-reports/2025?format=xlsx");
        using (var workbook = SpreadsheetDocument.Open(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()), false))
            validator.Validate(workbook).ShouldBeEmpty();

        var json = await (await steps.Clerk.GetAsync("/api/v1/agencies/report/annual-reports/2025?format=json")).BodyAsync();
        json["title"]!.GetValue<string>().ShouldBe("report局2025年政府信息公开工作年度报告");
        await (await steps.Clerk.GetAsync("/api/v1/agencies/report/annual-reports/2025?format=pdf")).ShouldBeProblemAsync(400);
    }
}

public sealed class RestatementTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task A_published_report_shows_which_cells_a_later_recorded_event_changed()
    {
        var steps = new RequestSteps(api, "pinned");
        await steps.RegisterAgencyAsync();
        var june = RequestSteps.IdOf(await steps.ReceiveAsync("2025-06-02"));
        await steps.OkAsync(june, "answer", new { answeredOn = "2025-06-20", outcome = "disclosed", detail = "已提供" });
        var late = RequestSteps.IdOf(await steps.ReceiveAsync("2025-12-20"));
        await api.CaughtUpAsync();

        var published = await steps.Clerk.PostAsync("/api/v1/agencies/pinned/annual-reports/2025/publication", null);
        published.StatusCode.ShouldBe(HttpStatusCode.Created, await published.Content.ReadAsStringAsync());
        (await Report(steps))["restatement"]!.AsArray().ShouldBeEmpty();

        // Recorded now, dated 30 December 2025.
        await steps.OkAsync(late, "answer", new { answeredOn = "2025-12-30", outcome = "disclosed", detail = "补录" });
        await api.CaughtUpAsync();

        var restated = (await Report(steps))["restatement"]!.AsArray();
        restated.Select(c => c!["cell"]!.GetValue<string>()).ShouldBe(
        [
            "requests.carriedForward.naturalPerson", "requests.carriedForward.total",
            "requests.disclosed.naturalPerson", "requests.disclosed.total",
            "requests.total.naturalPerson", "requests.total.total",
        ], ignoreOrder: true);
        var disclosed = restated.Single(c => c!["cell"]!.GetValue<string>() == "requests.disclosed.total")!;
        (disclosed["published"]!.GetValue<decimal>(), disclosed["current"]!.GetValue<decimal>()).ShouldBe((1m, 2m));
        disclosed["events"]!.AsArray().ShouldHaveSingleItem()!["stream"]!.GetValue<string>().ShouldBe(late.ToString());

        // The year is not over: no report for it yet.
        var early = await steps.Clerk.PostAsync($"/api/v1/agencies/pinned/annual-reports/{DateTime.UtcNow.Year + 1}/publication", null);
        await early.ShouldBeProblemAsync(409, ":report-after-year-end");
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> Report(RequestSteps steps) =>
        await (await steps.Clerk.GetAsync("/api/v1/agencies/pinned/annual-reports/2025?format=json")).BodyAsync();
}

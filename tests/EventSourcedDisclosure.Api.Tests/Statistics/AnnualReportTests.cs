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
        await Eventually.ReturnsAsync(async () =>
            (await (await steps.Clerk.GetAsync("/api/v1/agencies/report/statistics/2025")).BodyAsync())["requests"]!["rows"]![0]!["values"]![6]!
                .GetValue<int>() == 1 ? "counted" : null);

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

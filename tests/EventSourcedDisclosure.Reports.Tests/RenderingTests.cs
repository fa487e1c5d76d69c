using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using EventSourcedDisclosure.Reports;

namespace EventSourcedDisclosure.Reports.Tests;

public sealed class RenderingTests
{
    [Theory]
    [InlineData(2025)]
    [InlineData(2020)]
    public void Html_has_every_label_of_the_template_in_order_word_for_word(int year)
    {
        var report = SampleReports.For(year);
        var html = HtmlRenderer.Render(report);
        html.ShouldContain($"<h1>隆尧县教育局{year}年政府信息公开工作年度报告</h1>");
        InOrder(html, SampleReports.TemplateLabels(report));
        html.ShouldContain("rowspan=\"" + (year >= 2021 ? 22 : 20) + "\">三、本年度办理结果</th>");
        html.ShouldContain("@page { size: A4;");
        html.ShouldContain("page-break-inside: avoid");
    }

    [Theory]
    [InlineData(2025)]
    [InlineData(2020)]
    public void Markdown_has_every_label_of_the_template_in_order_word_for_word(int year)
    {
        var report = SampleReports.For(year);
        InOrder(MarkdownRenderer.Render(report), SampleReports.TemplateLabels(report));
    }

    [Fact]
    public void The_2021_tables_have_the_formats_rows_and_cells()
    {
        var report = SampleReports.For(2025);
        var labels = report.Grids[1].Labels.ToList();
        labels.ShouldContain("（二）部分公开（区分处理的，只计这一情形，不计其他情形）");
        labels.ShouldContain("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请");
        report.Grids[2].Rows[^1].Count.ShouldBe(15);
        report.Grids[0].Labels.ShouldContain("本年收费金额（单位：万元）");
        report.OtherText.ShouldContain("本年度共收取信息处理费700元");
    }

    [Theory]
    [InlineData(2025)]
    [InlineData(2020)]
    public void Docx_and_xlsx_pass_the_OpenXml_validator(int year)
    {
        var report = SampleReports.For(year);
        var validator = new OpenXmlValidator();
        using (var docx = WordprocessingDocument.Open(new MemoryStream(DocxRenderer.Render(report)), false))
            validator.Validate(docx).Select(e => $"{e.Path?.XPath}: {e.Description}").ShouldBeEmpty();
        using (var xlsx = SpreadsheetDocument.Open(new MemoryStream(XlsxRenderer.Render(report)), false))
            validator.Validate(xlsx).Select(e => $"{e.Path?.XPath}: {e.Description}").ShouldBeEmpty();
    }

    [Fact]
    public void The_workbook_merges_cells_as_the_template_does()
    {
        using var xlsx = SpreadsheetDocument.Open(new MemoryStream(XlsxRenderer.Render(SampleReports.For(2025))), false);
        var requests = xlsx.WorkbookPart!.WorksheetParts.ElementAt(1).Worksheet;
        var merges = requests.Descendants<DocumentFormat.OpenXml.Spreadsheet.MergeCell>().Select(m => m.Reference!.Value).ToList();
        merges.ShouldContain("A2:C4");   // the balance note over three columns and three header rows
        merges.ShouldContain("D2:J2");   // 申请人情况
        merges.ShouldContain("A7:A28");  // 三、本年度办理结果 over 22 rows
    }

    /// <summary>
    /// Writes the documents to REPORT_OUTPUT when it is set, for build/check-documents.sh to
    /// convert with LibreOffice; without it the rendering still runs and must produce bytes.
    /// </summary>
    [Fact]
    public void Documents_are_written_for_the_LibreOffice_check()
    {
        var report = SampleReports.For(2025);
        var docx = DocxRenderer.Render(report);
        var xlsx = XlsxRenderer.Render(report);
        docx.Length.ShouldBeGreaterThan(1000);
        xlsx.Length.ShouldBeGreaterThan(1000);
        if (Environment.GetEnvironmentVariable("REPORT_OUTPUT") is not { Length: > 0 } folder) return;
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "annual-report.docx"), docx);
        File.WriteAllBytes(Path.Combine(folder, "annual-report.xlsx"), xlsx);
        File.WriteAllText(Path.Combine(folder, "annual-report.html"), HtmlRenderer.Render(report));
    }

    private static void InOrder(string text, IEnumerable<string> labels)
    {
        var at = 0;
        foreach (var label in labels)
        {
            var found = text.IndexOf(label, at, StringComparison.Ordinal);
            found.ShouldBeGreaterThanOrEqualTo(0, $"'{label}' missing or out of order after position {at}");
            at = found + label.Length;
        }
    }
}

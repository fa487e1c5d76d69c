using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using EventSourcedDisclosure.Testing;

namespace EventSourcedDisclosure.Cli.Tests;

/// <summary>A newcomer's path without the web UI: seed the demo year, check it, write its report.</summary>
public sealed class SeedAndReportTests
{
    [Fact]
    public async Task Seed_demo_then_report_writes_a_valid_document_of_the_seeded_year()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var cli = new CliRun(db);

        var (code, output) = await cli.RunAsync("seed-demo");
        code.ShouldBe(0, output);
        output.ShouldContain("seed-demo: ");          // progress while it works
        output.ShouldContain("seeded ");
        (await cli.RunAsync("seed-demo")).Code.ShouldBe(2); // never into a store that holds work

        var year = DateTime.UtcNow.AddHours(8).Year - 1;
        var file = Path.Combine(cli.DataDir, "report.docx");
        (code, output) = await cli.RunAsync("report", "lyxjyj", year.ToString(), "--format", "docx", "--out", file);
        code.ShouldBe(0, output);
        using (var document = WordprocessingDocument.Open(file, false))
        {
            new OpenXmlValidator().Validate(document).ShouldBeEmpty();
            var text = document.MainDocumentPart!.Document.InnerText;
            text.ShouldContain("隆尧县教育局");
            text.ShouldContain($"{year}");
        }
        (await cli.RunAsync("report", "nobody", year.ToString(), "--out", file)).Code.ShouldBe(2);

        (code, output) = await cli.RunAsync("audit", "verify", "--agency", "lyxwjj");
        code.ShouldBe(0, output);
        output.ShouldContain("verified: ");
        (code, output) = await cli.RunAsync("projections", "status");
        code.ShouldBe(0, output);
        output.ShouldContain("statistics\tasync\tat ");
        output.ShouldContain("ledger\tinline");
    }
}

using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace EventSourcedDisclosure.Reports;

/// <summary>A Word document: A4, the title and headings, the tables with the template's merges (gridSpan, vMerge).</summary>
public static class DocxRenderer
{
    public static byte[] Render(AnnualReport report)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            var body = new Body();
            body.Append(Paragraph(report.Title, bold: true, size: 36, centred: true));
            Section(body, AnnualReport.Headings[0], report.Text.Overview);
            foreach (var grid in report.Grids)
            {
                body.Append(Paragraph(grid.Title, bold: true, size: 28));
                body.Append(Table(grid));
            }
            Section(body, AnnualReport.Headings[4], report.Text.Problems);
            Section(body, AnnualReport.Headings[5], report.OtherText);
            body.Append(new SectionProperties(
                new PageSize { Width = 11906U, Height = 16838U },
                new PageMargin { Top = 1440, Bottom = 1440, Left = 1134U, Right = 1134U, Header = 720U, Footer = 720U, Gutter = 0U }));
            main.Document = new Document(body);
            main.Document.Save();
        }
        return stream.ToArray();
    }

    private static void Section(Body body, string heading, string text)
    {
        body.Append(Paragraph(heading, bold: true, size: 28));
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries)) body.Append(Paragraph(line));
    }

    private static Paragraph Paragraph(string text, bool bold = false, int size = 24, bool centred = false)
    {
        var runProperties = new RunProperties();
        if (bold) runProperties.Append(new Bold());
        runProperties.Append(new FontSize { Val = size.ToString() });
        var paragraph = new Paragraph();
        if (centred) paragraph.Append(new ParagraphProperties(new Justification { Val = JustificationValues.Center }));
        paragraph.Append(new Run(runProperties, new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
        return paragraph;
    }

    private static Table Table(ReportGrid grid)
    {
        var width = 9638 / grid.Columns; // text width of A4 with 2 cm margins, in twentieths of a point
        var table = new Table(new TableProperties(
            new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
            new TableBorders(
                // The schema fixes this order: top, left, bottom, right, inside horizontal, inside vertical.
                new TopBorder { Val = BorderValues.Single, Size = 4U }, new LeftBorder { Val = BorderValues.Single, Size = 4U },
                new BottomBorder { Val = BorderValues.Single, Size = 4U }, new RightBorder { Val = BorderValues.Single, Size = 4U },
                new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4U }, new InsideVerticalBorder { Val = BorderValues.Single, Size = 4U })));
        table.Append(new TableGrid(Enumerable.Range(0, grid.Columns).Select(_ => new GridColumn { Width = width.ToString() })));

        // Word merges vertically by a continuation cell in every row a cell spans into.
        var placed = grid.Placed();
        for (var r = 0; r < grid.Rows.Count; r++)
        {
            var row = new TableRow(new TableRowProperties(new CantSplit()));
            var starts = placed.Where(p => p.Row == r).Select(p => (p.Column, p.Cell, Continue: false))
                .Concat(placed.Where(p => p.Row < r && p.Row + p.Cell.RowSpan > r).Select(p => (p.Column, p.Cell, Continue: true)))
                .OrderBy(p => p.Column);
            foreach (var (_, cell, continuation) in starts)
            {
                var properties = new TableCellProperties(new TableCellWidth { Width = (width * cell.ColSpan).ToString(), Type = TableWidthUnitValues.Dxa });
                if (cell.ColSpan > 1) properties.Append(new GridSpan { Val = cell.ColSpan });
                if (cell.RowSpan > 1) properties.Append(new VerticalMerge { Val = continuation ? MergedCellValues.Continue : MergedCellValues.Restart });
                var paragraph = new Paragraph(new ParagraphProperties(new Justification { Val = JustificationValues.Center }));
                if (!continuation)
                    paragraph.Append(new Run(new RunProperties(new FontSize { Val = "18" }), new Text(cell.Text) { Space = SpaceProcessingModeValues.Preserve }));
                row.Append(new TableCell(properties, paragraph));
            }
            table.Append(row);
        }
        return table;
    }
}

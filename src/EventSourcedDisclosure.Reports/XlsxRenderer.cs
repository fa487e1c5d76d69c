using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace EventSourcedDisclosure.Reports;

/// <summary>A workbook with one sheet per table, merged as the template merges, figures as numbers.</summary>
public static class XlsxRenderer
{
    private static readonly string[] SheetNames = ["主动公开", "依申请公开", "复议诉讼"];

    public static byte[] Render(AnnualReport report)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheets = workbook.Workbook.AppendChild(new Sheets());
            var grids = report.Grids;
            for (var i = 0; i < grids.Count; i++)
            {
                var part = workbook.AddNewPart<WorksheetPart>();
                part.Worksheet = Sheet(report, grids[i]);
                sheets.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = (uint)(i + 1), Name = SheetNames[i] });
            }
            workbook.Workbook.Save();
        }
        return stream.ToArray();
    }

    private static Worksheet Sheet(AnnualReport report, ReportGrid grid)
    {
        // Row 1: the report's title and the table's heading; the template's table starts on row 2.
        var data = new SheetData();
        var cells = grid.Placed().ToLookup(p => p.Row);
        data.Append(new Row(TextCell(1, 0, $"{report.Title} {grid.Title}")) { RowIndex = 1U });
        for (var r = 0; r < grid.Rows.Count; r++)
        {
            var rowIndex = (uint)(r + 2);
            var row = new Row { RowIndex = rowIndex };
            foreach (var (_, column, cell) in cells[r].OrderBy(c => c.Column))
                row.Append(!cell.Header && decimal.TryParse(cell.Text, out var number)
                    ? new Cell { CellReference = Reference(rowIndex, column), CellValue = new CellValue(number), DataType = CellValues.Number }
                    : TextCell(rowIndex, column, cell.Text));
            data.Append(row);
        }
        var worksheet = new Worksheet(
            new Columns(new Column { Min = 1U, Max = (uint)grid.Columns, Width = 14D, CustomWidth = true }),
            data);
        var merges = grid.Placed().Where(p => p.Cell.ColSpan > 1 || p.Cell.RowSpan > 1)
            .Select(p => new MergeCell { Reference = $"{Reference((uint)(p.Row + 2), p.Column)}:{Reference((uint)(p.Row + 1 + p.Cell.RowSpan), p.Column + p.Cell.ColSpan - 1)}" })
            .ToList();
        if (merges.Count > 0) worksheet.Append(new MergeCells(merges) { Count = (uint)merges.Count });
        return worksheet;
    }

    private static Cell TextCell(uint row, int column, string text) =>
        new() { CellReference = Reference(row, column), DataType = CellValues.InlineString, InlineString = new InlineString(new Text(text)) };

    private static string Reference(uint row, int column)
    {
        var name = "";
        for (var c = column + 1; c > 0; c = (c - 1) / 26) name = (char)('A' + (c - 1) % 26) + name;
        return name + row;
    }
}

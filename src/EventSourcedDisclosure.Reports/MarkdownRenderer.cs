using System.Text;

namespace EventSourcedDisclosure.Reports;

/// <summary>
/// Markdown has no merged cells: each figure row carries its full label path (e.g.
/// "三、本年度办理结果 （三）不予公开 1.属于国家秘密") and the header labels appear above the
/// columns in the template's order.
/// </summary>
public static class MarkdownRenderer
{
    public static string Render(AnnualReport report)
    {
        var md = new StringBuilder($"# {report.Title}\n\n");
        Section(md, AnnualReport.Headings[0], report.Text.Overview);
        foreach (var grid in report.Grids) Table(md, grid);
        Section(md, AnnualReport.Headings[4], report.Text.Problems);
        Section(md, AnnualReport.Headings[5], report.OtherText);
        return md.ToString();
    }

    private static void Section(StringBuilder md, string heading, string text) =>
        md.Append($"## {heading}\n\n{string.Join("\n\n", text.Split('\n', StringSplitOptions.RemoveEmptyEntries))}\n\n");

    // Resolve spans into a full matrix: a spanned cell's text fills its area once, then the rows are
    // printed with repeated header labels collapsed.
    private static void Table(StringBuilder md, ReportGrid grid)
    {
        md.Append($"## {grid.Title}\n\n");
        var matrix = new string?[grid.Rows.Count, grid.Columns];
        var headers = new bool[grid.Rows.Count, grid.Columns];
        foreach (var (row, column, cell) in grid.Placed())
            for (var r = row; r < row + cell.RowSpan; r++)
                for (var c = column; c < column + cell.ColSpan; c++)
                {
                    matrix[r, c] = r == row && c == column ? cell.Text : null;
                    headers[r, c] = cell.Header;
                }
        for (var r = 0; r < grid.Rows.Count; r++)
        {
            var cells = Enumerable.Range(0, grid.Columns).Select(c => matrix[r, c] ?? "").Select(t => t.Replace("|", "\\|"));
            md.Append("| ").Append(string.Join(" | ", cells)).Append(" |\n");
            if (r == 0) md.Append('|').Append(string.Concat(Enumerable.Repeat(" --- |", grid.Columns))).Append('\n');
        }
        md.Append('\n');
    }
}

using System.Net;
using System.Text;

namespace EventSourcedDisclosure.Reports;

/// <summary>A printable page: A4, the template's merged cells, no table split across pages.</summary>
public static class HtmlRenderer
{
    public static string Render(AnnualReport report)
    {
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>{{E(report.Title)}}</title>
            <style>
            @page { size: A4; margin: 25mm 20mm; }
            body { font-family: "FangSong", "仿宋", "Songti SC", "SimSun", serif; font-size: 12pt; line-height: 1.6; }
            h1 { font-family: "SimHei", "黑体", sans-serif; font-size: 18pt; text-align: center; }
            h2 { font-family: "SimHei", "黑体", sans-serif; font-size: 14pt; }
            table { border-collapse: collapse; width: 100%; page-break-inside: avoid; break-inside: avoid; margin: 8pt 0; }
            th, td { border: 1px solid #000; padding: 3pt 4pt; text-align: center; font-size: 10pt; }
            th { font-weight: normal; }
            </style></head><body>
            <h1>{{E(report.Title)}}</h1>

            """);
        Section(html, AnnualReport.Headings[0], report.Text.Overview);
        foreach (var grid in report.Grids)
        {
            html.Append($"<h2>{E(grid.Title)}</h2>\n<table>\n");
            foreach (var row in grid.Rows)
            {
                html.Append("<tr>");
                foreach (var cell in row)
                {
                    var tag = cell.Header ? "th" : "td";
                    var spans = (cell.ColSpan > 1 ? $" colspan=\"{cell.ColSpan}\"" : "") + (cell.RowSpan > 1 ? $" rowspan=\"{cell.RowSpan}\"" : "");
                    html.Append($"<{tag}{spans}>{E(cell.Text)}</{tag}>");
                }
                html.Append("</tr>\n");
            }
            html.Append("</table>\n");
        }
        Section(html, AnnualReport.Headings[4], report.Text.Problems);
        Section(html, AnnualReport.Headings[5], report.OtherText);
        return html.Append("</body></html>\n").ToString();
    }

    private static void Section(StringBuilder html, string heading, string text)
    {
        html.Append($"<h2>{E(heading)}</h2>\n");
        foreach (var paragraph in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            html.Append($"<p>{E(paragraph)}</p>\n");
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}

namespace EventSourcedDisclosure.Reports;

/// <summary>One cell of a template table: label or figure, with the template's merges.</summary>
public sealed record GridCell(string Text, bool Header = false, int ColSpan = 1, int RowSpan = 1);

/// <summary>A table as the national template lays it out: rows of cells with column and row spans, as in HTML.</summary>
public sealed record ReportGrid(string Title, int Columns, IReadOnlyList<IReadOnlyList<GridCell>> Rows)
{
    /// <summary>Where each cell lands once spans are resolved (HTML's table algorithm): row, column, cell.</summary>
    public IReadOnlyList<(int Row, int Column, GridCell Cell)> Placed()
    {
        var taken = new HashSet<(int, int)>();
        var placed = new List<(int, int, GridCell)>();
        for (var r = 0; r < Rows.Count; r++)
        {
            var c = 0;
            foreach (var cell in Rows[r])
            {
                while (taken.Contains((r, c))) c++;
                placed.Add((r, c, cell));
                for (var dr = 0; dr < cell.RowSpan; dr++)
                    for (var dc = 0; dc < cell.ColSpan; dc++)
                        taken.Add((r + dr, c + dc));
                c += cell.ColSpan;
            }
        }
        return placed;
    }

    /// <summary>Every label, in reading order: what a reader of any rendering must find, word for word.</summary>
    public IEnumerable<string> Labels => Rows.SelectMany(r => r).Where(c => c.Header).Select(c => c.Text);
}

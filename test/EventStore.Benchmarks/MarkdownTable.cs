using System.Text;

namespace EventStore.Benchmarks;

/// <summary>A Markdown table: the first column names the row (left-aligned), the others hold figures (right-aligned).</summary>
internal sealed class MarkdownTable(params string[] header)
{
    private readonly List<string[]> _rows = [];

    public MarkdownTable Row(params string[] cells)
    {
        if (cells.Length != header.Length)
        {
            throw new ArgumentException($"A row of {cells.Length} cells in a table of {header.Length} columns.", nameof(cells));
        }

        _rows.Add(cells);
        return this;
    }

    public override string ToString()
    {
        var table = new StringBuilder();
        Line(table, header);
        Line(table, [.. header.Select((_, i) => i == 0 ? "---" : "---:")]);
        foreach (var row in _rows)
        {
            Line(table, row);
        }

        return table.ToString();
    }

    private static void Line(StringBuilder table, IEnumerable<string> cells) => table.Append("| ").AppendJoin(" | ", cells).Append(" |\n");
}

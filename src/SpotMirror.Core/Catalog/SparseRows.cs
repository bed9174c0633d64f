namespace SpotMirror.Core.Catalog;

/// <summary>Compressed sparse rows: row r holds Columns[Offsets[r]..Offsets[r+1]] with their Values.</summary>
internal sealed class SparseRows(int[] offsets, int[] columns, float[] values)
{
    public int[] Offsets { get; } = offsets;
    public int[] Columns { get; } = columns;
    public float[] Values { get; } = values;
    public int RowCount => Offsets.Length - 1;

    public ReadOnlySpan<int> ColumnsOf(int row) => Columns.AsSpan(Offsets[row], Offsets[row + 1] - Offsets[row]);
    public ReadOnlySpan<float> ValuesOf(int row) => Values.AsSpan(Offsets[row], Offsets[row + 1] - Offsets[row]);

    /// <summary>The same matrix, transposed (rows become columns): turns item vectors into an inverted index.</summary>
    public SparseRows Transpose(int columnCount)
    {
        var counts = new int[columnCount + 1];
        foreach (var c in Columns) counts[c + 1]++;
        for (var c = 0; c < columnCount; c++) counts[c + 1] += counts[c];
        var next = (int[])counts.Clone();
        var rows = new int[Columns.Length];
        var values = new float[Columns.Length];
        for (var r = 0; r < RowCount; r++)
        {
            for (var k = Offsets[r]; k < Offsets[r + 1]; k++)
            {
                var slot = next[Columns[k]]++;
                rows[slot] = r;
                values[slot] = Values[k];
            }
        }
        return new SparseRows(counts, rows, values);
    }
}

namespace SpotMirror.Core.Numerics;

/// <summary>
/// Cholesky factorisation of a dense symmetric positive-definite matrix (row-major, n x n), in place:
/// the lower triangle becomes L with A = L Lᵀ. Used for ridge systems: the lexicon fit and the iALS fold-in of a user.
/// </summary>
public static class Cholesky
{
    /// <summary>Factorises a in place; throws when a is not positive definite (add more regularisation).</summary>
    public static void Factor(double[] a, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(a.Length, n * n);
        for (var j = 0; j < n; j++)
        {
            var rowJ = a.AsSpan(j * n, n);
            var diagonal = rowJ[j] - Dot(rowJ[..j], rowJ[..j]);
            if (diagonal <= 0) throw new InvalidOperationException($"The matrix is not positive definite at column {j}.");
            var ljj = Math.Sqrt(diagonal);
            rowJ[j] = ljj;
            var column = j;
            if (n - j > 256)
            {
                Parallel.For(j + 1, n, i => Eliminate(a, n, i, column, ljj));
            }
            else
            {
                for (var i = j + 1; i < n; i++) Eliminate(a, n, i, column, ljj);
            }
        }
    }

    private static void Eliminate(double[] a, int n, int i, int j, double ljj)
    {
        var rowI = a.AsSpan(i * n, n);
        rowI[j] = (rowI[j] - Dot(rowI[..j], a.AsSpan(j * n, j))) / ljj;
    }

    /// <summary>Solves L Lᵀ x = b in place (b becomes x), with L from <see cref="Factor"/>.</summary>
    public static void Solve(double[] l, int n, Span<double> b)
    {
        for (var i = 0; i < n; i++)
        {
            b[i] = (b[i] - Dot(l.AsSpan(i * n, i), b[..i])) / l[(i * n) + i];
        }
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = b[i];
            for (var k = i + 1; k < n; k++) sum -= l[(k * n) + i] * b[k];
            b[i] = sum / l[(i * n) + i];
        }
    }

    /// <summary>
    /// Inverts a symmetric positive-definite matrix in place (row-major, n x n): factor A = L Lᵀ, invert
    /// L (lower triangular), then A⁻¹ = L⁻ᵀ L⁻¹. About n³ flops and one n x n scratch matrix; rows run in parallel.
    /// </summary>
    public static void Invert(double[] a, int n)
    {
        Factor(a, n);
        // L⁻¹ column by column, Linv[i, j] = -(Σ_{k=j..i-1} L[i, k] Linv[k, j]) / L[i, i], each column
        // stored as a row of M = (L⁻¹)ᵀ, so that A⁻¹[i, j] = Σ_{k >= max(i, j)} M[i, k] M[j, k] is a dot of two row tails.
        var transposed = new double[n * n];
        Parallel.For(0, n, j =>
        {
            var column = transposed.AsSpan(j * n, n);
            column[j] = 1 / a[(j * n) + j];
            for (var i = j + 1; i < n; i++)
            {
                column[i] = -Dot(a.AsSpan((i * n) + j, i - j), column.Slice(j, i - j)) / a[(i * n) + i];
            }
        });
        Parallel.For(0, n, i =>
        {
            var rowI = transposed.AsSpan(i * n, n);
            for (var j = i; j < n; j++)
            {
                var value = Dot(rowI[j..], transposed.AsSpan((j * n) + j, n - j));
                a[(i * n) + j] = value;
                a[(j * n) + i] = value;
            }
        });
    }

    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => System.Numerics.Tensors.TensorPrimitives.Dot(x, y);
}

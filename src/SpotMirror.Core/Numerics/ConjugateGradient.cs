using System.Numerics.Tensors;

namespace SpotMirror.Core.Numerics;

/// <summary>A symmetric positive-definite system A x = b that CG can multiply by, without ever forming A.</summary>
public interface ILinearSystem
{
    int Size { get; }

    /// <summary>y = A x.</summary>
    void Multiply(ReadOnlySpan<float> x, Span<float> y);
}

/// <summary>
/// A few steps of conjugate gradient from a warm start (Hestenes and Stiefel): the iALS row solve of
/// Rendle et al. 2021, where about three steps per row per epoch, started from last epoch's vector,
/// do as well as an exact k x k solve at a fraction of its k³ cost.
/// </summary>
public static class ConjugateGradient
{
    /// <summary>Improves x in place by up to steps CG steps on A x = b; scratch holds at least 3 x Size floats.</summary>
    public static void Solve<TSystem>(in TSystem system, ReadOnlySpan<float> b, Span<float> x, int steps, Span<float> scratch)
        where TSystem : ILinearSystem, allows ref struct
    {
        var k = system.Size;
        var r = scratch[..k];
        var p = scratch.Slice(k, k);
        var ap = scratch.Slice(2 * k, k);
        system.Multiply(x, ap);
        TensorPrimitives.Subtract(b, ap, r);
        r.CopyTo(p);
        var rr = TensorPrimitives.Dot(r, r);
        for (var step = 0; step < steps && rr > 1e-20f; step++)
        {
            system.Multiply(p, ap);
            var pap = TensorPrimitives.Dot(p, ap);
            if (pap <= 0) return;
            var alpha = rr / pap;
            TensorPrimitives.MultiplyAdd(p, alpha, x, x);
            TensorPrimitives.MultiplyAdd(ap, -alpha, r, r);
            var next = TensorPrimitives.Dot(r, r);
            TensorPrimitives.MultiplyAdd(p, next / rr, r, p);
            rr = next;
        }
    }
}

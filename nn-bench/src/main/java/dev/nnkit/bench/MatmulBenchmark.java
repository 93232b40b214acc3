package dev.nnkit.bench;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.kernel.DenseKernels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The dense layer's three products (Z = X·Wᵀ, dW = δᵀ·X, dX = δ·W) at the MLP's shapes and at 1024³,
 * in float32 and float64. GFLOP/s = 2·n·in·out / time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MatmulBenchmark {
    /** n×in×out: the MLP's first and second layers at batch 128, and a square 1024. */
    @Param({"128x784x256", "128x256x128", "1024x1024x1024"})
    public String shape;

    @Param({"float32", "float64"})
    public String dtype;

    Tensor x;
    Tensor w;
    Tensor b;
    Tensor z;
    Tensor delta;
    Tensor dw;
    Tensor db;
    Tensor dx;

    @Setup
    public void setUp() {
        String[] p = shape.split("x");
        int n = Integer.parseInt(p[0]);
        int in = Integer.parseInt(p[1]);
        int out = Integer.parseInt(p[2]);
        DType type = DType.fromId(dtype);
        x = Nets.random(n, in, 1).to(type);
        w = Nets.random(out, in, 2).to(type);
        b = Tensor.zeros(type, Shape.of(out));
        z = Tensor.zeros(type, Shape.of(n, out));
        delta = Nets.random(n, out, 4).to(type);
        dw = Tensor.zeros(type, Shape.of(out, in));
        db = Tensor.zeros(type, Shape.of(out));
        dx = Tensor.zeros(type, Shape.of(n, in));
    }

    @Benchmark
    public Tensor forward() {
        DenseKernels.forward(x, w, b, true, z);
        return z;
    }

    @Benchmark
    public Tensor weightGradient() {
        DenseKernels.weightGradient(delta, x, dw, db, true);
        return dw;
    }

    @Benchmark
    public Tensor inputGradient() {
        DenseKernels.inputGradient(delta, w, dx);
        return dx;
    }
}

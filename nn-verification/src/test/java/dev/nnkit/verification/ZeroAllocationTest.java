package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.inject.Trainers;
import dev.nnkit.core.network.Kernels;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingSpec;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A warm training step allocates nothing, on the calling thread or on nnkit's kernel workers, so
 * training runs without garbage collections. Measured with HotSpot's per-thread allocation
 * counters over 100 steps, on the portable loops and again on the Vector API (see the pom).
 */
@DisplayName("Zero allocation per training step")
class ZeroAllocationTest {
    private static final int STEPS = 100;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Fashion-MNIST MLP 784-256-128-10, batch 128", "Fashion-MNIST MLP 784-256-128-10, batch 1",
        "seed 000's 2-4-3-1, batch 32", "seed 000's 2-4-3-1, batch 1",
        "CNN: conv, batch norm, max and avg pooling, dropout, batch 32"})
    @DisplayName("100 warm steps allocate 0 bytes on all threads")
    void warmStepsAllocateNothing(String which) {
        String expected = System.getProperty("nnkit.expectKernels", "");
        if (!expected.isEmpty()) {
            assertThat(Kernels.float32Path()).as("kernels chosen").startsWith(expected);
        }
        boolean cnn = which.startsWith("CNN");
        boolean mlp = which.startsWith("Fashion") || cnn;
        int batch = which.endsWith("128") ? 128 : which.endsWith("32") ? 32 : 1;
        NetworkSpec net = cnn
                ? NetworkSpec.builder(Shape.of(1, 28, 28))
                        .stage(PluginSpec.of("conv2d", "filters", 8, "kernel", 3, "padding", 1))
                        .stage(PluginSpec.of("batch-norm")).activation("relu").stage(PluginSpec.of("max-pool2d", "kernel", 2))
                        .stage(PluginSpec.of("conv2d", "filters", 8, "kernel", 3, "groups", 2))
                        .stage(PluginSpec.of("avg-pool2d", "kernel", 3, "stride", 2, "padding", 1))
                        .stage(PluginSpec.of("flatten")).dense(32).stage(PluginSpec.of("dropout", "p", 0.3)).dense(10).build()
                : mlp ? NetworkSpec.builder(784).dense(256).activation("relu").dense(128).activation("relu").dense(10).build()
                : NetworkSpec.builder(2).dense(4).activation("sigmoid").dense(3).activation("sigmoid").dense(1)
                        .activation("sigmoid").build();
        Trainer t = Trainers.create(new TrainingSpec(net, PluginSpec.of(mlp
                ? "sparse-categorical-cross-entropy-logits" : "binary-cross-entropy"), Reduction.MEAN,
                PluginSpec.of("adam", "learningRate", 1e-4), TrainingOptions.defaults().withBatchSize(batch)));
        Tensor x = random(Shape.of(batch, mlp ? 784 : 2), 1);
        Tensor y = Tensor.zeros(DType.FLOAT32, Shape.of(batch, 1));
        for (int i = 0; i < batch; i++) {
            y.set(i, mlp ? i % 10 : i % 2);
        }
        // Steady state is what is measured: until C2 has compiled the step, the Vector API
        // allocates. Warm-up ends when the JIT looks idle, yet a late compilation or a
        // deoptimization can still land in a window (a few hundred bytes, once, in the MLP's first
        // window now and then). So windows are measured, with more warm-up between them, until one
        // allocates nothing or a minute has passed. A real per-step allocation (a `new`, a vector
        // boxed in C2's code) shows in every window and fails.
        long deadline = System.nanoTime() + 60_000_000_000L;
        List<Long> windows = new ArrayList<>();
        warm(t, x, y, 1_500_000_000L);
        windows.add(allocatedOver(t, x, y));
        while (windows.get(windows.size() - 1) != 0 && System.nanoTime() < deadline) {
            warm(t, x, y, 500_000_000L);
            windows.add(allocatedOver(t, x, y));
        }
        // On failure, one more window under JFR names what allocates, the JIT's state and any
        // deoptimizations, so that a failure on a CI machine can be diagnosed from its log alone.
        // JFR's first start in a JVM discards compiled code (see AllocationSites.over), so that
        // window shows code compiled again; the compile queue and code list come from before it.
        long last = windows.get(windows.size() - 1);
        assertThat(last).as("%s: bytes allocated over %d warm steps, in each window measured: %s%s", which, STEPS,
                windows, last == 0 ? "" : AllocationSites.over(() -> allocatedOver(t, x, y))).isZero();
    }

    /**
     * Steps for at least {@code minNanos} and then until the JIT is idle for two windows of 100
     * steps: nothing compiled, nothing queued or compiling (at most 30 s). The queue matters as
     * much as the finished compilations: one long C2 compilation can hold it for seconds while the
     * methods behind it run in C1's code, and the compilation time does not move until it ends.
     */
    private static void warm(Trainer t, Tensor x, Tensor y, long minNanos) {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long start = System.nanoTime();
        long quiet = 0;
        while (System.nanoTime() - start < 30e9 && (System.nanoTime() - start < minNanos || quiet < 2)) {
            long before = jit.getTotalCompilationTime();
            for (int i = 0; i < 100; i++) {
                t.step(x, y);
            }
            quiet = jit.getTotalCompilationTime() == before && HotSpotJit.idle() ? quiet + 1 : 0;
        }
    }

    private static long allocatedOver(Trainer t, Tensor x, Tensor y) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        // The kernel workers besides the caller: the JVM's and the test runner's own threads
        // (surefire pings its parent now and then) are not nnkit's.
        long[] others = Arrays.stream(mx.getThreadInfo(mx.getAllThreadIds())).filter(i -> i != null
                && i.getThreadId() != self && i.getThreadName().startsWith("nnkit-")).mapToLong(i -> i.getThreadId())
                .toArray();
        long[] othersBefore = mx.getThreadAllocatedBytes(others);
        long selfBefore = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < STEPS; i++) {
            t.step(x, y);
        }
        long selfAfter = mx.getCurrentThreadAllocatedBytes();
        long[] othersAfter = mx.getThreadAllocatedBytes(others);
        long bytes = selfAfter - selfBefore;
        for (int i = 0; i < others.length; i++) {
            if (othersBefore[i] >= 0 && othersAfter[i] >= 0) {
                bytes += othersAfter[i] - othersBefore[i];
            }
        }
        assertThat(Arrays.stream(mx.getThreadInfo(mx.getAllThreadIds())).filter(i -> i != null
                && i.getThreadName().startsWith("nnkit-")).count()).as("nnkit threads started while measuring")
                .isEqualTo(others.length);
        return bytes;
    }

    private static Tensor random(Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(DType.FLOAT32, shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, r.nextDouble());
        }
        return t;
    }
}

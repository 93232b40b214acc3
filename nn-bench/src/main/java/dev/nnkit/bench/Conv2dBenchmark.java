package dev.nnkit.bench;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.network.NetworkFactory;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.random.RandomPlan;
import java.util.SplittableRandom;
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
 * The convolutions of examples/fashion-mnist-cnn.json at batch 128, float32, 3×3 kernels with
 * padding 1: "1x28x28-16" (the first) and "16x14x14-32" (the second). {@code forward} is the
 * training-mode forward pass; {@code forwardBackward} adds the weight, bias and input gradients.
 * The convolution is stage 1 behind a ReLU, so the engine computes its input gradient (the ReLU,
 * a fraction of the cost, is in both). bench/conv.sh runs it beside torch.nn.functional.conv2d.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC"})
public class Conv2dBenchmark {
    @Param({"1x28x28-16", "16x14x14-32"})
    public String shape;

    Network network;
    Tensor x;
    Tensor delta;

    @Setup
    public void setUp() {
        String[] parts = shape.split("[x-]");
        int channels = Integer.parseInt(parts[0]);
        int size = Integer.parseInt(parts[1]);
        int filters = Integer.parseInt(parts[3]);
        NetworkSpec spec = NetworkSpec.builder(Shape.of(channels, size, size)).activation("relu")
                .stage(PluginSpec.of("conv2d", "filters", filters, "kernel", 3, "padding", 1)).build();
        network = new NetworkFactory(PluginRegistry.discover()).build(spec, new RandomPlan(1, 2));
        x = random(Shape.of(128, channels, size, size), 2);
        delta = random(Shape.of(128, filters, size, size), 3);
    }

    private static Tensor random(Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(DType.FLOAT32, shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, r.nextDouble(-1, 1));
        }
        return t;
    }

    @Benchmark
    public Tensor forward() {
        return network.forward(x);
    }

    @Benchmark
    public Tensor forwardBackward() {
        network.forward(x);
        network.backward(delta);
        return network.stageOutputGradient(0);
    }
}

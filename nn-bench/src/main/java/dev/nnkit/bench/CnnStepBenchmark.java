package dev.nnkit.bench;

import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.train.Trainer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of examples/fashion-mnist-cnn.json's CNN (forward, loss, backward, Adam) at
 * batch 128 on random images, with nnkit's JVM options: the unit the CNN's epoch is made of, to
 * profile ({@code bench/jmh.sh CnnStepBenchmark -prof gc} shows the bytes allocated per step).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC", "-Xmn64m"})
public class CnnStepBenchmark {
    Trainer cnn;
    Tensor x;
    Tensor y;

    @Setup
    public void setUp() {
        cnn = Nets.cnn(1, 1);
        x = Nets.random(Shape.of(128, 1, 28, 28), 1);
        y = Nets.classes(128, 10, 2);
    }

    @Benchmark
    public double step() {
        return cnn.step(x, y);
    }
}

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
 * Predictions (probabilities) as {@code bench/cnn.sh} and {@code bench/compare.sh} time them, to
 * profile: the CNN of examples/fashion-mnist-cnn.json on 1,024 random images (µs per 1,024; bench/cnn.sh
 * predicts the 10,000 test images in chunks of 1,024) and the Fashion-MNIST MLP on 10,000 rows at once.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC", "-Xmn64m"})
public class InferenceBenchmark {
    Trainer cnn;
    Trainer mlp;
    Tensor images;
    Tensor rows;

    @Setup
    public void setUp() {
        cnn = Nets.cnn(1, 1);
        mlp = Nets.mlp(1, 1);
        images = Nets.random(Shape.of(1024, 1, 28, 28), 1);
        rows = Nets.random(Shape.of(10_000, 784), 2);
    }

    @Benchmark
    public Tensor cnn1024() {
        return cnn.predict(images);
    }

    @Benchmark
    public Tensor mlp10000() {
        return mlp.predict(rows);
    }
}

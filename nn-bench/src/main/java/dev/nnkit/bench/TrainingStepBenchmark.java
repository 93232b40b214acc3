package dev.nnkit.bench;

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
 * A full training step (forward, loss, backward, optimizer update): the 784-256-128-10 MLP at
 * batch 128, and seed 000's tiny 2-4-3-1 network on one sample and on 32. Run with
 * {@code -prof gc} to see the bytes allocated per step.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TrainingStepBenchmark {
    Trainer mlp;
    Tensor mlpX;
    Tensor mlpY;
    Trainer tiny;
    Tensor tinyX1;
    Tensor tinyY1;
    Tensor tinyX32;
    Tensor tinyY32;

    @Setup
    public void setUp() {
        mlp = Nets.mlp();
        mlpX = Nets.random(128, 784, 1);
        mlpY = Nets.classes(128, 10, 2);
        tiny = Nets.tiny();
        tinyX1 = Nets.random(1, 2, 3);
        tinyY1 = Nets.classes(1, 2, 4);
        tinyX32 = Nets.random(32, 2, 5);
        tinyY32 = Nets.classes(32, 2, 6);
    }

    @Benchmark
    public double mlpBatch128() {
        return mlp.step(mlpX, mlpY);
    }

    @Benchmark
    public double tinySingleSample() {
        return tiny.step(tinyX1, tinyY1);
    }

    @Benchmark
    public double tinyBatch32() {
        return tiny.step(tinyX32, tinyY32);
    }
}

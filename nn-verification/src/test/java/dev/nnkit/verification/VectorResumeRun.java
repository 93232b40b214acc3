package dev.nnkit.verification;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.inject.Trainers;
import dev.nnkit.core.network.Kernels;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Dataset;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingSpec;
import dev.nnkit.io.checkpoint.Checkpoints;
import dev.nnkit.io.safetensors.Safetensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The child process of {@link VectorResumeTest}: seed 000's sigmoid network at batch 32 (which
 * runs feature-major on the Vector API), trained whole ({@code full}), stopped after its first
 * checkpoint ({@code half}), or resumed from that checkpoint ({@code resume}). Writes the final
 * weights to final.safetensors and prints the kernels in use.
 */
public final class VectorResumeRun {
    static final int CHECKPOINT_STEP = 3200;

    private VectorResumeRun() {
    }

    static Dataset data() {
        SplittableRandom r = new SplittableRandom(23);
        int n = 512;
        Tensor x = Tensor.zeros(DType.FLOAT32, Shape.of(n, 2));
        Tensor y = Tensor.zeros(DType.FLOAT32, Shape.of(n, 1));
        for (int i = 0; i < n; i++) {
            double a = r.nextDouble(-1, 1);
            double b = r.nextDouble(-1, 1);
            x.set(2 * i, a);
            x.set(2 * i + 1, b);
            y.set(i, (a > 0) != (b > 0) ? 1 : 0);
        }
        return new Dataset(x, y);
    }

    public static void main(String[] args) throws IOException {
        String mode = args[0];
        Path work = Path.of(args[1]);
        System.out.println("kernels: " + Kernels.float32Path());
        Trainer t = Trainers.create(new TrainingSpec(NetworkSpec.builder(2).dense(4).activation("sigmoid").dense(3)
                .activation("sigmoid").dense(1).activation("sigmoid").build(), PluginSpec.of("binary-cross-entropy"),
                Reduction.MEAN, PluginSpec.of("sgd", "learningRate", 0.5),
                TrainingOptions.defaults().withBatchSize(32).withMaxEpochs(400).withSeed(3)));
        Checkpoints checkpoints = new Checkpoints(work.resolve("checkpoints"), 1, "vector-resume");
        if (mode.equals("resume")) {
            t.resume(data(), checkpoints.latest().orElseThrow());
        } else {
            if (mode.equals("half")) {
                t.checkpointEvery(CHECKPOINT_STEP, state -> {
                    try {
                        checkpoints.save(state);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    System.out.println("stopped at step " + state.iterations());
                    System.exit(0);
                });
            }
            t.fit(data());
        }
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (NamedParameter p : t.network().parameters()) {
            weights.put(p.name(), p.parameter().value());
        }
        Safetensors.write(work.resolve("final.safetensors"), weights, Map.of());
    }
}

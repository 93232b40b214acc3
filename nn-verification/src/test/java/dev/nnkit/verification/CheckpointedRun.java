package dev.nnkit.verification;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.inject.Trainers;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Dataset;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingSpec;
import dev.nnkit.core.train.TrainingState;
import dev.nnkit.io.checkpoint.Checkpoints;
import dev.nnkit.io.safetensors.Safetensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The child process of {@link KillAndResumeTest}: trains a fixed network on fixed data with
 * checkpoints every 5 steps, resuming from the newest checkpoint if there is one, and finally
 * writes the weights to final.safetensors. Prints "checkpoint-begin"/"checkpoint-end" around each
 * checkpoint so the parent can kill it in the middle of one.
 */
public final class CheckpointedRun {
    private CheckpointedRun() {
    }

    static Dataset data() {
        SplittableRandom r = new SplittableRandom(17);
        int n = 2000;
        Tensor x = Tensor.zeros(DType.FLOAT32, Shape.of(n, 32));
        Tensor y = Tensor.zeros(DType.FLOAT32, Shape.of(n, 1));
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < 32; j++) {
                double v = r.nextDouble(-1, 1);
                x.set(i * 32 + j, v);
                s += v * (j % 5 - 2);
            }
            y.set(i, s > 1 ? 0 : s > 0 ? 1 : s > -1 ? 2 : 3);
        }
        return new Dataset(x, y);
    }

    static Trainer trainer() {
        return Trainers.create(new TrainingSpec(
                NetworkSpec.builder(32).dense(128).activation("relu").dense(64).activation("tanh").dense(4).build(),
                PluginSpec.of("sparse-categorical-cross-entropy-logits"), Reduction.MEAN,
                PluginSpec.of("adam", "learningRate", 0.003), PluginSpec.of("cosine", "tMax", 40),
                TrainingOptions.defaults().withBatchSize(32).withMaxEpochs(40).withSeed(5)));
    }

    public static void main(String[] args) throws IOException {
        Path work = Path.of(args[0]);
        Checkpoints checkpoints = new Checkpoints(work.resolve("checkpoints"), 3, "kill-and-resume");
        Trainer t = trainer();
        t.checkpointEvery(5, state -> {
            System.out.println("checkpoint-begin " + state.iterations());
            System.out.flush();
            try {
                checkpoints.save(state);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.out.println("checkpoint-end " + state.iterations());
            System.out.flush();
        });
        Optional<TrainingState> latest = checkpoints.latest();
        if (latest.isPresent()) {
            t.resume(data(), latest.get());
        } else {
            t.fit(data());
        }
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (NamedParameter p : t.network().parameters()) {
            weights.put(p.name(), p.parameter().value());
        }
        Path tmp = work.resolve("final.tmp");
        Safetensors.write(tmp, weights, Map.of());
        Files.move(tmp, work.resolve("final.safetensors"), StandardCopyOption.ATOMIC_MOVE);
        System.out.println("done");
    }
}

package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.inject.Trainers;
import dev.nnkit.core.network.Kernels;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Dataset;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingSpec;
import dev.nnkit.io.data.Standardizer;
import dev.nnkit.io.model.Model;
import dev.nnkit.io.model.ModelFiles;
import dev.nnkit.io.safetensors.Safetensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One model, loaded from its directory as an application would, asked for predictions from 8
 * threads at once: every answer must be the single-threaded answer, bit for bit. The batch sizes
 * cover every path of the engine: one row, tiny batches, feature-major batches (16+ rows of a tiny
 * network on the Vector API), and products large enough to be split across the kernel workers.
 * A CNN covers the image layers (its convolutions on the Vector API run directly, sample by
 * sample). Runs on the portable loops and again on the Vector API (see the pom).
 */
@org.junit.jupiter.api.Tag("slow") // excluded by -DexcludedGroups=slow for a quick local loop; CI runs it
@DisplayName("Predictions from many threads")
class ConcurrentInferenceTest {
    private static final PluginRegistry REGISTRY = PluginRegistry.discover();
    private static final int THREADS = 8;
    private static final int PREDICTIONS = 2_000;
    private static final int[] BATCHES = {1, 3, 16, 32, 57, 200};

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tiny 2-4-3-1 sigmoid", "64-256-128-10 relu",
        "CNN 1×8×8: conv, batch norm, relu, max-pool, dilated conv, flatten, dense"})
    @DisplayName("8 threads × 2,000 predictions on one loaded model equal the single-threaded ones bit for bit")
    void sameBitsAsOneThread(String which) throws Exception {
        String expected = System.getProperty("nnkit.expectKernels", "");
        if (!expected.isEmpty()) { // this execution means to test that path: make sure it runs
            assertThat(Kernels.float32Path()).as("kernels chosen").startsWith(expected);
        }
        boolean tiny = which.startsWith("tiny");
        Model trained = which.startsWith("CNN") ? train(NetworkSpec.builder(Shape.of(1, 8, 8))
                .stage(PluginSpec.of("conv2d", "filters", 8, "kernel", 3, "padding", 1)).stage(PluginSpec.of("batch-norm"))
                .activation("relu").stage(PluginSpec.of("max-pool2d", "kernel", 2))
                .stage(PluginSpec.of("conv2d", "filters", 8, "kernel", 3, "padding", 2, "dilation", 2))
                .stage(PluginSpec.of("flatten")).dense(10).build(), "sparse-categorical-cross-entropy-logits", "softmax", 10)
                : tiny ? train(NetworkSpec.builder(2).dense(4).activation("sigmoid").dense(3)
                .activation("sigmoid").dense(1).build(), "binary-cross-entropy-logits", "sigmoid", 2)
                : train(NetworkSpec.builder(64).dense(256).activation("relu").dense(128).activation("relu").dense(10)
                .build(), "sparse-categorical-cross-entropy-logits", "softmax", 10);
        ModelFiles.save(trained, dir.resolve("model"), REGISTRY);
        Model model = ModelFiles.load(dir.resolve("model"), REGISTRY, Safetensors.NonFinite.REJECT);
        Tensor data = inputs(400, model.network().inputSize(), 3);

        double[][] reference = new double[PREDICTIONS * THREADS][];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = model.predict(request(data, i)).toDoubleArray();
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CyclicBarrier start = new CyclicBarrier(THREADS);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Callable<List<String>> job = () -> {
                    start.await();
                    List<String> wrong = new ArrayList<>();
                    for (int k = 0; k < PREDICTIONS; k++) {
                        int i = k * THREADS + thread;
                        double[] got = model.predict(request(data, i)).toDoubleArray();
                        if (!java.util.Arrays.equals(got, reference[i])) {
                            wrong.add("request " + i);
                        }
                    }
                    return wrong;
                };
                results.add(pool.submit(job));
            }
            List<String> wrong = new ArrayList<>();
            for (Future<List<String>> f : results) {
                wrong.addAll(f.get(5, TimeUnit.MINUTES));
            }
            assertThat(wrong).as("predictions that differ from the single-threaded ones").isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    @org.junit.jupiter.api.Test
    @DisplayName("evaluateLoss from 4 threads at once gives each the single-threaded loss")
    void evaluateLossFromManyThreads() throws Exception {
        Model m = train(NetworkSpec.builder(64).dense(32).activation("relu").dense(10).build(),
                "sparse-categorical-cross-entropy-logits", "softmax", 10);
        Trainer t = Trainers.create(new TrainingSpec(NetworkSpec.builder(64).dense(32).activation("relu").dense(10)
                .build(), PluginSpec.of("sparse-categorical-cross-entropy-logits"), Reduction.MEAN,
                PluginSpec.of("adam"), TrainingOptions.defaults().withBatchSize(16)), REGISTRY);
        for (int i = 0; i < t.network().parameters().size(); i++) {
            t.network().parameters().get(i).parameter().value().copyFrom(m.network().parameters().get(i).parameter().value());
        }
        Dataset[] sets = new Dataset[2];
        double[] expected = new double[2];
        for (int k = 0; k < 2; k++) {
            Tensor x = inputs(50 + 30 * k, 64, 20 + k);
            Tensor y = Tensor.zeros(DType.FLOAT32, Shape.of(50 + 30 * k, 1));
            for (int i = 0; i < y.size(); i++) {
                y.set(i, (i * 7 + k) % 10);
            }
            sets[k] = new Dataset(x, y);
            expected[k] = t.evaluateLoss(sets[k]);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> wrong = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                int k = thread % 2;
                wrong.add(pool.submit(() -> {
                    int bad = 0;
                    for (int i = 0; i < 300; i++) {
                        bad += t.evaluateLoss(sets[k]) == expected[k] ? 0 : 1;
                    }
                    return bad;
                }));
            }
            for (Future<Integer> f : wrong) {
                assertThat(f.get(5, TimeUnit.MINUTES)).as("evaluations that differ").isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Request i: a batch of a size from BATCHES, rows picked from the data by i. */
    private static Tensor request(Tensor data, int i) {
        int rows = BATCHES[i % BATCHES.length];
        int cols = data.shape().cols();
        Tensor x = Tensor.zeros(DType.FLOAT32, Shape.of(rows, cols));
        for (int r = 0; r < rows; r++) {
            int src = (i * 7 + r * 13) % data.shape().rows();
            for (int c = 0; c < cols; c++) {
                x.set(r * cols + c, data.get(src * cols + c));
            }
        }
        return x;
    }

    private static Tensor inputs(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = Tensor.zeros(DType.FLOAT32, Shape.of(rows, cols));
        for (int i = 0; i < x.size(); i++) {
            x.set(i, r.nextDouble(-3, 3));
        }
        return x;
    }

    private static Model train(NetworkSpec spec, String loss, String prediction, int classes) {
        Tensor x = inputs(256, spec.inputs(), 1);
        Standardizer s = Standardizer.fit(x);
        s.apply(x);
        Tensor y = Tensor.zeros(DType.FLOAT32, Shape.of(256, 1));
        for (int i = 0; i < 256; i++) {
            y.set(i, classes == 2 ? (x.get(i * spec.inputs()) > 0 ? 1 : 0) : i % classes);
        }
        Trainer t = Trainers.create(new TrainingSpec(spec, PluginSpec.of(loss), Reduction.MEAN,
                PluginSpec.of("adam", "learningRate", 0.01), TrainingOptions.defaults().withBatchSize(32)
                .withMaxEpochs(3)), REGISTRY);
        t.fit(new Dataset(x, y));
        return new Model(t.network(), PluginSpec.of(loss), prediction, REGISTRY.activation(PluginSpec.of(prediction)),
                Optional.of(s), new Model.Labels(List.of(), "", List.of()), Map.of());
    }
}

package dev.nnkit.bench;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.kernel.DenseKernels;
import dev.nnkit.core.train.Dataset;
import dev.nnkit.core.train.Metrics;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.io.data.Datasets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * nnkit's side of bench/compare.sh: prints one JSON object per measurement, the same keys as
 * bench/torch_bench.py, so the script can put them side by side. Medians of repeated runs.
 */
public final class SideBySide {
    private SideBySide() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "fashion" -> fashion("fashion", Path.of(args[1]), Integer.parseInt(args[2]),
                    args.length > 3 ? Integer.parseInt(args[3]) : 3);
            case "cnn" -> fashion("cnn", Path.of(args[1]), Integer.parseInt(args[2]),
                    args.length > 3 ? Integer.parseInt(args[3]) : 1);
            case "tiny" -> tiny(Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray());
            case "matmul" -> matmul();
            case "single" -> single();
            case "sweep" -> sweep(Arrays.asList(args).subList(1, args.length));
            default -> throw new IllegalArgumentException(
                    "usage: SideBySide fashion|cnn DIR EPOCHS [SEEDS] | tiny [BATCH...] | matmul | single | sweep [CASE...]");
        }
    }

    /**
     * Trains the MLP ({@code what} "fashion") or the CNN ("cnn") once per seed (1..seeds): the epoch
     * time is the median over every epoch of every run, the accuracy the mean over the seeds (one
     * run's accuracy moves by a few tenths of a point with the seed alone), the inference speed
     * that of the last run's model.
     */
    static void fashion(String what, Path dir, int epochs, int seeds) throws Exception {
        Dataset train = Datasets.idxImages(dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"),
                Integer.MAX_VALUE, DType.FLOAT32);
        Dataset test = Datasets.idxImages(dir.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte.gz"),
                Integer.MAX_VALUE, DType.FLOAT32);
        double[] epochSeconds = new double[epochs * seeds];
        double[] accuracies = new double[seeds];
        Trainer t = null;
        for (int seed = 1; seed <= seeds; seed++) {
            t = what.equals("cnn") ? Nets.cnn(epochs, seed) : Nets.mlp(epochs, seed);
            int offset = (seed - 1) * epochs;
            t.addListener(new dev.nnkit.core.train.TrainingListener() {
                @Override
                public void onEpochEnd(EpochEvent e) {
                    epochSeconds[offset + e.epoch() - 1] = e.seconds();
                }
            });
            t.fit(new Dataset(train.features(), train.targets()));
            accuracies[seed - 1] = Metrics.accuracy(t.predict(test.features()), test.targets().toDoubleArray());
        }
        // Steady-state throughput, as for the products: a second of warm-up (the first few calls at
        // 10,000 rows ran 15-21 ms instead of 13-14 while C2 compiled the large-batch paths), then
        // the median of 15 calls. torch_bench.py does the same.
        for (long end = System.nanoTime() + 1_000_000_000L; System.nanoTime() < end; ) {
            t.predict(test.features());
        }
        double[] inference = new double[15];
        for (int r = 0; r < inference.length; r++) {
            long s = System.nanoTime();
            t.predict(test.features());
            inference[r] = (System.nanoTime() - s) / 1e9;
        }
        System.out.printf(Locale.ROOT, "{\"what\": \"%s\", \"epochSeconds\": %.4f, \"testAccuracy\": %.4f, "
                + "\"testAccuracies\": %s, \"inferenceImagesPerSecond\": %.0f, \"epochs\": %s}%n", what,
                median(epochSeconds), Arrays.stream(accuracies).average().orElseThrow(), Arrays.toString(accuracies),
                10_000 / median(inference), Arrays.toString(epochSeconds));
    }

    /** Per-step latency of the tiny network at each batch size, in the order given (default 1, 32). */
    static void tiny(int[] batches) {
        Trainer t = Nets.tiny();
        for (int batch : batches.length > 0 ? batches : new int[] {1, 32}) {
            Tensor x = Nets.random(batch, 2, 1);
            Tensor y = Nets.classes(batch, 2, 2);
            // As for the products: a second of warm-up, so the timed rounds run C2's code (at
            // batch 32, 7 rounds of 6,250 steps, the old scheme, ended while it was still compiling).
            for (long end = System.nanoTime() + 1_000_000_000L; System.nanoTime() < end; ) {
                t.step(x, y);
            }
            double[] perStep = new double[9];
            for (int r = 0; r < perStep.length; r++) {
                long s = System.nanoTime();
                int steps = 0;
                while (System.nanoTime() - s < 100_000_000L) {
                    t.step(x, y);
                    steps++;
                }
                perStep[r] = (System.nanoTime() - s) / 1e3 / steps;
            }
            System.out.printf(Locale.ROOT, "{\"what\": \"tiny\", \"batch\": %d, \"microsecondsPerStep\": %.3f}%n", batch,
                    median(perStep));
        }
    }

    /** Latency of one prediction (batch 1) of the Fashion-MNIST MLP, probabilities out, as a service makes it. */
    /** Where benchmark results go so that they count as used. */
    static volatile double sink;

    static void single() {
        Trainer t = Nets.mlp();
        Tensor x = Nets.random(1, 784, 1);
        for (long end = System.nanoTime() + 1_000_000_000L; System.nanoTime() < end; ) {
            sink += t.predict(x).get(0);
        }
        double[] micros = new double[9];
        for (int r = 0; r < micros.length; r++) {
            long s = System.nanoTime();
            int calls = 0;
            while (System.nanoTime() - s < 100_000_000L) {
                sink += t.predict(x).get(0); // used, so the JIT cannot drop the call
                calls++;
            }
            micros[r] = (System.nanoTime() - s) / 1e3 / calls;
        }
        System.out.printf(Locale.ROOT, "{\"what\": \"single\", \"microsecondsPerSample\": %.2f}%n", median(micros));
    }

    static void matmul() {
        for (int[] s : new int[][] {{128, 784, 256}, {128, 256, 128}, {128, 2048, 2048}, {1024, 1024, 1024}, {2048, 2048, 2048}}) {
            Tensor x = Nets.random(s[0], s[1], 1);
            Tensor w = Nets.random(s[2], s[1], 2);
            Tensor b = Tensor.zeros(DType.FLOAT32, Shape.of(s[2]));
            Tensor z = Tensor.zeros(DType.FLOAT32, Shape.of(s[0], s[2]));
            // A second of warm-up first: the kernels must be compiled by C2 (until then the Vector
            // API runs boxed, tens of times slower), then 9 timed rounds of at least 0.1 s each.
            for (long end = System.nanoTime() + 1_000_000_000L; System.nanoTime() < end; ) {
                DenseKernels.forward(x, w, b, true, z);
            }
            double[] seconds = new double[9];
            for (int r = 0; r < seconds.length; r++) {
                long t0 = System.nanoTime();
                int reps = 0;
                while (System.nanoTime() - t0 < 100_000_000L) {
                    DenseKernels.forward(x, w, b, true, z);
                    reps++;
                }
                seconds[r] = (System.nanoTime() - t0) / 1e9 / reps;
            }
            double gflops = 2.0 * s[0] * s[1] * s[2] / median(seconds) / 1e9;
            System.out.printf(Locale.ROOT, "{\"what\": \"matmul\", \"shape\": \"%dx%dx%d\", \"gflops\": %.2f, \"kernels\": \"%s\"}%n",
                    s[0], s[1], s[2], gflops, dev.nnkit.core.network.Kernels.float32Path());
        }
    }

    /**
     * Training throughput over the sweep of issue 17 (torch_bench.py's sweep runs the same cases):
     * random images and classes, four epochs, samples per second from the median of the last three
     * (the first compiles the kernels). One JVM for every case, in this order, as a long-running
     * application would run them.
     */
    static void sweep(java.util.List<String> only) {
        for (Object[] c : SWEEP) {
            if (!only.isEmpty() && !only.contains((String) c[0])) {
                continue;
            }
            int[] hidden = (int[]) c[1];
            int batch = (int) c[2];
            int rows = (int) c[3];
            DType dtype = (DType) c[4];
            Trainer t = Nets.sweep(hidden, batch, dtype, 4);
            double[] seconds = new double[4];
            t.addListener(new dev.nnkit.core.train.TrainingListener() {
                @Override
                public void onEpochEnd(EpochEvent e) {
                    seconds[e.epoch() - 1] = e.seconds();
                }
            });
            Tensor x = Nets.random(rows, 784, 1);
            Tensor y = Nets.classes(rows, 10, 2);
            if (dtype == DType.FLOAT64) {
                x = x.to(DType.FLOAT64);
                y = y.to(DType.FLOAT64);
            }
            t.fit(new Dataset(x, y));
            System.out.printf(Locale.ROOT, "{\"what\": \"sweep\", \"case\": \"%s\", \"samplesPerSecond\": %.0f}%n", c[0],
                    rows / median(Arrays.copyOfRange(seconds, 1, 4)));
        }
    }

    /** name, hidden widths, batch, rows per epoch, dtype: the same list as torch_bench.py's SWEEP. */
    private static final Object[][] SWEEP = {
        {"mlp-b1", new int[] {256, 128}, 1, 4096, DType.FLOAT32},
        {"mlp-b8", new int[] {256, 128}, 8, 8192, DType.FLOAT32},
        {"mlp-b32", new int[] {256, 128}, 32, 8192, DType.FLOAT32},
        {"mlp-b128", new int[] {256, 128}, 128, 16384, DType.FLOAT32},
        {"mlp-b512", new int[] {256, 128}, 512, 16384, DType.FLOAT32},
        {"mlp-b2048", new int[] {256, 128}, 2048, 16384, DType.FLOAT32},
        {"wide1024-b128", new int[] {1024, 1024}, 128, 4096, DType.FLOAT32},
        {"wide2048x3-b128", new int[] {2048, 2048, 2048}, 128, 2048, DType.FLOAT32},
        {"deep16-b128", new int[] {256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256, 256}, 128,
            8192, DType.FLOAT32},
        {"mlp-float64-b128", new int[] {256, 128}, 128, 8192, DType.FLOAT64},
    };

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }
}

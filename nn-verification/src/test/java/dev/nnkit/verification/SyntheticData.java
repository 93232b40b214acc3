package dev.nnkit.verification;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.train.Dataset;
import java.util.SplittableRandom;

/** Seeded synthetic data sets for the seeds' three task types. */
final class SyntheticData {
    private SyntheticData() {
    }

    /** Regression: y = sin(2x₁) + ½x₂² + N(0, 0.05²), x uniform in [−2, 2]². */
    static Dataset waves(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][];
        double[][] y = new double[n][];
        for (int i = 0; i < n; i++) {
            double a = r.nextDouble(-2, 2);
            double b = r.nextDouble(-2, 2);
            x[i] = new double[] {a, b};
            y[i] = new double[] {Math.sin(2 * a) + 0.5 * b * b + 0.05 * gaussian(r)};
        }
        return new Dataset(Tensor.matrix(DType.FLOAT32, x), Tensor.matrix(DType.FLOAT32, y));
    }

    /** Binary: two interleaving half-moons with Gaussian noise 0.1; label 0 or 1. */
    static Dataset moons(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][];
        double[][] y = new double[n][];
        for (int i = 0; i < n; i++) {
            int label = i % 2;
            double t = r.nextDouble(0, Math.PI);
            double a = label == 0 ? Math.cos(t) : 1 - Math.cos(t);
            double b = label == 0 ? Math.sin(t) : 0.5 - Math.sin(t);
            x[i] = new double[] {a + 0.1 * gaussian(r), b + 0.1 * gaussian(r)};
            y[i] = new double[] {label};
        }
        return new Dataset(Tensor.matrix(DType.FLOAT32, x), Tensor.matrix(DType.FLOAT32, y));
    }

    /**
     * Multi-class: three concentric rings (radii 1, 2, 3, noise 0.2), class = ring; targets one-hot
     * when {@code oneHot}, else the class index.
     */
    static Dataset rings(int n, long seed, boolean oneHot) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][];
        double[][] y = new double[n][];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            double angle = r.nextDouble(0, 2 * Math.PI);
            double radius = c + 1 + 0.2 * gaussian(r);
            x[i] = new double[] {radius * Math.cos(angle), radius * Math.sin(angle)};
            y[i] = oneHot ? new double[] {c == 0 ? 1 : 0, c == 1 ? 1 : 0, c == 2 ? 1 : 0} : new double[] {c};
        }
        return new Dataset(Tensor.matrix(DType.FLOAT32, x), Tensor.matrix(DType.FLOAT32, y));
    }

    /** Class indices of a target tensor: the column itself, or the arg-max of one-hot rows. */
    static double[] classes(Tensor targets) {
        int k = targets.shape().cols();
        double[] c = new double[targets.shape().rows()];
        for (int i = 0; i < c.length; i++) {
            c[i] = k == 1 ? targets.get(i) : dev.nnkit.core.train.Metrics.predictedClass(targets, i, k);
        }
        return c;
    }

    private static double gaussian(SplittableRandom r) {
        // Box–Muller: enough for test data, and SplittableRandom has no nextGaussian on JDK 17.
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}

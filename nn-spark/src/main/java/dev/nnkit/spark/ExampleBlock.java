package dev.nnkit.spark;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Float32Tensor;
import dev.nnkit.api.tensor.Float64Tensor;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import java.io.Serializable;
import java.util.Arrays;

/**
 * One partition's examples, packed row after row in the network's number type, ready to be
 * gathered into batches: what {@link SparkExamples} keeps cached on the executors. The
 * partition's examples are consecutive in the run's numbering, so a global example index finds
 * its row by subtraction.
 */
final class ExampleBlock implements Serializable {
    private static final long serialVersionUID = 1L;
    final int partition;
    final int rows;
    final int featureWidth;
    final int targetWidth;
    /** float32 networks: the features and targets; null otherwise. */
    final float[] features32;
    final float[] targets32;
    /** float64 networks: the features and targets; null otherwise. */
    final double[] features64;
    final double[] targets64;
    /** One weight per row, or empty for unweighted examples. */
    final double[] weights;
    /** Why the partition's rows could not be read (naming the row and column), or null. */
    final String failure;
    /**
     * A hash of every value: a block Spark rebuilds (its cache lost with an executor) must hash
     * the same, or the DataFrame gave other rows the second time.
     */
    final long checksum;

    ExampleBlock(int partition, int rows, int featureWidth, int targetWidth, double[] features, double[] targets,
                 double[] weights, DType dtype) {
        this.partition = partition;
        this.rows = rows;
        this.featureWidth = featureWidth;
        this.targetWidth = targetWidth;
        this.weights = weights;
        this.failure = null;
        if (dtype == DType.FLOAT32) {
            this.features32 = narrow(features);
            this.targets32 = narrow(targets);
            this.features64 = null;
            this.targets64 = null;
        } else {
            this.features32 = null;
            this.targets32 = null;
            this.features64 = features;
            this.targets64 = targets;
        }
        this.checksum = ((31L * rows + Arrays.hashCode(features) * 0x9E3779B97F4A7C15L) * 31 + Arrays.hashCode(targets)) * 31
                + Arrays.hashCode(weights);
    }

    private ExampleBlock(int partition, String failure) {
        this.partition = partition;
        this.rows = 0;
        this.featureWidth = 0;
        this.targetWidth = 0;
        this.features32 = null;
        this.targets32 = null;
        this.features64 = null;
        this.targets64 = null;
        this.weights = new double[0];
        this.failure = failure;
        this.checksum = 0;
    }

    /**
     * A partition whose rows cannot be trained on. Bad data fails the same way on every attempt,
     * so it is reported to the driver as a result, not thrown for Spark to retry.
     */
    static ExampleBlock failed(int partition, String failure) {
        return new ExampleBlock(partition, failure);
    }

    /** This block's first {@code count} rows. */
    ExampleBlock head(int count) {
        double[] w = weights.length == 0 ? weights : Arrays.copyOf(weights, count);
        ExampleBlock b = new ExampleBlock(partition, count, featureWidth, targetWidth, prefix(features32, features64,
                count * featureWidth), prefix(targets32, targets64, count * targetWidth), w, features32 != null
                ? DType.FLOAT32 : DType.FLOAT64);
        return b;
    }

    private static double[] prefix(float[] f, double[] d, int length) {
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            out[i] = f != null ? f[i] : d[i];
        }
        return out;
    }

    /** Feature value {@code i}, rows end to end. */
    double feature(int i) {
        return features32 != null ? features32[i] : features64[i];
    }

    /** Target value {@code i}, rows end to end. */
    double target(int i) {
        return targets32 != null ? targets32[i] : targets64[i];
    }

    private static float[] narrow(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** Rows {@code local[0..count)} of the features, into a new [count, ...sample shape] tensor. */
    Tensor features(int[] local, int count, Shape sampleShape) {
        return gather(features32, features64, featureWidth, local, count, sampleShape.withBatch(count));
    }

    /** Rows {@code local[0..count)} of the targets, into a new [count, targetWidth] tensor. */
    Tensor targets(int[] local, int count) {
        return gather(targets32, targets64, targetWidth, local, count, Shape.of(count, targetWidth));
    }

    /** The weights of those rows, or an empty array for unweighted examples. */
    double[] weights(int[] local, int count) {
        if (weights.length == 0) {
            return weights;
        }
        double[] w = new double[count];
        for (int i = 0; i < count; i++) {
            w[i] = weights[local[i]];
        }
        return w;
    }

    private static Tensor gather(float[] f, double[] d, int width, int[] local, int count, Shape shape) {
        if (f != null) {
            float[] out = new float[count * width];
            for (int i = 0; i < count; i++) {
                System.arraycopy(f, local[i] * width, out, i * width, width);
            }
            return new Float32Tensor(shape, out);
        }
        double[] out = new double[count * width];
        for (int i = 0; i < count; i++) {
            System.arraycopy(d, local[i] * width, out, i * width, width);
        }
        return new Float64Tensor(shape, out);
    }
}

package dev.nnkit.losses.internal;

import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.tck.LossContract;
import java.util.SplittableRandom;

class SparseCategoricalCrossEntropyLossTest extends LossContract {
    @Override
    protected LossProvider<?> provider() {
        return new CategoricalLosses.SparseFromProbabilities();
    }

    @Override
    protected Sample sample(SplittableRandom r, int k) {
        double[] p = r.doubles(k, 0.1, 1).toArray();
        double s = java.util.Arrays.stream(p).sum();
        return new Sample(java.util.Arrays.stream(p).map(v -> v / s).toArray(), new double[] {r.nextInt(k)});
    }

    @Override
    protected java.util.List<Sample> edgeSamples() {
        return java.util.List.of(new Sample(new double[] {0, 1, 0, 0}, new double[] {0}),
                new Sample(new double[] {1, 0, 0, 0}, new double[] {0}));
    }
}

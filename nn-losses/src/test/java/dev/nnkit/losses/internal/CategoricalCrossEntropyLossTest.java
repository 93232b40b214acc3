package dev.nnkit.losses.internal;

import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.tck.LossContract;
import java.util.SplittableRandom;

class CategoricalCrossEntropyLossTest extends LossContract {
    @Override
    protected LossProvider<?> provider() {
        return new CategoricalLosses.FromProbabilities();
    }

    @Override
    protected Sample sample(SplittableRandom r, int k) {
        double[] p = r.doubles(k, 0.1, 1).toArray();
        double s = java.util.Arrays.stream(p).sum();
        double[] y = new double[k];
        y[r.nextInt(k)] = 1;
        return new Sample(java.util.Arrays.stream(p).map(v -> v / s).toArray(), y);
    }

    @Override
    protected java.util.List<Sample> edgeSamples() {
        return java.util.List.of(new Sample(new double[] {0, 1, 0, 0}, new double[] {1, 0, 0, 0}),
                new Sample(new double[] {1, 0, 0, 0}, new double[] {1, 0, 0, 0}));
    }
}

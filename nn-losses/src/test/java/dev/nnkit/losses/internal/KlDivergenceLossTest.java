package dev.nnkit.losses.internal;

import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.tck.LossContract;
import java.util.SplittableRandom;

class KlDivergenceLossTest extends LossContract {
    @Override
    protected LossProvider<?> provider() {
        return new DistributionLosses.KlDivergence();
    }

    @Override
    protected Sample sample(SplittableRandom r, int k) {
        double[] p = r.doubles(k, 0.1, 1).toArray();
        double[] y = r.doubles(k, 0.1, 1).toArray();
        double sp = java.util.Arrays.stream(p).sum();
        double sy = java.util.Arrays.stream(y).sum();
        return new Sample(java.util.Arrays.stream(p).map(v -> v / sp).toArray(), java.util.Arrays.stream(y).map(v -> v / sy).toArray());
    }

    @Override
    protected java.util.List<Sample> edgeSamples() {
        return java.util.List.of(new Sample(new double[] {0, 1, 0, 0}, new double[] {0.5, 0.5, 0, 0}),
                new Sample(new double[] {0.25, 0.25, 0.25, 0.25}, new double[] {1, 0, 0, 0}));
    }
}

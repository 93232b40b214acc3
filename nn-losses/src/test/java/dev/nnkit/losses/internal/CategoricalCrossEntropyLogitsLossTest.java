package dev.nnkit.losses.internal;

import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.tck.LossContract;
import java.util.SplittableRandom;

class CategoricalCrossEntropyLogitsLossTest extends LossContract {
    @Override
    protected LossProvider<?> provider() {
        return new CategoricalLosses.FromLogits();
    }

    @Override
    protected Sample sample(SplittableRandom r, int k) {
        double[] y = r.doubles(k, 0, 1).toArray(); // soft targets, not summing to 1: the general case
        return new Sample(r.doubles(k, -3, 3).toArray(), y);
    }

    @Override
    protected java.util.List<Sample> edgeSamples() {
        return java.util.List.of(new Sample(new double[] {1000, -1000, 0, 5}, new double[] {0, 1, 0, 0}));
    }
}

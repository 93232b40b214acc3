package dev.nnkit.losses.internal;

import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.tck.LossContract;
import java.util.SplittableRandom;

class PoissonLossTest extends LossContract {
    @Override
    protected LossProvider<?> provider() {
        return new DistributionLosses.Poisson();
    }

    @Override
    protected Sample sample(SplittableRandom r, int k) {
        return new Sample(r.doubles(k, -1, 1.5).toArray(), r.ints(k, 0, 6).asDoubleStream().toArray());
    }

    @Override
    protected java.util.List<Sample> edgeSamples() {
        return java.util.List.of(new Sample(new double[] {-700, 700, 0, 1}, new double[] {0, 0, 5, 0}));
    }
}

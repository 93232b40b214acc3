package dev.nnkit.losses.internal;

import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.tck.LossContract;
import java.util.SplittableRandom;

class CosineDistanceLossTest extends LossContract {
    @Override
    protected LossProvider<?> provider() {
        return new DistributionLosses.CosineDistance();
    }

    @Override
    protected Sample sample(SplittableRandom r, int k) {
        return new Sample(r.doubles(k, -2, 2).toArray(), r.doubles(k, -2, 2).toArray());
    }

    @Override
    protected java.util.List<Sample> edgeSamples() {
        return java.util.List.of(new Sample(new double[] {0, 0, 0, 0}, new double[] {1, 0, 0, 0}),
                new Sample(new double[] {1, 2, 3, 4}, new double[] {0, 0, 0, 0}));
    }
}

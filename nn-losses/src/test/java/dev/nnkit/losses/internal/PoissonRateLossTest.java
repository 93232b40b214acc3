package dev.nnkit.losses.internal;

import dev.nnkit.api.loss.Loss;
import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.losses.PoissonConfig;
import dev.nnkit.tck.LossContract;
import java.util.SplittableRandom;

/** The Poisson loss on rates (logInput false) with Stirling's term. */
class PoissonRateLossTest extends LossContract {
    @Override
    protected LossProvider<?> provider() {
        return new DistributionLosses.Poisson();
    }

    @Override
    protected Loss loss() {
        return new DistributionLosses.Poisson().create(new PoissonConfig(false, true, 1e-8));
    }

    @Override
    protected Sample sample(SplittableRandom r, int k) {
        return new Sample(r.doubles(k, 0.2, 5).toArray(), r.ints(k, 0, 6).asDoubleStream().toArray());
    }
}

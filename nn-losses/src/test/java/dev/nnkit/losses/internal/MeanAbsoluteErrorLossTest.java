package dev.nnkit.losses.internal;

import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.tck.LossContract;
import java.util.SplittableRandom;

class MeanAbsoluteErrorLossTest extends LossContract {
    @Override
    protected LossProvider<?> provider() {
        return new RobustLosses.MeanAbsoluteError();
    }

    @Override
    protected Sample sample(SplittableRandom r, int k) {
        return LossSamples.awayFromKinks(r, k);
    }

    @Override
    protected java.util.Map<String, java.util.function.Predicate<Sample>> branches() {
        return LossSamples.distanceBranches();
    }
}

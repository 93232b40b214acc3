package dev.nnkit.losses.internal;

import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.tck.LossContract;
import java.util.SplittableRandom;

class SquaredHingeLossTest extends LossContract {
    @Override
    protected LossProvider<?> provider() {
        return new MarginLosses.SquaredHinge();
    }

    @Override
    protected Sample sample(SplittableRandom r, int k) {
        return LossSamples.hinge(r, k);
    }

    @Override
    protected java.util.Map<String, java.util.function.Predicate<Sample>> branches() {
        return LossSamples.hingeBranches();
    }
}

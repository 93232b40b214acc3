package dev.nnkit.losses.internal;

import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.tck.LossContract;
import java.util.SplittableRandom;

class BinaryCrossEntropyLossTest extends LossContract {
    @Override
    protected LossProvider<?> provider() {
        return new BinaryLosses.FromProbabilities();
    }

    @Override
    protected Sample sample(SplittableRandom r, int k) {
        return new Sample(r.doubles(k, 0.05, 0.95).toArray(), r.doubles(k, 0, 1).toArray());
    }
}

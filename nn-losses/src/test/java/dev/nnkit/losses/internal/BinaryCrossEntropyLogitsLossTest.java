package dev.nnkit.losses.internal;

import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.tck.LossContract;
import java.util.SplittableRandom;

class BinaryCrossEntropyLogitsLossTest extends LossContract {
    @Override
    protected LossProvider<?> provider() {
        return new BinaryLosses.FromLogits();
    }

    @Override
    protected Sample sample(SplittableRandom r, int k) {
        return new Sample(r.doubles(k, -3, 3).toArray(), r.doubles(k, 0, 1).toArray());
    }
}

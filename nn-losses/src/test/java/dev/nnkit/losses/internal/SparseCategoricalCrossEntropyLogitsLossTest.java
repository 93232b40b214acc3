package dev.nnkit.losses.internal;

import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.tck.LossContract;
import java.util.SplittableRandom;

class SparseCategoricalCrossEntropyLogitsLossTest extends LossContract {
    @Override
    protected LossProvider<?> provider() {
        return new CategoricalLosses.SparseFromLogits();
    }

    @Override
    protected Sample sample(SplittableRandom r, int k) {
        return new Sample(r.doubles(k, -3, 3).toArray(), new double[] {r.nextInt(k)});
    }
}

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
        double[] y = new double[k];
        double[] p = new double[k];
        for (int j = 0; j < k; j++) {
            y[j] = r.nextBoolean() ? 1 : -1;
            double margin = r.nextDouble(0.05, 2) * (r.nextBoolean() ? 1 : -1); // 1 − y·ŷ, away from 0
            p[j] = (1 - margin) * y[j];
        }
        return new Sample(p, y);
    }
}

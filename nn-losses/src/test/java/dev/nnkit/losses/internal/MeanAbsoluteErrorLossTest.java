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
        double[] y = r.doubles(k, -2, 2).toArray();
        double[] p = new double[k];
        for (int j = 0; j < k; j++) {
            double d = r.nextDouble(0.05, 3);
            d = d > 0.95 && d < 1.05 ? 1.5 : d;
            p[j] = y[j] + (r.nextBoolean() ? d : -d);
        }
        return new Sample(p, y);
    }
}

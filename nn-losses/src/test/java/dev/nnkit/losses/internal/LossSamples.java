package dev.nnkit.losses.internal;

import dev.nnkit.tck.LossContract.Sample;
import java.util.SplittableRandom;

/** Valid samples that keep away from the kinks where a piecewise loss has no derivative. */
final class LossSamples {
    private LossSamples() {
    }

    /** Prediction − target at least 0.05 away from 0 and from ±1 (MAE's, Huber's and smooth L1's kinks). */
    static Sample awayFromKinks(SplittableRandom r, int k) {
        double[] y = r.doubles(k, -2, 2).toArray();
        double[] p = new double[k];
        for (int j = 0; j < k; j++) {
            double d = r.nextDouble(0.05, 3);
            d = d > 0.95 && d < 1.05 ? 1.5 : d;
            p[j] = y[j] + (r.nextBoolean() ? d : -d);
        }
        return new Sample(p, y);
    }

    /** ±1 targets with margins 1 − y·ŷ at least 0.05 away from 0 (the hinge point). */
    static Sample hinge(SplittableRandom r, int k) {
        double[] y = new double[k];
        double[] p = new double[k];
        for (int j = 0; j < k; j++) {
            y[j] = r.nextBoolean() ? 1 : -1;
            double margin = r.nextDouble(0.05, 2) * (r.nextBoolean() ? 1 : -1);
            p[j] = (1 - margin) * y[j];
        }
        return new Sample(p, y);
    }
}

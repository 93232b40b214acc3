package dev.nnkit.losses.internal;

import dev.nnkit.tck.LossContract.Sample;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;

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

    /** The pieces of a loss of d = ŷ − y with kinks at 0 and ±1: Huber's and smooth L1's (δ = β = 1), MAE's. */
    static Map<String, Predicate<Sample>> distanceBranches() {
        return Map.of("ŷ − y in (0, 1)", any((p, y) -> p - y > 0 && p - y < 1),
                "ŷ − y in (−1, 0)", any((p, y) -> p - y < 0 && p - y > -1),
                "ŷ − y > 1", any((p, y) -> p - y > 1),
                "ŷ − y < −1", any((p, y) -> p - y < -1));
    }

    /** The pieces of a hinge loss: margin 1 − y·ŷ positive (sloped) and negative (flat). */
    static Map<String, Predicate<Sample>> hingeBranches() {
        return Map.of("1 − y·ŷ > 0", any((p, y) -> 1 - y * p > 0), "1 − y·ŷ < 0", any((p, y) -> 1 - y * p < 0));
    }

    interface ElementTest {
        boolean test(double prediction, double target);
    }

    private static Predicate<Sample> any(ElementTest test) {
        return s -> {
            for (int j = 0; j < s.prediction().length; j++) {
                if (test.test(s.prediction()[j], s.target()[j])) {
                    return true;
                }
            }
            return false;
        };
    }
}

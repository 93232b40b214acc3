package dev.nnkit.losses.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.tck.LossContract;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BinaryCrossEntropyLossTest extends LossContract {
    @Override
    protected LossProvider<?> provider() {
        return new BinaryLosses.FromProbabilities();
    }

    @Override
    protected Sample sample(SplittableRandom r, int k) {
        return new Sample(r.doubles(k, 0.05, 0.95).toArray(), r.doubles(k, 0, 1).toArray());
    }

    @Test
    void theLossOfLabelZeroIsMinusLogOneMinusPToAnUlp() {
        // log(1 − p) is Math.log(1 − p) where 1 − p is exact, else log1p(−p): either way within an
        // ulp of log1p(−p), and accurate for p far below float precision.
        SplittableRandom random = new SplittableRandom(17);
        double[] special = {0x1p-30, 0x1p-31, 0x1p-60, 1e-300, Double.MIN_VALUE, 0.5, Math.nextDown(1.0), 1e-8, 0.999999};
        double[] g = new double[1];
        for (int i = 0; i < 100_000 + special.length; i++) {
            double p = i < special.length ? special[i]
                    : i % 2 == 0 ? (float) random.nextDouble() : random.nextDouble() * Math.pow(2, -random.nextInt(60));
            double expected = Math.max(-Math.log1p(-p), 0) == 0 ? 0 : -Math.max(Math.log1p(-p), -100);
            double loss = BinaryLosses.probabilities(new double[] {p}, new double[] {0}, g);
            assertEquals(expected, loss, Math.ulp(expected), "ℓ(p = " + p + ", y = 0)");
        }
        assertTrue(BinaryLosses.probabilities(new double[] {1e-20}, new double[] {0}, g) > 0.99999e-20,
                "a tiny p costs p, not 0");
    }

    @Override
    protected java.util.List<Sample> edgeSamples() {
        return java.util.List.of(new Sample(new double[] {0, 1, 0, 1}, new double[] {0, 1, 1, 0}),
                new Sample(new double[] {0, 1, 1e-300, 0.5}, new double[] {0.5, 0.5, 1, 0.5}));
    }
}

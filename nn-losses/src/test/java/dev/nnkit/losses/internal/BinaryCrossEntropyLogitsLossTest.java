package dev.nnkit.losses.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.tck.LossContract;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BinaryCrossEntropyLogitsLossTest extends LossContract {
    @Override
    protected LossProvider<?> provider() {
        return new BinaryLosses.FromLogits();
    }

    @Override
    protected Sample sample(SplittableRandom r, int k) {
        return new Sample(r.doubles(k, -3, 3).toArray(), r.doubles(k, 0, 1).toArray());
    }

    @Test
    void sharesOneExpWithoutChangingABit() {
        // The loss and σ share t = e^−|z|; the result must equal the formulas written out on their
        // own: log1p(e^−|z|), and σ = 1/(1 + e^−z) for z ≥ 0, e^z/(1 + e^z) below.
        SplittableRandom random = new SplittableRandom(5);
        double[] special = {0.0, -0.0, 1e-300, -1e-300, 36.7, -36.7, 709.8, -709.8, 745.2, -745.2, 1e300, -1e300};
        for (int i = 0; i < 100_000 + special.length; i++) {
            double z = i < special.length ? special[i] : random.nextDouble(-60, 60) * (i % 3 == 0 ? 1e-3 : 1);
            double y = i % 2;
            double[] g = new double[1];
            double loss = BinaryLosses.logits(new double[] {z}, new double[] {y}, g);
            double sigma = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
            assertEquals(Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z))), loss, 0, "loss at z = " + z);
            assertEquals(Double.doubleToLongBits(sigma - y), Double.doubleToLongBits(g[0]), "gradient at z = " + z);
        }
    }

    @Override
    protected java.util.List<Sample> edgeSamples() {
        return java.util.List.of(new Sample(new double[] {-1000, 1000, 800, -800}, new double[] {0, 1, 0, 1}));
    }
}

package com.example.focallion.internal;

import com.example.focallion.FocalConfig;
import dev.nnkit.api.loss.Loss;
import dev.nnkit.api.loss.LossProvider;

/**
 * {@code focal}: the binary focal loss (Lin et al., 2017, "Focal Loss for Dense Object Detection")
 * on probabilities p, averaged over the k outputs:
 * <pre>
 *   ℓ = −1/k Σⱼ [α y (1 − p)^γ log p + (1 − α)(1 − y) p^γ log(1 − p)]
 * </pre>
 * Targets are in [0, 1]. With γ = 0 and α = ½ it is half the binary cross-entropy.
 */
public final class FocalLossProvider implements LossProvider<FocalConfig> {
    @Override
    public int spiVersion() {
        return SPI_VERSION;
    }

    /** Keeps p away from 0 and 1 so log and the gradient stay finite. */
    private static final double EPS = 1e-12;

    @Override
    public String id() {
        return "focal";
    }

    @Override
    public String description() {
        return "Binary focal loss: ℓ = −[α y (1−p)^γ log p + (1−α)(1−y) p^γ log(1−p)]";
    }

    @Override
    public Class<FocalConfig> configType() {
        return FocalConfig.class;
    }

    @Override
    public FocalConfig defaultConfig() {
        return new FocalConfig(2, 0.25);
    }

    @Override
    public Loss create(FocalConfig c) {
        double g = c.gamma();
        double a = c.alpha();
        return new Loss() {
            @Override
            public double sampleLoss(double[] p, double[] y, double[] grad) {
                return focal(p, y, grad, g, a);
            }

            @Override
            public boolean classifies() { // targets are classes 0/1: a CSV column coded so is read as labels
                return true;
            }
        };
    }

    private static double focal(double[] p, double[] y, double[] grad, double g, double a) {
        int k = p.length;
        double s = 0;
        for (int j = 0; j < k; j++) {
            double q = Math.min(Math.max(p[j], EPS), 1 - EPS);
            double pos = a * y[j] * Math.pow(1 - q, g);
            double neg = (1 - a) * (1 - y[j]) * Math.pow(q, g);
            s -= pos * Math.log(q) + neg * Math.log(1 - q);
            // d/dq of the positive term: α y [−γ(1−q)^(γ−1) log q + (1−q)^γ / q]; likewise the negative one
            double dPos = a * y[j] * (-g * Math.pow(1 - q, g - 1) * Math.log(q) + Math.pow(1 - q, g) / q);
            double dNeg = (1 - a) * (1 - y[j]) * (g * Math.pow(q, g - 1) * Math.log(1 - q) - Math.pow(q, g) / (1 - q));
            grad[j] = -(dPos + dNeg) / k;
        }
        return s / k;
    }
}

package com.example.focallion;

import com.example.focallion.internal.FocalLossProvider;
import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.tck.LossContract;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** The focal loss passes nnkit's loss contract. */
class FocalLossTest extends LossContract {
    @Override
    protected LossProvider<?> provider() {
        return new FocalLossProvider();
    }

    @Override
    protected Sample sample(SplittableRandom r, int k) {
        return new Sample(r.doubles(k, 0.05, 0.95).toArray(), r.ints(k, 0, 2).asDoubleStream().toArray());
    }

    @Override
    protected List<Sample> edgeSamples() {
        return List.of(new Sample(new double[] {0, 1, 0, 1}, new double[] {0, 1, 1, 0}));
    }

    @Override
    protected List<Map<String, Object>> invalidSettings() {
        return List.of(Map.of("gamma", -1.0, "alpha", 0.25), Map.of("gamma", 2.0, "alpha", 1.5));
    }
}

package com.example.focallion;

import com.example.focallion.internal.LionOptimizerProvider;
import dev.nnkit.api.optimizer.OptimizerProvider;
import dev.nnkit.tck.OptimizerContract;
import java.util.List;
import java.util.Map;

/** The Lion optimizer passes nnkit's optimizer contract. */
class LionOptimizerTest extends OptimizerContract {
    @Override
    protected OptimizerProvider<?> provider() {
        return new LionOptimizerProvider();
    }

    @Override
    protected List<Map<String, Object>> invalidSettings() {
        return List.of(Map.of("learningRate", 0.0, "beta1", 0.9, "beta2", 0.99, "weightDecay", 0.0));
    }
}

package dev.nnkit.optimizers.internal;

import dev.nnkit.api.optimizer.Optimizer;
import dev.nnkit.api.optimizer.OptimizerProvider;
import dev.nnkit.optimizers.AdadeltaConfig;
import dev.nnkit.optimizers.AdagradConfig;
import dev.nnkit.optimizers.AdamConfig;
import dev.nnkit.optimizers.AdamWConfig;
import dev.nnkit.optimizers.RmspropConfig;
import dev.nnkit.optimizers.SgdConfig;
import dev.nnkit.tck.OptimizerContract;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

class AdagradOptimizerTest extends OptimizerContract {
    @Override
    protected OptimizerProvider<?> provider() {
        return new OptimizerProviders.Adagrad();
    }

    @Override
    protected java.util.List<Reference> references() {
        return TorchReferences.ADAGRAD;
    }

    @Nested
    @DisplayName("with learning-rate decay and an initial accumulator")
    class WithDecayAndAccumulator extends OptimizerContract {
        @Override
        protected OptimizerProvider<?> provider() {
            return new OptimizerProviders.Adagrad();
        }

        @Override
        protected Optimizer optimizer() {
            return new OptimizerProviders.Adagrad().create(new AdagradConfig(0.1, 0.01, 0.01, 0.5, 1e-10));
        }
    }}

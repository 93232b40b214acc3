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

class SgdOptimizerTest extends OptimizerContract {
    @Override
    protected OptimizerProvider<?> provider() {
        return new OptimizerProviders.Sgd();
    }

    @Override
    protected java.util.List<Reference> references() {
        return TorchReferences.SGD;
    }

    @Nested
    @DisplayName("with Nesterov momentum and weight decay")
    class WithNesterovMomentum extends OptimizerContract {
        @Override
        protected OptimizerProvider<?> provider() {
            return new OptimizerProviders.Sgd();
        }

        @Override
        protected Optimizer optimizer() {
            return new OptimizerProviders.Sgd().create(new SgdConfig(0.01, 0.9, 0, 0.01, true));
        }
    }

    @Nested
    @DisplayName("with dampened momentum")
    class WithDampenedMomentum extends OptimizerContract {
        @Override
        protected OptimizerProvider<?> provider() {
            return new OptimizerProviders.Sgd();
        }

        @Override
        protected Optimizer optimizer() {
            return new OptimizerProviders.Sgd().create(new SgdConfig(0.01, 0.9, 0.5, 0, false));
        }
    }}

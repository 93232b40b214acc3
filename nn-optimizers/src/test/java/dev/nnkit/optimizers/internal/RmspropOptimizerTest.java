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

class RmspropOptimizerTest extends OptimizerContract {
    @Override
    protected OptimizerProvider<?> provider() {
        return new OptimizerProviders.Rmsprop();
    }

    @Override
    protected java.util.List<Reference> references() {
        return TorchReferences.RMSPROP;
    }

    @Nested
    @DisplayName("centered, with momentum")
    class CenteredWithMomentum extends OptimizerContract {
        @Override
        protected OptimizerProvider<?> provider() {
            return new OptimizerProviders.Rmsprop();
        }

        @Override
        protected Optimizer optimizer() {
            return new OptimizerProviders.Rmsprop().create(new RmspropConfig(0.01, 0.99, 1e-8, 0.01, 0.5, true));
        }
    }}

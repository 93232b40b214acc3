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

class AdadeltaOptimizerTest extends OptimizerContract {
    @Override
    protected OptimizerProvider<?> provider() {
        return new OptimizerProviders.Adadelta();
    }

    @Override
    protected java.util.List<Reference> references() {
        return TorchReferences.ADADELTA;
    }
}

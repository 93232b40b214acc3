package dev.nnkit.tck;

import dev.nnkit.api.optimizer.Optimizer;
import dev.nnkit.api.optimizer.OptimizerProvider;
import dev.nnkit.api.optimizer.ParameterState;
import dev.nnkit.api.optimizer.StepContext;
import dev.nnkit.api.plugin.NoConfig;
import dev.nnkit.api.plugin.SettinglessProvider;
import dev.nnkit.api.tensor.Tensor;
import java.util.List;

/**
 * A plugin author's test of a momentum optimizer that keeps its velocity in a field instead of a
 * state slot, so a checkpoint cannot save it. {@link ContractsCatchBugsTest} expects the kit to
 * fail it. (No "Test" suffix, so Surefire skips it.)
 */
class HiddenStateOptimizerFixture extends OptimizerContract {
    static final class HiddenMomentumProvider extends SettinglessProvider<Optimizer>
            implements OptimizerProvider<NoConfig> {
        @Override
        public int spiVersion() {
            return SPI_VERSION; // broken in one way only: see the class comment
        }

        HiddenMomentumProvider() {
            super("hidden-momentum", "momentum kept in a field by mistake");
        }

        @Override
        public Optimizer create(NoConfig config) {
            return new Optimizer() {
                private double[] velocity; // wrong: should be a declared state slot

                @Override
                public List<String> stateSlots() {
                    return List.of();
                }

                @Override
                public double learningRate() {
                    return 0.05;
                }

                @Override
                public void update(Tensor value, Tensor gradient, ParameterState state, StepContext step) {
                    if (velocity == null) {
                        velocity = new double[value.size()];
                    }
                    for (int i = 0; i < value.size(); i++) {
                        velocity[i] = 0.9 * velocity[i] + gradient.get(i);
                        value.set(i, value.get(i) - step.learningRate() * velocity[i]);
                    }
                }
            };
        }
    }

    @Override
    protected OptimizerProvider<?> provider() {
        return new HiddenMomentumProvider();
    }
}

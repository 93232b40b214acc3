package dev.nnkit.optimizers.internal;

import dev.nnkit.api.schedule.LearningRateSchedule;
import dev.nnkit.api.schedule.LearningRateScheduleProvider;
import dev.nnkit.optimizers.ScheduleConfigs;
import dev.nnkit.tck.ScheduleContract;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/** Every built-in schedule passes the plugin kit's schedule contract, its settings probes included. */
class ScheduleContractsTest {

    @Nested
    @DisplayName("constant")
    class Constant extends ScheduleContract {
        @Override
        protected LearningRateScheduleProvider<?> provider() {
            return new ScheduleProviders.Constant();
        }
    }

    @Nested
    @DisplayName("step")
    class Step extends ScheduleContract {
        @Override
        protected LearningRateScheduleProvider<?> provider() {
            return new ScheduleProviders.Step();
        }
    }

    @Nested
    @DisplayName("multi-step")
    class MultiStep extends ScheduleContract {
        @Override
        protected LearningRateScheduleProvider<?> provider() {
            return new ScheduleProviders.MultiStep();
        }
    }

    @Nested
    @DisplayName("exponential")
    class Exponential extends ScheduleContract {
        @Override
        protected LearningRateScheduleProvider<?> provider() {
            return new ScheduleProviders.Exponential();
        }
    }

    @Nested
    @DisplayName("cosine")
    class Cosine extends ScheduleContract {
        @Override
        protected LearningRateScheduleProvider<?> provider() {
            return new ScheduleProviders.Cosine();
        }
    }

    @Nested
    @DisplayName("linear-warmup")
    class LinearWarmup extends ScheduleContract {
        @Override
        protected LearningRateScheduleProvider<?> provider() {
            return new ScheduleProviders.LinearWarmup();
        }
    }

    @Nested
    @DisplayName("reduce-on-plateau")
    class ReduceOnPlateau extends ScheduleContract {
        @Override
        protected LearningRateScheduleProvider<?> provider() {
            return new ScheduleProviders.ReduceOnPlateau();
        }
    }

    @Nested
    @DisplayName("reduce-on-plateau watching validation accuracy (mode max)")
    class ReduceOnPlateauAccuracy extends ScheduleContract {
        @Override
        protected LearningRateScheduleProvider<?> provider() {
            return new ScheduleProviders.ReduceOnPlateau();
        }

        @Override
        protected LearningRateSchedule schedule() {
            return new ScheduleProviders.ReduceOnPlateau().create(new ScheduleConfigs.ReduceOnPlateau(0.5, 2, 1e-4, 1,
                    1e-6, "validationAccuracy"));
        }
    }
}

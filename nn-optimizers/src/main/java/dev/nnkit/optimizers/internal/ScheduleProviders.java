package dev.nnkit.optimizers.internal;

import dev.nnkit.api.plugin.BasicPluginProvider;
import dev.nnkit.api.plugin.NoConfig;
import dev.nnkit.api.schedule.LearningRateSchedule;
import dev.nnkit.api.schedule.LearningRateScheduleProvider;
import dev.nnkit.optimizers.ScheduleConfigs;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/** The built-in learning-rate schedules, closed forms of {@code torch.optim.lr_scheduler}'s. */
public final class ScheduleProviders {
    private ScheduleProviders() {
    }

    /** Shared shell: the basics plus a factory. */
    abstract static class Base<C extends Record> extends BasicPluginProvider<C, LearningRateSchedule>
            implements LearningRateScheduleProvider<C> {
    @Override
    public final int spiVersion() {
        return SPI_VERSION;
    }

        private final Function<C, LearningRateSchedule> factory;

        Base(String id, String description, Class<C> type, C defaults, Set<String> required,
             Function<C, LearningRateSchedule> factory) {
            super(id, description, type, defaults, required);
            this.factory = factory;
        }

        @Override
        public final LearningRateSchedule create(C config) {
            return factory.apply(config);
        }
    }

    public static final class Constant extends Base<NoConfig> {
        public Constant() {
            super("constant", "Constant: η every epoch", NoConfig.class, NoConfig.INSTANCE, Set.of(),
                    c -> (base, epoch, losses) -> base);
        }
    }

    public static final class Step extends Base<ScheduleConfigs.Step> {
        public Step() {
            super("step", "Step decay: η·γ^⌊e/stepSize⌋", ScheduleConfigs.Step.class,
                    new ScheduleConfigs.Step(1, 0.1), Set.of("stepSize"),
                    c -> (base, epoch, losses) -> base * Math.pow(c.gamma(), epoch / c.stepSize()));
        }
    }

    public static final class MultiStep extends Base<ScheduleConfigs.MultiStep> {
        public MultiStep() {
            super("multi-step", "Multi-step decay: η·γ^(milestones passed)", ScheduleConfigs.MultiStep.class,
                    new ScheduleConfigs.MultiStep(List.of(), 0.1), Set.of("milestones"),
                    c -> (base, epoch, losses) -> base
                            * Math.pow(c.gamma(), c.milestones().stream().filter(m -> m <= epoch).count()));
        }
    }

    public static final class Exponential extends Base<ScheduleConfigs.Exponential> {
        public Exponential() {
            super("exponential", "Exponential decay: η·γ^e", ScheduleConfigs.Exponential.class,
                    new ScheduleConfigs.Exponential(1), Set.of("gamma"),
                    c -> (base, epoch, losses) -> base * Math.pow(c.gamma(), epoch));
        }
    }

    public static final class Cosine extends Base<ScheduleConfigs.Cosine> {
        public Cosine() {
            super("cosine", "Cosine annealing: η_min + (η − η_min)(1 + cos(πe/T))/2", ScheduleConfigs.Cosine.class,
                    new ScheduleConfigs.Cosine(1, 0), Set.of("tMax"),
                    c -> (base, epoch, losses) -> c.minLearningRate()
                            + (base - c.minLearningRate()) * (1 + Math.cos(Math.PI * epoch / c.tMax())) / 2);
        }
    }

    public static final class LinearWarmup extends Base<ScheduleConfigs.LinearWarmup> {
        public LinearWarmup() {
            super("linear-warmup", "Linear warm-up: η·(s + (f − s)·min(e, n)/n)", ScheduleConfigs.LinearWarmup.class,
                    new ScheduleConfigs.LinearWarmup(1.0 / 3, 1.0, 5), Set.of(),
                    c -> (base, epoch, losses) -> base * (c.startFactor()
                            + (c.endFactor() - c.startFactor()) * Math.min(epoch, c.totalEpochs()) / c.totalEpochs()));
        }
    }

    public static final class ReduceOnPlateau extends Base<ScheduleConfigs.ReduceOnPlateau> {
        public ReduceOnPlateau() {
            super("reduce-on-plateau", "Reduce on plateau: η·factor after more than `patience` epochs without improvement of `monitor`",
                    ScheduleConfigs.ReduceOnPlateau.class, new ScheduleConfigs.ReduceOnPlateau(0.1, 10, 1e-4, 0, 0, "trainLoss"),
                    Set.of(), PlateauSchedule::new);
        }
    }
}

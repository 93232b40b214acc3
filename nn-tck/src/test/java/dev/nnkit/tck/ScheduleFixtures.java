package dev.nnkit.tck;

import dev.nnkit.api.plugin.BasicPluginProvider;
import dev.nnkit.api.schedule.LearningRateSchedule;
import dev.nnkit.api.schedule.LearningRateScheduleProvider;
import java.util.List;

/**
 * Plugin authors' tests of a step-decay schedule, one correct and the others each broken in one
 * way. {@link ContractsCatchBugsTest} runs each through the JUnit engine and expects exactly the
 * checks named there to fail. (Nested classes: Surefire does not run them.)
 */
final class ScheduleFixtures {
    private ScheduleFixtures() {
    }

    enum Bug { NONE, GOES_NEGATIVE, COUNTS_CALLS, UNKNOWN_MONITOR }

    /** Step decay: η·γ^⌊e/stepSize⌋. */
    public record StepSettings(int stepSize, double gamma) {
        public StepSettings {
            if (stepSize < 1) {
                throw new IllegalArgumentException("stepSize must be ≥ 1; got " + stepSize + ".");
            }
            if (!(gamma > 0 && gamma <= 1)) {
                throw new IllegalArgumentException("gamma must be in (0, 1]; got " + gamma + ".");
            }
        }
    }

    static final class Provider extends BasicPluginProvider<StepSettings, LearningRateSchedule>
            implements LearningRateScheduleProvider<StepSettings> {
        private final Bug bug;

        Provider(Bug bug) {
            super("step-fixture", "η·γ^⌊e/stepSize⌋", StepSettings.class, new StepSettings(10, 0.5));
            this.bug = bug;
        }

        @Override
        public int spiVersion() {
            return SPI_VERSION;
        }

        @Override
        public LearningRateSchedule create(StepSettings s) {
            return switch (bug) {
                case GOES_NEGATIVE -> (base, epoch, losses) -> base * (1 - epoch / 100.0); // linear decay past its end
                case COUNTS_CALLS -> new LearningRateSchedule() {
                    private int calls; // wrong: the epoch is the argument, not the number of calls

                    @Override
                    public double learningRate(double base, int epoch, List<Double> losses) {
                        return base * Math.pow(s.gamma(), calls++ / s.stepSize());
                    }
                };
                case UNKNOWN_MONITOR -> new LearningRateSchedule() {
                    @Override
                    public double learningRate(double base, int epoch, List<Double> losses) {
                        return base * Math.pow(s.gamma(), epoch / s.stepSize());
                    }

                    @Override
                    public String monitor() {
                        return "valLoss"; // Keras's name; the trainer records validationLoss
                    }
                };
                default -> (base, epoch, losses) -> base * Math.pow(s.gamma(), epoch / s.stepSize());
            };
        }
    }

    abstract static class Fixture extends ScheduleContract {
        private final Bug bug;

        Fixture(Bug bug) {
            this.bug = bug;
        }

        @Override
        protected LearningRateScheduleProvider<?> provider() {
            return new Provider(bug);
        }
    }

    static class Correct extends Fixture {
        Correct() {
            super(Bug.NONE);
        }
    }

    static class GoesNegative extends Fixture {
        GoesNegative() {
            super(Bug.GOES_NEGATIVE);
        }
    }

    static class CountsCalls extends Fixture {
        CountsCalls() {
            super(Bug.COUNTS_CALLS);
        }
    }

    static class UnknownMonitor extends Fixture {
        UnknownMonitor() {
            super(Bug.UNKNOWN_MONITOR);
        }
    }
}

package dev.nnkit.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.api.schedule.EpochHistory;
import dev.nnkit.api.schedule.LearningRateSchedule;
import dev.nnkit.api.schedule.LearningRateScheduleProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of a {@link LearningRateSchedule}: a pure function of the base rate, the epoch and
 * the scores of the epochs before it (a resumed run keeps no schedule state), giving a finite rate
 * ≥ 0. Extend it and return your provider:
 * <pre>
 * class WarmRestartsScheduleTest extends ScheduleContract {
 *     protected LearningRateScheduleProvider&lt;?&gt; provider() { return new WarmRestartsProvider(); }
 * }
 * </pre>
 * Override {@link #schedule()} to test settings other than the defaults.
 */
public abstract class ScheduleContract extends PluginContract<LearningRateScheduleProvider<?>> {
    private static final int EPOCHS = 200;
    private static final double BASE = 0.1;

    /** The provider under test. */
    @Override
    protected abstract LearningRateScheduleProvider<?> provider();

    /** The schedule under test: the provider's, with default settings. */
    protected LearningRateSchedule schedule() {
        return createDefault(provider());
    }

    private static <C extends Record> LearningRateSchedule createDefault(LearningRateScheduleProvider<C> p) {
        return p.create(p.defaultConfig());
    }

    /** Score histories a run can have: improving, flat (a plateau), worsening, and noisy. */
    private static List<EpochHistory> histories(int epochs) {
        List<IntToDoubleFunction> shapes = List.of(e -> 2.0 / (1 + e), e -> 0.5, e -> 0.1 + 0.01 * e,
                e -> 1 + 0.3 * Math.sin(1.7 * e));
        List<EpochHistory> out = new ArrayList<>();
        for (IntToDoubleFunction shape : shapes) {
            Map<String, List<Double>> series = new LinkedHashMap<>();
            for (String score : EpochHistory.SCORES) {
                boolean higherIsBetter = EpochHistory.higherIsBetter(score);
                List<Double> values = new ArrayList<>();
                for (int e = 0; e < epochs; e++) {
                    values.add(higherIsBetter ? 1 / (1 + shape.applyAsDouble(e)) : shape.applyAsDouble(e));
                }
                series.put(score, values);
            }
            out.add(new EpochHistory(series));
        }
        return out;
    }

    private static EpochHistory upTo(EpochHistory h, int epoch) {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        h.series().forEach((k, v) -> series.put(k, v.subList(0, epoch)));
        return new EpochHistory(series);
    }

    @Test
    @DisplayName("its rates are finite and ≥ 0 at every epoch of a 200-epoch run, whatever the scores do")
    protected void finiteAndNonNegative() {
        LearningRateSchedule s = schedule();
        for (EpochHistory h : histories(EPOCHS)) {
            for (int e = 0; e < EPOCHS; e++) {
                double rate = s.learningRate(BASE, e, upTo(h, e));
                if (!(rate >= 0) || Double.isInfinite(rate)) {
                    throw new AssertionError("At epoch " + e + " with base rate " + BASE + " and training losses "
                            + upTo(h, Math.min(e, 5)).trainLoss() + "…, the schedule gives " + rate + ": a rate must be"
                            + " finite and ≥ 0 (clamp a decay at 0 or hold its last value).");
                }
            }
        }
    }

    @Test
    @DisplayName("its rates are a pure function of their arguments: any order of calls, any instance, the same rates")
    protected void pure() {
        for (EpochHistory h : histories(60)) {
            double[] forward = new double[60];
            LearningRateSchedule first = schedule();
            for (int e = 0; e < 60; e++) {
                forward[e] = first.learningRate(BASE, e, upTo(h, e));
            }
            LearningRateSchedule second = schedule();
            for (int e = 59; e >= 0; e--) {
                double again = second.learningRate(BASE, e, upTo(h, e));
                if (Double.doubleToLongBits(again) != Double.doubleToLongBits(forward[e])) {
                    throw new AssertionError("Epoch " + e + " gives " + again + " when asked after later epochs, from"
                            + " another instance, but " + forward[e] + " in order: the rate must depend on the base rate,"
                            + " the epoch and the history alone, or a resumed run trains at other rates. Keep no state"
                            + " in fields; compute what you need from the history.");
                }
            }
        }
    }

    @Test
    @DisplayName("it watches a score the trainer records")
    protected void monitorsAKnownScore() {
        assertThat(schedule().monitor()).as("monitor(): one of %s", EpochHistory.SCORES).isIn(EpochHistory.SCORES);
    }
}

package ${package};

import ${package}.internal.LogCoshLossProvider;
import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.tck.LossContract;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** The loss passes nnkit's loss contract: gradient, purity, NaN, settings, edge values. */
class LogCoshLossTest extends LossContract {
    @Override
    protected LossProvider<?> provider() {
        return new LogCoshLossProvider();
    }

    /** Regression targets and predictions anywhere in [−3, 3]: errors from tiny to large. */
    @Override
    protected Sample sample(SplittableRandom random, int outputs) {
        return new Sample(random.doubles(outputs, -3, 3).toArray(), random.doubles(outputs, -3, 3).toArray());
    }

    /** Where a naive log(cosh(x)) overflows, and a prediction equal to its target. */
    @Override
    protected List<Sample> edgeSamples() {
        return List.of(new Sample(new double[] {1e3, -1e3, 1e300, 0.5}, new double[] {0, 0, -1e300, 0.5}));
    }

    @Override
    protected List<Map<String, Object>> invalidSettings() {
        return List.of(Map.of("delta", 0.0), Map.of("delta", -1.0));
    }
}

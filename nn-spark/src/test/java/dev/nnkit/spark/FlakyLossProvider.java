package dev.nnkit.spark;

import dev.nnkit.api.loss.Loss;
import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.api.plugin.NoConfig;
import dev.nnkit.api.plugin.SettinglessProvider;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;

/**
 * Half squared error that, when armed, fails the first attempt of the next Spark task to use it:
 * the fault a lost or overloaded executor causes. Registered for the tests through
 * META-INF/services, so the executors find it as they would a real plugin.
 */
public final class FlakyLossProvider extends SettinglessProvider<Loss> implements LossProvider<NoConfig> {
    static final AtomicBoolean ARMED = new AtomicBoolean();
    static final AtomicInteger INJECTED = new AtomicInteger();

    public FlakyLossProvider() {
        super("flaky-half-sse", "Half squared error that fails one task attempt when armed: ℓ = ½ Σ (ŷ − y)²");
    }

    @Override
    public Loss create(NoConfig config) {
        return (p, y, g) -> {
            TaskContext task = TaskContext.get();
            if (task != null && task.attemptNumber() == 0 && ARMED.compareAndSet(true, false)) {
                INJECTED.incrementAndGet();
                throw new IllegalStateException("injected failure in task " + task.taskAttemptId());
            }
            double sum = 0;
            for (int i = 0; i < p.length; i++) {
                g[i] = p[i] - y[i];
                sum += 0.5 * g[i] * g[i];
            }
            return sum;
        };
    }
}

package dev.nnkit.spark;

import dev.nnkit.api.loss.Loss;
import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.api.plugin.NoConfig;
import dev.nnkit.api.plugin.SettinglessProvider;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Half squared error that, once the directory in the executor's {@code NN_KILL_DIR} holds a file
 * named {@code armed}, ends the executor's JVM at once (as a crashed or preempted machine would),
 * on the first executor to get there and only once ({@code killed} marks it). For
 * {@link ExecutorLossRun}, on a local cluster whose executors are processes of their own.
 */
public final class ExecutorKillingLossProvider extends SettinglessProvider<Loss> implements LossProvider<NoConfig> {
    public ExecutorKillingLossProvider() {
        super("executor-killing-half-sse", "Half squared error that ends its executor's JVM once when armed: "
                + "ℓ = ½ Σ (ŷ − y)²");
    }

    @Override
    public Loss create(NoConfig config) {
        return (p, y, g) -> {
            String dir = System.getenv("NN_KILL_DIR");
            if (dir != null && Files.exists(Path.of(dir, "armed"))) {
                try {
                    Files.createFile(Path.of(dir, "killed"));
                    Runtime.getRuntime().halt(137); // no shutdown hooks, no goodbye to the driver
                } catch (FileAlreadyExistsException e) {
                    // another task got there first: this executor lives
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
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

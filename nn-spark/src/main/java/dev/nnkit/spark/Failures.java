package dev.nnkit.spark;

import java.util.Optional;
import org.apache.spark.SparkEnv;

/** Turns what went wrong on an executor into one sentence for the driver. */
final class Failures {
    private Failures() {
    }

    /**
     * The exception's message, with the executor it happened on: building the executor's copy of
     * the network failed, which a plugin missing there causes.
     */
    static String onExecutor(Throwable e) {
        SparkEnv env = SparkEnv.get();
        String where = env == null ? "an executor" : "executor " + env.executorId();
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        return "on " + where + ": " + message + " Plugins must be on the executors' class path too: spark-submit --jars"
                + " plugin.jar.";
    }

    /**
     * The nnkit exception behind a failed Spark job, if that is what failed: Spark wraps an
     * executor's exception in its own, with every attempt's stack trace in the message.
     */
    static Optional<SparkTrainingException> nnkitCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SparkTrainingException s) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}

package dev.nnkit.spark;

import java.util.function.Supplier;

/** Runs a Spark job, turning a failure nnkit explains into that explanation alone. */
final class SparkJobs {
    private SparkJobs() {
    }

    static <T> T run(Supplier<T> job) {
        try {
            return job.get();
        } catch (RuntimeException e) {
            throw Failures.nnkitCause(e).map(SparkJobs::fresh).orElseThrow(() -> e);
        }
    }

    /** A copy thrown from the driver: its stack trace is the driver's, not the executor's. */
    private static SparkTrainingException fresh(SparkTrainingException e) {
        return new SparkTrainingException(e.getMessage());
    }
}

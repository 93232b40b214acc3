package dev.nnkit.core.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Splits a range of independent rows across the machine's cores, in fixed contiguous parts.
 * Each row is computed by the same sequential loop whichever part it falls in, so results never
 * depend on the number of threads. Small work runs on the calling thread: handing it off would
 * cost more than it saves.
 */
final class Parallel {
    /** Below about a million multiply-adds, one thread is faster than two. */
    static final long MIN_PARALLEL_WORK = 1L << 20;
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    /** Set while {@link #runAlone} runs: every range then runs whole on the calling thread. */
    private static final ThreadLocal<Boolean> ALONE = ThreadLocal.withInitial(() -> false);

    /** Work on rows [from, to) as part {@code part} (0 runs on the calling thread). */
    @FunctionalInterface
    interface Rows {
        void run(int part, int from, int to);
    }

    /** The most parts a range is split into (callers size per-part buffers with it). */
    static int maxParts() {
        return Math.max(1, CORES);
    }

    private Parallel() {
    }

    /** Runs {@code task} with every range on the calling thread (to check results do not depend on the split). */
    static void runAlone(Runnable task) {
        ALONE.set(true);
        try {
            task.run();
        } finally {
            ALONE.set(false);
        }
    }

    /** Runs {@code body} over [0, rows), in {@code step}-aligned parts when {@code work} is large enough. */
    static void rows(int rows, int step, long work, Rows body) {
        int parts = work < MIN_PARALLEL_WORK || CORES < 2 || ALONE.get() ? 1 : Math.min(CORES, Math.max(1, rows / step));
        if (parts <= 1) {
            body.run(0, 0, rows);
            return;
        }
        int blocks = (rows + step - 1) / step;
        List<ForkJoinTask<?>> tasks = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            int part = p;
            int from = Math.min(rows, blocks * p / parts * step);
            int to = Math.min(rows, blocks * (p + 1) / parts * step);
            tasks.add(ForkJoinPool.commonPool().submit(() -> body.run(part, from, to)));
        }
        body.run(0, 0, Math.min(rows, blocks / parts * step));
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
    }
}

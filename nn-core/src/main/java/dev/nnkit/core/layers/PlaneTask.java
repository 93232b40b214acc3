package dev.nnkit.core.layers;

import dev.nnkit.core.kernel.Parallel;

/**
 * A layer loop over independent planes (an image's channel, a batch norm channel, a row of patches)
 * split across nnkit's kernel threads. Each plane is computed by the same sequential code whichever
 * thread takes it, so results never depend on the number of threads. The call's arguments live in
 * the subclass's fields and each calling thread has its own task ({@link #local}), so a split
 * allocates nothing and concurrent inference callers never share one.
 */
abstract class PlaneTask implements Parallel.Rows {

    /** Runs {@link #planes} over [0, planes) across threads when there are at least {@code values} to touch. */
    final void run(int planes, long values) {
        Parallel.rows(planes, 1, values, this);
        clear();
    }

    @Override
    public final void run(int part, int from, int to) {
        planes(part, from, to);
    }

    /** Computes planes [from, to) as part {@code part} of the split (unique among the threads running it). */
    abstract void planes(int part, int from, int to);

    /** Drops the references to the call's tensors, so an idle task keeps no batch alive. */
    abstract void clear();

    /** A per-thread task made by {@code factory}. */
    static <T extends PlaneTask> ThreadLocal<T> local(java.util.function.Supplier<T> factory) {
        return ThreadLocal.withInitial(factory);
    }
}

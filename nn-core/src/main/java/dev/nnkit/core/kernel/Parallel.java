package dev.nnkit.core.kernel;

import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Splits a range of independent rows across the machine's cores ({@code -Dnnkit.threads=N} to use
 * fewer or more), in fixed contiguous parts. Each row is computed by the same sequential loop
 * whichever part it falls in, so results never depend on the number of threads
 * ({@link #runWithParts} lets tests check that at 1 to 4 parts). Small work runs on the calling
 * thread: handing it off would cost more than it saves.
 *
 * <p>The other parts run on daemon worker threads started once, one per extra thread, that take a
 * job from a field and report back through another: a split allocates nothing (fork-join tasks
 * did, on every product of every step). The workers serve one caller at a time: while another
 * thread uses them (a second trainer, concurrent predictions), a caller runs the whole range on its
 * own thread, which gives the same results and keeps every core busy without oversubscribing.
 *
 * <p>Public for the trainer's element-wise optimizer updates; the package is not exported.
 */
public final class Parallel {
    /** Below about a million multiply-adds, one thread is faster than two. */
    public static final long MIN_PARALLEL_WORK = 1L << 20;
    /** Threads a product may use: {@code -Dnnkit.threads=N}, by default one per core. */
    private static final int CORES = threads(System.getProperty("nnkit.threads"));
    /** Tests force up to this many parts, whatever the machine, to check results do not depend on them. */
    private static final int MAX_FORCED_PARTS = 4;
    /**
     * Spins (tens of microseconds) before parking, on both sides: a training step hands off about
     * ten products in a row, and waking a parked thread costs more than a small product.
     */
    private static final int SPINS = 1 << 11;
    /** Set while {@link #runWithParts} runs: every range is then split into exactly that many parts. */
    private static final ThreadLocal<int[]> FORCED_PARTS = ThreadLocal.withInitial(() -> new int[1]);
    private static final ReentrantLock BUSY = new ReentrantLock();
    private static Worker[] workers;
    private static long sharedRuns;
    private static volatile boolean toldShared;

    /** Work on rows [from, to) as part {@code part} (0 runs on the calling thread). */
    @FunctionalInterface
    public interface Rows {
        void run(int part, int from, int to);
    }

    /** The threads a range may be split across, the caller's included. */
    static int maxThreads() {
        return CORES;
    }

    /** The most parts a range is split into (callers size per-part buffers with it). */
    static int maxParts() {
        return Math.max(CORES, MAX_FORCED_PARTS);
    }

    private Parallel() {
    }

    /**
     * The thread count asked for, or one per core. A bad value is reported and ignored: thrown from
     * here it would surface as an ExceptionInInitializerError in whatever first ran a product.
     */
    private static int threads(String setting) {
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        if (setting == null) {
            return cores;
        }
        try {
            int n = Integer.parseInt(setting.trim());
            if (n >= 1 && n <= 256) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        System.getLogger("dev.nnkit.kernels").log(System.Logger.Level.WARNING, "nnkit: ignoring -Dnnkit.threads="
                + setting + ": it must be a whole number from 1 to 256. Using " + cores + " (one per core).");
        return cores;
    }

    /** Runs {@code task} with every range on the calling thread (to check results do not depend on the split). */
    static void runAlone(Runnable task) {
        runWithParts(1, task);
    }

    /**
     * Runs {@code task} with every range split into exactly {@code parts} parts (1 to 4), whatever the
     * work and the number of cores: for tests that check results never depend on the split.
     */
    public static void runWithParts(int parts, Runnable task) {
        if (parts < 1 || parts > MAX_FORCED_PARTS) {
            throw new IllegalArgumentException("parts must be 1 to " + MAX_FORCED_PARTS + "; got " + parts + ".");
        }
        int[] forced = FORCED_PARTS.get();
        int before = forced[0];
        forced[0] = parts;
        try {
            task.run();
        } finally {
            forced[0] = before;
        }
    }

    /** Runs {@code body} over [0, rows), in {@code step}-aligned parts when {@code work} is large enough. */
    public static void rows(int rows, int step, long work, Rows body) {
        int forced = FORCED_PARTS.get()[0];
        int blocks = (rows + step - 1) / step;
        int parts = forced > 0 ? Math.min(forced, blocks)
                : work < MIN_PARALLEL_WORK || CORES < 2 ? 1 : Math.min(CORES, Math.max(1, rows / step));
        if (parts <= 1) {
            body.run(0, 0, rows);
            return;
        }
        if (!BUSY.tryLock()) {
            sharedRun();
            body.run(0, 0, rows);
            return;
        }
        try {
            Worker[] pool = workers(parts - 1);
            for (int p = 1; p < parts; p++) {
                pool[p - 1].start(body, p, Math.min(rows, blocks * p / parts * step),
                        Math.min(rows, blocks * (p + 1) / parts * step));
            }
            Throwable failure = null;
            try {
                body.run(0, 0, Math.min(rows, blocks / parts * step));
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            for (int p = 1; p < parts; p++) {
                Throwable t = pool[p - 1].await();
                if (failure == null) {
                    failure = t;
                }
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            } else if (failure instanceof Error e) {
                throw e;
            }
        } finally {
            BUSY.unlock();
        }
    }

    /** How many splittable ranges ran on their caller's thread alone because another thread had the workers. */
    static long sharedRuns() {
        return sharedRuns;
    }

    /**
     * Counts a range run alone because the workers were busy, and says so once per JVM: a second
     * trainer (or predictions during training) then gets one core for its products, which is right
     * on a machine whose cores the first one keeps busy, but should not happen silently.
     */
    private static void sharedRun() {
        sharedRuns++; // racy by design: a statistic, and no lock on this path
        if (!toldShared) {
            toldShared = true;
            System.getLogger("dev.nnkit.kernels").log(System.Logger.Level.INFO, "nnkit: several threads are"
                    + " running matrix products at once (concurrent predictions, or two trainers). The kernel"
                    + " workers serve one of them at a time; the others compute on their own threads, with the same"
                    + " results. This is expected; it is said once so that a slower second trainer is no mystery"
                    + " (" + CORES + " kernel threads, -Dnnkit.threads=N).");
        }
    }

    /** At least {@code needed} workers, started on first use (guarded by BUSY). */
    private static Worker[] workers(int needed) {
        if (workers == null || workers.length < needed) {
            int have = workers == null ? 0 : workers.length;
            Worker[] pool = workers == null ? new Worker[needed] : java.util.Arrays.copyOf(workers, needed);
            for (int i = have; i < pool.length; i++) {
                pool[i] = new Worker("nnkit-kernels-" + (i + 1));
            }
            workers = pool;
        }
        return workers;
    }

    /** The i-th wait for a flag: spin for a while, then park until unparked. */
    private static void pause(int i, Object blocker) {
        if (i < SPINS) {
            Thread.onSpinWait();
        } else {
            LockSupport.park(blocker);
        }
    }

    /** A thread that runs one part at a time, handed over through volatile fields. */
    private static final class Worker implements Runnable {
        private final Thread thread;
        private Thread caller;
        private Rows body;
        private int part;
        private int from;
        private int to;
        private Throwable failure;
        /** Written last by the caller (a job is ready) and by the worker (it is done). */
        private volatile boolean ready;
        private volatile boolean done = true;

        Worker(String name) {
            thread = new Thread(this, name);
            thread.setDaemon(true);
            thread.start();
        }

        void start(Rows rowsBody, int p, int f, int t) {
            body = rowsBody;
            part = p;
            from = f;
            to = t;
            failure = null;
            caller = Thread.currentThread();
            done = false;
            ready = true;
            LockSupport.unpark(thread);
        }

        Throwable await() {
            for (int i = 0; !done; i++) {
                pause(i, this);
            }
            body = null;
            return failure;
        }

        @Override
        public void run() {
            while (true) {
                for (int i = 0; !ready; i++) {
                    pause(i, this);
                }
                ready = false;
                try {
                    body.run(part, from, to);
                } catch (RuntimeException | Error e) {
                    failure = e;
                }
                done = true;
                LockSupport.unpark(caller);
            }
        }
    }
}

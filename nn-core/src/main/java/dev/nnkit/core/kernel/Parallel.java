package dev.nnkit.core.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Splits a range of independent rows across the machine's cores ({@code -Dnnkit.threads=N} to use
 * fewer or more). The range is cut into a fixed set of chunks (up to four per thread, none below
 * {@link #MIN_CHUNK_WORK}), and the calling thread and the
 * workers take chunks one at a time until none is left: when another process slows one core, the
 * other threads simply take more chunks, instead of the whole step waiting for a fixed half on the
 * slow core. Each row is computed by the same sequential loop whichever chunk and thread it falls
 * in, so results never depend on the number of threads or on who took what ({@link #runWithParts}
 * lets tests check that at 1 to 4 chunks). Small work runs on the calling thread: handing it off
 * would cost more than it saves.
 *
 * <p>The workers are daemon threads started once, one per extra thread; a split allocates nothing
 * (fork-join tasks did, on every product of every step). They serve one caller at a time: while
 * another thread uses them (a second trainer, concurrent predictions), a caller runs the whole range
 * on its own thread, which gives the same results and keeps every core busy without
 * oversubscribing.
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
    /**
     * Chunks per thread: small enough that a thread slowed by another process holds up the others
     * by at most a fraction of its share, large enough that each chunk repays taking it.
     */
    private static final int CHUNKS_PER_THREAD = 4;
    /**
     * The least work per chunk, in multiply-adds (about 25 µs on one core): a smaller chunk costs
     * more to claim than it evens out. At batch 8 the MLP's products cut into 8 chunks of a strip
     * each trained 16% slower than in halves.
     */
    private static final long MIN_CHUNK_WORK = Long.getLong("nnkit.minChunkWork", 1L << 22);
    /** Set while {@link #runWithParts} runs: every range is then split into exactly that many parts. */
    private static final ThreadLocal<int[]> FORCED_PARTS = ThreadLocal.withInitial(() -> new int[1]);
    private static final ReentrantLock BUSY = new ReentrantLock();
    private static Worker[] workers;
    private static final Job JOB = new Job();
    private static long sharedRuns;
    private static volatile boolean toldShared;

    /**
     * Work on rows [from, to) on the thread numbered {@code part} (0 is the calling thread; each
     * thread's number is unique during a split, for per-thread buffers). A thread may be given
     * several chunks of one range, one call each.
     */
    @FunctionalInterface
    public interface Rows {
        void run(int part, int from, int to);
    }

    /** The threads a range may be split across, the caller's included. */
    static int maxThreads() {
        return CORES;
    }

    /** The most threads a range is split across (callers size per-thread buffers with it). */
    public static int maxParts() {
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
     * Runs {@code task} with every range cut into exactly {@code parts} chunks (1 to 4) across as many
     * threads, whatever the work and the number of cores: for tests that check results never depend
     * on the split.
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

    /** Runs {@code body} over [0, rows), in {@code step}-aligned chunks across threads when {@code work} is large enough. */
    public static void rows(int rows, int step, long work, Rows body) {
        int forced = FORCED_PARTS.get()[0];
        int blocks = (rows + step - 1) / step;
        int threads = forced > 0 ? Math.min(forced, blocks)
                : work < MIN_PARALLEL_WORK || CORES < 2 ? 1 : Math.min(CORES, blocks);
        if (threads <= 1) {
            body.run(0, 0, rows);
            return;
        }
        Warmth warmth = forced > 0 ? null : WARMTH.get(body.getClass());
        if (warmth != null && !warmth.warm) {
            warmth.runTimed(body, rows, work);
            return;
        }
        int chunks = forced > 0 ? threads
                : Math.max(threads, (int) Math.min(Math.min(blocks, threads * CHUNKS_PER_THREAD), work / MIN_CHUNK_WORK));
        split(rows, step, threads, chunks, body);
    }

    /**
     * Whether a kind of work (a {@link Rows} class: a product, an element-wise pass) runs compiled yet.
     * Until the JIT compiles it, the Vector API runs boxed, a hundred times slower, and splitting it
     * only takes the second core from the compiler threads that end that phase: on two cores the
     * Fashion-MNIST MLP's first 50 steps took 0.1–0.15 s longer on two threads than on one. So each
     * kind runs on its caller's thread, timed, until a run reaches {@link #WARM_WORK_PER_NANO}
     * (compiled code does 10 to 50 times that; boxed and interpreted code a tenth of it or less), or
     * {@link #WARM_UP_NANOS} after its first run on a machine too slow ever to reach it. Results do
     * not depend on the number of threads, so when the split starts changes no bits.
     */
    private static final class Warmth {
        volatile boolean warm;
        private long firstRun;

        void runTimed(Rows body, int rows, long work) {
            long start = System.nanoTime();
            body.run(0, 0, rows);
            long end = System.nanoTime();
            if (firstRun == 0) {
                firstRun = start;
            }
            if (work >= WARM_WORK_PER_NANO * (end - start) || end - firstRun > WARM_UP_NANOS) {
                warm = true;
            }
        }
    }

    /** Work (multiply-adds) per nanosecond on one thread that marks a kind of work as compiled. */
    private static final long WARM_WORK_PER_NANO = 1;
    private static final long WARM_UP_NANOS = 3_000_000_000L;
    private static final boolean WARM_UP = !"false".equals(System.getProperty("nnkit.warmUpAlone"));
    private static final ClassValue<Warmth> WARMTH = new ClassValue<>() {
        @Override
        protected Warmth computeValue(Class<?> type) {
            Warmth w = new Warmth();
            w.warm = !WARM_UP;
            return w;
        }
    };

    /**
     * Runs {@code body} over tasks [0, count), each claimed on its own by whichever thread is free
     * (a slowed core simply takes fewer), with every range a task splits run on its own thread:
     * for work made of independent pieces large enough to repay a hand-off, such as the passes of a
     * large prediction. Which thread runs a task never changes its result (each range inside it
     * runs the same loop on one thread as across several).
     */
    public static void tasks(int count, Rows body) {
        int forced = FORCED_PARTS.get()[0];
        int threads = Math.min(count, forced > 0 ? forced : CORES);
        Rows alone = (part, from, to) -> runWithParts(1, () -> body.run(part, from, to));
        if (threads <= 1) {
            alone.run(0, 0, count);
            return;
        }
        split(count, 1, threads, count, alone);
    }

    /** Runs {@code body} over [0, rows) in {@code chunks} step-aligned chunks taken by {@code threads} threads. */
    static void split(int rows, int step, int threads, int chunks, Rows body) {
        if (!BUSY.tryLock()) {
            sharedRun();
            body.run(0, 0, rows);
            return;
        }
        try {
            Worker[] pool = workers(threads - 1);
            JOB.start(body, rows, step, (rows + step - 1) / step, chunks, threads);
            for (int p = 1; p < threads; p++) {
                pool[p - 1].wake();
            }
            JOB.work(0);
            Throwable failure = JOB.awaitAll();
            if (failure instanceof RuntimeException e) {
                throw e;
            } else if (failure instanceof Error e) {
                throw e;
            } else if (failure != null) {
                throw new IllegalStateException("A kernel chunk failed: " + failure, failure);
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
                pool[i] = new Worker("nnkit-kernels-" + (i + 1), i + 1, JOB.generation());
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

    /**
     * The range being split, shared by the caller and the workers (one at a time: guarded by BUSY).
     * Chunks are claimed through one atomic ticket, the split's generation in the high half and the
     * next chunk in the low half: a worker that wakes late, after its split has ended, finds a newer
     * generation (or none left) and claims nothing, so it never runs an old body on a new range.
     */
    private static final class Job {
        /** A chunk number beyond any range's chunk count: a ticket holding it has nothing to claim. */
        private static final long CLOSED = Integer.MAX_VALUE;
        private final AtomicLong ticket = new AtomicLong();
        private final AtomicInteger completed = new AtomicInteger();
        private volatile Throwable failure;
        private Thread caller;
        private Rows body;
        private int rows;
        private int step;
        private int blocks;
        private int chunks;
        /** Threads asked for: workers numbered beyond it stay out (they would oversubscribe). */
        private volatile int threads;

        /**
         * Publishes a new range: the old one is closed first, then every field is written, then the
         * ticket opens the new generation. Closing matters: a worker that read the old, exhausted
         * ticket could otherwise read some of the new fields (a larger chunk count among them), pass
         * its check, and claim a chunk with a compare-and-set on the old ticket, which the fields'
         * writes do not change; it then ran a chunk of mixed ranges and counted it as one of the new
         * range's, so the caller could go on before every chunk had run. The close is a read-modify-
         * write, so any claim that won before it also happens-before the field writes below.
         */
        void start(Rows rowsBody, int n, int rowStep, int blockCount, int chunkCount, int threadCount) {
            long generation = ticket.get() >>> 32;
            ticket.getAndSet((generation << 32) | CLOSED);
            caller = Thread.currentThread();
            body = rowsBody;
            rows = n;
            step = rowStep;
            blocks = blockCount;
            chunks = chunkCount;
            threads = threadCount;
            failure = null;
            completed.set(0);
            ticket.set((generation + 1) << 32);
        }

        long generation() {
            return ticket.get() >>> 32;
        }

        /** Takes chunks of the current range until none is left, as thread {@code part}. */
        void work(int part) {
            long t = ticket.get();
            long generation = t >>> 32;
            Rows b = body;
            int n = rows;
            int s = step;
            int bl = blocks;
            int ch = chunks;
            while (true) {
                // Fields read above may belong to a newer range than `generation`; then this
                // compare-and-set fails and nothing runs.
                if (t >>> 32 != generation || (int) t >= ch) {
                    return;
                }
                if (!ticket.compareAndSet(t, t + 1)) {
                    t = ticket.get();
                    continue;
                }
                int c = (int) t;
                try {
                    b.run(part, Math.min(n, (int) ((long) bl * c / ch) * s), Math.min(n, (int) ((long) bl * (c + 1) / ch) * s));
                } catch (Throwable e) { // even a checked one thrown sneakily: the chunk must still count
                    if (failure == null) {
                        failure = e;
                    }
                }
                if (completed.incrementAndGet() == ch && Thread.currentThread() != caller) {
                    LockSupport.unpark(caller);
                }
                t = ticket.get();
            }
        }

        /** Waits until every chunk has run (the slowest thread's last chunk), then the first failure. */
        Throwable awaitAll() {
            for (int i = 0; completed.get() < chunks; i++) {
                pause(i, this);
            }
            body = null;
            return failure;
        }
    }

    /** A thread that takes chunks of each new range whose split asks for it. */
    private static final class Worker implements Runnable {
        private final Thread thread;
        /** 0 for the caller; this worker's chunks run as this thread number. */
        private final int part;

        /** Generations up to {@code seen} are over when it starts: it waits for the next. */
        private long seen;

        Worker(String name, int part, long seen) {
            this.part = part;
            this.seen = seen;
            thread = new Thread(this, name);
            thread.setDaemon(true);
            thread.start();
        }

        void wake() {
            LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            while (true) {
                for (int i = 0; JOB.generation() == seen; i++) {
                    pause(i, this);
                }
                seen = JOB.generation();
                if (part < JOB.threads) {
                    JOB.work(part);
                }
            }
        }
    }
}

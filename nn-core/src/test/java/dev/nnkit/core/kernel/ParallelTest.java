package dev.nnkit.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Kernel worker threads")
class ParallelTest {

    @Test
    @DisplayName("a caller that finds the workers busy runs the whole range itself, and it is counted")
    void busyWorkersAreCounted() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread first = new Thread(() -> Parallel.runWithParts(2, () -> Parallel.rows(2, 1, 0, (part, from, to) -> {
            if (from == 0) { // whichever thread takes the first chunk holds the workers
                inside.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        })));
        first.start();
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
        long before = Parallel.sharedRuns();
        List<String> ran = new ArrayList<>();
        Parallel.runWithParts(2, () -> Parallel.rows(4, 1, 0, (part, from, to) ->
                ran.add(part + ":" + from + "-" + to + " on " + Thread.currentThread().getName())));
        release.countDown();
        first.join(30_000);
        assertThat(ran).containsExactly("0:0-4 on " + Thread.currentThread().getName());
        assertThat(Parallel.sharedRuns()).isEqualTo(before + 1);
    }

    @Test
    @DisplayName("every row runs exactly once, in step-aligned chunks, whichever thread takes them")
    void chunksCoverTheRangeOnce() {
        int rows = 1001;
        int step = 4;
        int[] runs = new int[rows];
        List<int[]> chunks = Collections.synchronizedList(new ArrayList<>());
        for (int repeat = 0; repeat < 200; repeat++) {
            Parallel.split(rows, step, 2, 8, (part, from, to) -> {
                chunks.add(new int[] {from, to});
                for (int i = from; i < to; i++) {
                    synchronized (runs) {
                        runs[i]++;
                    }
                }
            });
        }
        assertThat(runs).containsOnly(200);
        assertThat(chunks).hasSize(200 * 8).allSatisfy(c -> {
            assertThat(c[0] % step).isZero();
            assertThat(c[1] % step == 0 || c[1] == rows).isTrue();
        });
    }

    @Test
    @DisplayName("a worker that wakes late never claims a chunk of the next range with that range's fields half written")
    void lateWorkersClaimNothingOfTheNextRange() {
        // Back-to-back splits whose chunk counts and sizes change every time: a worker that read the
        // old (exhausted) ticket while the caller was writing the next range's fields once claimed a
        // chunk of it, ran it with mixed fields (an ArrayIndexOutOfBoundsException in a product) and
        // counted it as done, letting the caller go on before every chunk had run.
        int[][] counts = {new int[37], new int[1000]};
        int[] chunkCounts = {2, 64};
        for (int repeat = 0; repeat < 100_000; repeat++) {
            int k = repeat & 1;
            int[] c = counts[k];
            java.util.Arrays.fill(c, 0);
            Parallel.split(c.length, 1, 4, chunkCounts[k], (part, from, to) -> {
                for (int i = from; i < to; i++) {
                    c[i]++; // each index by one thread only, when chunks are disjoint
                }
            });
            for (int i = 0; i < c.length; i++) {
                if (c[i] != 1) {
                    throw new AssertionError("split " + repeat + ": row " + i + " ran " + c[i] + " times");
                }
            }
        }
    }

    @Test
    @DisplayName("a kind of work runs on its caller alone while it runs slowly (not compiled yet), then splits")
    void slowWorkRunsAloneUntilFast() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Parallel.maxThreads() >= 2, "needs two cores");
        SlowRows slow = new SlowRows();
        for (int i = 0; i < 3; i++) {
            Parallel.rows(64, 1, Parallel.MIN_PARALLEL_WORK, slow); // a millisecond per run: 0.001 work per ns
        }
        assertThat(slow.parts).containsOnly(0);
        FastRows fast = new FastRows();
        for (int i = 0; i < 20 && fast.parts.stream().allMatch(p -> p == 0); i++) {
            Parallel.rows(64, 1, 1L << 40, fast); // no time at all for that much work: compiled
        }
        assertThat(fast.parts).as("runs after the first fast one are split").contains(1);
    }

    /** A millisecond per chunk; each subclass is a kind of work of its own (warmth is kept per class). */
    private static class SleepingRows implements Parallel.Rows {
        final List<Integer> parts = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void run(int part, int from, int to) {
            parts.add(part);
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final class SlowRows extends SleepingRows {
    }

    /** "Fast" for the 2⁴⁰ multiply-adds it claims; the sleep gives the worker time to take chunks. */
    private static final class FastRows extends SleepingRows {
    }

    @Test
    @DisplayName("a slow thread takes fewer chunks: the others do not wait for a fixed share on it")
    void aSlowThreadTakesFewerChunks() {
        Thread caller = Thread.currentThread();
        Map<String, Integer> taken = new ConcurrentHashMap<>();
        Parallel.split(64, 1, 2, 8, (part, from, to) -> {
            taken.merge(Thread.currentThread() == caller ? "caller" : "worker", 1, Integer::sum);
            if (Thread.currentThread() != caller) {
                try {
                    Thread.sleep(300); // a worker on a core another process keeps busy
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        assertThat(taken.getOrDefault("worker", 0)).isLessThanOrEqualTo(1);
        assertThat(taken.get("caller")).isGreaterThanOrEqualTo(7);
    }

    @Test
    @DisplayName("a failure in any chunk reaches the caller, and the next split runs normally")
    void failuresReachTheCaller() {
        assertThatThrownBy(() -> Parallel.split(64, 1, 2, 8, (part, from, to) -> {
            if (from == 40) {
                throw new IllegalStateException("chunk at 40");
            }
        })).isInstanceOf(IllegalStateException.class).hasMessage("chunk at 40");
        int[] sum = new int[1];
        Parallel.split(64, 1, 2, 8, (part, from, to) -> {
            synchronized (sum) {
                sum[0] += to - from;
            }
        });
        assertThat(sum[0]).isEqualTo(64);
    }

    @Test
    @DisplayName("the backend names its kernels and threads")
    void describesItself() {
        assertThat(ComputeBackend.get().description()).matches("(Vector API, \\d+-bit|portable loops.*); \\d+ threads?");
        assertThat(ComputeBackend.get().threads()).isPositive();
    }
}

package dev.nnkit.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
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
            if (part == 0) {
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
    @DisplayName("the backend names its kernels and threads")
    void describesItself() {
        assertThat(ComputeBackend.get().description()).matches("(Vector API, \\d+-bit|portable loops.*); \\d+ threads?");
        assertThat(ComputeBackend.get().threads()).isPositive();
    }
}

package dev.nnkit.spark;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One parameter-averaging round on one partition: from the driver's averaged weights and optimizer
 * state, the partition's own next steps over its own examples. An empty partition takes no part.
 */
final class RoundTask implements Function2<Integer, Iterator<ExampleBlock>, Iterator<RoundResult>> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<WorkerSpec> spec;
    private final Broadcast<RoundStart> start;
    private final long[] checksums;

    RoundTask(Broadcast<WorkerSpec> spec, Broadcast<RoundStart> start, long[] checksums) {
        this.checksums = checksums;
        this.spec = spec;
        this.start = start;
    }

    @Override
    public Iterator<RoundResult> call(Integer partition, Iterator<ExampleBlock> blocks) {
        ExampleBlock block = BlockCheck.only(blocks);
        if (block == null || block.rows == 0) {
            return Collections.emptyIterator();
        }
        String changed = BlockCheck.changed(block, checksums[partition]);
        if (changed != null) {
            return List.of(RoundResult.failed(partition, changed)).iterator();
        }
        Worker worker;
        try {
            worker = Worker.borrow(spec.value());
        } catch (RuntimeException e) {
            return List.of(RoundResult.failed(partition, "Partition " + partition + ", " + Failures.onExecutor(e))).iterator();
        }
        try {
            return List.of(worker.round(block, start.value())).iterator();
        } catch (IllegalArgumentException e) {
            // Bad input fails every attempt alike: said once, not retried into a wall of stack traces.
            return List.of(RoundResult.failed(partition, "Partition " + partition + ": " + e.getMessage())).iterator();
        } finally {
            worker.release();
        }
    }
}

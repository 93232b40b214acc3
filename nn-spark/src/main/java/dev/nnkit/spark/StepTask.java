package dev.nnkit.spark;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One step's work on one partition: the rows of the batch that this partition holds, through the
 * executor's copy of the network with the driver's weights, summed into a {@link PartialSum}.
 * A partition holding none of the batch's rows returns nothing.
 */
final class StepTask implements Function2<Integer, Iterator<ExampleBlock>, Iterator<PartialSum>> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<WorkerSpec> spec;
    private final Broadcast<FlatArray> weights;
    /** The global index of each partition's first example. */
    private final long[] firsts;
    /** The batch's examples by global index, in the epoch's order. */
    private final int[] batch;
    private final long[] checksums;

    StepTask(Broadcast<WorkerSpec> spec, Broadcast<FlatArray> weights, long[] firsts, long[] checksums, int[] batch) {
        this.checksums = checksums;
        this.spec = spec;
        this.weights = weights;
        this.firsts = firsts;
        this.batch = batch;
    }

    @Override
    public Iterator<PartialSum> call(Integer partition, Iterator<ExampleBlock> blocks) {
        ExampleBlock block = BlockCheck.only(blocks);
        if (block == null) {
            return Collections.emptyIterator();
        }
        String changed = BlockCheck.changed(block, checksums[partition]);
        if (changed != null) {
            return List.of(PartialSum.failed(partition, changed)).iterator();
        }
        long first = firsts[partition];
        int[] local = new int[batch.length];
        int count = 0;
        for (int index : batch) {
            if (index >= first && index < first + block.rows) {
                local[count++] = (int) (index - first);
            }
        }
        if (count == 0) {
            return Collections.emptyIterator();
        }
        Worker worker;
        try {
            worker = Worker.borrow(spec.value());
        } catch (RuntimeException e) {
            // A missing plugin or a bad setting will fail every attempt the same way: say so once.
            return List.of(PartialSum.failed(partition, "Partition " + partition + ", " + Failures.onExecutor(e))).iterator();
        }
        try {
            return List.of(worker.gradients(block, local, count, batch.length, weights.value())).iterator();
        } finally {
            worker.release();
        }
    }
}

package dev.nnkit.spark;

import dev.nnkit.core.network.BatchPart;
import dev.nnkit.core.network.KnownSums;
import dev.nnkit.core.network.SplitBatchException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One step's work on one partition: the rows of the batch that this partition holds, through the
 * executor's copy of the network with the driver's weights and buffers, summed into a
 * {@link PartialSum}. A partition holding none of the batch's rows returns nothing. A network whose
 * layers take sums over the whole batch (batch norm) runs the step in rounds ({@link KnownSums}):
 * each round's task gets the whole-batch sums found so far and either completes the pass or hands
 * back its contribution to the next one.
 */
final class StepTask implements Function2<Integer, Iterator<ExampleBlock>, Iterator<PartialSum>> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<WorkerSpec> spec;
    private final Broadcast<Start> start;
    /** The global index of each partition's first example. */
    private final long[] firsts;
    /** The batch's examples by global index, in the epoch's order. */
    private final int[] batch;
    private final long[] checksums;
    /** Each stage's key for the step's row-addressed draws (dropout's masks), drawn on the driver. */
    private final long[] passKeys;
    /** The whole-batch sums of the step's earlier rounds, in call order. */
    private final ArrayList<double[]> known;

    /** The driver's weights and buffers (batch norm's running statistics) at the step's start. */
    record Start(FlatArray weights, FlatArray buffers) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    StepTask(Broadcast<WorkerSpec> spec, Broadcast<Start> start, long[] firsts, long[] checksums, int[] batch,
             long[] passKeys, List<double[]> known) {
        this.checksums = checksums;
        this.passKeys = passKeys;
        this.known = new ArrayList<>(known);
        this.spec = spec;
        this.start = start;
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
        int[] places = new int[batch.length];
        int count = 0;
        for (int place = 0; place < batch.length; place++) {
            int index = batch[place];
            if (index >= first && index < first + block.rows) {
                places[count] = place;
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
            BatchPart part = new BatchPart(Arrays.copyOf(places, count), passKeys, batch.length, new KnownSums(known));
            return List.of(worker.gradients(block, local, part, start.value())).iterator();
        } catch (KnownSums.Needed e) {
            return List.of(PartialSum.pending(partition, e.contribution())).iterator();
        } catch (SplitBatchException e) {
            return List.of(PartialSum.failed(partition, "Synchronous training cannot split this network's batches: "
                    + e.getMessage())).iterator();
        } catch (IllegalArgumentException e) {
            // Bad input fails every attempt alike: said once, not retried into a wall of stack traces.
            return List.of(PartialSum.failed(partition, "Partition " + partition + ": " + e.getMessage())).iterator();
        } finally {
            worker.release();
        }
    }
}

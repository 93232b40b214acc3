package dev.nnkit.spark;

import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.train.ExampleSource;
import dev.nnkit.core.train.TrainingDivergedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Synchronous data-parallel gradients for the driver's trainer: each step the driver's weights are
 * broadcast, every partition holding some of the batch's examples computes its share of the
 * batch's loss and gradient with nnkit's engine (a mean divided by the whole batch's size), and a
 * {@link TreeSum} adds the shares up. The trainer then applies penalties, clipping and the
 * optimizer as it does for local data. Layers that take sums over the whole batch (batch norm's
 * statistics) make the step take more rounds, one per sum ({@link StepTask}); the buffers they
 * update come back with the gradient, so the driver's network holds them for scores and checkpoints.
 */
final class StepGradients implements ExampleSource {
    private final JavaSparkContext sc;
    private final SparkExamples data;
    private final Broadcast<WorkerSpec> spec;
    private final Network network;
    private final int depth;
    private int nonFinitePartition = -1;
    /** For each value of the buffers end to end, its buffer's name (as in the model file). */
    private final String[] bufferNames;
    /**
     * Rounds that end at a whole-batch sum, as the first step found; -1 until then. The round that
     * sums the gradient always takes the tree of {@link #depth}: its float32 sums round by level,
     * and a step summed otherwise (a resumed run's first) would not repeat the run's bits.
     */
    private int sumRounds = -1;

    StepGradients(JavaSparkContext sc, SparkExamples data, Broadcast<WorkerSpec> spec, Network network, int depth) {
        this.sc = sc;
        this.data = data;
        this.spec = spec;
        this.network = network;
        this.depth = depth;
        this.bufferNames = network.buffers().stream()
                .flatMap(b -> java.util.Collections.nCopies(b.buffer().value().size(), b.name()).stream())
                .toArray(String[]::new);
    }

    @Override
    public int size() {
        return data.size();
    }

    @Override
    public double gradients(int[] order, int from, int size) {
        int[] batch = Arrays.copyOfRange(order, from, from + size);
        long[] passKeys = network.drawPassKeys(); // as the local trainer's forward draws them
        List<Tensor> buffers = network.buffers().stream().map(b -> b.buffer().value()).toList();
        Broadcast<StepTask.Start> start = sc.broadcast(new StepTask.Start(
                FlatArray.read(network.parameters(), network.dtype(), false), FlatArray.of(buffers, network.dtype())));
        List<double[]> known = new ArrayList<>();
        PartialSum total;
        try {
            while (true) { // one round, and one more for each whole-batch sum a layer takes (batch norm: 3)
                JavaRDD<PartialSum> parts = data.blocks.mapPartitionsWithIndex(
                        new StepTask(spec, start, data.firsts, data.checksums, batch, passKeys, known), true);
                // A round that ends at a whole-batch sum sends a few numbers per partition: straight to the
                // driver, which adds them in partition order at any depth (so this choice changes no bit).
                int levels = sumRounds >= 0 && known.size() < sumRounds ? 1 : depth;
                total = SparkJobs.run(() -> TreeSum.sum(parts, data.partitions(), levels, network.dtype(), bufferNames));
                if (total.failure() != null) {
                    throw new SparkTrainingException(total.failure());
                }
                if (total.pending() == null) {
                    break;
                }
                known.add(total.pendingTotal());
            }
        } finally {
            start.destroy();
        }
        sumRounds = known.size(); // the same every step: the network takes the same sums
        if (total.rows() != size) {
            throw new IllegalStateException("The partitions summed " + total.rows() + " examples of a batch of " + size
                    + "; the cached examples no longer match the count taken when they were read.");
        }
        total.buffers().writeTo(buffers);
        int at = 0;
        for (NamedParameter p : network.parameters()) {
            Tensor g = p.parameter().gradient();
            for (int i = 0; i < g.size(); i++) {
                g.set(i, total.gradient().f64[at++]);
            }
        }
        nonFinitePartition = total.nonFinitePartition();
        return total.loss();
    }

    @Override
    public TrainingDivergedException diverged(double c, int epoch, long step) {
        return new TrainingDivergedException("Training diverged: the loss is " + c + " at epoch " + epoch + ", step " + step
                + (nonFinitePartition >= 0 ? "; partition " + nonFinitePartition + "'s examples first gave a non-finite loss"
                : "; every partition's loss was finite, so their sum overflowed")
                + ". Try a lower learning rate, standardized inputs, or a loss computed from logits.", epoch, step);
    }
}

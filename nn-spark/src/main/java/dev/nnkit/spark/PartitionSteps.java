package dev.nnkit.spark;

import dev.nnkit.api.loss.LossFunction;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.random.RandomPlan;
import dev.nnkit.core.random.RandomStreams;
import dev.nnkit.core.train.OptimizerSnapshot;
import dev.nnkit.core.train.Trainer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A partition training on its own between averages: nnkit's {@link Trainer} over the executor's
 * network, stepping through the partition's examples in the order a local trainer with the seed
 * {@code seed + partition} would (each epoch a fresh shuffle of the partition's examples), so one
 * partition's run can be replayed on one machine. Not thread-safe: a worker's.
 */
final class PartitionSteps {
    private final WorkerSpec spec;
    private final Network network;
    private final LossFunction loss;
    private final PluginRegistry plugins;
    private Trainer trainer;
    private int trainerPartition = -1;
    /** The last epoch order made, for which partition and epoch, and the stream's state after it. */
    private int orderPartition = -1;
    private long orderEpoch = -1;
    private int[] order;
    private byte[] streamAfter;

    PartitionSteps(WorkerSpec spec, PluginRegistry plugins, Network network, LossFunction loss) {
        this.spec = spec;
        this.plugins = plugins;
        this.network = network;
        this.loss = loss;
    }

    RoundResult round(ExampleBlock block, RoundStart start) {
        Trainer t = trainer(block.partition);
        start.weights().write(network.parameters(), false);
        Map<String, Map<String, double[]>> slots = new HashMap<>();
        start.slots().forEach((p, m) -> slots.put(p, new HashMap<>(m)));
        t.restoreOptimizerState(new OptimizerSnapshot(start.iterations(), slots));
        t.setLearningRate(start.learningRate());
        start.buffers().writeTo(buffers());
        byte[][] states = start.stageStates().get(block.partition);
        for (int i = 0; i < network.stages().size(); i++) {
            // Where this partition's last round left them, wherever that ran; at first, as a local
            // trainer with the seed seed + partition starts them.
            network.stageRandom(i).restoreState(states != null ? states[i]
                    : new RandomPlan(spec.seed() + block.partition, spec.stages().size()).stage(i).saveState());
        }
        int batchSize = spec.local().batchSize();
        long perEpoch = (block.rows + (long) batchSize - 1) / batchSize;
        double lossSum = 0;
        long examples = 0;
        for (long s = start.firstStep(); s < start.firstStep() + start.steps(); s++) {
            int[] epochOrder = order(block, s / perEpoch);
            int from = (int) (s % perEpoch) * batchSize;
            int size = Math.min(batchSize, block.rows - from);
            int[] rows = Arrays.copyOfRange(epochOrder, from, from + size);
            Tensor x = block.features(rows, size, network.inputShape());
            Tensor y = block.targets(rows, size);
            double c = t.computeGradients(x, y, block.weights(rows, size));
            lossSum += c * size;
            examples += size;
            if (!Double.isFinite(c)) {
                break; // the driver reports it
            }
            t.applyUpdate();
        }
        byte[][] after = new byte[network.stages().size()][];
        for (int i = 0; i < after.length; i++) {
            after[i] = network.stageRandom(i).saveState();
        }
        return new RoundResult(block.partition, examples, lossSum, FlatArray.read(network.parameters(), network.dtype(), false),
                RoundStart.copy(t.saveOptimizerState().slots()), FlatArray.of(buffers(), network.dtype()), after, null);
    }

    private java.util.List<Tensor> buffers() {
        return network.buffers().stream().map(b -> b.buffer().value()).toList();
    }

    private Trainer trainer(int partition) {
        if (trainer == null || trainerPartition != partition) {
            var predictions = plugins.activation(PluginSpec.of(loss.loss().predictionActivation()));
            trainer = new Trainer(network, loss, plugins.optimizer(spec.optimizer().spec()), predictions,
                    spec.local().options(spec.seed(), partition), shuffling(partition));
            trainerPartition = partition;
        }
        return trainer;
    }

    private RandomStreams.Stream shuffling(int partition) {
        return new RandomPlan(spec.seed() + partition, spec.stages().size()).shuffling();
    }

    /** The partition's example order in its own epoch {@code epoch} (from 0), as Trainer's fit makes it. */
    private int[] order(ExampleBlock block, long epoch) {
        if (orderPartition == block.partition && orderEpoch == epoch) {
            return order;
        }
        RandomStreams.Stream stream = shuffling(block.partition);
        long next = 0;
        if (orderPartition == block.partition && orderEpoch < epoch && streamAfter != null) {
            stream.restoreState(streamAfter);
            next = orderEpoch + 1;
        }
        int[] o = new int[block.rows];
        for (long e = next; e <= epoch; e++) {
            for (int i = 0; i < o.length; i++) {
                o[i] = i;
            }
            if (spec.local().shuffle()) {
                for (int i = o.length - 1; i > 0; i--) { // Trainer's shuffle, draw for draw
                    int j = stream.nextInt(i + 1);
                    int tmp = o[i];
                    o[i] = o[j];
                    o[j] = tmp;
                }
            }
        }
        order = o;
        orderPartition = block.partition;
        orderEpoch = epoch;
        streamAfter = stream.saveState();
        return o;
    }
}

package dev.nnkit.spark;

import dev.nnkit.api.loss.LossFunction;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.BatchPart;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.network.NetworkFactory;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.random.RandomPlan;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An executor's copy of the run's network and loss, built once and reused by the run's tasks on
 * that executor. A network trains on one thread, and an executor runs several tasks at once, so
 * each running task borrows a worker of its own and gives it back.
 */
final class Worker {
    /** Idle workers of the most recent runs, by run id; older runs' are dropped. */
    private static final Map<String, Deque<Worker>> IDLE = new LinkedHashMap<>();
    private static final int RUNS_KEPT = 2;
    private static volatile PluginRegistry registry;

    private final String runId;
    private final WorkerSpec spec;
    private final PluginRegistry plugins;
    final Network network;
    /** Reduced as the run's loss is, over the whole batch: each partition gives its share. */
    final LossFunction loss;
    /** The network's buffers' tensors, in order. */
    private final List<Tensor> bufferValues;

    private Worker(WorkerSpec spec) {
        this.plugins = plugins();
        this.spec = spec;
        this.runId = spec.runId();
        this.network = new NetworkFactory(plugins).build(spec.network(), new RandomPlan(spec.seed(), spec.stages().size()));
        this.loss = new LossFunction(plugins.loss(spec.loss().spec()), spec.reduction());
        this.bufferValues = network.buffers().stream().map(b -> b.buffer().value()).toList();
    }

    private static PluginRegistry plugins() {
        PluginRegistry r = registry;
        if (r == null) {
            synchronized (Worker.class) {
                if (registry == null) {
                    // The task's loader sees the jars given with --jars, nnkit's own loader may not.
                    ClassLoader tasks = Thread.currentThread().getContextClassLoader();
                    registry = tasks == null ? PluginRegistry.discover() : PluginRegistry.discover(tasks);
                }
                r = registry;
            }
        }
        return r;
    }

    /** The partition's own steps, for parameter averaging; made on first use. */
    private PartitionSteps ownSteps;

    /** An idle worker of this run, or a new one. */
    static Worker borrow(WorkerSpec spec) {
        synchronized (IDLE) {
            Deque<Worker> idle = IDLE.get(spec.runId());
            if (idle != null && !idle.isEmpty()) {
                return idle.pop();
            }
        }
        return new Worker(spec);
    }

    /** Gives the worker back for the run's next task on this executor. */
    void release() {
        synchronized (IDLE) {
            IDLE.computeIfAbsent(runId, id -> new ArrayDeque<>()).push(this);
            while (IDLE.size() > RUNS_KEPT) {
                IDLE.remove(IDLE.keySet().iterator().next());
            }
        }
    }

    /**
     * This partition's share of the loss and gradient of a batch: its rows {@code local[0..count)}
     * (count = the part's rows), at the part's places in the batch, from the driver's weights and
     * buffers. A pass that stops for a whole-batch sum throws {@link dev.nnkit.core.network.KnownSums.Needed}.
     */
    PartialSum gradients(ExampleBlock block, int[] local, BatchPart part, StepTask.Start start) {
        start.weights().write(network.parameters(), false);
        start.buffers().writeTo(bufferValues);
        int count = part.places().length;
        Tensor x = block.features(local, count, network.inputShape());
        Tensor y = block.targets(local, count);
        Tensor out = network.forward(x, part);
        Tensor grad = network.stageOutputGradient(network.stages().size() - 1);
        double c = loss.evaluatePart(out, y, block.weights(local, count), grad, new double[0], part.wholeRows());
        network.backward(grad);
        return new PartialSum(block.partition, count, c, FlatArray.read(network.parameters(), network.dtype(), true),
                FlatArray.of(bufferValues, network.dtype()), null, Double.isFinite(c) ? -1 : block.partition, null);
    }

    /**
     * A parameter-averaging round on this partition: from the round's weights and optimizer
     * state, the partition's own steps over its own examples, as a local trainer with the seed
     * {@code seed + partition} would take them.
     */
    RoundResult round(ExampleBlock block, RoundStart start) {
        if (ownSteps == null) {
            ownSteps = new PartitionSteps(spec, plugins, network, loss);
        }
        return ownSteps.round(block, start);
    }
}

package dev.nnkit.io.config;

import dev.nnkit.api.optimizer.Optimizer;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.core.network.NetworkFactory;
import dev.nnkit.core.network.NetworkPlan;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.network.StageException;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.io.InvalidFileException;
import dev.nnkit.io.Memory;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses, before anything is allocated, a training run that cannot fit the Java heap: from the
 * network's planned sizes, the optimizer's state slots and the batch, with the figure, the heap
 * and the fix, instead of an OutOfMemoryError in the middle of building the trainer.
 */
public final class TrainingMemory {
    private TrainingMemory() {
    }

    /** What predicting for metrics holds at most (passes of at most 8 MB, one per thread: eight threads' worth). */
    static final long INFERENCE_BYTES = 64L << 20;

    /**
     * The bytes a run needs beyond its data, about: each weight with its gradient and optimizer
     * slots; a batch's activations and their gradients at every stage; the products' packed copy
     * of the largest weight matrix on every thread; and the passes that predict for the metrics.
     */
    static long estimate(NetworkPlan plan, int slots, Shape inputShape, int batch, int bytesPerValue) {
        long weights = plan.parameterValues() * (2L + slots) + (plan.values() - plan.parameterValues());
        long activations = 2L * batch * (inputShape.size() + plan.activations());
        long largest = plan.parameters().values().stream().mapToLong(Shape::size).max().orElse(0);
        long packed = largest * Runtime.getRuntime().availableProcessors();
        return (weights + activations + packed) * bytesPerValue + INFERENCE_BYTES;
    }

    /**
     * Checks the run of {@code config} on {@code rows} samples of {@code inputShape} against the
     * heap that is still free.
     *
     * @throws InvalidFileException at the config's largest layer, with the estimate, the heap and
     *     how to raise it or shrink the run; or at a layer that cannot take its input
     */
    public static void check(TrainingConfig config, Shape inputShape, int rows, PluginRegistry registry)
            throws InvalidFileException {
        NetworkSpec spec = config.toSpec(inputShape).network();
        Optional<NetworkPlan> planned;
        try {
            planned = new NetworkFactory(registry).plan(spec);
        } catch (StageException e) {
            throw new InvalidFileException(config.file(), "/layers/" + e.stage(), e.getMessage());
        }
        if (planned.isEmpty()) {
            return; // a layer plugin that does not say its shapes: checked as it is built
        }
        NetworkPlan plan = planned.get();
        Optimizer optimizer = registry.optimizer(config.optimizer());
        int slots = Math.max(0, optimizer.stateSlots().size() - optimizer.scalarStateSlots().size());
        int batch = Math.max(1, Math.min(config.options().batchSize(), rows));
        long needed = estimate(plan, slots, inputShape, batch, config.dtype().bytes());
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (needed > free) { // garbage (from parsing the data) may be what fills the heap: count only what is live
            System.gc();
            free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        }
        if (needed <= free) {
            return;
        }
        Map<Integer, Long> perStage = new HashMap<>();
        plan.parameters().forEach((name, shape) -> perStage.merge(Integer.parseInt(name.substring(0, name.indexOf('.'))),
                (long) shape.size(), Long::sum));
        int largest = perStage.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(0);
        throw new InvalidFileException(config.file(), "/layers/" + largest, String.format(Locale.ROOT,
                "this network has %,d parameters (%,d in this layer); training it with '%s' (%d state slot%s per weight)"
                        + " in batches of %,d needs about %s, but only %s of the Java heap (at most %s) is free."
                        + " Use fewer units or a smaller batchSize, or give the JVM more memory: NN_JAVA_OPTS=-Xmx%s ./nn …",
                plan.parameterValues(), perStage.getOrDefault(largest, 0L), config.optimizer().type(), slots,
                slots == 1 ? "" : "s", batch, Memory.format(needed), Memory.format(Math.max(0, free)),
                Memory.format(rt.maxMemory()), Memory.suggestedXmx(needed + (rt.totalMemory() - rt.freeMemory()))));
    }
}

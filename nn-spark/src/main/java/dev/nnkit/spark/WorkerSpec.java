package dev.nnkit.spark;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * What an executor needs to build its own copy of the network and loss, as plain serializable
 * values: the architecture and the loss by plugin id. Sent once per run (a broadcast); the weights
 * travel separately, every step.
 *
 * @param runId tells one run's cached workers from another's in a long-lived executor
 * @param inputDims each sample's shape
 * @param dtype the network's number type
 * @param stages each stage as its plugin id and settings
 * @param loss the loss plugin and its settings
 * @param reduction how the batch's losses are combined
 * @param optimizer the optimizer, for partitions that train on their own (parameter averaging)
 * @param local how partitions that train on their own take their steps
 * @param seed the run's seed (the executors' initial weights are overwritten by the driver's)
 */
record WorkerSpec(String runId, int[] inputDims, DType dtype, List<Stage> stages, Stage loss, Reduction reduction,
                  Stage optimizer, Local local, long seed)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A plugin by id with its settings, in serializable collections. */
    record Stage(String type, HashMap<String, Object> params) implements Serializable {
        private static final long serialVersionUID = 1L;

        static Stage of(PluginSpec spec) {
            return new Stage(spec.type(), new HashMap<>(spec.params()));
        }

        PluginSpec spec() {
            return new PluginSpec(type, params);
        }
    }

    /**
     * The training options a partition's own steps use (parameter averaging): batches, shuffling,
     * penalties and clipping, as the run's.
     */
    record Local(int batchSize, boolean shuffle, double clipNorm, double l1, double l2) implements Serializable {
        private static final long serialVersionUID = 1L;

        /** The options of partition {@code p}: its examples are ordered by the seed {@code seed + p}. */
        TrainingOptions options(long seed, int partition) {
            return TrainingOptions.defaults().withBatchSize(batchSize).withShuffle(shuffle).withClipNorm(clipNorm)
                    .withPenalties(l1, l2).withSeed(seed + partition);
        }
    }

    static WorkerSpec of(String runId, TrainingSpec spec) {
        List<Stage> stages = new ArrayList<>();
        for (PluginSpec s : spec.network().stages()) {
            stages.add(Stage.of(s));
        }
        return new WorkerSpec(runId, spec.network().inputShape().dims(), spec.network().dtype(), List.copyOf(stages),
                Stage.of(spec.loss()), spec.reduction(), Stage.of(spec.optimizer()),
                new Local(spec.options().batchSize(), spec.options().shuffle(), spec.options().clipNorm(), spec.options().l1(),
                        spec.options().l2()), spec.options().seed());
    }

    NetworkSpec network() {
        return new NetworkSpec(Shape.of(inputDims), stages.stream().map(Stage::spec).toList(), dtype);
    }
}

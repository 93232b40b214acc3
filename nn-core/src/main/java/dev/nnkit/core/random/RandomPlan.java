package dev.nnkit.core.random;

import java.util.ArrayList;
import java.util.List;

/**
 * Every random stream of a training run, split from one seed in a declared order: first the
 * initial weights, then the shuffling of examples, then one stream per stage (dropout masks and
 * anything else a layer draws while training). The order is fixed here, not by the order in which
 * objects happen to be created, so a seed means the same draws whatever builds the run.
 *
 * <p>Stage streams are saved in checkpoints with the shuffling stream; initialization is not
 * (the checkpoint holds the weights). Not thread-safe.
 */
public final class RandomPlan {
    private final RandomStreams.Stream initialization;
    private final RandomStreams.Stream shuffling;
    private final List<RandomStreams.Stream> stages;

    /** The plan of {@code seed} for a network of {@code stageCount} stages. */
    public RandomPlan(long seed, int stageCount) {
        RandomStreams root = new RandomStreams(seed);
        this.initialization = root.next();
        this.shuffling = root.next();
        List<RandomStreams.Stream> s = new ArrayList<>();
        for (int i = 0; i < stageCount; i++) {
            s.add(root.next());
        }
        this.stages = List.copyOf(s);
    }

    /** The stream the initial weights are drawn from, stage by stage in order. */
    public RandomStreams.Stream initialization() {
        return initialization;
    }

    /** The stream that orders each epoch's examples. */
    public RandomStreams.Stream shuffling() {
        return shuffling;
    }

    /** Stage {@code index}'s own stream. */
    public RandomStreams.Stream stage(int index) {
        return stages.get(index);
    }

    /** Every stage's stream, in stage order. */
    public List<RandomStreams.Stream> stages() {
        return stages;
    }
}

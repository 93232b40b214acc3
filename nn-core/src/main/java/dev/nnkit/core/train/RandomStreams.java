package dev.nnkit.core.train;

import java.util.random.RandomGenerator;
import org.apache.commons.rng.SplittableUniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * One seeded random tree: a root generator (Commons RNG's L64X128Mix, a splittable LXM generator)
 * split into independent streams in a fixed order (first the weights, then shuffling), so a seed
 * fixes every draw of a training run.
 */
public final class RandomStreams {
    private final SplittableUniformRandomProvider root;

    public RandomStreams(long seed) {
        this.root = (SplittableUniformRandomProvider) RandomSource.L64_X128_MIX.create(seed);
    }

    /** The next independent stream, as a {@link RandomGenerator}. */
    public RandomGenerator next() {
        return root.split()::nextLong;
    }
}

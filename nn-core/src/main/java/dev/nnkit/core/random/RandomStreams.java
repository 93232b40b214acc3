package dev.nnkit.core.random;

import org.apache.commons.rng.RestorableUniformRandomProvider;
import org.apache.commons.rng.SplittableUniformRandomProvider;
import org.apache.commons.rng.core.RandomProviderDefaultState;
import org.apache.commons.rng.simple.RandomSource;

/**
 * One seeded random tree: a root generator (Commons RNG's L64X128Mix, a splittable LXM generator)
 * split into independent streams in a fixed order (first the weights, then shuffling), so a seed
 * fixes every draw of a training run. Each stream's state can be saved and restored, which is
 * what lets a resumed run shuffle exactly as the interrupted one would have.
 */
public final class RandomStreams {
    private final SplittableUniformRandomProvider root;

    public RandomStreams(long seed) {
        this.root = (SplittableUniformRandomProvider) RandomSource.L64_X128_MIX.create(seed);
    }

    /**
     * Checks that {@code state} is a saved state of these streams' generator, without touching any
     * stream (to refuse a damaged checkpoint before anything is restored).
     *
     * @throws IllegalArgumentException naming {@code which} stream
     */
    public static void checkState(String which, byte[] state) {
        try {
            new RandomStreams(0).next().restoreState(state);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The saved state of the " + which + " random stream is damaged: "
                    + e.getMessage(), e);
        }
    }

    /** The next independent stream. */
    public Stream next() {
        return new Stream((RestorableUniformRandomProvider) root.split());
    }

    /** A random stream whose state is plain bytes. Not thread-safe. */
    public static final class Stream implements java.util.random.RandomGenerator {
        private final RestorableUniformRandomProvider rng;

        Stream(RestorableUniformRandomProvider rng) {
            this.rng = rng;
        }

        @Override
        public long nextLong() {
            return rng.nextLong();
        }

        /** The generator's state, to restore later. */
        public byte[] saveState() {
            return ((RandomProviderDefaultState) rng.saveState()).getState();
        }

        /**
         * Puts the generator back in a saved state.
         *
         * @throws IllegalArgumentException when the bytes are not a state of this generator
         */
        public void restoreState(byte[] state) {
            try {
                rng.restoreState(new RandomProviderDefaultState(state.clone()));
            } catch (IllegalStateException | IllegalArgumentException e) {
                throw new IllegalArgumentException("The saved random state (" + state.length
                        + " bytes) does not fit the random generator: " + e.getMessage(), e);
            }
        }
    }
}

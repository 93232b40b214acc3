package dev.nnkit.core.random;

/**
 * Random values addressed by (pass key, row, index) instead of drawn in sequence, so any machine
 * holding some rows of a batch draws for them what one machine holding all of them would
 * ({@code PassContext.uniform}). Each row gets a seed hashed from the key and its place in the
 * batch, and its values are {@link java.util.SplittableRandom}'s sequence from that seed:
 * SplitMix64's mixing function over a Weyl sequence, the counter-based construction SplittableRandom
 * and Random123's generators rest on. No state, no allocation.
 */
public final class RowDraws {
    private static final long GOLDEN = 0x9e3779b97f4a7c15L;

    private RowDraws() {
    }

    /** Value {@code index} of row {@code place}'s uniform sequence in [0, 1) under {@code key}. */
    public static double uniform(long key, long place, long index) {
        long rowSeed = mix(key + mix((place + 1) * GOLDEN));
        return (mix(rowSeed + (index + 1) * GOLDEN) >>> 11) * 0x1.0p-53;
    }

    /** SplitMix64's finalizer (Stafford's variant 13), as {@code SplittableRandom.mix64}. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}

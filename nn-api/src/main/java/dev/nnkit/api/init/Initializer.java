package dev.nnkit.api.init;

import dev.nnkit.api.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * Fills a weight tensor with starting values, drawn from {@code random} only, so a fixed seed
 * gives the same weights on every run.
 *
 * <p>{@code fanIn} is the number of inputs of each neuron and {@code fanOut} the number of
 * neurons. Stateless and thread-safe if the implementation keeps no fields.
 */
@FunctionalInterface
public interface Initializer {

    /** Overwrites every element of {@code weights}. */
    void initialize(Tensor weights, int fanIn, int fanOut, RandomGenerator random);
}

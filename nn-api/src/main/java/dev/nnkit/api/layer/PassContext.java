package dev.nnkit.api.layer;

import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * What the engine gives one stage for one pass over a batch: the {@link Mode}, the stage's own
 * random stream, and scratch that lives from {@link Layer#forward} to the backward calls of the
 * same batch (dropout masks, saved statistics, argmax indices).
 *
 * <p>The engine owns one context per stage and per batch size, for one thread at a time: a
 * layer asks for its scratch by name in forward and gets the same tensor back in backward. After
 * the first batch of a size, asking allocates nothing. A layer must not keep the tensors beyond
 * the call. No argument is {@code null}.
 */
public interface PassContext {

    /** Training or inference. */
    Mode mode();

    /**
     * The stage's own seeded random stream: the engine derives it from the run's seed and saves
     * its state in checkpoints, so a resumed run draws exactly what an uninterrupted one would.
     *
     * @throws IllegalStateException in {@link Mode#INFERENCE}, which must be deterministic
     */
    RandomGenerator random();

    /**
     * Scratch of the network's dtype named {@code name}, created (zeroed) on the first request and
     * the same tensor on every later request of this stage and batch size. Its contents are
     * whatever the layer last wrote.
     *
     * @param shape the shape wanted; a request for a known name with another shape replaces it
     */
    Tensor scratch(String name, Shape shape);

    /** As {@link #scratch} for whole numbers, such as the argmax indices of a max pooling. */
    int[] intScratch(String name, int length);
}

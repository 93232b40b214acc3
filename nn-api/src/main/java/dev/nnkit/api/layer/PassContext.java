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
     * Draws that belong to rows are better taken from {@link #uniform}, which nn-spark can replay.
     *
     * @throws IllegalStateException in {@link Mode#INFERENCE}, which must be deterministic, and in
     *                               a pass over part of a batch split over machines
     */
    RandomGenerator random();

    /**
     * A uniform draw in [0, 1) for value {@code index} of row {@code row} of this pass (training
     * only), a pure function of a key the engine draws from the stage's stream at the start of each
     * training pass and of the row's place in the whole batch. A batch split over machines
     * (nn-spark's synchronous training) gives each row the draws it gets in one piece, so the
     * split run trains exactly as a local one; draws from {@link #random()} follow the order of the
     * rows one machine holds and cannot. Asking again for the same row and index in the same pass
     * gives the same value. Dropout draws its masks here.
     *
     * @param row   the row of this pass's tensors, from 0
     * @param index the value's index within the row, from 0
     * @throws IllegalStateException in {@link Mode#INFERENCE}, which must be deterministic
     */
    double uniform(int row, long index);

    /**
     * Rows in this pass's whole batch: the pass's own rows, or more when the batch is split over
     * machines (nn-spark's synchronous training) and this pass holds some of them. A layer whose
     * statistics span the batch (batch norm) divides by this, and when it differs from the pass's
     * rows takes its sums through {@link #sumOverBatch}.
     */
    int batchRows();

    /**
     * Turns {@code sums}, what this pass's rows contribute to sums over the whole batch (batch
     * norm's Σx per channel), into the whole batch's sums, in place. When the pass holds the whole
     * batch nothing changes. When the batch is split, every part's contributions are added up, in
     * a fixed order: nn-spark may end the pass here and run it again, from the same weights and
     * buffers, once the sums are known. So call it at the same points of every pass, with arrays
     * of the same length, in training only.
     */
    void sumOverBatch(double[] sums);

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

package dev.nnkit.spark;

import java.io.Serializable;
import java.util.HashMap;

/**
 * A partition's weights and optimizer state after its steps of a parameter-averaging round, or
 * why it could not take them.
 *
 * @param partition the partition
 * @param examples examples stepped through (a batch's size per step)
 * @param lossSum Σ batch loss × batch size over the round's steps
 * @param weights every parameter, end to end
 * @param slots the optimizer's state by parameter name and slot name
 * @param buffers the buffers (batch norm's running statistics), end to end
 * @param stageStates the partition's stage random streams after its steps
 * @param failure what went wrong on the executor, or null
 */
record RoundResult(int partition, long examples, double lossSum, FlatArray weights,
                   HashMap<String, HashMap<String, double[]>> slots, FlatArray buffers, byte[][] stageStates,
                   String failure) implements Serializable {
    private static final long serialVersionUID = 1L;

    static RoundResult failed(int partition, String failure) {
        return new RoundResult(partition, 0, Double.NaN, null, null, null, null, failure);
    }
}

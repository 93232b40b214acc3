package dev.nnkit.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * What every partition starts a parameter-averaging round from: the averaged weights and
 * optimizer state, and which of its own steps to take.
 *
 * @param weights every parameter, end to end
 * @param slots the optimizer's state by parameter name and slot name
 * @param iterations optimizer steps taken before the round (Adam's bias correction counts them)
 * @param firstStep the partition's own step the round starts at, from 0
 * @param steps steps each partition takes this round
 * @param learningRate the rate of the round's steps
 * @param buffers the averaged buffers (batch norm's running statistics), end to end
 * @param stageStates each partition's stage random streams (dropout's masks) where its last round
 *     left them; a partition not in it starts them as a local trainer with its seed would
 */
record RoundStart(FlatArray weights, HashMap<String, HashMap<String, double[]>> slots, long iterations, long firstStep,
                  int steps, double learningRate, FlatArray buffers, HashMap<Integer, byte[][]> stageStates)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    static HashMap<String, HashMap<String, double[]>> copy(Map<String, Map<String, double[]>> slots) {
        HashMap<String, HashMap<String, double[]>> out = new HashMap<>();
        slots.forEach((p, m) -> out.put(p, new HashMap<>(m)));
        return out;
    }
}

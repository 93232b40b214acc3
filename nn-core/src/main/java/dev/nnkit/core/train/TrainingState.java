package dev.nnkit.core.train;

import dev.nnkit.api.tensor.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to continue training exactly where it stopped, as plain data: where (epoch,
 * next batch, steps taken), what came before (finished epochs' losses, the running sum of this
 * epoch's), how this epoch's examples were ordered (the shuffling generator's state when the epoch
 * began), the weights and the optimizer's state. Values are copies; immutable.
 *
 * @param epoch the epoch in progress, from 1
 * @param batch the next batch of that epoch, from 0
 * @param iterations optimizer steps taken
 * @param epochLosses mean loss of each finished epoch
 * @param epochLossSum Σ (batch loss × batch size) over this epoch's finished batches
 * @param shuffleState the shuffling generator's state at the start of this epoch
 * @param parameters every parameter's values by its state_dict name
 * @param optimizer the optimizer's state
 * @param buffers every buffer's values by its state_dict name (running statistics)
 * @param stageRandomStates each stage's random stream state, in stage order
 * @param shapes the shape of every parameter and buffer by name; empty when unknown (a checkpoint
 *     of format 1 stored them flat)
 * @param epochScores the {@link EpochScorer} scores of each finished epoch by name (validationLoss, …),
 *     each as long as {@code epochLosses}; empty when the run scored nothing
 */
public record TrainingState(int epoch, int batch, long iterations, List<Double> epochLosses, double epochLossSum,
                            byte[] shuffleState, Map<String, double[]> parameters, OptimizerSnapshot optimizer,
                            Map<String, double[]> buffers, List<byte[]> stageRandomStates, Map<String, Shape> shapes,
                            Map<String, List<Double>> epochScores) {
    public TrainingState {
        Map<String, List<Double>> scores = new LinkedHashMap<>();
        epochScores.forEach((k, v) -> scores.put(k, List.copyOf(v)));
        epochScores = java.util.Collections.unmodifiableMap(scores);
        shapes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(shapes));
        buffers = copy(buffers);
        stageRandomStates = stageRandomStates.stream().map(byte[]::clone).toList();
        epochLosses = List.copyOf(epochLosses);
        shuffleState = shuffleState.clone();
        parameters = copy(parameters);
        if (epoch < 1 || batch < 0 || iterations < 0) {
            throw new IllegalArgumentException("A training state needs epoch ≥ 1, batch ≥ 0 and iterations ≥ 0; got "
                    + epoch + ", " + batch + ", " + iterations + ".");
        }
    }

    /** A state of a run that scored nothing but its training loss. */
    public TrainingState(int epoch, int batch, long iterations, List<Double> epochLosses, double epochLossSum,
                         byte[] shuffleState, Map<String, double[]> parameters, OptimizerSnapshot optimizer,
                         Map<String, double[]> buffers, List<byte[]> stageRandomStates, Map<String, Shape> shapes) {
        this(epoch, batch, iterations, epochLosses, epochLossSum, shuffleState, parameters, optimizer, buffers,
                stageRandomStates, shapes, Map.of());
    }

    private static Map<String, double[]> copy(Map<String, double[]> values) {
        Map<String, double[]> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, v.clone()));
        return java.util.Collections.unmodifiableMap(copy);
    }
}

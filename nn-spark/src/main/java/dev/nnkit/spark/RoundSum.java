package dev.nnkit.spark;

import dev.nnkit.api.tensor.DType;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sum of some partitions' {@link RoundResult}s in a parameter-averaging round: one partition's
 * at first, then a group's on their way up the tree of sums ({@link TreeSum}), so the driver
 * receives a few sums instead of every partition's weights and optimizer state. Weights, buffers and
 * optimizer slots are added in float64, in partition order; weights and buffers travel in the
 * network's type, as the partitions' own do (slots in float64, as the optimizer keeps them); each
 * partition's random streams are kept as they are (they are not averaged). A failure, or the first partition whose loss was not
 * finite, travels up in place of the sums.
 *
 * @param index the partition's number, then the group's
 * @param partitions how many partitions' results are summed
 * @param examples examples stepped through
 * @param lossSum Σ batch loss × batch size
 * @param weights Σ of every parameter, end to end
 * @param buffers Σ of the buffers (batch norm's running statistics), end to end
 * @param slots Σ of the optimizer's state by parameter name and slot name
 * @param stageStates each partition's stage random streams after its steps
 * @param nonFinitePartition the first partition whose loss sum was not finite, or -1
 * @param nonFiniteLoss that partition's loss sum
 * @param failure what went wrong on the first failing partition's executor, or null
 */
record RoundSum(int index, int partitions, long examples, double lossSum, FlatArray weights, FlatArray buffers,
                HashMap<String, HashMap<String, double[]>> slots, TreeMap<Integer, byte[][]> stageStates,
                int nonFinitePartition, double nonFiniteLoss, String failure) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One partition's result as a sum of one. */
    static RoundSum of(RoundResult r) {
        if (r.failure() != null) {
            return new RoundSum(r.partition(), 0, 0, 0, null, null, null, null, -1, 0, r.failure());
        }
        TreeMap<Integer, byte[][]> states = new TreeMap<>(Map.of(r.partition(), r.stageStates()));
        boolean finite = Double.isFinite(r.lossSum());
        return new RoundSum(r.partition(), 1, r.examples(), r.lossSum(), r.weights(), r.buffers(), r.slots(), states,
                finite ? -1 : r.partition(), finite ? 0 : r.lossSum(), null);
    }

    /**
     * The sum of {@code parts} as the part {@code index} of the next level up, added in the order of
     * their indices, its weights and buffers stored in {@code dtype}.
     */
    static RoundSum combine(int index, Iterable<RoundSum> parts, DType dtype) {
        List<RoundSum> sorted = new ArrayList<>();
        parts.forEach(sorted::add);
        sorted.sort(Comparator.comparingInt(RoundSum::index));
        RoundSum first = sorted.get(0);
        if (first.failure != null) {
            return new RoundSum(index, 0, 0, 0, null, null, null, null, -1, 0, first.failure);
        }
        double[] weights = new double[first.weights.length()];
        first.weights.addTo(weights);
        double[] buffers = new double[first.buffers.length()];
        first.buffers.addTo(buffers);
        HashMap<String, HashMap<String, double[]>> slots = new HashMap<>();
        first.slots.forEach((parameter, named) -> {
            HashMap<String, double[]> copy = new HashMap<>();
            named.forEach((slot, values) -> copy.put(slot, values.clone()));
            slots.put(parameter, copy);
        });
        TreeMap<Integer, byte[][]> states = new TreeMap<>(first.stageStates);
        int count = first.partitions;
        long examples = first.examples;
        double loss = first.lossSum;
        int nonFinite = first.nonFinitePartition;
        double nonFiniteLoss = first.nonFiniteLoss;
        for (RoundSum p : sorted.subList(1, sorted.size())) {
            if (p.failure != null) {
                return new RoundSum(index, 0, 0, 0, null, null, null, null, -1, 0, p.failure);
            }
            p.weights.addTo(weights);
            p.buffers.addTo(buffers);
            p.slots.forEach((parameter, named) -> named.forEach((slot, values) -> add(slots.get(parameter).get(slot),
                    values)));
            states.putAll(p.stageStates);
            count += p.partitions;
            examples += p.examples;
            loss += p.lossSum;
            if (nonFinite < 0 && p.nonFinitePartition >= 0) {
                nonFinite = p.nonFinitePartition;
                nonFiniteLoss = p.nonFiniteLoss;
            }
        }
        return new RoundSum(index, count, examples, loss, FlatArray.of(dtype, weights), FlatArray.of(dtype, buffers), slots,
                states, nonFinite, nonFiniteLoss, null);
    }

    private static void add(double[] sums, double[] values) {
        for (int i = 0; i < sums.length; i++) {
            sums[i] += values[i];
        }
    }
}

package dev.nnkit.core.train;

import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.NamedBuffer;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.random.RandomStreams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The network's side of a checkpoint: its parameters, buffers and stage random streams captured as
 * plain data into a {@link TrainingState}, and put back, checked name by name and size by size.
 */
final class RunState {
    private RunState() {
    }

    /** The state of a run after {@code batch} batches of {@code epoch}, as copies. */
    static TrainingState capture(Network network, int epoch, int batch, long iterations, List<Double> losses,
                                 double sum, byte[] epochStartState, OptimizerSnapshot optimizer,
                                 Map<String, List<Double>> scores) {
        Map<String, double[]> params = new LinkedHashMap<>();
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (NamedParameter p : network.parameters()) {
            params.put(p.name(), p.parameter().value().toDoubleArray());
            shapes.put(p.name(), p.parameter().value().shape());
        }
        Map<String, double[]> buffers = new LinkedHashMap<>();
        for (NamedBuffer b : network.buffers()) {
            buffers.put(b.name(), b.buffer().value().toDoubleArray());
            shapes.put(b.name(), b.buffer().value().shape());
        }
        List<byte[]> stageRandom = new ArrayList<>();
        for (int i = 0; i < network.stages().size(); i++) {
            stageRandom.add(network.stageRandom(i).saveState());
        }
        return new TrainingState(epoch, batch, iterations, losses, sum, epochStartState, params, optimizer,
                buffers, stageRandom, shapes, scores);
    }

    /**
     * Checks that {@code st} fits the network: every parameter and buffer present with the network's
     * shape and size (and no others), a random state for every stage. Changes nothing.
     *
     * @throws StateMismatchException naming what does not fit
     */
    static void check(Network network, TrainingState st) {
        for (NamedParameter p : network.parameters()) {
            checkValues("parameter", p.name(), p.parameter().value(), st.parameters(), st.shapes());
        }
        for (NamedBuffer b : network.buffers()) {
            checkValues("buffer", b.name(), b.buffer().value(), st.buffers(), st.shapes());
        }
        if (st.parameters().size() != network.parameters().size() || st.buffers().size() != network.buffers().size()) {
            throw new StateMismatchException("The saved state does not fit this network: it holds "
                    + st.parameters().keySet() + " and buffers " + st.buffers().keySet() + "; the network has "
                    + network.parameters().stream().map(NamedParameter::name).toList() + " and buffers "
                    + network.buffers().stream().map(NamedBuffer::name).toList() + ".");
        }
        // A checkpoint of format 1 has no stage streams; its networks drew nothing while training.
        if (!st.stageRandomStates().isEmpty() && st.stageRandomStates().size() != network.stages().size()) {
            throw new StateMismatchException("The saved state has random streams for " + st.stageRandomStates().size()
                    + " stages; the network has " + network.stages().size() + ".");
        }
        for (int i = 0; i < st.stageRandomStates().size(); i++) {
            checkRandomState("stage " + i, st.stageRandomStates().get(i));
        }
    }

    /** A random stream's saved state, checked without touching any stream. */
    static void checkRandomState(String which, byte[] state) {
        try {
            RandomStreams.checkState(which, state);
        } catch (IllegalArgumentException e) {
            throw new StateMismatchException(e.getMessage());
        }
    }

    /**
     * Puts the network's parameters, buffers and stage streams back as {@code st} holds them, after
     * {@link #check}.
     */
    static void restore(Network network, TrainingState st) {
        restoreWeights(network, st);
        for (int i = 0; i < st.stageRandomStates().size(); i++) {
            network.stageRandom(i).restoreState(st.stageRandomStates().get(i));
        }
    }

    /** Puts the network's parameters and buffers back as {@code st} holds them, after {@link #check}. */
    static void restoreWeights(Network network, TrainingState st) {
        check(network, st);
        for (NamedParameter p : network.parameters()) {
            copy(st.parameters().get(p.name()), p.parameter().value());
        }
        for (NamedBuffer b : network.buffers()) {
            copy(st.buffers().get(b.name()), b.buffer().value());
        }
    }

    private static void checkValues(String kind, String name, Tensor target, Map<String, double[]> saved,
                                    Map<String, Shape> shapes) {
        Shape shape = shapes.get(name);
        if (shape != null && !shape.equals(target.shape())) {
            throw new StateMismatchException("The saved state does not fit this network: " + kind + " '" + name
                    + "' has shape " + shape + " there; the network's is " + target.shape() + ".");
        }
        double[] v = saved.get(name);
        if (v == null || v.length != target.size()) {
            throw new StateMismatchException("The saved state does not fit this network: " + kind + " '" + name
                    + "' " + (v == null ? "is missing" : "has " + v.length + " values, the network needs " + target.size())
                    + ". Saved " + kind + "s: " + saved.keySet() + ".");
        }
    }

    private static void copy(double[] values, Tensor target) {
        for (int i = 0; i < values.length; i++) {
            target.set(i, values[i]);
        }
    }
}

package dev.nnkit.core.train;

import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.NamedBuffer;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.network.Network;
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
                                 double sum, byte[] epochStartState, OptimizerSnapshot optimizer) {
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
                buffers, stageRandom, shapes);
    }

    /**
     * Puts the network's parameters, buffers and stage streams back as {@code st} holds them.
     *
     * @throws StateMismatchException naming what does not fit
     */
    static void restore(Network network, TrainingState st) {
        for (NamedParameter p : network.parameters()) {
            restoreValues("parameter", p.name(), p.parameter().value(), st.parameters(), st.shapes());
        }
        for (NamedBuffer b : network.buffers()) {
            restoreValues("buffer", b.name(), b.buffer().value(), st.buffers(), st.shapes());
        }
        // A checkpoint of format 1 has no stage streams; its networks drew nothing while training.
        if (!st.stageRandomStates().isEmpty() && st.stageRandomStates().size() != network.stages().size()) {
            throw new StateMismatchException("The saved state has random streams for " + st.stageRandomStates().size()
                    + " stages; the network has " + network.stages().size() + ".");
        }
        for (int i = 0; i < st.stageRandomStates().size(); i++) {
            network.stageRandom(i).restoreState(st.stageRandomStates().get(i));
        }
    }

    private static void restoreValues(String kind, String name, Tensor target, Map<String, double[]> saved,
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
        for (int i = 0; i < v.length; i++) {
            target.set(i, v[i]);
        }
    }
}

package dev.nnkit.core.train;

import dev.nnkit.api.optimizer.Optimizer;
import dev.nnkit.api.optimizer.ParameterState;
import dev.nnkit.api.optimizer.StepContext;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.kernel.Parallel;
import dev.nnkit.core.network.NamedParameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The optimizer and its state: named slots per parameter, created zeroed up front, updated by one
 * prepared {@link ParameterUpdate} per parameter (a step allocates nothing), saved and restored as
 * plain data for checkpoints. Not thread-safe.
 */
final class OptimizerState {
    private final Optimizer optimizer;
    private final Map<NamedParameter, Map<String, Tensor>> state = new LinkedHashMap<>();
    private final ParameterUpdate[] updates;

    OptimizerState(Optimizer optimizer, List<NamedParameter> parameters) {
        this.optimizer = optimizer;
        for (NamedParameter p : parameters) {
            Map<String, Tensor> slots = new LinkedHashMap<>();
            Tensor v = p.parameter().value();
            for (String slot : optimizer.stateSlots()) {
                slots.put(slot, Tensor.zeros(v.dtype(), v.shape()));
            }
            for (String slot : optimizer.scalarStateSlots()) {
                slots.put(slot, Tensor.zeros(DType.FLOAT64, Shape.of(1)));
            }
            state.put(p, slots);
        }
        this.updates = state.entrySet().stream().map(e -> new ParameterUpdate(e.getKey(), e.getValue()))
                .toArray(ParameterUpdate[]::new);
    }

    /** One update of every parameter from its current gradient, as step {@code iteration}. */
    void update(long iteration, double learningRate) {
        for (int i = 0; i < updates.length; i++) {
            updates[i].run(iteration, learningRate);
        }
    }

    /** The slots of one parameter, by slot name (live tensors). */
    Map<String, Tensor> slots(NamedParameter parameter) {
        return state.get(parameter);
    }

    /** A copy of every parameter's slots, with the step count. */
    OptimizerSnapshot save(long iterations) {
        Map<String, Map<String, double[]>> out = new LinkedHashMap<>();
        state.forEach((p, slots) -> {
            Map<String, double[]> m = new LinkedHashMap<>();
            slots.forEach((name, t) -> m.put(name, t.toDoubleArray()));
            out.put(p.name(), m);
        });
        return new OptimizerSnapshot(iterations, out);
    }

    /**
     * Puts back a state saved by {@link #save}.
     *
     * @throws StateMismatchException naming the expected and the found parameters, slots and sizes
     *     when the snapshot comes from another optimizer or network
     */
    void restore(OptimizerSnapshot snapshot) {
        check(snapshot);
        Map<String, Map<String, double[]>> saved = snapshot.slots();
        state.forEach((p, slots) -> slots.forEach((name, t) -> {
            double[] v = saved.get(p.name()).get(name);
            for (int i = 0; i < v.length; i++) {
                t.set(i, v[i]);
            }
        }));
    }

    /** Checks that a snapshot fits these parameters and slots. Changes nothing. */
    void check(OptimizerSnapshot snapshot) {
        Map<String, Map<String, double[]>> saved = snapshot.slots();
        for (Map.Entry<NamedParameter, Map<String, Tensor>> e : state.entrySet()) {
            String name = e.getKey().name();
            Map<String, double[]> slots = saved.get(name);
            if (slots == null || !slots.keySet().equals(e.getValue().keySet())) {
                throw new StateMismatchException("Optimizer state does not fit: parameter '" + name + "' needs slots "
                        + e.getValue().keySet() + " but the saved state has " + (slots == null ? "no such parameter"
                        : slots.keySet()) + ". Saved parameters: " + saved.keySet() + ". Was it saved by another optimizer?");
            }
            for (Map.Entry<String, Tensor> slot : e.getValue().entrySet()) {
                double[] v = slots.get(slot.getKey());
                if (v.length != slot.getValue().size()) {
                    throw new StateMismatchException("Optimizer state does not fit: slot '" + slot.getKey() + "' of '"
                            + name + "' has " + v.length + " values; the parameter needs " + slot.getValue().size() + ".");
                }
            }
        }
        if (saved.size() != state.size()) {
            throw new StateMismatchException("Optimizer state does not fit: it holds " + saved.size()
                    + " parameters, the network " + state.size() + ".");
        }
    }

    /**
     * The optimizer's update of one parameter, with its state slots looked up by name. A large
     * parameter of an element-wise optimizer is updated in ranges on all cores (Adam's square root
     * and two divisions per weight were a tenth of an MLP step on one); the ranges are fixed by the
     * size, and each element's update is the same whichever range holds it.
     */
    private final class ParameterUpdate implements ParameterState, Parallel.Rows {
        /**
         * An element's update costs about as much as 16 multiply-adds, the unit of
         * {@link Parallel#MIN_PARALLEL_WORK}: parameters under 65,536 elements stay on one thread.
         */
        private static final long WORK_PER_ELEMENT = 16;
        private final NamedParameter parameter;
        private final Map<String, Tensor> slots;
        private long step;
        private double rate;

        ParameterUpdate(NamedParameter parameter, Map<String, Tensor> slots) {
            this.parameter = parameter;
            this.slots = slots;
        }

        void run(long iteration, double learningRate) {
            Tensor value = parameter.parameter().value();
            if (!optimizer.elementwise()) {
                // Created next to the call: when the optimizer's update is small enough to inline,
                // C2 never allocates the context.
                optimizer.update(value, parameter.parameter().gradient(), this, new StepContext(iteration, learningRate));
            } else if (value.size() * WORK_PER_ELEMENT < Parallel.MIN_PARALLEL_WORK) {
                // No context object at all: whether C2 could drop it varied from run to run (up to
                // 100 B per step in fit()).
                optimizer.updateRange(value, parameter.parameter().gradient(), this, iteration, learningRate, 0, value.size());
            } else {
                step = iteration;
                rate = learningRate;
                Parallel.rows(value.size(), 1024, value.size() * WORK_PER_ELEMENT, this);
            }
        }

        @Override
        public void run(int part, int from, int to) {
            optimizer.updateRange(parameter.parameter().value(), parameter.parameter().gradient(), this, step, rate,
                    from, to);
        }

        @Override
        public Tensor slot(String name) {
            Tensor t = slots.get(name);
            if (t == null) {
                throw new StateMismatchException("Optimizer asked for state slot '" + name
                        + "' but declared only " + slots.keySet() + " in stateSlots() and scalarStateSlots().");
            }
            return t;
        }
    }
}

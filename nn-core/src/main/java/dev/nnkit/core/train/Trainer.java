package dev.nnkit.core.train;

import dev.nnkit.core.random.RandomStreams;
import dev.nnkit.api.loss.LossFunction;
import dev.nnkit.api.activation.Activation;
import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.optimizer.Optimizer;
import dev.nnkit.api.optimizer.StepContext;
import dev.nnkit.api.schedule.LearningRateSchedule;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.kernel.Parallel;
import dev.nnkit.core.network.NamedBuffer;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.network.Network;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Trains a {@link Network}: for each mini-batch, forward propagation, the loss and ∂C/∂Ŷ, back
 * propagation, and one optimizer update of every parameter; epochs repeat until a stopping
 * condition of {@link TrainingOptions} holds. Not thread-safe.
 */
public final class Trainer {
    private final Network network;
    private final LossFunction loss;
    private final Optimizer optimizer;
    private final LearningRateSchedule schedule;
    private final Activation predictionActivation;
    private final TrainingOptions options;
    private final RandomStreams.Stream shuffleRandom;
    private long checkpointSteps = Long.MAX_VALUE;
    private Consumer<TrainingState> checkpointSink;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final Map<NamedParameter, Map<String, Tensor>> state = new LinkedHashMap<>();
    /** One prepared update per parameter, so a step allocates no state lookups. */
    private final ParameterUpdate[] updates;
    /**
     * Batch buffers by batch size (an epoch has at most two: full and last), looked up by int: a
     * map keyed by Integer boxed every batch size above 127, an allocation per step.
     */
    private final int[] bufferSizes = {-1, -1, -1, -1};
    private final Tensor[][] batchBuffers = new Tensor[4][];
    private final double[][] weightBuffers = new double[4][];
    private int nextBuffer;
    private long iterations;
    private double learningRate;
    private static final double[] NO_WEIGHTS = new double[0];
    private final double[] noPerSample = new double[0];

    /** A trainer with a constant learning rate. */
    public Trainer(Network network, LossFunction loss, Optimizer optimizer, Activation predictionActivation,
                   TrainingOptions options, RandomStreams.Stream shuffleRandom) {
        this(network, loss, optimizer, (base, epoch, losses) -> base, predictionActivation, options, shuffleRandom);
    }

    /**
     * @param schedule the learning rate of each epoch
     * @param predictionActivation turns network outputs into predictions at inference (the loss's
     *     {@link dev.nnkit.api.loss.Loss#predictionActivation()})
     * @param shuffleRandom the stream that orders each epoch's examples
     */
    public Trainer(Network network, LossFunction loss, Optimizer optimizer, LearningRateSchedule schedule,
                   Activation predictionActivation, TrainingOptions options, RandomStreams.Stream shuffleRandom) {
        this.network = network;
        this.loss = loss;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.learningRate = optimizer.learningRate();
        this.predictionActivation = predictionActivation;
        this.options = options;
        this.shuffleRandom = shuffleRandom;
        for (NamedParameter p : network.parameters()) {
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

    public Network network() {
        return network;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public LossFunction lossFunction() {
        return loss;
    }

    public TrainingOptions options() {
        return options;
    }

    /** The learning rate the next update uses (the schedule's value for the current epoch). */
    public double learningRate() {
        return learningRate;
    }

    /** Optimizer steps taken so far. */
    public long iterations() {
        return iterations;
    }

    public void addListener(TrainingListener listener) {
        listeners.add(listener);
    }

    /** A copy of the optimizer's state: the step count and every parameter's slots. */
    public OptimizerSnapshot saveOptimizerState() {
        Map<String, Map<String, double[]>> out = new LinkedHashMap<>();
        state.forEach((p, slots) -> {
            Map<String, double[]> m = new LinkedHashMap<>();
            slots.forEach((name, t) -> m.put(name, t.toDoubleArray()));
            out.put(p.name(), m);
        });
        return new OptimizerSnapshot(iterations, out);
    }

    /**
     * Restores a state saved by {@link #saveOptimizerState()}, so training continues exactly where
     * it stopped.
     *
     * @throws IllegalArgumentException naming the expected and the found parameters, slots and sizes
     *     when the snapshot comes from another optimizer or network
     */
    public void restoreOptimizerState(OptimizerSnapshot snapshot) {
        Map<String, Map<String, double[]>> saved = snapshot.slots();
        for (Map.Entry<NamedParameter, Map<String, Tensor>> e : state.entrySet()) {
            String name = e.getKey().name();
            Map<String, double[]> slots = saved.get(name);
            if (slots == null || !slots.keySet().equals(e.getValue().keySet())) {
                throw new IllegalArgumentException("Optimizer state does not fit: parameter '" + name + "' needs slots "
                        + e.getValue().keySet() + " but the saved state has " + (slots == null ? "no such parameter"
                        : slots.keySet()) + ". Saved parameters: " + saved.keySet() + ". Was it saved by another optimizer?");
            }
            for (Map.Entry<String, Tensor> slot : e.getValue().entrySet()) {
                double[] v = slots.get(slot.getKey());
                if (v.length != slot.getValue().size()) {
                    throw new IllegalArgumentException("Optimizer state does not fit: slot '" + slot.getKey() + "' of '"
                            + name + "' has " + v.length + " values; the parameter needs " + slot.getValue().size() + ".");
                }
            }
        }
        if (saved.size() != state.size()) {
            throw new IllegalArgumentException("Optimizer state does not fit: it holds " + saved.size()
                    + " parameters, the network " + state.size() + ".");
        }
        state.forEach((p, slots) -> slots.forEach((name, t) -> {
            double[] v = saved.get(p.name()).get(name);
            for (int i = 0; i < v.length; i++) {
                t.set(i, v[i]);
            }
        }));
        iterations = snapshot.iterations();
    }

    /** The optimizer's state slots of one parameter, by slot name (live tensors). */
    public Map<String, Tensor> optimizerState(NamedParameter parameter) {
        return state.get(parameter);
    }

    /**
     * Forward and back propagation of one batch without an update: afterwards every parameter's
     * gradient holds ∂C/∂θ, with the weight penalties added and then clipped to the global norm
     * when the options ask for it.
     *
     * @return the batch's reduced loss, penalties included
     */
    public double computeGradients(Tensor x, Tensor y) {
        return computeGradients(x, y, NO_WEIGHTS);
    }

    /** As {@link #computeGradients(Tensor, Tensor)} with a weight per sample (empty: unweighted). */
    public double computeGradients(Tensor x, Tensor y, double[] weights) {
        Tensor out = network.forward(x);
        Tensor grad = network.stageOutputGradient(network.stages().size() - 1);
        double c = loss.evaluate(out, y, weights, grad, noPerSample);
        network.backward(grad);
        c += GradientAdjustments.addPenalties(network.parameters(), options.l1(), options.l2());
        if (!Double.isNaN(options.clipNorm())) {
            GradientAdjustments.clipGlobalNorm(network.parameters(), options.clipNorm());
        }
        return c;
    }

    /** One optimizer update of every parameter from its current gradient. */
    public void applyUpdate() {
        iterations++;
        for (int i = 0; i < updates.length; i++) {
            updates[i].run(iterations, learningRate);
        }
    }

    /** One training step on a batch: gradients, then an update. Returns the loss before the update. */
    public double step(Tensor x, Tensor y) {
        double c = computeGradients(x, y);
        if (!Double.isFinite(c)) {
            throw diverged(c, 0, x);
        }
        applyUpdate();
        return c;
    }

    /** Trains on {@code data} until a stopping condition holds. */
    public TrainingResult fit(Dataset data) {
        return run(data, Optional.empty());
    }

    /**
     * Continues an interrupted run from a saved state: the weights, optimizer state, step count,
     * loss history and the epoch's example order are restored, so the run ends exactly as an
     * uninterrupted one would (same data, spec and seed).
     */
    public TrainingResult resume(Dataset data, TrainingState state) {
        return run(data, Optional.of(state));
    }

    /**
     * Hands the training state to {@code sink} after every {@code steps} optimizer steps (for
     * checkpoints). The sink runs on the training thread.
     */
    public void checkpointEvery(long steps, Consumer<TrainingState> sink) {
        if (steps < 1) {
            throw new IllegalArgumentException("Checkpoint interval must be at least 1 step; got " + steps + ".");
        }
        this.checkpointSteps = steps;
        this.checkpointSink = sink;
    }

    private TrainingResult run(Dataset data, Optional<TrainingState> resume) {
        int n = data.size();
        int[] order = new int[n];
        int batches = (n + options.batchSize() - 1) / options.batchSize();
        List<Double> losses = new ArrayList<>();
        int firstEpoch = 1;
        int firstBatch = 0;
        double resumedSum = 0;
        if (resume.isPresent()) {
            TrainingState st = resume.get();
            restore(st);
            losses.addAll(st.epochLosses());
            firstEpoch = st.epoch();
            firstBatch = st.batch();
            resumedSum = st.epochLossSum();
        }
        for (int epoch = firstEpoch; epoch <= options.maxEpochs(); epoch++) {
            long start = System.nanoTime();
            learningRate = schedule.learningRate(optimizer.learningRate(), epoch - 1, Collections.unmodifiableList(losses));
            // A fresh permutation each epoch from the generator's current state, so a checkpoint only
            // needs that state to reproduce the epoch's order.
            byte[] epochStartState = shuffleRandom.saveState();
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            if (options.shuffle()) {
                shuffle(order);
            }
            double sum = epoch == firstEpoch ? resumedSum : 0;
            for (int b = epoch == firstEpoch ? firstBatch : 0; b < batches; b++) {
                int from = b * options.batchSize();
                int size = Math.min(options.batchSize(), n - from);
                Tensor[] batch = gather(data, order, from, size);
                double c = computeGradients(batch[0], batch[1], gatherWeights(data, order, from, size));
                if (!Double.isFinite(c)) {
                    throw diverged(c, epoch, batch[0]);
                }
                applyUpdate();
                sum += c * size;
                for (TrainingListener l : listeners) {
                    l.onBatchEnd(new TrainingListener.BatchEvent(epoch, b + 1, batches, iterations, size, c));
                }
                if (iterations >= options.maxIterations()) {
                    losses.add(sum / (from + size));
                    return new TrainingResult(StopReason.MAX_ITERATIONS, epoch, iterations, losses);
                }
                if (checkpointSink != null && iterations % checkpointSteps == 0) {
                    // Never checkpoint weights an update just made non-finite: the last good
                    // checkpoint must stay the newest one.
                    firstNonFiniteParameter().ifPresent(name -> {
                        throw new TrainingDivergedException("Training diverged: parameter " + name
                                + " became non-finite after step " + iterations + " (epoch " + epochOf(iterations, batches)
                                + "); no checkpoint was written for it. Try a lower learning rate or gradient clipping.",
                                epochOf(iterations, batches), iterations);
                    });
                    checkpointSink.accept(state(epoch, b + 1, losses, sum, epochStartState));
                }
            }
            double epochLoss = sum / n;
            losses.add(epochLoss);
            double seconds = (System.nanoTime() - start) / 1e9;
            for (TrainingListener l : listeners) {
                l.onEpochEnd(new TrainingListener.EpochEvent(epoch, epochLoss, iterations, seconds, learningRate));
            }
            if (epochLoss < options.lossThreshold()) {
                return new TrainingResult(StopReason.LOSS_BELOW_THRESHOLD, epoch, iterations, losses);
            }
            if (losses.size() > 1 && Math.abs(epochLoss - losses.get(losses.size() - 2)) < options.minLossChange()) {
                return new TrainingResult(StopReason.LOSS_CONVERGED, epoch, iterations, losses);
            }
        }
        return new TrainingResult(StopReason.MAX_EPOCHS, options.maxEpochs(), iterations, losses);
    }

    private Optional<String> firstNonFiniteParameter() {
        for (NamedParameter p : network.parameters()) {
            if (!allFinite(p.parameter().value())) {
                return Optional.of("'" + p.name() + "' (stage " + p.stage() + ", '"
                        + network.stages().get(p.stage()).spec().type() + "')");
            }
        }
        return Optional.empty();
    }

    private static int epochOf(long iteration, int batchesPerEpoch) {
        return (int) ((iteration - 1) / batchesPerEpoch) + 1;
    }

    /** The state after {@code batch} batches of {@code epoch}. */
    private TrainingState state(int epoch, int batch, List<Double> losses, double sum, byte[] epochStartState) {
        Map<String, double[]> params = new LinkedHashMap<>();
        for (NamedParameter p : network.parameters()) {
            params.put(p.name(), p.parameter().value().toDoubleArray());
        }
        Map<String, double[]> buffers = new LinkedHashMap<>();
        for (NamedBuffer b : network.buffers()) {
            buffers.put(b.name(), b.buffer().value().toDoubleArray());
        }
        List<byte[]> stageRandom = new ArrayList<>();
        for (int i = 0; i < network.stages().size(); i++) {
            stageRandom.add(network.stageRandom(i).saveState());
        }
        return new TrainingState(epoch, batch, iterations, losses, sum, epochStartState, params, saveOptimizerState(),
                buffers, stageRandom);
    }

    private void restore(TrainingState st) {
        for (NamedParameter p : network.parameters()) {
            restoreValues("parameter", p.name(), p.parameter().value(), st.parameters());
        }
        for (NamedBuffer b : network.buffers()) {
            restoreValues("buffer", b.name(), b.buffer().value(), st.buffers());
        }
        // A checkpoint of format 1 has no stage streams; its networks drew nothing while training.
        if (!st.stageRandomStates().isEmpty() && st.stageRandomStates().size() != network.stages().size()) {
            throw new IllegalArgumentException("The saved state has random streams for " + st.stageRandomStates().size()
                    + " stages; the network has " + network.stages().size() + ".");
        }
        for (int i = 0; i < st.stageRandomStates().size(); i++) {
            network.stageRandom(i).restoreState(st.stageRandomStates().get(i));
        }
        restoreOptimizerState(st.optimizer());
        shuffleRandom.restoreState(st.shuffleState());
    }

    private static void restoreValues(String kind, String name, Tensor target, Map<String, double[]> saved) {
        double[] v = saved.get(name);
        if (v == null || v.length != target.size()) {
            throw new IllegalArgumentException("The saved state does not fit this network: " + kind + " '" + name
                    + "' " + (v == null ? "is missing" : "has " + v.length + " values, the network needs " + target.size())
                    + ". Saved " + kind + "s: " + saved.keySet() + ".");
        }
        for (int i = 0; i < v.length; i++) {
            target.set(i, v[i]);
        }
    }

    /**
     * The reduced loss over a whole dataset, in batches, in inference mode (no dropout, running
     * statistics), without touching any training buffer.
     */
    public double evaluateLoss(Dataset data) {
        int n = data.size();
        double sum = 0;
        int[] identity = new int[n];
        for (int i = 0; i < n; i++) {
            identity[i] = i;
        }
        for (int from = 0; from < n; from += options.batchSize()) {
            int size = Math.min(options.batchSize(), n - from);
            Tensor[] batch = gather(data, identity, from, size);
            Tensor out = network.infer(batch[0]);
            Tensor grad = Tensor.zeros(out.dtype(), out.shape());
            sum += loss.evaluate(out, batch[1], gatherWeights(data, identity, from, size), grad, noPerSample)
                    * (loss.reduction() == Reduction.MEAN ? size : 1);
        }
        return loss.reduction() == Reduction.MEAN ? sum / n : sum;
    }

    /**
     * Predictions for {@code x}: the network's output in inference mode through the loss's
     * prediction activation. Safe to call from many threads while no training runs.
     */
    public Tensor predict(Tensor x) {
        Tensor out = network.infer(x);
        Tensor p = Tensor.zeros(out.dtype(), out.shape());
        predictionActivation.forward(out, p);
        return p;
    }

    private void shuffle(int[] order) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = shuffleRandom.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    private Tensor[] gather(Dataset data, int[] order, int from, int size) {
        int slot = bufferSlot(size);
        Tensor[] buf = batchBuffers[slot];
        if (buf == null || buf[0].shape().cols() != data.features().shape().cols()
                || buf[1].shape().cols() != data.targets().shape().cols()) {
            buf = new Tensor[] {Tensor.zeros(network.dtype(), data.features().shape().sample().withBatch(size)),
                Tensor.zeros(network.dtype(), data.targets().shape().sample().withBatch(size))};
            batchBuffers[slot] = buf;
        }
        copyRows(data.features(), order, from, buf[0]);
        copyRows(data.targets(), order, from, buf[1]);
        return buf;
    }

    /** The buffer slot of a batch size, taking over the oldest slot for a new size. */
    private int bufferSlot(int size) {
        for (int i = 0; i < bufferSizes.length; i++) {
            if (bufferSizes[i] == size) {
                return i;
            }
        }
        int slot = nextBuffer;
        nextBuffer = (nextBuffer + 1) % bufferSizes.length;
        bufferSizes[slot] = size;
        batchBuffers[slot] = null;
        weightBuffers[slot] = null;
        return slot;
    }

    private double[] gatherWeights(Dataset data, int[] order, int from, int size) {
        if (!data.weighted()) {
            return NO_WEIGHTS;
        }
        int slot = bufferSlot(size);
        if (weightBuffers[slot] == null) {
            weightBuffers[slot] = new double[size];
        }
        double[] w = weightBuffers[slot];
        for (int r = 0; r < size; r++) {
            w[r] = data.weights()[order[from + r]];
        }
        return w;
    }

    private static void copyRows(Tensor src, int[] order, int from, Tensor dst) {
        int cols = src.shape().cols();
        if (src instanceof dev.nnkit.api.tensor.Float32Tensor s && dst instanceof dev.nnkit.api.tensor.Float32Tensor d) {
            for (int r = 0; r < d.shape().rows(); r++) {
                System.arraycopy(s.data(), order[from + r] * cols, d.data(), r * cols, cols);
            }
            return;
        }
        for (int r = 0; r < dst.shape().rows(); r++) {
            int s = order[from + r] * cols;
            int d = r * cols;
            for (int c = 0; c < cols; c++) {
                dst.set(d + c, src.get(s + c));
            }
        }
    }

    private TrainingDivergedException diverged(double c, int epoch, Tensor x) {
        StringBuilder where = new StringBuilder();
        for (int i = 0; i < x.size(); i++) {
            if (!Double.isFinite(x.get(i))) {
                where.append(" The input batch itself holds ").append(x.get(i)).append(" at row ")
                        .append(i / x.shape().cols()).append(", column ").append(i % x.shape().cols())
                        .append(": clean the data.");
                break;
            }
        }
        for (int s = 0; where.length() == 0 && s < network.stages().size(); s++) {
            if (!allFinite(network.stageOutput(s))) {
                where.append(" Stage ").append(s).append(" ('").append(network.stages().get(s).spec().type())
                        .append("') is the first to output a non-finite value.");
            }
        }
        if (where.length() == 0) {
            where.append(" Every stage's output is finite (largest magnitude ")
                    .append(String.format(java.util.Locale.ROOT, "%.3g", maxAbs(network.stageOutput(network.stages().size() - 1))))
                    .append("), so the loss itself overflowed.");
        }
        return new TrainingDivergedException("Training diverged: the loss is " + c + " at epoch " + epoch
                + ", step " + (iterations + 1) + "." + where
                + " Try a lower learning rate, standardized inputs, or a loss computed from logits.", epoch, iterations + 1);
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (int i = 0; i < t.size(); i++) {
            m = Math.max(m, Math.abs(t.get(i)));
        }
        return m;
    }

    private static boolean allFinite(Tensor t) {
        for (int i = 0; i < t.size(); i++) {
            if (!Double.isFinite(t.get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The optimizer's update of one parameter, with its state slots looked up by name. A large
     * parameter of an element-wise optimizer is updated in ranges on all cores (Adam's square root
     * and two divisions per weight were a tenth of an MLP step on one); the ranges are fixed by the
     * size, and each element's update is the same whichever range holds it.
     */
    private final class ParameterUpdate implements dev.nnkit.api.optimizer.ParameterState, Parallel.Rows {
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
                throw new IllegalArgumentException("Optimizer asked for state slot '" + name
                        + "' but declared only " + slots.keySet() + " in stateSlots() and scalarStateSlots().");
            }
            return t;
        }
    }
}

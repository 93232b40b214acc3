package dev.nnkit.core.train;

import dev.nnkit.core.random.RandomStreams;
import dev.nnkit.api.loss.LossFunction;
import dev.nnkit.api.activation.Activation;
import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.optimizer.Optimizer;
import dev.nnkit.api.schedule.LearningRateSchedule;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.network.Network;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Trains a {@link Network}: for each mini-batch, forward propagation, the loss and ∂C/∂Ŷ, back
 * propagation, and one optimizer update of every parameter; epochs repeat until a stopping
 * condition of {@link TrainingOptions} holds. This class is the loop; its parts are
 * {@link BatchLoader} (examples into batch buffers), {@link OptimizerState} (slots and updates),
 * {@link GradientAdjustments} (penalties, clipping), {@link RunState} (what a checkpoint holds of
 * the network) and {@link DivergenceReport} (what went non-finite, and where).
 *
 * <p>Training is not thread-safe: one thread trains. {@link #predict}, {@link #evaluateLoss} and {@link #evaluate}
 * run in inference mode on buffers of their own and may be called from other threads while no
 * training runs. {@link #requestStop()} may be called from any thread.
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
    private Consumer<TrainingState> endSink;
    /** Set from another thread (a signal handler); read after every step. */
    private volatile boolean stopRequested;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final OptimizerState optimizerState;
    private final BatchLoader batchLoader;
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
        this.optimizerState = new OptimizerState(optimizer, network.parameters());
        this.batchLoader = new BatchLoader(network.dtype());
    }

    public Network network() {
        return network;
    }

    /** The activation that turns the network's outputs into predictions (the loss's prediction activation). */
    public Activation predictionActivation() {
        return predictionActivation;
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
        return optimizerState.save(iterations);
    }

    /**
     * Restores a state saved by {@link #saveOptimizerState()}, so training continues exactly where
     * it stopped.
     *
     * @throws IllegalArgumentException naming the expected and the found parameters, slots and sizes
     *     when the snapshot comes from another optimizer or network
     */
    public void restoreOptimizerState(OptimizerSnapshot snapshot) {
        optimizerState.restore(snapshot);
        iterations = snapshot.iterations();
    }

    /** The optimizer's state slots of one parameter, by slot name (live tensors). */
    public Map<String, Tensor> optimizerState(NamedParameter parameter) {
        return optimizerState.slots(parameter);
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
        optimizerState.update(iterations, learningRate);
    }

    /** One training step on a batch: gradients, then an update. Returns the loss before the update. */
    public double step(Tensor x, Tensor y) {
        double c = computeGradients(x, y);
        if (!Double.isFinite(c)) {
            throw DivergenceReport.diverged(network, c, 0, iterations + 1, x);
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

    /**
     * Asks a running {@link #fit} or {@link #resume} to return after the step in progress, with
     * {@link StopReason#STOPPED}, handing the state after that step to the
     * {@link #checkpointAtEnd end sink} first. Safe to call from any thread (a signal handler). The
     * request is used up by the run it stops: a later {@code fit} trains.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /** Whether {@link #requestStop()} was called and no run has answered it yet. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /**
     * Hands the state to {@code sink} whenever training returns, finished or stopped on request,
     * unless a regular checkpoint of that very step was just handed to the checkpoint sink. A
     * finished run's state resumes into its next epoch, so a longer run can continue it. Weights an
     * update made non-finite are never handed over (a {@link TrainingDivergedException} instead).
     * Runs on the training thread.
     */
    public void checkpointAtEnd(Consumer<TrainingState> sink) {
        this.endSink = sink;
    }

    private TrainingResult run(Dataset data, Optional<TrainingState> resume) {
        int n = data.size();
        int[] order = new int[n];
        // In long: n + batchSize - 1 overflows an int for batchSize 2147483647 (one batch of everything,
        // as PyTorch's DataLoader with drop_last=False).
        int batches = (int) (((long) n + options.batchSize() - 1) / options.batchSize());
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
        for (long e = firstEpoch; e <= options.maxEpochs(); e++) { // long: epoch++ past Integer.MAX_VALUE would wrap
            int epoch = (int) e;
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
                Tensor[] batch = batchLoader.gather(data, order, from, size);
                double c = computeGradients(batch[0], batch[1], batchLoader.weights(data, order, from, size));
                if (!Double.isFinite(c)) {
                    throw DivergenceReport.diverged(network, c, epoch, iterations + 1, batch[0]);
                }
                applyUpdate();
                sum += c * size;
                for (TrainingListener l : listeners) {
                    l.onBatchEnd(new TrainingListener.BatchEvent(epoch, b + 1, batches, iterations, size, c));
                }
                boolean checkpointed = checkpointSink != null && iterations % checkpointSteps == 0;
                if (checkpointed) {
                    checkpointSink.accept(checkedState(epoch, b + 1, losses, sum, epochStartState, batches));
                }
                if (iterations >= options.maxIterations()) {
                    if (!checkpointed) {
                        atEnd(epoch, b + 1, losses, sum, epochStartState, batches);
                    }
                    losses.add(sum / (from + size));
                    return new TrainingResult(StopReason.MAX_ITERATIONS, epoch, iterations, losses);
                }
                if (stopRequested) {
                    stopRequested = false;
                    if (!checkpointed) {
                        atEnd(epoch, b + 1, losses, sum, epochStartState, batches);
                    }
                    return new TrainingResult(StopReason.STOPPED, epoch, iterations, losses);
                }
            }
            double epochLoss = sum / n;
            losses.add(epochLoss);
            double seconds = (System.nanoTime() - start) / 1e9;
            for (TrainingListener l : listeners) {
                l.onEpochEnd(new TrainingListener.EpochEvent(epoch, epochLoss, iterations, seconds, learningRate));
            }
            StopReason reason = epochLoss < options.lossThreshold() ? StopReason.LOSS_BELOW_THRESHOLD
                    : losses.size() > 1 && Math.abs(epochLoss - losses.get(losses.size() - 2)) < options.minLossChange()
                    ? StopReason.LOSS_CONVERGED : epoch == options.maxEpochs() ? StopReason.MAX_EPOCHS : null;
            if (reason != null) {
                boolean checkpointed = checkpointSink != null && iterations % checkpointSteps == 0;
                if (!checkpointed) { // the state at the start of the next epoch, so a longer run can go on
                    atEnd(epoch + 1, 0, losses, 0, shuffleRandom.saveState(), batches);
                }
                return new TrainingResult(reason, epoch, iterations, losses);
            }
        }
        return new TrainingResult(StopReason.MAX_EPOCHS, options.maxEpochs(), iterations, losses);
    }

    private void atEnd(int epoch, int batch, List<Double> losses, double sum, byte[] epochStartState, int batches) {
        if (endSink != null) {
            endSink.accept(checkedState(epoch, batch, losses, sum, epochStartState, batches));
        }
    }

    /**
     * The state for a checkpoint. Never weights an update just made non-finite: the last good
     * checkpoint must stay the newest one.
     */
    private TrainingState checkedState(int epoch, int batch, List<Double> losses, double sum, byte[] epochStartState,
                                       int batches) {
        DivergenceReport.firstNonFiniteParameter(network).ifPresent(name -> {
            throw new TrainingDivergedException("Training diverged: parameter " + name
                    + " became non-finite after step " + iterations + " (epoch " + epochOf(iterations, batches)
                    + "); no checkpoint was written for it. Try a lower learning rate or gradient clipping.",
                    epochOf(iterations, batches), iterations);
        });
        return state(epoch, batch, losses, sum, epochStartState);
    }

    private static int epochOf(long iteration, int batchesPerEpoch) {
        return (int) ((iteration - 1) / batchesPerEpoch) + 1;
    }

    /** The state after {@code batch} batches of {@code epoch}. */
    private TrainingState state(int epoch, int batch, List<Double> losses, double sum, byte[] epochStartState) {
        return RunState.capture(network, epoch, batch, iterations, losses, sum, epochStartState, saveOptimizerState());
    }

    /** Checks everything first, so a state that does not fit changes nothing. */
    private void restore(TrainingState st) {
        RunState.check(network, st);
        optimizerState.check(st.optimizer());
        RunState.checkRandomState("shuffling", st.shuffleState());
        RunState.restore(network, st);
        restoreOptimizerState(st.optimizer());
        shuffleRandom.restoreState(st.shuffleState());
    }

    /**
     * The reduced loss over a whole dataset in inference mode (no dropout, running statistics),
     * without touching any training buffer: the network's outputs as {@link #predict} computes
     * them, and the loss summed over them in batches of the training batch size.
     */
    public double evaluateLoss(Dataset data) {
        return lossOver(data, network.infer(data.features()));
    }

    /** A dataset's reduced loss and the predictions that go with it. */
    public record Evaluation(double loss, Tensor predictions) {
    }

    /**
     * {@link #evaluateLoss} and {@link #predict} of the dataset's features from one inference pass
     * instead of two: the same loss and the same predictions, bit for bit. Safe to call from many
     * threads while no training runs.
     */
    public Evaluation evaluate(Dataset data) {
        Tensor out = network.infer(data.features());
        double loss = lossOver(data, out);
        Tensor p = Tensor.zeros(out.dtype(), out.shape());
        predictionActivation.forward(out, p);
        return new Evaluation(loss, p);
    }

    /** The reduced loss of the network outputs {@code out} for the dataset's targets and weights. */
    private double lossOver(Dataset data, Tensor out) {
        // Its own batch buffers and loss scratch: callers may be on several threads.
        BatchLoader batches = new BatchLoader(out.dtype());
        LossFunction lossFunction = new LossFunction(loss.loss(), loss.reduction());
        Dataset outputs = new Dataset(out, data.targets(), data.weights());
        int n = data.size();
        double sum = 0;
        int[] identity = new int[n];
        for (int i = 0; i < n; i++) {
            identity[i] = i;
        }
        Tensor grad = null;
        for (int from = 0; from < n; from = (int) Math.min((long) from + options.batchSize(), n)) {
            int size = Math.min(options.batchSize(), n - from);
            Tensor[] batch = batches.gather(outputs, identity, from, size); // outputs and targets of these rows
            if (grad == null || grad.shape().rows() != size) {
                grad = Tensor.zeros(out.dtype(), batch[0].shape());
            }
            sum += lossFunction.evaluate(batch[0], batch[1], batches.weights(data, identity, from, size), grad, noPerSample)
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

}

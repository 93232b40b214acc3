package dev.nnkit.core.train;

import dev.nnkit.core.random.RandomStreams;
import dev.nnkit.api.loss.LossFunction;
import dev.nnkit.api.activation.Activation;
import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.optimizer.Optimizer;
import dev.nnkit.api.schedule.EpochHistory;
import dev.nnkit.api.schedule.LearningRateSchedule;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.network.Network;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    private final List<EpochScorer> scorers = new ArrayList<>();
    private EarlyStopping earlyStopping;
    private Consumer<TrainingState> bestSink;
    /** The state after the best epoch so far (early stopping), or null. */
    private TrainingState best;
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

    /**
     * Sets the rate the next {@link #step}s and {@link #applyUpdate}s use, for a loop of one's own
     * (nn-spark's parameter averaging); {@link #fit} and {@link #resume} set it from the schedule
     * at every epoch.
     */
    public void setLearningRate(double rate) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("A learning rate must be finite and ≥ 0; got " + rate + ".");
        }
        this.learningRate = rate;
    }

    /** Optimizer steps taken so far. */
    public long iterations() {
        return iterations;
    }

    public void addListener(TrainingListener listener) {
        listeners.add(listener);
    }

    /**
     * Scores the network after every epoch (validation loss, accuracy); the scores join the run's
     * history, which schedules and early stopping watch and checkpoints keep.
     */
    public void addScorer(EpochScorer scorer) {
        scorers.add(scorer);
    }

    /**
     * Stops training when {@code rule}'s score stops improving, keeping the state after the best
     * epoch so far; {@code onBest} (may be null) receives each new best state, as a checkpoint
     * (on the training thread). A validation score needs a scorer that computes it
     * ({@link #addScorer}); {@link #fit} refuses to start otherwise.
     */
    public void stopEarly(EarlyStopping rule, Consumer<TrainingState> onBest) {
        this.earlyStopping = java.util.Objects.requireNonNull(rule, "rule");
        this.bestSink = onBest;
    }

    /**
     * Before {@link #resume}: the state after the run's best epoch so far (its best checkpoint), so
     * that a run with {@link EarlyStopping#restoreBest()} can end with those weights.
     */
    public void resumeBest(TrainingState bestState) {
        RunState.check(network, bestState);
        this.best = bestState;
    }

    /** The state after the best epoch so far, with early stopping; empty before one, or without it. */
    public Optional<TrainingState> best() {
        return Optional.ofNullable(best);
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
        return adjustGradients(lossGradients(x, y, weights));
    }

    /** Forward and back propagation of a batch: ∂C/∂θ in every parameter's gradient, no penalties. */
    private double lossGradients(Tensor x, Tensor y, double[] weights) {
        Tensor out = network.forward(x);
        Tensor grad = network.stageOutputGradient(network.stages().size() - 1);
        double c = loss.evaluate(out, y, weights, grad, noPerSample);
        network.backward(grad);
        return c;
    }

    /**
     * Adds the options' weight penalties to every parameter's gradient (which holds ∂C/∂θ of the
     * loss alone), then clips to the global norm when the options ask for it.
     *
     * @param c the batch's loss
     * @return the loss with the penalties
     */
    private double adjustGradients(double c) {
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
        return run(new LocalExamples(data), Optional.empty());
    }

    /**
     * Trains on examples held elsewhere (nn-spark's cluster) until a stopping condition holds: the
     * same loop, order and updates as {@link #fit(Dataset)}, with each batch's gradients from
     * {@code examples}.
     */
    public TrainingResult fit(ExampleSource examples) {
        return run(examples, Optional.empty());
    }

    /**
     * Continues an interrupted run from a saved state: the weights, optimizer state, step count,
     * loss history and the epoch's example order are restored, so the run ends exactly as an
     * uninterrupted one would (same data, spec and seed).
     */
    public TrainingResult resume(Dataset data, TrainingState state) {
        return run(new LocalExamples(data), Optional.of(state));
    }

    /** As {@link #resume(Dataset, TrainingState)}, for examples held elsewhere. */
    public TrainingResult resume(ExampleSource examples, TrainingState state) {
        return run(examples, Optional.of(state));
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

    private TrainingResult run(ExampleSource data, Optional<TrainingState> resume) {
        int n = data.size();
        int[] order = new int[n];
        // In long: n + batchSize - 1 overflows an int for batchSize 2147483647 (one batch of everything,
        // as PyTorch's DataLoader with drop_last=False).
        int batches = (int) (((long) n + options.batchSize() - 1) / options.batchSize());
        List<Double> losses = new ArrayList<>();
        Map<String, List<Double>> scores = scoreSeries();
        int firstEpoch = 1;
        int firstBatch = 0;
        double resumedSum = 0;
        if (resume.isPresent()) {
            TrainingState st = resume.get();
            restore(st);
            losses.addAll(st.epochLosses());
            restoreScores(st, scores);
            firstEpoch = st.epoch();
            firstBatch = st.batch();
            resumedSum = st.epochLossSum();
        } else {
            best = null;
        }
        checkBest(losses, scores);
        for (long e = firstEpoch; e <= options.maxEpochs(); e++) { // long: epoch++ past Integer.MAX_VALUE would wrap
            int epoch = (int) e;
            long start = System.nanoTime();
            learningRate = schedule.learningRate(optimizer.learningRate(), epoch - 1, history(losses, scores));
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
                double c = adjustGradients(data.gradients(order, from, size));
                if (!Double.isFinite(c)) {
                    throw data.diverged(c, epoch, iterations + 1);
                }
                applyUpdate();
                sum += c * size;
                for (TrainingListener l : listeners) {
                    l.onBatchEnd(new TrainingListener.BatchEvent(epoch, b + 1, batches, iterations, size, c));
                }
                boolean checkpointed = checkpointSink != null && iterations % checkpointSteps == 0;
                if (checkpointed) {
                    checkpointSink.accept(checkedState(epoch, b + 1, losses, sum, epochStartState,
                            epochOf(iterations, batches), scores));
                }
                if (iterations >= options.maxIterations()) {
                    if (!checkpointed) {
                        atEnd(epoch, b + 1, losses, sum, epochStartState, batches, scores);
                    }
                    losses.add(sum / (from + size)); // the partial epoch's, which no scorer scored
                    scores.values().forEach(series -> series.add(Double.NaN));
                    return finish(StopReason.MAX_ITERATIONS, epoch, losses, scores);
                }
                if (stopRequested) {
                    stopRequested = false;
                    if (!checkpointed) {
                        atEnd(epoch, b + 1, losses, sum, epochStartState, batches, scores);
                    }
                    return new TrainingResult(StopReason.STOPPED, epoch, iterations, losses, history(losses, scores), 0);
                }
            }
            double epochLoss = sum / n;
            losses.add(epochLoss);
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Double> epochScores = score(epochLoss, scores);
            for (TrainingListener l : listeners) {
                l.onEpochEnd(new TrainingListener.EpochEvent(epoch, epochLoss, iterations, seconds, learningRate,
                        epochScores));
            }
            boolean stopEarly = keepBest(epoch, losses, scores, batches);
            StopReason reason = epochLoss < options.lossThreshold() ? StopReason.LOSS_BELOW_THRESHOLD
                    : losses.size() > 1 && Math.abs(epochLoss - losses.get(losses.size() - 2)) < options.minLossChange()
                    ? StopReason.LOSS_CONVERGED : stopEarly ? StopReason.EARLY_STOPPED
                    : epoch == options.maxEpochs() ? StopReason.MAX_EPOCHS : null;
            if (reason != null) {
                boolean checkpointed = checkpointSink != null && iterations % checkpointSteps == 0;
                if (!checkpointed) { // the state at the start of the next epoch, so a longer run can go on
                    atEnd(epoch + 1, 0, losses, 0, shuffleRandom.saveState(), batches, scores);
                }
                return finish(reason, epoch, losses, scores);
            }
        }
        return finish(StopReason.MAX_EPOCHS, options.maxEpochs(), losses, scores);
    }

    /** An empty series for every scorer's score, in order. */
    private Map<String, List<Double>> scoreSeries() {
        Map<String, List<Double>> scores = new LinkedHashMap<>();
        for (EpochScorer s : scorers) {
            for (String name : s.names()) {
                if (name.equals(EpochHistory.TRAIN_LOSS) || scores.containsKey(name)) {
                    throw new IllegalStateException("Two scores are called " + name + "; every score needs its own name.");
                }
                scores.put(name, new ArrayList<>());
            }
        }
        List<String> monitors = new ArrayList<>(List.of(schedule.monitor()));
        if (earlyStopping != null) {
            monitors.add(earlyStopping.monitor());
        }
        for (String m : monitors) {
            if (!m.equals(EpochHistory.TRAIN_LOSS) && !scores.containsKey(m)) {
                throw new IllegalStateException("Training watches " + m + ", which this run does not score (it scores "
                        + EpochHistory.TRAIN_LOSS + (scores.isEmpty() ? "" : ", " + String.join(", ", scores.keySet()))
                        + "). A validation score needs validation data.");
            }
        }
        return scores;
    }

    /**
     * The saved scores of a resumed run; a score the checkpoint lacks (it was written by a run that
     * did not compute it) is NaN for the epochs before.
     */
    private static void restoreScores(TrainingState st, Map<String, List<Double>> scores) {
        int epochs = st.epochLosses().size();
        scores.forEach((name, series) -> {
            List<Double> saved = st.epochScores().get(name);
            if (saved != null && saved.size() == epochs) {
                series.addAll(saved);
            } else {
                for (int i = 0; i < epochs; i++) {
                    series.add(Double.NaN);
                }
            }
        });
    }

    /** The scorers' scores of the epoch just finished, appended to their series; the training loss first. */
    private Map<String, Double> score(double epochLoss, Map<String, List<Double>> scores) {
        Map<String, Double> epochScores = new LinkedHashMap<>();
        epochScores.put(EpochHistory.TRAIN_LOSS, epochLoss);
        for (EpochScorer s : scorers) {
            Map<String, Double> values = s.score(this);
            for (String name : s.names()) {
                double v = values.getOrDefault(name, Double.NaN);
                scores.get(name).add(v);
                epochScores.put(name, v);
            }
        }
        return epochScores;
    }

    private static EpochHistory history(List<Double> losses, Map<String, List<Double>> scores) {
        Map<String, List<Double>> all = new LinkedHashMap<>();
        all.put(EpochHistory.TRAIN_LOSS, losses);
        all.putAll(scores);
        return new EpochHistory(all);
    }

    private List<Double> monitored(List<Double> losses, Map<String, List<Double>> scores) {
        return earlyStopping.monitor().equals(EpochHistory.TRAIN_LOSS) ? losses : scores.get(earlyStopping.monitor());
    }

    /**
     * With early stopping: keeps the weights of a new best epoch (handing them to the best sink) and
     * says whether to stop.
     */
    private boolean keepBest(int epoch, List<Double> losses, Map<String, List<Double>> scores, int batches) {
        if (earlyStopping == null) {
            return false;
        }
        EarlyStopping.Verdict v = earlyStopping.judge(monitored(losses, scores));
        if (v.bestEpoch() == epoch) {
            best = checkedState(epoch + 1, 0, losses, 0, shuffleRandom.saveState(), epochOf(iterations, batches), scores);
            if (bestSink != null) {
                bestSink.accept(best);
            }
        }
        return v.stop();
    }

    /**
     * A resumed run that is to end with its best weights must have them: the best epoch before the
     * resume is known from the history, its weights only from {@link #resumeBest}.
     */
    private void checkBest(List<Double> losses, Map<String, List<Double>> scores) {
        if (earlyStopping == null || !earlyStopping.restoreBest()) {
            return;
        }
        int bestEpoch = earlyStopping.judge(monitored(losses, scores)).bestEpoch();
        if (bestEpoch > 0 && (best == null || best.epoch() != bestEpoch + 1)) {
            throw new StateMismatchException("The run's best epoch so far is " + bestEpoch + " (by " + earlyStopping.monitor()
                    + "), but its weights were not given back"
                    + (best == null ? "" : " (the best state given is of epoch " + (best.epoch() - 1) + ")")
                    + "; restoreBest cannot end with them.");
        }
    }

    /** The result; with {@link EarlyStopping#restoreBest()}, after giving the network its best epoch's weights. */
    private TrainingResult finish(StopReason reason, int epoch, List<Double> losses, Map<String, List<Double>> scores) {
        int restored = 0;
        if (earlyStopping != null && earlyStopping.restoreBest() && best != null) {
            RunState.restoreWeights(network, best);
            restored = best.epoch() - 1;
        }
        return new TrainingResult(reason, epoch, iterations, losses, history(losses, scores), restored);
    }

    private void atEnd(int epoch, int batch, List<Double> losses, double sum, byte[] epochStartState, int batches,
                       Map<String, List<Double>> scores) {
        if (endSink != null) {
            endSink.accept(checkedState(epoch, batch, losses, sum, epochStartState, epochOf(iterations, batches),
                    scores));
        }
    }

    /**
     * The state for a checkpoint. Never weights an update just made non-finite: the last good
     * checkpoint must stay the newest one.
     */
    private TrainingState checkedState(int epoch, int batch, List<Double> losses, double sum, byte[] epochStartState,
                                       int stepEpoch, Map<String, List<Double>> scores) {
        DivergenceReport.firstNonFiniteParameter(network).ifPresent(name -> {
            throw new TrainingDivergedException("Training diverged: parameter " + name
                    + " became non-finite after step " + iterations + " (epoch " + stepEpoch
                    + "); no checkpoint was written for it. Try a lower learning rate or gradient clipping.",
                    stepEpoch, iterations);
        });
        return RunState.capture(network, epoch, batch, iterations, losses, sum, epochStartState, saveOptimizerState(),
                scores);
    }

    private static int epochOf(long iteration, int batchesPerEpoch) {
        return (int) ((iteration - 1) / batchesPerEpoch) + 1;
    }

    /**
     * A checkpoint of a run that another loop drives (parameter averaging on Spark): this trainer's
     * weights, buffers, stage streams, optimizer state and step count, the loop's position, and
     * {@code loopState} (what else the loop needs to continue) where a local run keeps its shuffling
     * stream. {@link #restoreLoopState} puts it back.
     *
     * @throws TrainingDivergedException when a weight is not finite: no such checkpoint is written
     */
    public TrainingState loopState(int epoch, int batch, List<Double> epochLosses, double epochLossSum, byte[] loopState,
                                   Map<String, List<Double>> scores) {
        return checkedState(epoch, batch, epochLosses, epochLossSum, loopState,
                Math.max(1, batch == 0 ? epoch - 1 : epoch), scores);
    }

    /**
     * Puts back the weights, buffers, stage streams, optimizer state and step count of a
     * {@link #loopState}, all checked before anything changes (the loop restores its own state).
     *
     * @throws StateMismatchException when the state does not fit this network or optimizer
     */
    public void restoreLoopState(TrainingState st) {
        RunState.check(network, st);
        optimizerState.check(st.optimizer());
        RunState.restore(network, st);
        restoreOptimizerState(st.optimizer());
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
        return activated(network.infer(x));
    }

    /** {@link #predict} of the first {@code rows} rows of {@code x}, without copying them first. */
    public Tensor predict(Tensor x, int rows) {
        return activated(network.infer(x, rows));
    }

    private Tensor activated(Tensor out) {
        Tensor p = Tensor.zeros(out.dtype(), out.shape());
        predictionActivation.forward(out, p);
        return p;
    }

    /** Examples in memory, gathered into the trainer's batch buffers. */
    private final class LocalExamples implements ExampleSource {
        private final Dataset data;
        private Tensor lastBatch;

        LocalExamples(Dataset data) {
            this.data = data;
        }

        @Override
        public int size() {
            return data.size();
        }

        @Override
        public double gradients(int[] order, int from, int size) {
            Tensor[] batch = batchLoader.gather(data, order, from, size);
            lastBatch = batch[0];
            return lossGradients(batch[0], batch[1], batchLoader.weights(data, order, from, size));
        }

        @Override
        public TrainingDivergedException diverged(double c, int epoch, long step) {
            return DivergenceReport.diverged(network, c, epoch, step, lastBatch);
        }
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

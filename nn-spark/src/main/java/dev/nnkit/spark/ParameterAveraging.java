package dev.nnkit.spark;

import dev.nnkit.api.schedule.EpochHistory;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.schedule.LearningRateSchedule;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.train.EpochScorer;
import dev.nnkit.core.train.OptimizerSnapshot;
import dev.nnkit.core.train.StopReason;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingDivergedException;
import dev.nnkit.core.train.TrainingListener;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingResult;
import dev.nnkit.core.train.TrainingState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The communication-light mode, as dl4j-spark's parameter averaging: every partition trains on its
 * own examples for K steps from the same weights and optimizer state, then the driver averages the
 * partitions' weights and optimizer state (each partition counting once) and starts the next round
 * from the average. Data crosses the network once per K steps instead of every step, at the price
 * of K steps of drift between the partitions' models.
 *
 * <p>Each partition trains as a local trainer with the seed {@code seed + partition} would: its
 * example order, its dropout masks (their random streams travel with the round), and batch norm's
 * statistics over its own batches, whose running averages are averaged with the weights.
 *
 * <p>An epoch is as many steps as the largest partition needs to pass once over its examples, each
 * partition taking steps of the run's batch size over its own examples in its own order. The
 * learning-rate schedule advances by epoch; the optimizer's step count by K a round.
 */
final class ParameterAveraging {
    private final JavaSparkContext sc;
    private final Trainer trainer;
    private final LearningRateSchedule schedule;
    private final List<TrainingListener> listeners;
    private final List<EpochScorer> scorers;
    private final int depth;

    /** @param depth levels of the tree that sums the partitions' results (see {@link TreeSum}) */
    ParameterAveraging(JavaSparkContext sc, Trainer trainer, LearningRateSchedule schedule, List<TrainingListener> listeners,
                       List<EpochScorer> scorers, int depth) {
        this.sc = sc;
        this.depth = depth;
        this.scorers = scorers;
        this.trainer = trainer;
        this.schedule = schedule;
        this.listeners = listeners;
    }

    /**
     * Where checkpoints go: {@code sink} after the first round that ends at or past every multiple of
     * {@code every} steps (0: never), {@code atEnd} (may be null) when the run ends, unless a
     * checkpoint of that very step was just written.
     */
    record Checkpointing(long every, Consumer<TrainingState> sink, Consumer<TrainingState> atEnd) {
        static final Checkpointing NONE = new Checkpointing(0, null, null);
    }

    /**
     * Trains, from the start or from a checkpoint this class wrote ({@code resumeFrom}): the run then
     * ends with the weights an uninterrupted one would have, bit for bit.
     *
     * @throws SparkTrainingException when the checkpoint is not of averaging, or of averaging every
     *                                another number of steps or over other partitions
     */
    TrainingResult run(SparkExamples data, Broadcast<WorkerSpec> spec, int every, Optional<TrainingState> resumeFrom,
                       Checkpointing checkpoints) {
        TrainingOptions options = trainer.options();
        Network network = trainer.network();
        long largest = 0;
        for (int p = 0; p < data.partitions(); p++) {
            long end = p + 1 < data.partitions() ? data.firsts[p + 1] : data.size();
            largest = Math.max(largest, end - data.firsts[p]);
        }
        long perEpoch = (largest + options.batchSize() - 1) / options.batchSize();
        long total = Math.min(options.maxIterations(), perEpoch * options.maxEpochs());
        List<Double> losses = new ArrayList<>();
        Map<String, List<Double>> history = new LinkedHashMap<>();
        history.put(EpochHistory.TRAIN_LOSS, losses);
        double sum = 0;
        long examples = 0;
        long iterations = trainer.iterations();
        long epochStarted = System.nanoTime();
        TreeMap<Integer, byte[][]> stageStates = new TreeMap<>();
        long step = 0;
        if (resumeFrom.isPresent()) {
            TrainingState st = resumeFrom.get();
            AveragingState saved = AveragingState.decode(st.shuffleState()).orElseThrow(() -> new SparkTrainingException(
                    "The checkpoint is of synchronous training: resume it without --average-every (averageEvery)."));
            if (saved.every() != every || saved.partitions() != data.partitions()) {
                throw new SparkTrainingException("The checkpoint's run averaged every " + saved.every() + " steps over "
                        + saved.partitions() + " partitions; resuming would average every " + every + " over "
                        + data.partitions() + ", which trains another model. Resume with --average-every " + saved.every()
                        + " and " + saved.partitions() + " partitions (--partitions), or start afresh.");
            }
            trainer.restoreLoopState(st);
            losses.addAll(st.epochLosses());
            st.epochScores().forEach((name, values) -> {
                if (!name.equals(EpochHistory.TRAIN_LOSS)) {
                    history.put(name, new ArrayList<>(values));
                }
            });
            sum = st.epochLossSum();
            examples = saved.examples();
            iterations = st.iterations();
            step = saved.step();
            stageStates.putAll(saved.stageStates());
        }
        long checkpointed = iterations;
        while (step < total) {
            int epoch = (int) (step / perEpoch) + 1;
            double rate = schedule.learningRate(trainer.optimizer().learningRate(), epoch - 1, new EpochHistory(history));
            int steps = (int) Math.min(Math.min(every, total - step), epoch * perEpoch - step);
            OptimizerSnapshot state = trainer.saveOptimizerState();
            Broadcast<RoundStart> start = sc.broadcast(new RoundStart(FlatArray.read(network.parameters(), network.dtype(),
                    false), RoundStart.copy(state.slots()), iterations, step, steps, rate,
                    FlatArray.of(buffers(network), network.dtype()), new HashMap<>(stageStates)));
            RoundSum round;
            try {
                DType dtype = network.dtype();
                round = SparkJobs.run(() -> RoundSum.combine(0, TreeSum.top(data.blocks.mapPartitionsWithIndex(
                        new RoundTask(spec, start, data.checksums), true).map(RoundSum::of), data.partitions(), depth,
                        RoundSum::index, (index, group) -> RoundSum.combine(index, group, dtype)), DType.FLOAT64));
            } finally {
                start.destroy();
            }
            if (round.failure() != null) {
                throw new SparkTrainingException(round.failure());
            }
            if (round.nonFinitePartition() >= 0) {
                throw new TrainingDivergedException("Training diverged: partition " + round.nonFinitePartition()
                        + "'s loss became " + round.nonFiniteLoss() + " in the round from step " + (iterations + 1)
                        + ". Try a lower learning rate, standardized inputs, or averaging more often.", epoch, iterations + 1);
            }
            sum += round.lossSum();
            examples += round.examples();
            stageStates.putAll(round.stageStates());
            iterations += steps;
            average(round, network, iterations);
            step += steps;
            if (step % perEpoch == 0 || step == total) {
                double loss = sum / examples;
                losses.add(loss);
                double seconds = (System.nanoTime() - epochStarted) / 1e9;
                Map<String, Double> scores = new LinkedHashMap<>();
                scores.put(EpochHistory.TRAIN_LOSS, loss);
                for (EpochScorer scorer : scorers) {
                    scorer.score(trainer).forEach((name, value) -> {
                        scores.put(name, value);
                        history.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
                    });
                }
                for (TrainingListener l : listeners) {
                    l.onEpochEnd(new TrainingListener.EpochEvent(epoch, loss, iterations, seconds, rate, scores));
                }
                sum = 0;
                examples = 0;
                epochStarted = System.nanoTime();
            }
            if (checkpoints.every() > 0 && iterations / checkpoints.every() > checkpointed / checkpoints.every()) {
                checkpoints.sink().accept(state(new AveragingState(every, data.partitions(), step, examples, stageStates),
                        perEpoch, losses, sum, history));
                checkpointed = iterations;
            }
        }
        if (checkpoints.atEnd() != null && checkpointed != iterations) {
            checkpoints.atEnd().accept(state(new AveragingState(every, data.partitions(), step, examples, stageStates),
                    perEpoch, losses, sum, history));
        }
        StopReason reason = total == options.maxIterations() && total < perEpoch * options.maxEpochs()
                ? StopReason.MAX_ITERATIONS : StopReason.MAX_EPOCHS;
        return new TrainingResult(reason, losses.size(), iterations, losses, new EpochHistory(history), 0);
    }

    /** The driver trainer's state with the loop's, after {@code averaging.step()} steps (a new epoch starts at batch 0). */
    private TrainingState state(AveragingState averaging, long perEpoch, List<Double> losses, double sum,
                                Map<String, List<Double>> history) {
        Map<String, List<Double>> scores = new LinkedHashMap<>(history);
        scores.remove(EpochHistory.TRAIN_LOSS);
        return trainer.loopState((int) (averaging.step() / perEpoch) + 1, (int) (averaging.step() % perEpoch), losses,
                sum, averaging.encode(), scores);
    }

    private static List<dev.nnkit.api.tensor.Tensor> buffers(Network network) {
        return network.buffers().stream().map(b -> b.buffer().value()).toList();
    }

    /**
     * The partitions' weights, buffers (batch norm's running statistics) and optimizer state,
     * averaged (summed in partition order, then divided) into the driver's trainer.
     */
    private void average(RoundSum round, Network network, long iterations) {
        FlatArray.of(network.dtype(), mean(round.weights(), round.partitions())).write(network.parameters(), false);
        FlatArray.of(network.dtype(), mean(round.buffers(), round.partitions())).writeTo(buffers(network));
        Map<String, Map<String, double[]>> slots = new LinkedHashMap<>();
        trainer.saveOptimizerState().slots().forEach((parameter, named) -> {
            Map<String, double[]> averaged = new HashMap<>();
            named.forEach((slot, values) -> averaged.put(slot, mean(round.slots().get(parameter).get(slot),
                    round.partitions())));
            slots.put(parameter, averaged);
        });
        trainer.restoreOptimizerState(new OptimizerSnapshot(iterations, slots));
    }

    private static double[] mean(FlatArray sums, int count) {
        double[] mean = new double[sums.length()];
        sums.addTo(mean);
        return mean(mean, count);
    }

    private static double[] mean(double[] sums, int count) {
        double[] mean = sums.clone();
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= count;
        }
        return mean;
    }
}

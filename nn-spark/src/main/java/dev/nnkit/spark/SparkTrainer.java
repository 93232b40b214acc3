package dev.nnkit.spark;

import dev.nnkit.core.network.Network;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.train.SingleRowBatches;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingResult;
import dev.nnkit.core.train.TrainingSpec;
import dev.nnkit.core.train.TrainingState;
import dev.nnkit.inject.Trainers;
import dev.nnkit.io.data.Normalizer;
import dev.nnkit.core.train.EpochScorer;
import dev.nnkit.core.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.UUID;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Trains an nnkit network on a Spark cluster, synchronously and data-parallel: the driver holds the
 * network and the optimizer, and runs {@link Trainer}'s own loop (epoch order, schedules,
 * checkpoints, stopping); each step's gradient is computed by the executors over their share of the
 * batch. The result equals local training on the same examples in the same order, up to the
 * rounding of sums added in another order.
 *
 * <pre>{@code
 * SparkTrainer trainer = SparkTrainer.create(spark, spec);
 * SparkExamples data = trainer.examples(frame, FrameColumns.features("x1", "x2").label("y"));
 * TrainingResult result = trainer.fit(data);
 * Network trained = trainer.trainer().network();
 * }</pre>
 *
 * <p>Not thread-safe: one thread drives a run.
 */
public final class SparkTrainer {
    private final JavaSparkContext sc;
    private final TrainingSpec spec;
    private final Trainer trainer;
    private int aggregationDepth = 2;
    private ParameterAveraging.Checkpointing checkpoints = ParameterAveraging.Checkpointing.NONE;
    /** Steps each partition takes between averages; 0 for synchronous gradients. */
    private int averageEvery;
    private final PluginRegistry registry;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final List<EpochScorer> scorers = new ArrayList<>();

    private SparkTrainer(JavaSparkContext sc, TrainingSpec spec, Trainer trainer, PluginRegistry registry) {
        this.sc = sc;
        this.registry = registry;
        this.spec = spec;
        this.trainer = trainer;
    }

    /** A trainer for {@code spec} with the plugins on the driver's class path. */
    public static SparkTrainer create(SparkSession spark, TrainingSpec spec) {
        return create(spark, spec, PluginRegistry.discover());
    }

    /** A trainer for {@code spec} with the plugins of {@code registry} (the executors discover their own). */
    public static SparkTrainer create(SparkSession spark, TrainingSpec spec, PluginRegistry registry) {
        return new SparkTrainer(JavaSparkContext.fromSparkContext(spark.sparkContext()), spec,
                Trainers.create(spec, registry), registry);
    }

    /**
     * Levels of the tree that sums the partitions' gradients, or in parameter averaging their weights
     * and optimizer state (default 2, as Spark's {@code treeAggregate}): 1 sends every partition's
     * sum straight to the driver.
     */
    public SparkTrainer aggregationDepth(int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("aggregationDepth must be at least 1; got " + depth + ".");
        }
        this.aggregationDepth = depth;
        return this;
    }

    /**
     * Switches to parameter averaging: each partition takes {@code steps} steps of the run's batch
     * size over its own examples, then the driver averages the partitions' weights and optimizer
     * state. Data crosses the network once per {@code steps} steps instead of every step; the
     * partitions' models drift apart in between, so the result is not local training's (see
     * docs/spark.md).
     */
    public SparkTrainer averageEvery(int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("averageEvery must be at least 1 step; got " + steps + ".");
        }
        this.averageEvery = steps;
        return this;
    }

    /**
     * Scores the network after every epoch, on the driver (validation loss, accuracy: data that
     * {@link SparkExamples#collect} brought to the driver); schedules and early stopping can watch
     * the scores.
     */
    public void addScorer(EpochScorer scorer) {
        scorers.add(scorer);
        trainer.addScorer(scorer);
    }

    /**
     * Hands the training state to {@code sink} every {@code steps} optimizer steps, for checkpoints
     * ({@link #resume} continues from one): in synchronous training after that very step, in
     * parameter averaging after the round that reaches it. Runs on the driver.
     */
    public SparkTrainer checkpointEvery(long steps, Consumer<TrainingState> sink) {
        trainer.checkpointEvery(steps, sink);
        checkpoints = new ParameterAveraging.Checkpointing(steps, sink, checkpoints.atEnd());
        return this;
    }

    /** Hands the state to {@code sink} when training ends, unless a checkpoint of that very step was just written. */
    public SparkTrainer checkpointAtEnd(Consumer<TrainingState> sink) {
        trainer.checkpointAtEnd(sink);
        checkpoints = new ParameterAveraging.Checkpointing(checkpoints.every(), checkpoints.sink(), sink);
        return this;
    }

    /** Hears about every epoch (and, in synchronous training, every step). */
    public void addListener(TrainingListener listener) {
        listeners.add(listener);
        trainer.addListener(listener);
    }

    /** The driver's trainer: its network holds the weights, and it saves and restores state. */
    public Trainer trainer() {
        return trainer;
    }

    /**
     * The DataFrame's examples, checked and cached on the executors.
     *
     * @throws SparkTrainingException naming the column, partition and row of the first bad value
     */
    public SparkExamples examples(Dataset<Row> frame, FrameColumns columns) {
        return examples(frame, columns, Optional.empty());
    }

    /**
     * The DataFrame's examples with the features normalized as they are read (a normalizer from
     * {@link SparkNormalizers#fit}; keep it for the model).
     */
    public SparkExamples examples(Dataset<Row> frame, FrameColumns columns, Optional<Normalizer> normalizer) {
        Network network = trainer.network();
        var loss = trainer.lossFunction().loss();
        return SparkExamples.read(frame, columns, normalizer, network.inputShape(), network.outputSize(),
                loss.targetWidth(network.outputSize()), loss.classifies(), network.dtype());
    }

    /** Trains until a stopping condition of the spec's options holds. */
    public TrainingResult fit(SparkExamples data) {
        return run(data, Optional.empty());
    }

    /** Continues a run from a saved state (a checkpoint), as {@link Trainer#resume} does. */
    public TrainingResult resume(SparkExamples data, TrainingState state) {
        return run(data, Optional.of(state));
    }

    /**
     * Why the run's batches cannot train the network (batch norm over features left with a batch of
     * one row: in parameter averaging each partition batches its own examples), or empty.
     */
    public Optional<String> batchProblem(SparkExamples data) {
        int batchSize = spec.options().batchSize();
        if (averageEvery == 0) {
            return SingleRowBatches.problem(trainer.network(), data.size(), batchSize);
        }
        for (int p = 0; p < data.partitions(); p++) {
            long rows = (p + 1 < data.partitions() ? data.firsts[p + 1] : data.size()) - data.firsts[p];
            Optional<String> problem = SingleRowBatches.problem(trainer.network(), rows, batchSize);
            if (problem.isPresent()) {
                return Optional.of("Partition " + p + " (parameter averaging batches each partition's examples on their"
                        + " own): " + problem.get() + (rows == 1 ? " Or use fewer partitions (--partitions), or train"
                        + " synchronously." : ""));
            }
        }
        return Optional.empty();
    }

    private TrainingResult run(SparkExamples data, Optional<TrainingState> state) {
        if (data.dtype != trainer.network().dtype()) {
            throw new IllegalArgumentException("The examples were read for a " + data.dtype.id() + " network; this one is "
                    + trainer.network().dtype().id() + ".");
        }
        Optional<String> problem = batchProblem(data);
        if (problem.isPresent()) {
            throw new SparkTrainingException(problem.get());
        }
        Broadcast<WorkerSpec> workerSpec = sc.broadcast(WorkerSpec.of(UUID.randomUUID().toString(), spec));
        try {
            if (averageEvery > 0) {
                return new ParameterAveraging(sc, trainer, registry.schedule(spec.schedule()), listeners, scorers,
                        aggregationDepth).run(data, workerSpec, averageEvery, state, checkpoints);
            }
            if (state.isPresent() && AveragingState.decode(state.get().shuffleState()).isPresent()) {
                AveragingState saved = AveragingState.decode(state.get().shuffleState()).orElseThrow();
                throw new SparkTrainingException("The checkpoint is of parameter averaging every " + saved.every()
                        + " steps: resume it with --average-every " + saved.every() + " (averageEvery).");
            }
            StepGradients steps = new StepGradients(sc, data, workerSpec, trainer.network(), aggregationDepth);
            return state.isPresent() ? trainer.resume(steps, state.get()) : trainer.fit(steps);
        } finally {
            workerSpec.destroy();
        }
    }
}

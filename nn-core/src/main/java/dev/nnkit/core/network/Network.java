package dev.nnkit.core.network;

import dev.nnkit.api.layer.Buffer;
import dev.nnkit.api.layer.Mode;
import dev.nnkit.api.layer.Parameter;
import dev.nnkit.api.layer.PassContext;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.kernel.Parallel;
import dev.nnkit.core.random.RandomStreams;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A feed-forward network: stages applied in order, forward and back propagation over batches of
 * shape {@code [batch, ...inputShape]}.
 * <pre>
 *   forward:   a⁽⁰⁾ = X,  a⁽ˡ⁾ = stageₗ(a⁽ˡ⁻¹⁾)
 *   backward:  g⁽ᴸ⁾ = ∂L/∂Ŷ,  each stage writes its parameter gradients and g⁽ˡ⁻¹⁾ = ∂L/∂a⁽ˡ⁻¹⁾
 * </pre>
 *
 * <p><b>Threads.</b> {@link #infer} is safe to call from any number of threads at once: each call
 * runs in {@link Mode#INFERENCE} on buffers no other call uses, and gives the same bits as a
 * single-threaded call. Training ({@link #forward}, {@link #backward}, {@link #stageOutput},
 * {@link #stageOutputGradient}) runs in {@link Mode#TRAINING} on the network's one set of training
 * buffers and belongs to one thread. Inference while another thread trains (or loads weights)
 * reads weights that are changing: don't.
 */
public final class Network {
    /** Idle inference runners kept for reuse; more concurrent callers get fresh ones, dropped after. */
    private static final int MAX_IDLE_RUNNERS = 16;
    private final Shape inputShape;
    private final DType dtype;
    private final List<Stage> stages;
    private final List<NamedParameter> parameters;
    private final List<NamedBuffer> buffers;
    // Made on first use: a network only draws while training, and the first random tree of a JVM
    // costs a cold start ~30 ms (Commons RNG's table of generators), which a loaded model for
    // inference never needs.
    private final Supplier<List<RandomStreams.Stream>> stageRandomSource;
    private volatile List<RandomStreams.Stream> stageRandom;
    private final BatchRunner training;
    private final ConcurrentLinkedQueue<BatchRunner> idleInference = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    Network(Shape inputShape, DType dtype, List<Stage> stages, Supplier<List<RandomStreams.Stream>> stageRandom) {
        this.inputShape = inputShape;
        this.dtype = dtype;
        this.stages = List.copyOf(stages);
        this.stageRandomSource = stageRandom;
        List<NamedParameter> ps = new ArrayList<>();
        List<NamedBuffer> bs = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            for (Parameter p : stages.get(i).layer().parameters()) {
                ps.add(new NamedParameter(i + "." + p.name(), i, p));
            }
            for (Buffer b : stages.get(i).layer().buffers()) {
                bs.add(new NamedBuffer(i + "." + b.name(), i, b));
            }
        }
        this.parameters = List.copyOf(ps);
        this.buffers = List.copyOf(bs);
        this.training = new BatchRunner(this, Mode.TRAINING);
    }

    /** The per-sample shape of the input. */
    public Shape inputShape() {
        return inputShape;
    }

    /** Values per input sample. */
    public int inputSize() {
        return inputShape.size();
    }

    /** The per-sample shape of the output. */
    public Shape outputShape() {
        return stages.get(stages.size() - 1).layer().outputShape();
    }

    /** Values per output sample. */
    public int outputSize() {
        return outputShape().size();
    }

    public DType dtype() {
        return dtype;
    }

    public List<Stage> stages() {
        return stages;
    }

    /** Every trainable parameter, stage by stage, named as in PyTorch's {@code state_dict}. */
    public List<NamedParameter> parameters() {
        return parameters;
    }

    /** Every non-trainable buffer, stage by stage, named as in PyTorch's {@code state_dict}. */
    public List<NamedBuffer> buffers() {
        return buffers;
    }

    /** Stage {@code index}'s own random stream (saved in checkpoints). */
    public RandomStreams.Stream stageRandom(int index) {
        List<RandomStreams.Stream> streams = stageRandom;
        if (streams == null) {
            synchronized (this) {
                if (stageRandom == null) {
                    stageRandom = List.copyOf(stageRandomSource.get());
                }
                streams = stageRandom;
            }
        }
        return streams.get(index);
    }

    /** Total number of trainable scalars. */
    public long parameterCount() {
        return parameters.stream().mapToLong(p -> p.parameter().value().size()).sum();
    }

    /**
     * Runs the batch {@code x} through every stage in training mode. The result is a training
     * buffer, valid until the next call with the same batch size; copy it to keep it. For
     * predictions use {@link #infer}.
     *
     * @throws IllegalArgumentException when x's shape or dtype does not fit the network
     */
    public Tensor forward(Tensor x) {
        checkInput(x);
        return training.forward(x);
    }

    /**
     * {@link #forward(Tensor)} of the rows of a batch that this machine holds, when the batch is
     * split over machines (nn-spark's synchronous training): each stage's random draws
     * ({@code PassContext.uniform}) for a row are those the whole batch's pass gives it. Stages
     * that draw from their stream in sequence ({@code PassContext.random}) are refused.
     *
     * @throws IllegalArgumentException when x's shape or dtype does not fit the network, or part
     *                                  does not fit x
     */
    public Tensor forward(Tensor x, BatchPart part) {
        checkInput(x);
        if (part.places().length != x.shape().dim(0) || part.passKeys().length != stages.size()
                || part.wholeRows() < part.places().length) {
            throw new IllegalArgumentException("The batch part places " + part.places().length + " rows of "
                    + part.wholeRows() + " and keys " + part.passKeys().length + " stages; the input has "
                    + x.shape().dim(0) + " rows and the network " + stages.size() + " stages.");
        }
        return training.forward(x, part);
    }

    /**
     * The pass keys the next training {@link #forward} would draw, one from each stage's stream,
     * for a {@link BatchPart}: the driver of a split batch draws them, so its streams (which
     * checkpoints save) advance as a local run's do.
     */
    public long[] drawPassKeys() {
        long[] keys = new long[stages.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = stageRandom(i).nextLong();
        }
        return keys;
    }

    /**
     * The network's output for the batch {@code x} in inference mode, as a new tensor
     * {@code [batch, ...outputShape]}. Safe to call from many threads at once (see the class
     * comment); never touches the training buffers.
     *
     * @throws IllegalArgumentException when x's shape or dtype does not fit the network
     */
    public Tensor infer(Tensor x) {
        checkInput(x);
        return inferRows(x, x.shape().dim(0));
    }

    /**
     * {@link #infer} of the first {@code rows} rows of {@code x}, without copying them out first
     * (per-epoch scores take the first 10,000 of 60,000 training images): the same bits as
     * {@code infer} of a tensor holding just those rows.
     *
     * @throws IllegalArgumentException when x's shape or dtype does not fit the network, or x has
     *                                  fewer than {@code rows} rows
     */
    public Tensor infer(Tensor x, int rows) {
        checkInput(x);
        if (rows < 1 || rows > x.shape().dim(0)) {
            throw new IllegalArgumentException("Asked for the output of " + rows + " rows of a batch of "
                    + x.shape().dim(0) + ".");
        }
        return inferRows(x, rows);
    }

    private Tensor inferRows(Tensor x, int rows) {
        BatchRunner runner = takeRunner();
        Tensor out = inChunks(runner, x, rows);
        giveBack(runner);
        return out;
    }

    /** An idle inference runner, or a new one when every runner is in use. */
    private BatchRunner takeRunner() {
        BatchRunner runner = idleInference.poll();
        if (runner == null) {
            return new BatchRunner(this, Mode.INFERENCE);
        }
        idleCount.decrementAndGet();
        return runner;
    }

    /** Returns a runner to the idle ones, without the caller's batch; beyond {@link #MAX_IDLE_RUNNERS} it is dropped. */
    private void giveBack(BatchRunner runner) {
        runner.forgetInput();
        if (idleCount.incrementAndGet() <= MAX_IDLE_RUNNERS) {
            idleInference.offer(runner);
        } else {
            idleCount.decrementAndGet();
        }
    }

    /**
     * Rows per inference pass: as many as keep every stage's output together within
     * {@link #INFERENCE_BYTES}, at most {@link #INFERENCE_ROWS}. Predicting 60,000 images at once
     * held every stage's output for all of them (about 190 MB for the Fashion-MNIST MLP); a wide
     * layer (200,000 units) ran out of memory predicting 120 rows.
     */
    int inferenceRows() {
        long perRow = inputSize() + stages.stream().mapToLong(s -> s.layer().outputShape().size()).sum();
        long rows = INFERENCE_BYTES / Math.max(1, perRow * dtype.bytes());
        return (int) Math.max(1, Math.min(INFERENCE_ROWS, rows));
    }

    /** The most rows of one inference pass. */
    static final int INFERENCE_ROWS = 1024;
    /**
     * The most bytes of stage outputs one inference pass holds (one pass per thread at a time).
     * Measured on the CNN of examples/fashion-mnist-cnn.json (bench InferenceBenchmark): passes of
     * 8 MB (34 images) predicted 5–15% faster than of 32 MB, and of 2 MB or less slower (the dense
     * layers' weights are then read again for every few rows); the MLP's passes stay at 1,024 rows.
     */
    static final long INFERENCE_BYTES = 8L << 20;

    /**
     * x in passes of at most {@link #inferenceRows} rows, split evenly so that no pass is much smaller.
     * Several passes run side by side, one per thread, each on its own runner with its ranges
     * unsplit: a pass then stays in its core's cache from stage to stage, where one large pass
     * split stage by stage streamed every stage's output through memory (the CNN's inference spent
     * half its time storing them) and handed off between threads at every stage. A pass gives the
     * same bits on any thread, so the result does not depend on the number of threads.
     */
    private Tensor inChunks(BatchRunner runner, Tensor x, int n) {
        int most = inferenceRows();
        if (n == x.shape().dim(0) && n <= most) {
            return runner.forward(x).copy();
        }
        int passes = (n + most - 1) / most;
        int in = inputSize();
        int outSize = outputSize();
        Tensor out = Tensor.zeros(dtype, outputShape().withBatch(n));
        BatchRunner[] runners = new BatchRunner[Parallel.maxParts()];
        runners[0] = runner;
        try {
            Parallel.tasks(passes, (part, first, last) -> {
                if (runners[part] == null) {
                    runners[part] = takeRunner();
                }
                for (int p = first; p < last; p++) {
                    int from = (int) ((long) n * p / passes);
                    int to = (int) ((long) n * (p + 1) / passes);
                    Tensor rows = runners[part].inputBuffer(to - from);
                    Rows.copy(x, from * in, rows, 0, (to - from) * in);
                    Rows.copy(runners[part].forward(rows), 0, out, from * outSize, (to - from) * outSize);
                }
            });
        } finally {
            for (int i = 1; i < runners.length; i++) {
                if (runners[i] != null) {
                    giveBack(runners[i]);
                }
            }
        }
        return out;
    }

    /**
     * Back-propagates ∂L/∂Ŷ through the batch of the last {@link #forward}, overwriting every
     * parameter's gradient.
     */
    public void backward(Tensor outputGradient) {
        training.backward(outputGradient);
    }

    /**
     * The output of stage {@code index} from the last {@link #forward} (a training buffer): for a
     * dense stage its z, for an activation stage its a.
     */
    public Tensor stageOutput(int index) {
        return training.stageOutput(index);
    }

    /**
     * The training buffer that holds ∂L/∂(output of stage {@code index}) for the last batch size:
     * written by {@link #backward} for every stage but the last, whose buffer is where the trainer
     * has the loss write ∂L/∂Ŷ.
     */
    public Tensor stageOutputGradient(int index) {
        return training.stageOutputGradient(index);
    }

    /**
     * Stage {@code index}'s training context for the batch of the last {@link #forward}, to call
     * a stage's own backward by hand (the explainer's h′(z)).
     */
    public PassContext stageContext(int index) {
        return training.stageContext(index);
    }

    /** Whether training batches of {@code rows} run feature-major (tests check the path they mean to test). */
    boolean runsFeatureMajor(int rows) {
        return training.runsFeatureMajor(rows);
    }

    /**
     * A batch fits when it has the network's dtype and as many values per sample as the input
     * shape; a batch of another per-sample shape of that size (flat pixels for [1, 28, 28], say) is
     * viewed in the input shape without a copy, as PyTorch's {@code view} would.
     */
    private void checkInput(Tensor x) {
        Shape s = x.shape();
        if (s.rank() < 2 || s.cols() != inputShape.size()) {
            throw new IllegalArgumentException("Input has shape " + s + "; the network takes batches of shape [rows, "
                    + inputShape.toString().substring(1) + " (" + inputShape.size() + " values per sample)"
                    + (s.rank() < 2 ? ": put the samples in rows." : "."));
        }
        if (x.dtype() != dtype) {
            throw new IllegalArgumentException("Input is " + x.dtype().id() + " but the network is " + dtype.id()
                    + "; convert it with tensor.to(DType." + dtype + ").");
        }
    }
}

package dev.nnkit.core.network;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.Parameter;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A feed-forward network: stages applied in order, forward and back propagation over batches.
 * <pre>
 *   forward:   a⁽⁰⁾ = X,  a⁽ˡ⁾ = stageₗ(a⁽ˡ⁻¹⁾)
 *   backward:  g⁽ᴸ⁾ = ∂L/∂Ŷ,  each stage writes its parameter gradients and g⁽ˡ⁻¹⁾ = ∂L/∂a⁽ˡ⁻¹⁾
 * </pre>
 * Intermediate tensors live in a workspace per batch size, allocated once and reused, so a
 * training step allocates nothing once warmed up. Tiny float32 networks of built-in dense layers
 * and element-wise activations run batches of 16 rows and more feature-major
 * ({@link FeatureMajorPass}), where their products vectorize along the batch. Not thread-safe.
 */
public final class Network {
    private static final int MAX_WORKSPACES = 4;
    private final int inputSize;
    private final DType dtype;
    private final List<Stage> stages;
    private final List<NamedParameter> parameters;
    // A few workspaces by batch size, scanned linearly: no boxing, no lambda, no allocation per step.
    private final int[] workspaceRows = new int[MAX_WORKSPACES];
    private final Workspace[] workspaces = new Workspace[MAX_WORKSPACES];
    private int nextWorkspace;
    private Workspace last;

    Network(int inputSize, DType dtype, List<Stage> stages) {
        this.inputSize = inputSize;
        this.dtype = dtype;
        this.stages = List.copyOf(stages);
        List<NamedParameter> ps = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            for (Parameter p : stages.get(i).layer().parameters()) {
                ps.add(new NamedParameter(i + "." + p.name(), i, p));
            }
        }
        this.parameters = List.copyOf(ps);
    }

    public int inputSize() {
        return inputSize;
    }

    public int outputSize() {
        return stages.get(stages.size() - 1).layer().outputSize();
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

    /** Total number of trainable scalars. */
    public long parameterCount() {
        return parameters.stream().mapToLong(p -> p.parameter().value().size()).sum();
    }

    /**
     * Runs the batch {@code x} [n × inputs] through every stage. The result is a workspace tensor,
     * valid until the next call with the same batch size; copy it to keep it.
     *
     * @throws IllegalArgumentException when x's shape or dtype does not fit the network
     */
    public Tensor forward(Tensor x) {
        if (x.shape().rank() != 2 || x.shape().cols() != inputSize) {
            throw new IllegalArgumentException("Input has shape " + x.shape() + "; the network expects [rows, "
                    + inputSize + "]: " + inputSize + " features per row.");
        }
        if (x.dtype() != dtype) {
            throw new IllegalArgumentException("Input is " + x.dtype().id() + " but the network is " + dtype.id()
                    + "; convert it with tensor.to(DType." + dtype + ").");
        }
        Workspace w = workspaceFor(x.shape().rows());
        w.input = x;
        if (w.featureMajor != null) {
            w.featureMajor.forward(x, w.outputs[stages.size() - 1]);
            last = w;
            return w.outputs[stages.size() - 1];
        }
        Tensor in = x;
        for (int i = 0; i < stages.size(); i++) {
            stages.get(i).layer().forward(in, w.outputs[i]);
            in = w.outputs[i];
        }
        last = w;
        return in;
    }

    /**
     * Back-propagates ∂L/∂Ŷ through the batch of the last {@link #forward}, overwriting every
     * parameter's gradient.
     */
    public void backward(Tensor outputGradient) {
        Workspace w = last;
        if (w == null || !outputGradient.shape().equals(w.outputs[stages.size() - 1].shape())) {
            throw new IllegalStateException("backward needs a gradient shaped like the output of the last forward call"
                    + (w == null ? "; call forward first." : ": " + w.outputs[stages.size() - 1].shape()
                    + ", got " + outputGradient.shape() + "."));
        }
        if (w.featureMajor != null) {
            w.featureMajor.backward(outputGradient);
            return;
        }
        Tensor g = outputGradient;
        for (int i = stages.size() - 1; i >= 0; i--) {
            Layer layer = stages.get(i).layer();
            Tensor in = i == 0 ? w.input : w.outputs[i - 1];
            layer.parameterGradients(in, g);
            if (i > 0) {
                layer.inputGradient(in, w.outputs[i], g, w.gradients[i - 1]);
                g = w.gradients[i - 1];
            }
        }
    }

    /**
     * The output of stage {@code index} from the last {@link #forward} (a workspace tensor): for a
     * dense stage its z, for an activation stage its a.
     */
    public Tensor stageOutput(int index) {
        if (last == null) {
            throw new IllegalStateException("No forward pass has run yet.");
        }
        if (last.featureMajor != null) {
            last.featureMajor.copyOutput(index, last.outputs[index]);
        }
        return last.outputs[index];
    }

    /**
     * The workspace tensor that holds ∂L/∂(output of stage {@code index}) for the last batch size:
     * written by {@link #backward} for every stage but the last, whose buffer is where the trainer
     * has the loss write ∂L/∂Ŷ.
     */
    public Tensor stageOutputGradient(int index) {
        if (last == null) {
            throw new IllegalStateException("No forward pass has run yet.");
        }
        // The last one is where the loss writes ∂L/∂Ŷ: always row-major, never copied over.
        if (last.featureMajor != null && index < stages.size() - 1) {
            last.featureMajor.copyGradient(index, last.gradients[index]);
        }
        return last.gradients[index];
    }

    /** Whether batches of {@code rows} run feature-major (tests check the path they mean to test). */
    boolean runsFeatureMajor(int rows) {
        return workspaceFor(rows).featureMajor != null;
    }

    /** The workspace for a batch size, replacing the oldest when callers cycle through many sizes. */
    private Workspace workspaceFor(int rows) {
        for (int i = 0; i < workspaces.length; i++) {
            if (workspaces[i] != null && workspaceRows[i] == rows) {
                return workspaces[i];
            }
        }
        int slot = nextWorkspace;
        nextWorkspace = (nextWorkspace + 1) % workspaces.length;
        workspaceRows[slot] = rows;
        workspaces[slot] = workspace(rows);
        return workspaces[slot];
    }

    private Workspace workspace(int rows) {
        Workspace w = new Workspace();
        w.outputs = new Tensor[stages.size()];
        w.gradients = new Tensor[stages.size()];
        for (int i = 0; i < stages.size(); i++) {
            Shape s = Shape.of(rows, stages.get(i).layer().outputSize());
            w.outputs[i] = Tensor.zeros(dtype, s);
            w.gradients[i] = Tensor.zeros(dtype, s);
        }
        w.featureMajor = FeatureMajorPass.of(inputSize, dtype, stages, rows);
        return w;
    }

    /** Buffers for one batch size. */
    private static final class Workspace {
        Tensor input;
        Tensor[] outputs;
        Tensor[] gradients;
        /** Non-null when this batch size runs feature-major. */
        FeatureMajorPass featureMajor;
    }
}

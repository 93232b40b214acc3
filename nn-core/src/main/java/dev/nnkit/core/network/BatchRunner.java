package dev.nnkit.core.network;

import dev.nnkit.api.layer.Layer;
import dev.nnkit.api.layer.Mode;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import java.util.List;

/**
 * Runs batches through a network's stages in one {@link Mode}, for one thread at a time. It owns
 * every tensor between the stages: a workspace per batch size (the last few sizes), allocated on
 * the first batch of that size and reused, so a warm step allocates nothing. The network's
 * training runner is the trainer's alone; inference takes runners from a pool, one per concurrent
 * caller, so predictions never share a buffer. Tiny float32 networks run batches of 16 rows and
 * more feature-major ({@link FeatureMajorPass}).
 */
final class BatchRunner {
    private static final int MAX_WORKSPACES = 4;
    private final Network network;
    private final Mode mode;
    // Scanned linearly by batch size: no boxing, no lambda, no allocation per step.
    private final int[] workspaceRows = new int[MAX_WORKSPACES];
    private final Workspace[] workspaces = new Workspace[MAX_WORKSPACES];
    private int nextWorkspace;
    private Workspace last;

    BatchRunner(Network network, Mode mode) {
        this.network = network;
        this.mode = mode;
    }

    /** Runs {@code x} through every stage; returns the last stage's output (a workspace tensor). */
    Tensor forward(Tensor x) {
        return forward(x, null);
    }

    /**
     * As {@link #forward(Tensor)}; in training, {@code part} (or null for a whole batch) says where
     * x's rows sit in a batch split over machines and gives the stages' pass keys.
     */
    Tensor forward(Tensor x, BatchPart part) {
        Workspace w = workspaceFor(x.shape().rows());
        if (w.inputSource != x) { // the trainer passes the same batch buffer every step
            w.inputSource = x;
            w.input = x.reshape(w.inputShape);
        }
        List<Stage> stages = network.stages();
        int lastStage = stages.size() - 1;
        if (mode == Mode.TRAINING) {
            // One key per stage and pass, drawn whether or not the stage draws, so the streams
            // advance alike wherever the batch is computed (nn-spark's driver draws them the same way).
            for (int i = 0; i <= lastStage; i++) {
                w.contexts[i].beginPass(part == null ? network.stageRandom(i).nextLong() : part.passKeys()[i], part);
            }
        }
        if (w.featureMajor != null) {
            w.featureMajor.forward(w.input, w.outputs[lastStage]);
        } else {
            Tensor in = w.input;
            for (int i = 0; i <= lastStage; i++) {
                stages.get(i).layer().forward(in, w.outputs[i], w.contexts[i]);
                in = w.outputs[i];
            }
        }
        last = w;
        return w.outputs[lastStage];
    }

    /** Back-propagates ∂L/∂Ŷ through the batch of the last {@link #forward} (training only). */
    void backward(Tensor outputGradient) {
        Workspace w = last;
        List<Stage> stages = network.stages();
        int lastStage = stages.size() - 1;
        if (w == null || !outputGradient.shape().equals(w.outputs[lastStage].shape())) {
            throw new IllegalStateException("backward needs a gradient shaped like the output of the last forward call"
                    + (w == null ? "; call forward first." : ": " + w.outputs[lastStage].shape()
                    + ", got " + outputGradient.shape() + "."));
        }
        if (w.featureMajor != null) {
            w.featureMajor.backward(outputGradient);
            return;
        }
        Tensor g = outputGradient;
        for (int i = lastStage; i >= 0; i--) {
            Layer layer = stages.get(i).layer();
            Tensor in = i == 0 ? w.input : w.outputs[i - 1];
            layer.parameterGradients(in, g, w.contexts[i]);
            if (i > 0) {
                layer.inputGradient(in, w.outputs[i], g, w.gradients[i - 1], w.contexts[i]);
                g = w.gradients[i - 1];
            }
        }
    }

    /** Stage {@code index}'s output from the last forward, row-major. */
    Tensor stageOutput(int index) {
        Workspace w = lastOrFail();
        if (w.featureMajor != null) {
            w.featureMajor.copyOutput(index, w.outputs[index]);
        }
        return w.outputs[index];
    }

    /** The buffer of ∂L/∂(output of stage {@code index}) for the last batch size, row-major. */
    Tensor stageOutputGradient(int index) {
        Workspace w = lastOrFail();
        // The last one is where the loss writes ∂L/∂Ŷ: always row-major, never copied over.
        if (w.featureMajor != null && index < network.stages().size() - 1) {
            w.featureMajor.copyGradient(index, w.gradients[index]);
        }
        return w.gradients[index];
    }

    /** Stage {@code index}'s context for the batch size of the last forward. */
    StageContext stageContext(int index) {
        return lastOrFail().contexts[index];
    }

    /**
     * An input buffer of {@code rows} rows kept with this batch size's workspace, for a caller that
     * copies rows in before {@link #forward} (the passes of a large prediction): a fresh tensor per
     * pass was 3 MB to allocate and zero for every 1,024 images of the MLP.
     */
    Tensor inputBuffer(int rows) {
        Workspace w = workspaceFor(rows);
        if (w.inputBuffer == null) {
            w.inputBuffer = Tensor.zeros(network.dtype(), w.inputShape);
        }
        return w.inputBuffer;
    }

    /** Drops the reference to the caller's last batch (an idle inference runner must not keep it alive). */
    void forgetInput() {
        if (last != null) {
            last.inputSource = null;
            last.input = null;
        }
    }

    boolean runsFeatureMajor(int rows) {
        return workspaceFor(rows).featureMajor != null;
    }

    private Workspace lastOrFail() {
        if (last == null) {
            throw new IllegalStateException("No forward pass has run yet.");
        }
        return last;
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
        if (last == workspaces[slot]) { // stage outputs of a replaced batch size are gone
            last = null;
        }
        workspaces[slot] = new Workspace(network, mode, rows);
        return workspaces[slot];
    }

    /** The tensors and stage contexts of one batch size. */
    private static final class Workspace {
        final Shape inputShape;
        /** See {@link BatchRunner#inputBuffer}; made on first use. */
        Tensor inputBuffer;
        Tensor inputSource;
        Tensor input;
        final Tensor[] outputs;
        /** Null in inference, which never goes backward. */
        final Tensor[] gradients;
        final StageContext[] contexts;
        /** Non-null when this batch size runs feature-major. */
        final FeatureMajorPass featureMajor;

        Workspace(Network network, Mode mode, int rows) {
            List<Stage> stages = network.stages();
            inputShape = network.inputShape().withBatch(rows);
            outputs = new Tensor[stages.size()];
            gradients = mode == Mode.TRAINING ? new Tensor[stages.size()] : null;
            contexts = new StageContext[stages.size()];
            for (int i = 0; i < stages.size(); i++) {
                Shape s = stages.get(i).layer().outputShape().withBatch(rows);
                outputs[i] = Tensor.zeros(network.dtype(), s);
                if (gradients != null) {
                    gradients[i] = Tensor.zeros(network.dtype(), s);
                }
                contexts[i] = new StageContext(mode, mode == Mode.TRAINING ? network.stageRandom(i) : null,
                        network.dtype(), "Stage " + i + " ('" + stages.get(i).spec().type() + "')", rows);
            }
            // A flatten stage after the first sees the same values as its input: its output is a
            // view of the previous output, and the gradient it hands back a view of the one it gets
            // (from the last stage down, so a chain of views ends on real storage).
            for (int i = stages.size() - 1; i > 0; i--) {
                if (stages.get(i).layer() instanceof FlattenLayer && gradients != null) {
                    gradients[i - 1] = gradients[i].reshape(gradients[i - 1].shape());
                }
            }
            for (int i = 1; i < stages.size(); i++) {
                if (stages.get(i).layer() instanceof FlattenLayer) {
                    outputs[i] = outputs[i - 1].reshape(outputs[i].shape());
                }
            }
            featureMajor = FeatureMajorPass.of(network.inputSize(), network.dtype(), stages, rows);
        }
    }
}

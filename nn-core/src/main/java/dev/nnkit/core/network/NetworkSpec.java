package dev.nnkit.core.network;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.core.plugin.PluginSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The architecture of a feed-forward network: the per-sample input shape and the stages in order,
 * each a layer ({@code dense}) or an activation ({@code sigmoid}) named by plugin id, as in a
 * PyTorch {@code nn.Sequential}. Immutable.
 *
 * @param inputShape the shape of one input sample: {@code [features]}, or {@code [C, H, W]} for images
 * @param stages the stages, at least one
 * @param dtype element type of every tensor
 */
public record NetworkSpec(Shape inputShape, List<PluginSpec> stages, DType dtype) {
    public NetworkSpec {
        Objects.requireNonNull(inputShape, "inputShape");
        stages = List.copyOf(stages);
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("A network needs at least one stage, e.g. {\"type\": \"dense\", \"units\": 1}.");
        }
        Objects.requireNonNull(dtype, "dtype");
    }

    /** A network of {@code inputs} features per sample. */
    public NetworkSpec(int inputs, List<PluginSpec> stages, DType dtype) {
        this(features(inputs), stages, dtype);
    }

    /** Values per input sample. */
    public int inputs() {
        return inputShape.size();
    }

    /** A builder for a network of {@code inputs} features. */
    public static Builder builder(int inputs) {
        return new Builder(features(inputs));
    }

    /** A builder for a network whose samples have {@code inputShape} ({@code [1, 28, 28]}, say). */
    public static Builder builder(Shape inputShape) {
        return new Builder(inputShape);
    }

    private static Shape features(int inputs) {
        if (inputs < 1) {
            throw new IllegalArgumentException("inputs must be at least 1; got " + inputs + ".");
        }
        return Shape.of(inputs);
    }

    /** Builds a {@link NetworkSpec} one stage at a time. */
    public static final class Builder {
        private final Shape inputs;
        private final List<PluginSpec> stages = new ArrayList<>();
        private DType dtype = DType.FLOAT32;

        private Builder(Shape inputs) {
            this.inputs = inputs;
        }

        /** A biased dense layer with Glorot-uniform weights. */
        public Builder dense(int units) {
            return stage(PluginSpec.of("dense", "units", units));
        }

        /** A dense layer without bias (seeds 001 and 004). */
        public Builder denseNoBias(int units) {
            return stage(PluginSpec.of("dense", "units", units, "bias", false));
        }

        /** An activation stage by id. */
        public Builder activation(String id) {
            return stage(PluginSpec.of(id));
        }

        public Builder stage(PluginSpec spec) {
            stages.add(spec);
            return this;
        }

        public Builder dtype(DType dtype) {
            this.dtype = dtype;
            return this;
        }

        public NetworkSpec build() {
            return new NetworkSpec(inputs, stages, dtype);
        }
    }
}

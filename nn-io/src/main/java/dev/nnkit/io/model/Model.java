package dev.nnkit.io.model;

import dev.nnkit.api.activation.Activation;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.io.csv.LabeledTable;
import dev.nnkit.io.data.Normalizer;
import dev.nnkit.io.data.PixelScale;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A trained network with everything prediction needs: the input normalizer fitted on the training
 * data, the activation that turns outputs into predictions, the class labels, and where it came
 * from. {@link #predict} is safe to call from many threads at once (each call runs the network in
 * inference mode on buffers of its own) and gives every thread the bits a single thread gets.
 *
 * @param network the network with its weights
 * @param loss the loss it was trained with (its id and settings)
 * @param predictionActivation the id of the activation applied to outputs at prediction
 * @param activation that activation
 * @param normalizer applied to raw inputs first, if the model was trained on normalized data
 * @param labels feature names, target name and class labels
 * @param provenance seed, config hash, library version and anything else worth keeping
 * @param pixelScale for a model trained on IDX images, how their pixels were divided as they were
 *        read; {@link #predict} takes inputs already divided, and a CSV of pixels is divided by
 *        the CLI ({@link PixelScale#apply})
 * @param targetNormalizer for a regression trained on standardized targets
 *        ({@code data.normalizeTarget}), the transform {@link #predict} undoes, so predictions are
 *        in the target's units
 * @param columns for a model trained on a CSV with category columns or filled missing cells, how
 *        a CSV's columns become its features (the CLI and {@link Predictor#predictCsv} read files
 *        so); {@link #predict} takes the encoded features
 */
public record Model(Network network, PluginSpec loss, String predictionActivation, Activation activation,
                    Optional<Normalizer> normalizer, Labels labels, Map<String, String> provenance,
                    Optional<PixelScale> pixelScale, Optional<Normalizer> targetNormalizer,
                    Optional<dev.nnkit.io.csv.Columns> columns) {
    public Model {
        provenance = Map.copyOf(provenance);
        if (columns.isPresent() && !columns.get().featureNames().equals(labels.features())) {
            throw new IllegalArgumentException("The columns give the features " + columns.get().featureNames()
                    + "; the labels name " + labels.features() + ".");
        }
        if (targetNormalizer.isPresent() && targetNormalizer.get().shift().size() != network.outputShape().size()) {
            throw new IllegalArgumentException("The target normalizer has " + targetNormalizer.get().shift().size()
                    + " columns; the network has " + network.outputShape().size() + " outputs.");
        }
    }

    /** A model whose outputs are predictions as they are (no target normalizer). */
    public Model(Network network, PluginSpec loss, String predictionActivation, Activation activation,
                 Optional<Normalizer> normalizer, Labels labels, Map<String, String> provenance,
                 Optional<PixelScale> pixelScale) {
        this(network, loss, predictionActivation, activation, normalizer, labels, provenance, pixelScale, Optional.empty(),
                Optional.empty());
    }

    /** A model trained on data other than IDX images (no pixel scaling). */
    public Model(Network network, PluginSpec loss, String predictionActivation, Activation activation,
                 Optional<Normalizer> normalizer, Labels labels, Map<String, String> provenance) {
        this(network, loss, predictionActivation, activation, normalizer, labels, provenance, Optional.empty());
    }

    /**
     * The model of a trainer built from a spec whose loss is {@code loss}: its network, the loss's
     * prediction activation, and the normalizer and names of the data it was trained on.
     */
    public static Model trained(Trainer trainer, PluginSpec loss, Optional<Normalizer> normalizer, Labels labels) {
        return new Model(trainer.network(), loss, trainer.lossFunction().loss().predictionActivation(),
                trainer.predictionActivation(), normalizer, labels, Map.of("seed", String.valueOf(trainer.options().seed()),
                        "library", "nnkit " + libraryVersion()));
    }

    /** nnkit's version: the module's (module path) or the jar manifest's (class path). */
    static String libraryVersion() {
        Module m = Model.class.getModule();
        String v = m.isNamed() ? m.getDescriptor().rawVersion().orElse(null) : Model.class.getPackage().getImplementationVersion();
        return v != null ? v : "(version unknown: built from sources)";
    }

    /**
     * The names the data had.
     *
     * @param features feature column names, in order (may be empty for data without names)
     * @param target the target column's name (may be empty)
     * @param classes class labels by index; empty for regression
     */
    public record Labels(List<String> features, String target, List<String> classes) {
        public Labels {
            features = List.copyOf(features);
            classes = List.copyOf(classes);
        }

        /** The names of a table read from CSV: its feature columns, its target column and its classes. */
        public static Labels of(LabeledTable table) {
            return new Labels(table.featureNames(), table.targetName(), table.classes());
        }
    }

    /**
     * Predictions for raw inputs: normalized as in training, run through the network in inference
     * mode and the prediction activation, and for a model trained on standardized targets turned
     * back into the target's units. {@code rawInputs} is not modified. Thread-safe.
     */
    public Tensor predict(Tensor rawInputs) {
        Tensor x = rawInputs.copy();
        normalizer.ifPresent(n -> n.apply(x));
        Tensor out = network.infer(x);
        Tensor p = Tensor.zeros(out.dtype(), out.shape());
        activation.forward(out, p);
        targetNormalizer.ifPresent(n -> n.invert(p));
        return p;
    }
}

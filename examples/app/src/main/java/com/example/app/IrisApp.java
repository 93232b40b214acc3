package com.example.app;

import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.inject.Trainers;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.train.Dataset;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingOptions;
import dev.nnkit.core.train.TrainingSpec;
import dev.nnkit.io.csv.CsvTableReader;
import dev.nnkit.io.csv.CsvTableReader.TargetKind;
import dev.nnkit.io.csv.LabeledTable;
import dev.nnkit.io.data.Standardizer;
import dev.nnkit.io.model.Model;
import dev.nnkit.io.model.ModelFiles;
import dev.nnkit.io.model.Prediction;
import dev.nnkit.io.model.Predictor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Trains a classifier on a CSV, saves it, loads it as a service would and predicts:
 * {@code IrisApp TRAIN.csv TEST.csv MODEL_DIR}. Prints one prediction and the test accuracy.
 */
public final class IrisApp {
    private IrisApp() {
    }

    public static void main(String[] args) throws IOException {
        System.out.println(run(Path.of(args[0]), Path.of(args[1]), Path.of(args[2])));
    }

    /** Trains, saves, loads and predicts; returns what main prints. */
    static String run(Path trainCsv, Path testCsv, Path modelDir) throws IOException {
        // README: begin
        // Data: a CSV with a header; "species" holds class names, the other columns are features.
        LabeledTable train = CsvTableReader.read(trainCsv, Optional.of("species"), TargetKind.CLASSES, List.of(),
                DType.FLOAT32);
        Standardizer scaler = Standardizer.fit(train.features());
        Tensor x = train.features().copy();
        scaler.apply(x);

        // Training: the network, the loss, the optimizer and the options, wired by Guice.
        PluginSpec loss = PluginSpec.of("sparse-categorical-cross-entropy-logits");
        TrainingSpec spec = new TrainingSpec(
                NetworkSpec.builder(4).dense(16).activation("tanh").dense(3).build(),
                loss, Reduction.MEAN, PluginSpec.of("adam", "learningRate", 0.01),
                TrainingOptions.defaults().withBatchSize(16).withMaxEpochs(150).withSeed(1));
        Trainer trainer = Trainers.create(spec);
        trainer.fit(new Dataset(x, train.targets(1, DType.FLOAT32)));

        // Saving: the weights with the scaler and the names, as nn train --out writes them.
        ModelFiles.save(Model.trained(trainer, loss, Optional.of(scaler), Model.Labels.of(train)), modelDir);

        // Serving: load once, share the predictor between threads, give raw values.
        Predictor predictor = Predictor.load(modelDir);
        Prediction one = predictor.predict(5.1, 3.5, 1.4, 0.2);
        String answer = one.label() + " (p = " + one.probability() + ")";
        List<Prediction> test = predictor.predictCsv(testCsv);
        // README: end
        LabeledTable truth = CsvTableReader.read(testCsv, Optional.of("species"), TargetKind.CLASSES,
                predictor.classes(), DType.FLOAT32);
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            correct += test.get(i).classIndex() == (int) truth.target()[i] ? 1 : 0;
        }
        return "5.1, 3.5, 1.4, 0.2: " + answer + "\ntest accuracy " + correct + "/" + test.size();
    }
}

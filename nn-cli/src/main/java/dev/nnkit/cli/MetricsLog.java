package dev.nnkit.cli;

import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.train.Dataset;
import dev.nnkit.core.train.Metrics;
import dev.nnkit.core.train.Trainer;
import dev.nnkit.core.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * After each epoch: the validation loss and metric, the training metric (on up to the first
 * 10,000 training examples, to bound the cost), a line in metrics.jsonl, and the history for the
 * loss curves.
 */
final class MetricsLog implements TrainingListener {
    static final int TRAIN_METRIC_SAMPLE = 10_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One epoch's numbers. */
    record Row(int epoch, double trainLoss, double trainMetric, double validationLoss, double validationMetric,
               double learningRate, double seconds) {
    }

    private final Trainer trainer;
    private final Dataset trainSample;
    private final double[] trainTruth;
    private final Optional<Dataset> validation;
    private final double[] validationTruth;
    private final boolean classification;
    private final Optional<Path> file;
    private final List<Row> rows = new ArrayList<>();

    MetricsLog(Trainer trainer, LoadedData train, Dataset trainSet, Optional<LoadedData> validationData,
               Optional<Dataset> validationSet, Optional<Path> file) throws IOException {
        this.trainer = trainer;
        int n = Math.min(trainSet.size(), TRAIN_METRIC_SAMPLE);
        this.trainSample = head(trainSet, n);
        this.trainTruth = java.util.Arrays.copyOf(train.target(), n);
        this.validation = validationSet;
        this.validationTruth = validationData.map(LoadedData::target).orElse(new double[0]);
        this.classification = !train.classes().isEmpty();
        this.file = file;
        if (file.isPresent()) {
            Files.createDirectories(file.get().getParent());
            Files.deleteIfExists(file.get());
        }
    }

    private static Dataset head(Dataset d, int n) {
        if (n == d.size()) {
            return d;
        }
        int fc = d.features().shape().cols();
        int tc = d.targets().shape().cols();
        Tensor f = Tensor.zeros(d.features().dtype(), Shape.of(n, fc));
        Tensor t = Tensor.zeros(d.targets().dtype(), Shape.of(n, tc));
        for (int i = 0; i < n * fc; i++) {
            f.set(i, d.features().get(i));
        }
        for (int i = 0; i < n * tc; i++) {
            t.set(i, d.targets().get(i));
        }
        return new Dataset(f, t);
    }

    /** Accuracy for classification, R² for regression. */
    String metricName() {
        return classification ? "accuracy" : "r2";
    }

    private double metric(Dataset d, double[] truth) {
        Tensor p = trainer.predict(d.features());
        return classification ? Metrics.accuracy(p, truth) : p.shape().cols() == 1 ? Metrics.r2(p, truth) : Double.NaN;
    }

    @Override
    public void onEpochEnd(EpochEvent e) {
        double trainMetric = metric(trainSample, trainTruth);
        double vLoss = validation.map(trainer::evaluateLoss).orElse(Double.NaN);
        double vMetric = validation.map(v -> metric(v, validationTruth)).orElse(Double.NaN);
        Row row = new Row(e.epoch(), e.loss(), trainMetric, vLoss, vMetric, e.learningRate(), e.seconds());
        rows.add(row);
        if (file.isPresent()) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("epoch", row.epoch());
            line.put("trainLoss", row.trainLoss());
            line.put("train" + capitalized(), finite(row.trainMetric()));
            if (validation.isPresent()) {
                line.put("validationLoss", row.validationLoss());
                line.put("validation" + capitalized(), finite(row.validationMetric()));
            }
            line.put("learningRate", row.learningRate());
            line.put("seconds", row.seconds());
            try (Writer w = Files.newBufferedWriter(file.get(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND)) {
                w.write(JSON.writeValueAsString(line));
                w.write('\n');
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private String capitalized() {
        return classification ? "Accuracy" : "R2";
    }

    /** The validation part of an epoch's progress line. */
    String summary(int epoch) {
        Row r = rows.get(rows.size() - 1);
        String m = classification ? String.format(Locale.ROOT, "  accuracy %.2f%%", 100 * r.trainMetric())
                : String.format(Locale.ROOT, "  R² %.4f", r.trainMetric());
        if (validation.isEmpty()) {
            return m;
        }
        return m + (classification ? String.format(Locale.ROOT, "  val loss %.6g  val accuracy %.2f%%", r.validationLoss(),
                100 * r.validationMetric()) : String.format(Locale.ROOT, "  val loss %.6g  val R² %.4f", r.validationLoss(),
                r.validationMetric()));
    }

    List<Row> rows() {
        return rows;
    }
}

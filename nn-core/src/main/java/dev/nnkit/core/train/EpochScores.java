package dev.nnkit.core.train;

import dev.nnkit.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The usual scores of an epoch: the metric on (the first 10,000 examples of) the training data,
 * and the loss and metric on validation data when there is some. The metric is the accuracy for
 * classification ({@code trainAccuracy}, {@code validationAccuracy}) and R² for regression
 * ({@code trainR2}, {@code validationR2}; NaN with several outputs).
 */
public final class EpochScores implements EpochScorer {
    /** Training examples the training metric is computed on, to bound its cost. */
    public static final int TRAIN_METRIC_SAMPLE = 10_000;

    private final Dataset train;
    private final int trainRows;
    private final double[] trainTruth;
    private final Optional<Dataset> validation;
    private final double[] validationTruth;
    private final boolean classification;

    /**
     * @param trainTruth each training example's class index (classification) or target value
     * @param validationTruth the same for the validation examples (ignored without validation)
     * @param classification whether the truths are class indices
     */
    public EpochScores(Dataset train, double[] trainTruth, Optional<Dataset> validation, double[] validationTruth,
                       boolean classification) {
        int n = Math.min(train.size(), TRAIN_METRIC_SAMPLE);
        this.train = train; // its first n rows are scored in place: a copy was 31 MB for Fashion-MNIST
        this.trainRows = n;
        this.trainTruth = Arrays.copyOf(trainTruth, n);
        this.validation = validation;
        this.validationTruth = validationTruth.clone();
        this.classification = classification;
    }

    /** {@code accuracy} or {@code r2}. */
    public String metricName() {
        return classification ? "accuracy" : "r2";
    }

    /** The training metric's score name ({@code trainAccuracy} or {@code trainR2}). */
    public String trainMetric() {
        return classification ? "trainAccuracy" : "trainR2";
    }

    /** The validation metric's score name ({@code validationAccuracy} or {@code validationR2}). */
    public String validationMetric() {
        return classification ? "validationAccuracy" : "validationR2";
    }

    @Override
    public List<String> names() {
        List<String> names = new ArrayList<>(List.of(trainMetric()));
        if (validation.isPresent()) {
            names.addAll(List.of("validationLoss", validationMetric()));
        }
        return names;
    }

    @Override
    public Map<String, Double> score(Trainer trainer) {
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put(trainMetric(), metric(trainer.predict(train.features(), trainRows), trainTruth));
        if (validation.isPresent()) {
            Trainer.Evaluation v = trainer.evaluate(validation.get()); // loss and predictions in one pass
            scores.put("validationLoss", v.loss());
            scores.put(validationMetric(), metric(v.predictions(), validationTruth));
        }
        return scores;
    }

    private double metric(Tensor p, double[] truth) {
        return classification ? Metrics.accuracy(p, truth) : p.shape().cols() == 1 ? Metrics.r2(p, truth) : Double.NaN;
    }
}

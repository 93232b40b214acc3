package dev.nnkit.io.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row's prediction. A classifier's: the predicted class ({@link #label()}) and every class's
 * probability, by class name. A regression's: its values ({@link #value()}, or {@link #values()}
 * by output name). Immutable.
 */
public final class Prediction {
    private final List<String> names;
    private final double[] values;
    private final int classIndex;

    /**
     * @param names the classes (a classifier) or the outputs (a regression), in output order
     * @param values each one's probability or value
     * @param classIndex the predicted class, or -1 for a regression
     */
    Prediction(List<String> names, double[] values, int classIndex) {
        this.names = names;
        this.values = values.clone();
        this.classIndex = classIndex;
    }

    /** Whether this is a classifier's prediction (a class and probabilities) rather than a regression's. */
    public boolean isClassification() {
        return classIndex >= 0;
    }

    /** The predicted class's name. */
    public String label() {
        requireClassification("label()");
        return names.get(classIndex);
    }

    /** The predicted class's index among the model's classes (from 0). */
    public int classIndex() {
        requireClassification("classIndex()");
        return classIndex;
    }

    /** The predicted class's probability. */
    public double probability() {
        requireClassification("probability()");
        return values[classIndex];
    }

    /**
     * The probability of the class named {@code className}.
     *
     * @throws IllegalArgumentException when the model has no class of that name
     */
    public double probability(String className) {
        requireClassification("probability(className)");
        int c = names.indexOf(className);
        if (c < 0) {
            throw new IllegalArgumentException("The model has no class '" + className + "'; its classes are " + names + ".");
        }
        return values[c];
    }

    /** Every class's probability by name, in the model's class order. */
    public Map<String, Double> probabilities() {
        requireClassification("probabilities()");
        return byName();
    }

    /** A regression's value (a model with one output). */
    public double value() {
        if (isClassification() || values.length != 1) {
            throw new IllegalStateException(isClassification()
                    ? "value() is a regression's; this model is a classifier: use label() and probabilities()."
                    : "This model predicts " + values.length + " values: use values(), by name " + names + ".");
        }
        return values[0];
    }

    /** A regression's values by output name, in output order. */
    public Map<String, Double> values() {
        if (isClassification()) {
            throw new IllegalStateException("values() is a regression's; this model is a classifier: use label() and"
                    + " probabilities().");
        }
        return byName();
    }

    private Map<String, Double> byName() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            m.put(names.get(i), values[i]);
        }
        return Collections.unmodifiableMap(m);
    }

    private void requireClassification(String method) {
        if (!isClassification()) {
            throw new IllegalStateException(method + " is a classifier's; this model is a regression: use "
                    + (values.length == 1 ? "value()." : "values()."));
        }
    }

    @Override
    public String toString() {
        return isClassification() ? label() + " " + byName() : byName().toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prediction p && p.classIndex == classIndex && p.names.equals(names)
                && Arrays.equals(p.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * names.hashCode() + Arrays.hashCode(values)) + classIndex;
    }
}

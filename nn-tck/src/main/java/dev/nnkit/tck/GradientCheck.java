package dev.nnkit.tck;

import java.util.function.DoubleSupplier;
import java.util.function.IntToDoubleFunction;

/**
 * Central-difference gradient checking in float64, with Deeplearning4j's tolerances: step
 * ε = 1e-6, maximum relative error 1e-3, and absolute differences below 1e-8 always accepted
 * (they are rounding noise, not bugs).
 */
public final class GradientCheck {
    public static final double EPSILON = 1e-6;
    public static final double MAX_RELATIVE_ERROR = 1e-3;
    public static final double MIN_ABSOLUTE_ERROR = 1e-8;

    private GradientCheck() {
    }

    /** A variable that can be nudged: read, write. */
    public interface Variable {
        double get(int index);

        void set(int index, double value);

        int size();
    }

    /**
     * Compares {@code analytic(i)} with (f(x + ε) − f(x − ε)) / 2ε for every index of {@code x}.
     *
     * @param what names the variable in the failure message ("weight", "input", "prediction")
     * @param objective f, evaluated after each nudge
     * @throws AssertionError naming the index, the analytic and the numeric value
     */
    public static void check(String what, Variable x, DoubleSupplier objective, IntToDoubleFunction analytic) {
        for (int i = 0; i < x.size(); i++) {
            double original = x.get(i);
            x.set(i, original + EPSILON);
            double plus = objective.getAsDouble();
            x.set(i, original - EPSILON);
            double minus = objective.getAsDouble();
            x.set(i, original);
            double numeric = (plus - minus) / (2 * EPSILON);
            double a = analytic.applyAsDouble(i);
            double diff = Math.abs(a - numeric);
            if (diff < MIN_ABSOLUTE_ERROR) {
                continue;
            }
            double relative = diff / Math.max(Math.abs(a), Math.abs(numeric));
            if (!(relative <= MAX_RELATIVE_ERROR)) {
                throw new AssertionError(String.format(
                        "Gradient of %s[%d] is wrong: analytic %.10g, numeric (central difference) %.10g, "
                                + "relative error %.3g > %.0e", what, i, a, numeric, relative, MAX_RELATIVE_ERROR));
            }
        }
    }

    /** A plain array as a {@link Variable}. */
    public static Variable of(double[] values) {
        return new Variable() {
            @Override
            public double get(int index) {
                return values[index];
            }

            @Override
            public void set(int index, double value) {
                values[index] = value;
            }

            @Override
            public int size() {
                return values.length;
            }
        };
    }

    /** A tensor as a {@link Variable}. */
    public static Variable of(dev.nnkit.api.tensor.Tensor t) {
        return new Variable() {
            @Override
            public double get(int index) {
                return t.get(index);
            }

            @Override
            public void set(int index, double value) {
                t.set(index, value);
            }

            @Override
            public int size() {
                return t.size();
            }
        };
    }
}

package dev.nnkit.optimizers;

/** Hyperparameter checks shared by the config records; messages name the setting and value. */
final class Checks {
    private Checks() {
    }

    static void positive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and > 0; got " + v + ".");
        }
    }

    static void nonNegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and ≥ 0; got " + v + ".");
        }
    }

    static void unitInterval(String name, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1); got " + v + ".");
        }
    }
}

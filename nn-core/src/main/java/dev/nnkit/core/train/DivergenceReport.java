package dev.nnkit.core.train;

import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.network.Network;
import java.util.Optional;

/**
 * What to tell a user whose training diverged: whether the data itself holds a non-finite value,
 * which stage first output one, or that the loss overflowed on finite outputs; and which parameter
 * an update made non-finite.
 */
final class DivergenceReport {
    private DivergenceReport() {
    }

    /** The first parameter holding a non-finite value, named with its stage, if any. */
    static Optional<String> firstNonFiniteParameter(Network network) {
        for (NamedParameter p : network.parameters()) {
            if (!allFinite(p.parameter().value())) {
                return Optional.of("'" + p.name() + "' (stage " + p.stage() + ", '"
                        + network.stages().get(p.stage()).spec().type() + "')");
            }
        }
        return Optional.empty();
    }

    /** The exception for a non-finite loss {@code c} at step {@code step} of {@code epoch}, on batch x. */
    static TrainingDivergedException diverged(Network network, double c, int epoch, long step, Tensor x) {
        StringBuilder where = new StringBuilder();
        for (int i = 0; i < x.size(); i++) {
            if (!Double.isFinite(x.get(i))) {
                where.append(" The input batch itself holds ").append(x.get(i)).append(" at row ")
                        .append(i / x.shape().cols()).append(", column ").append(i % x.shape().cols())
                        .append(": clean the data.");
                break;
            }
        }
        for (int s = 0; where.length() == 0 && s < network.stages().size(); s++) {
            if (!allFinite(network.stageOutput(s))) {
                where.append(" Stage ").append(s).append(" ('").append(network.stages().get(s).spec().type())
                        .append("') is the first to output a non-finite value.");
            }
        }
        if (where.length() == 0) {
            where.append(" Every stage's output is finite (largest magnitude ")
                    .append(String.format(java.util.Locale.ROOT, "%.3g", maxAbs(network.stageOutput(network.stages().size() - 1))))
                    .append("), so the loss itself overflowed.");
        }
        return new TrainingDivergedException("Training diverged: the loss is " + c + " at epoch " + epoch
                + ", step " + step + "." + where
                + " Try a lower learning rate, standardized inputs, or a loss computed from logits.", epoch, step);
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (int i = 0; i < t.size(); i++) {
            m = Math.max(m, Math.abs(t.get(i)));
        }
        return m;
    }

    private static boolean allFinite(Tensor t) {
        for (int i = 0; i < t.size(); i++) {
            if (!Double.isFinite(t.get(i))) {
                return false;
            }
        }
        return true;
    }
}

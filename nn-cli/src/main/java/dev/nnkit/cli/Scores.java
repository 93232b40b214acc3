package dev.nnkit.cli;

import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.train.Metrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How good predictions are. Classification: accuracy, per-class and macro precision, recall and
 * F1, the confusion matrix (rows: true class, columns: predicted), log loss. Regression: MSE,
 * RMSE, MAE, R².
 */
final class Scores {
    private Scores() {
    }

    /** Scores of class predictions (probabilities, or one sigmoid output) against class indices. */
    static Map<String, Object> classification(Tensor p, double[] truth, List<String> classes) {
        int k = Math.max(classes.size(), 2);
        int n = truth.length;
        int[][] confusion = new int[k][k];
        double logLoss = 0;
        int cols = p.shape().cols();
        for (int r = 0; r < n; r++) {
            int t = (int) truth[r];
            int predicted = Metrics.predictedClass(p, r, cols);
            confusion[t][predicted]++;
            double pt = cols == 1 ? (t == 1 ? p.get(r) : 1 - p.get(r)) : p.get(r * cols + t);
            logLoss -= Math.log(Math.min(Math.max(pt, 1e-15), 1 - 1e-15));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        int correct = 0;
        for (int c = 0; c < k; c++) {
            correct += confusion[c][c];
        }
        out.put("task", "classification");
        out.put("examples", n);
        out.put("accuracy", (double) correct / n);
        out.put("logLoss", logLoss / n);
        Map<String, Object> perClass = new LinkedHashMap<>();
        double mp = 0;
        double mr = 0;
        double mf = 0;
        for (int c = 0; c < k; c++) {
            int tp = confusion[c][c];
            int predicted = 0;
            int actual = 0;
            for (int o = 0; o < k; o++) {
                predicted += confusion[o][c];
                actual += confusion[c][o];
            }
            double precision = predicted == 0 ? 0 : (double) tp / predicted;
            double recall = actual == 0 ? 0 : (double) tp / actual;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.put(name(classes, c), Map.of("precision", precision, "recall", recall, "f1", f1, "support", actual));
            mp += precision;
            mr += recall;
            mf += f1;
        }
        out.put("macroPrecision", mp / k);
        out.put("macroRecall", mr / k);
        out.put("macroF1", mf / k);
        out.put("perClass", perClass);
        out.put("confusion", confusion);
        return out;
    }

    /** Scores of a single-output regression. */
    static Map<String, Object> regression(Tensor p, double[] truth) {
        int n = truth.length;
        double se = 0;
        double ae = 0;
        for (int r = 0; r < n; r++) {
            double d = p.get(r) - truth[r];
            se += d * d;
            ae += Math.abs(d);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("task", "regression");
        out.put("examples", n);
        out.put("mse", se / n);
        out.put("rmse", Math.sqrt(se / n));
        out.put("mae", ae / n);
        out.put("r2", Metrics.r2(p, truth));
        return out;
    }

    static String name(List<String> classes, int c) {
        return c < classes.size() ? classes.get(c) : String.valueOf(c);
    }

    /** A human-readable report. */
    @SuppressWarnings("unchecked")
    static String text(Map<String, Object> s, List<String> classes) {
        StringBuilder b = new StringBuilder();
        if (s.get("task").equals("regression")) {
            b.append(String.format(Locale.ROOT, "examples  %d%nMSE       %.6g%nRMSE      %.6g%nMAE       %.6g%nR²        %.4f%n",
                    s.get("examples"), s.get("mse"), s.get("rmse"), s.get("mae"), s.get("r2")));
            return b.toString();
        }
        b.append(String.format(Locale.ROOT, "examples  %d%naccuracy  %.2f%%%nlog loss  %.4f%n%n", s.get("examples"),
                100 * (double) s.get("accuracy"), s.get("logLoss")));
        b.append(String.format(Locale.ROOT, "%-16s %9s %9s %9s %8s%n", "class", "precision", "recall", "f1", "support"));
        ((Map<String, Map<String, Object>>) s.get("perClass")).forEach((c, m) -> b.append(String.format(Locale.ROOT,
                "%-16s %9.4f %9.4f %9.4f %8d%n", PrintableWriter.name(c), m.get("precision"), m.get("recall"), m.get("f1"), m.get("support"))));
        b.append(String.format(Locale.ROOT, "%-16s %9.4f %9.4f %9.4f%n%nconfusion (rows: true, columns: predicted)%n",
                "macro", s.get("macroPrecision"), s.get("macroRecall"), s.get("macroF1")));
        int[][] m = (int[][]) s.get("confusion");
        b.append(String.format("%-16s", ""));
        for (int c = 0; c < m.length; c++) {
            b.append(String.format(" %8s", abbreviate(PrintableWriter.name(name(classes, c)))));
        }
        b.append('\n');
        for (int r = 0; r < m.length; r++) {
            b.append(String.format("%-16s", abbreviate(PrintableWriter.name(name(classes, r)))));
            for (int c = 0; c < m.length; c++) {
                b.append(String.format(" %8d", m[r][c]));
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 8 ? s : s.substring(0, 7) + "…";
    }
}

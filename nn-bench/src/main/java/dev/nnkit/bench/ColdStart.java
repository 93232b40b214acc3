package dev.nnkit.bench;

import dev.nnkit.io.model.Prediction;
import dev.nnkit.io.model.Predictor;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One cold start of an application that serves a model: in a fresh JVM, load the model directory
 * and make the first prediction ({@code ColdStart MODEL_DIR v1 v2 …}). Prints, as JSON, the
 * milliseconds from the JVM's start to main, for the load and for the first prediction
 * ({@code bench/cold-start.sh} runs it in fresh JVMs and takes medians).
 */
public final class ColdStart {
    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        // The JVM's uptime first: its management bean costs tens of milliseconds to start, which
        // the timings below must not count.
        double toMain = ManagementFactory.getRuntimeMXBean().getUptime();
        long mainAt = System.nanoTime();
        Predictor p = Predictor.load(Path.of(args[0]));
        long loaded = System.nanoTime();
        double[] row = new double[p.featureCount()];
        for (int i = 0; i < row.length; i++) {
            row[i] = i + 1 < args.length ? Double.parseDouble(args[i + 1]) : 0; // 0 fits any model, pixels too
        }
        Prediction first = p.predict(row);
        long predicted = System.nanoTime();
        System.out.printf(Locale.ROOT, "{\"jvmToMainMs\": %.1f, \"loadMs\": %.1f, \"firstPredictionMs\": %.1f,"
                + " \"mainToPredictionMs\": %.1f, \"answer\": \"%s\"}%n", toMain, (loaded - mainAt) / 1e6,
                (predicted - loaded) / 1e6, (predicted - mainAt) / 1e6, first.isClassification() ? first.label() : "value");
    }
}

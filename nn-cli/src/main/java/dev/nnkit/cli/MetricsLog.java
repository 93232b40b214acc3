package dev.nnkit.cli;

import dev.nnkit.core.train.EpochScores;
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
 * After each epoch: the scores the trainer computed ({@link EpochScores}: the training metric on up
 * to the first 10,000 training examples, the validation loss and metric), a line in metrics.jsonl,
 * and the history for the loss curves.
 *
 * <p>The history is never lost: a resumed run keeps the lines of the epochs before its checkpoint
 * (and draws them in curves.png), and the file is only rewritten, atomically, once the resumed run
 * finishes its first epoch; a run refused or failing before that leaves the file as it was.
 */
final class MetricsLog implements TrainingListener {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One epoch's numbers. */
    record Row(int epoch, double trainLoss, double trainMetric, double validationLoss, double validationMetric,
               double learningRate, double seconds) {
    }

    private final EpochScores scores;
    private final boolean validation;
    private final boolean classification;
    private final Optional<Path> file;
    private final List<Row> rows = new ArrayList<>();
    /** The lines kept from before a resume, written back with the first new one. */
    private List<String> kept = List.of();
    private boolean rewritten;

    /**
     * @param scores what the trainer scores each epoch (this log's columns)
     * @param validation whether the run has validation data
     * @param file metrics.jsonl, if the run is kept
     * @param resumedEpoch the epoch a resumed run continues (its lines and later ones are written
     *     again); 0 for a new run
     */
    MetricsLog(EpochScores scores, boolean validation, boolean classification, Optional<Path> file, int resumedEpoch)
            throws IOException {
        this.scores = scores;
        this.validation = validation;
        this.classification = classification;
        this.file = file;
        if (file.isPresent() && resumedEpoch > 0 && Files.exists(file.get())) {
            keepHistory(file.get(), resumedEpoch);
        }
    }

    /**
     * Reads the lines of epochs before {@code resumedEpoch}. A line that is not a JSON object with
     * an epoch (the torn last line of a killed run) is dropped.
     */
    private void keepHistory(Path f, int resumedEpoch) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            try {
                var n = JSON.readTree(line);
                int epoch = n.path("epoch").asInt(0);
                if (epoch >= 1 && epoch < resumedEpoch) {
                    lines.add(line);
                    rows.add(new Row(epoch, number(n, "trainLoss"), number(n, "train" + capitalized()),
                            number(n, "validationLoss"), number(n, "validation" + capitalized()),
                            number(n, "learningRate"), number(n, "seconds")));
                }
            } catch (tools.jackson.core.JacksonException e) {
                // torn or foreign line: not history
            }
        }
        kept = lines;
    }

    private static double number(tools.jackson.databind.JsonNode n, String field) {
        return n.path(field).isNumber() ? n.path(field).asDouble() : Double.NaN;
    }

    /** Accuracy for classification, R² for regression. */
    String metricName() {
        return classification ? "accuracy" : "r2";
    }

    @Override
    public void onEpochEnd(EpochEvent e) {
        Row row = new Row(e.epoch(), e.loss(), e.score(scores.trainMetric()), e.score("validationLoss"),
                e.score(scores.validationMetric()), e.learningRate(), e.seconds());
        rows.add(row);
        if (file.isPresent()) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("epoch", row.epoch());
            line.put("trainLoss", row.trainLoss());
            line.put("train" + capitalized(), finite(row.trainMetric()));
            if (validation) {
                line.put("validationLoss", row.validationLoss());
                line.put("validation" + capitalized(), finite(row.validationMetric()));
            }
            line.put("learningRate", row.learningRate());
            line.put("seconds", row.seconds());
            try {
                append(JSON.writeValueAsString(line));
            } catch (IOException ex) {
                throw new UncheckedIOException(new IOException("Could not write " + file.get() + ": "
                        + WriteFailure.reason(ex) + ".", ex));
            }
        }
    }

    /** Appends a line; the first one of a run replaces the file atomically with the kept history and it. */
    private void append(String json) throws IOException {
        Path f = file.orElseThrow();
        if (rewritten) {
            try (Writer w = Files.newBufferedWriter(f, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
                w.write(json + "\n");
            }
            return;
        }
        Path tmp = f.resolveSibling("." + f.getFileName() + ".tmp");
        try {
            List<String> lines = new ArrayList<>(kept);
            lines.add(json);
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            Files.move(tmp, f, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        rewritten = true;
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
        if (!validation) {
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

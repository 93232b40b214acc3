package dev.nnkit.spark;

import dev.nnkit.io.data.MinMaxScaler;
import dev.nnkit.io.data.Normalizer;
import dev.nnkit.io.data.Standardizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Fits nnkit's normalizers in one distributed pass (Spark SQL's aggregates), giving the same kind
 * of {@link Normalizer} {@code nn train} fits in memory: it is stored in the model, so
 * {@code nn predict} and the predictor API normalize raw inputs as training did.
 */
public final class SparkNormalizers {
    private SparkNormalizers() {
    }

    /**
     * The normalizer of the feature columns: {@code standardize} (mean and population standard
     * deviation, as {@link Standardizer#fit}), {@code min-max} (as {@link MinMaxScaler#fit}) or
     * {@code none}.
     *
     * @throws SparkTrainingException for a vector column, an unknown type, or a column with no finite range
     */
    public static Optional<Normalizer> fit(Dataset<Row> frame, FrameColumns columns, String type) {
        if (type.equals("none")) {
            return Optional.empty();
        }
        if (columns.vector().isPresent()) {
            throw new SparkTrainingException("nn-spark normalizes named feature columns only; column '"
                    + columns.vector().get() + "' holds vectors. Normalize it with Spark ML's StandardScaler first, or"
                    + " give the features as columns.");
        }
        List<Column> aggregates = new ArrayList<>();
        for (String f : columns.features()) {
            SparkExamples.checkNumeric(frame, f, "feature");
            Column c = functions.col(f).cast("double");
            switch (type) {
                case "standardize" -> {
                    aggregates.add(functions.avg(c));
                    aggregates.add(functions.stddev_pop(c));
                }
                case "min-max" -> {
                    aggregates.add(functions.min(c));
                    aggregates.add(functions.max(c));
                }
                default -> throw new SparkTrainingException("Unknown normalize \"" + type
                        + "\"; use standardize, min-max or none.");
            }
        }
        Row r = SparkJobs.run(() -> frame.agg(aggregates.get(0), aggregates.subList(1, aggregates.size())
                .toArray(Column[]::new)).first());
        List<Double> shift = new ArrayList<>();
        List<Double> scale = new ArrayList<>();
        for (int i = 0; i < columns.features().size(); i++) {
            String name = columns.features().get(i);
            if (r.isNullAt(2 * i) || r.isNullAt(2 * i + 1)) {
                throw new SparkTrainingException("Column '" + name + "' has no values to fit " + type + " on.");
            }
            double a = r.getDouble(2 * i);
            double b = r.getDouble(2 * i + 1);
            if (type.equals("standardize")) {
                if (!Double.isFinite(a) || !Double.isFinite(b)) {
                    throw new SparkTrainingException("Column '" + name + "' has mean " + a + " and standard deviation " + b
                            + "; it holds non-finite values. Clean the data.");
                }
                shift.add(a);
                scale.add(b > 0 ? b : 1.0);
            } else {
                if (!Double.isFinite(b - a)) {
                    throw new SparkTrainingException("Column '" + name + "' ranges from " + a + " to " + b
                            + "; its range overflows a double. Standardize it instead, or rescale the data.");
                }
                shift.add(a);
                scale.add(b > a ? b - a : 1.0);
            }
        }
        return Optional.of(type.equals("standardize") ? new Standardizer(shift, scale) : new MinMaxScaler(shift, scale));
    }
}

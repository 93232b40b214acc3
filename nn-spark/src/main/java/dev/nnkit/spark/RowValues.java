package dev.nnkit.spark;

import java.util.List;
import org.apache.spark.sql.Row;

/** Reads numbers out of Spark rows, naming the column and row of anything that is not one. */
final class RowValues {
    private RowValues() {
    }

    /** The number in column {@code i}. */
    static double number(Row r, int i, String name, BlockBuilder.Place at) {
        if (r.isNullAt(i)) {
            throw at.error("column '" + name + "' is empty. Drop or fill rows with missing values first (na().drop()).");
        }
        Object v = r.get(i);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw at.error("column '" + name + "' holds " + v.getClass().getSimpleName() + " '" + v + "', not a number.");
    }

    static double finite(double v, String name, BlockBuilder.Place at) {
        if (!Double.isFinite(v)) {
            throw at.error("column '" + name + "' holds " + v + ". Features and numeric labels must be finite.");
        }
        return v;
    }

    /** The values of a vector or numeric array in column {@code i}. */
    static double[] vector(Row r, int i, String name, BlockBuilder.Place at) {
        if (r.isNullAt(i)) {
            throw at.error("column '" + name + "' is empty. Drop or fill rows with missing values first (na().drop()).");
        }
        Object v = r.get(i);
        if (v instanceof scala.collection.Seq<?>) {
            List<Object> items = r.getList(i);
            double[] out = new double[items.size()];
            for (int k = 0; k < out.length; k++) {
                Object item = items.get(k);
                if (!(item instanceof Number n)) {
                    throw at.error("column '" + name + "' holds " + item + " at position " + k + ", not a number.");
                }
                out[k] = n.doubleValue();
            }
            return out;
        }
        return MlVectors.values(v, name, at);
    }
}

package dev.nnkit.spark;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Row;

/**
 * Packs one partition's rows into an {@link ExampleBlock}, checking every value: a missing or
 * non-finite feature, a label outside the classes or a bad weight stops the run with the column,
 * partition and row named. Every partition gives exactly one block, an empty one included.
 */
final class BlockBuilder implements Function2<Integer, Iterator<Row>, Iterator<ExampleBlock>> {
    private static final long serialVersionUID = 1L;
    private final RowFormat format;

    BlockBuilder(RowFormat format) {
        this.format = format;
    }

    @Override
    public Iterator<ExampleBlock> call(Integer partition, Iterator<Row> rows) {
        try {
            return List.of(read(partition, rows)).iterator();
        } catch (SparkTrainingException e) {
            return List.of(ExampleBlock.failed(partition, e.getMessage())).iterator();
        }
    }

    private ExampleBlock read(int partition, Iterator<Row> rows) {
        Growing features = new Growing();
        Growing targets = new Growing();
        Growing weights = new Growing();
        double[] target = new double[format.targetWidth()];
        int row = 0;
        while (rows.hasNext()) {
            Row r = rows.next();
            Place at = new Place(partition, row, r, format.names().size());
            if (format.vector()) {
                double[] v = RowValues.vector(r, 0, format.names().get(0), at);
                if (v.length != format.inputSize()) {
                    throw at.error("column '" + format.names().get(0) + "' holds " + v.length
                            + " values; the network takes " + format.inputSize() + " features.");
                }
                for (int c = 0; c < v.length; c++) {
                    features.add(format.feature(c, RowValues.finite(v[c], format.names().get(0), at)));
                }
            } else {
                for (int c = 0; c < format.inputSize(); c++) {
                    features.add(format.feature(c, RowValues.finite(RowValues.number(r, c, format.names().get(c), at),
                            format.names().get(c), at)));
                }
            }
            int labelAt = format.labelColumn();
            target(r, labelAt, at, target);
            for (double t : target) {
                targets.add(t);
            }
            if (format.weighted()) {
                String name = format.names().get(labelAt + 1);
                double w = RowValues.number(r, labelAt + 1, name, at);
                if (!(w >= 0) || Double.isInfinite(w)) {
                    throw at.error("weight column '" + name + "' holds " + w + "; weights must be finite and ≥ 0.");
                }
                weights.add(w);
            }
            row++;
        }
        return new ExampleBlock(partition, row, format.inputSize(), format.targetWidth(), features.array(),
                targets.array(), weights.array(), format.dtype());
    }

    /** The label of row r as target values: the class index, a one-hot row, or the number. */
    private void target(Row r, int column, Place at, double[] target) {
        String name = format.names().get(column);
        if (r.isNullAt(column)) {
            throw at.error("label column '" + name + "' is empty. Drop or fill rows without a label first.");
        }
        double value;
        switch (format.labels()) {
            case NAMES -> {
                String label = r.get(column).toString();
                Integer index = format.classIndex().get(label);
                if (index == null) {
                    throw at.error("label '" + label + "' in column '" + name + "' is not one of the classes "
                            + format.classIndex().keySet().stream().sorted().toList()
                            + " (the training data's, or those given). Filter such rows out, or train with the class.");
                }
                value = index;
            }
            case INDICES -> {
                value = RowValues.number(r, column, name, at);
                if (value != Math.rint(value) || value < 0 || value >= format.classCount()) {
                    throw at.error("label " + value + " in column '" + name + "' is outside the classes 0 to "
                            + (format.classCount() - 1) + " (the network has " + format.classCount()
                            + " outputs). Class labels are whole numbers from 0.");
                }
            }
            default -> value = RowValues.finite(RowValues.number(r, column, name, at), name, at);
        }
        if (format.targetWidth() == 1) {
            target[0] = value;
        } else {
            java.util.Arrays.fill(target, 0);
            target[(int) value] = 1;
        }
    }

    /**
     * Where a row is, for messages: its partition, its place there counted from 1, and the file it
     * came from when it came from one (Spark numbers no lines).
     */
    record Place(int partition, int row, Row r, int fileColumn) {
        SparkTrainingException error(String problem) {
            String file = r.size() > fileColumn && !r.isNullAt(fileColumn) ? r.getString(fileColumn) : "";
            return new SparkTrainingException("Row " + (row + 1) + " of partition " + partition
                    + (file.isEmpty() ? "" : " (from " + file + ")") + ": " + problem);
        }
    }

    /** A double array that grows as rows arrive. */
    private static final class Growing {
        private double[] values = new double[1024];
        private int size;

        void add(double v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = v;
        }

        double[] array() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}

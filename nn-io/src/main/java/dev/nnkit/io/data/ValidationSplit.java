package dev.nnkit.io.data;

import dev.nnkit.api.tensor.Float32Tensor;
import dev.nnkit.api.tensor.Float64Tensor;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.random.RandomStreams;
import dev.nnkit.io.csv.LabeledTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Holds out a part of a training table for validation ({@code data.validationSplit}), drawn from
 * the run's seed, so the same seed and data always hold out the same rows.
 *
 * <p>With class labels the split is stratified: each class gives ⌊fraction · its rows⌋, and the
 * rows left to reach round(fraction · all rows) go to the classes with the largest remainders
 * (ties to the lower class index), so every class is held out in its share. Which rows of a class
 * are held out is a uniform draw (a seeded Fisher–Yates shuffle). Both parts keep the file's row
 * order.
 *
 * @param train the rows kept for training
 * @param validation the rows held out
 * @param validationRows the held-out rows' indices in the original table, ascending
 */
public record ValidationSplit(LabeledTable train, LabeledTable validation, int[] validationRows) {
    /** Salts the run's seed, so the split's draws are not the weights' or the shuffling's. */
    private static final long SALT = 0x76616c6964L; // "valid"

    public ValidationSplit {
        validationRows = validationRows.clone();
    }

    /**
     * @param fraction the share of rows to hold out, in (0, 1)
     * @throws IllegalArgumentException when either part would be empty, with the counts and the fix
     */
    public static ValidationSplit of(LabeledTable table, double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validationSplit must be above 0 and below 1; got " + fraction + ".");
        }
        int n = table.rows();
        RandomStreams.Stream random = new RandomStreams(seed ^ SALT).next();
        List<int[]> groups = groups(table);
        int total = (int) Math.round(fraction * n);
        int[] take = new int[groups.size()];
        double[] remainder = new double[groups.size()];
        int taken = 0;
        for (int g = 0; g < groups.size(); g++) {
            double share = fraction * groups.get(g).length;
            take[g] = (int) Math.floor(share);
            remainder[g] = share - take[g];
            taken += take[g];
        }
        while (taken < total) { // largest remainder first, lower index on ties
            int best = -1;
            for (int g = 0; g < groups.size(); g++) {
                if (take[g] < groups.get(g).length && (best < 0 || remainder[g] > remainder[best])) {
                    best = g;
                }
            }
            take[best]++;
            remainder[best] = -1;
            taken++;
        }
        if (taken == 0 || taken == n) {
            throw new IllegalArgumentException("validationSplit " + fraction + " of " + n + " rows holds out " + taken
                    + " rows, leaving " + (n - taken) + " to train on; both parts need at least one row. "
                    + (taken == 0 ? "Use a larger fraction" : "Use a smaller fraction") + ", or give a validation file.");
        }
        boolean[] held = new boolean[n];
        for (int g = 0; g < groups.size(); g++) {
            int[] rows = groups.get(g);
            for (int i = rows.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = rows[i];
                rows[i] = rows[j];
                rows[j] = t;
            }
            for (int i = 0; i < take[g]; i++) {
                held[rows[i]] = true;
            }
        }
        int[] validationRows = new int[taken];
        int[] trainRows = new int[n - taken];
        for (int r = 0, v = 0, t = 0; r < n; r++) {
            if (held[r]) {
                validationRows[v++] = r;
            } else {
                trainRows[t++] = r;
            }
        }
        return new ValidationSplit(subset(table, trainRows), subset(table, validationRows), validationRows);
    }

    /** The rows of each class in file order; all rows as one group for numeric targets. */
    private static List<int[]> groups(LabeledTable table) {
        int n = table.rows();
        if (table.classes().isEmpty()) {
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            return List.of(all);
        }
        int[] counts = new int[table.classes().size()];
        for (double c : table.target()) {
            counts[(int) c]++;
        }
        List<int[]> groups = new ArrayList<>();
        int[] filled = new int[counts.length];
        for (int count : counts) {
            groups.add(new int[count]);
        }
        for (int r = 0; r < n; r++) {
            int c = (int) table.target()[r];
            groups.get(c)[filled[c]++] = r;
        }
        return groups;
    }

    /** The table's rows {@code rows}, in that order. */
    static LabeledTable subset(LabeledTable table, int[] rows) {
        Tensor f = table.features();
        int width = f.size() / Math.max(1, table.rows());
        Tensor out = Tensor.zeros(f.dtype(), f.shape().sample().withBatch(rows.length));
        double[] target = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            copyRow(f, rows[i], out, i, width);
            target[i] = table.target()[rows[i]];
        }
        return new LabeledTable(table.featureNames(), table.targetName(), out, target, table.classes());
    }

    private static void copyRow(Tensor from, int row, Tensor to, int at, int width) {
        if (from instanceof Float32Tensor a && to instanceof Float32Tensor b) {
            System.arraycopy(a.data(), row * width, b.data(), at * width, width);
        } else if (from instanceof Float64Tensor a && to instanceof Float64Tensor b) {
            System.arraycopy(a.data(), row * width, b.data(), at * width, width);
        } else {
            for (int k = 0; k < width; k++) {
                to.set(at * width + k, from.get(row * width + k));
            }
        }
    }
}

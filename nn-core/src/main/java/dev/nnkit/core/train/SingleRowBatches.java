package dev.nnkit.core.train;

import dev.nnkit.api.tensor.Shape;
import dev.nnkit.core.network.Network;
import java.util.Optional;

/**
 * Batch norm over features needs two or more rows in every training batch to have a variance. A
 * batch size that leaves one row over at the end of each epoch fails in the middle of training (as
 * PyTorch does); trainers refuse it before the first step instead.
 */
public final class SingleRowBatches {
    private SingleRowBatches() {
    }

    /**
     * Why batches of {@code batchSize} over {@code rows} examples cannot train {@code network}, or
     * empty when they can.
     *
     * @param rows the examples batched together (one partition's in nn-spark's parameter averaging)
     */
    public static Optional<String> problem(Network network, long rows, int batchSize) {
        var stages = network.stages();
        for (int i = 0; i < stages.size(); i++) {
            Shape shape = stages.get(i).layer().outputShape();
            if (!stages.get(i).spec().type().equals("batch-norm") || shape.size() != shape.dim(0)) {
                continue;
            }
            String needs = " one row, and batch-norm (stage " + i + ") needs two or more in training to have a variance.";
            if (rows == 1) {
                return Optional.of("a single training row makes every batch hold" + needs + " Train on more rows.");
            }
            if (rows > 1 && leavesOne(rows, batchSize)) {
                return Optional.of("with " + rows + " training rows and batchSize " + batchSize + ", "
                        + (batchSize == 1 ? "every batch holds" : "the last batch of each epoch holds") + needs
                        + " Use a batchSize that leaves no single row over, such as " + fitting(rows, batchSize) + ".");
            }
        }
        return Optional.empty();
    }

    private static boolean leavesOne(long rows, long batchSize) {
        return batchSize == 1 || rows % batchSize == 1;
    }

    /** The nearest batch size above {@code batchSize} that leaves no single row (rows itself always does). */
    private static long fitting(long rows, int batchSize) {
        long size = batchSize + 1L;
        while (size < rows && leavesOne(rows, size)) {
            size++;
        }
        return size;
    }
}

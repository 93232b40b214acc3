package dev.nnkit.spark;

/** Whether a cached block is still the one the run counted. */
final class BlockCheck {
    private BlockCheck() {
    }

    /**
     * Null when {@code block} hashes as it did when first read; otherwise why not. Spark rebuilds a
     * lost block from the DataFrame's plan, and a plan that is not deterministic (a random sample,
     * a round-robin repartition after a shuffle) gives other rows: the run would silently train on
     * other examples.
     */
    static String changed(ExampleBlock block, long expected) {
        if (block.checksum == expected) {
            return null;
        }
        return "Partition " + block.partition + "'s examples changed when Spark rebuilt them (after a lost executor or"
                + " cache): the DataFrame does not give the same rows twice. Save it (Parquet) or checkpoint it"
                + " (frame.localCheckpoint()) before training.";
    }
}

package dev.nnkit.spark;

/** A task's one cached block, and whether it is still the one the run counted. */
final class BlockCheck {
    private BlockCheck() {
    }

    /**
     * The partition's block, or null for none. The iterator is read to the end, so Spark releases
     * its lock on the cached block when the task ends.
     */
    static ExampleBlock only(java.util.Iterator<ExampleBlock> blocks) {
        ExampleBlock block = blocks.hasNext() ? blocks.next() : null;
        while (blocks.hasNext()) {
            blocks.next();
        }
        return block;
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

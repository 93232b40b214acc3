package dev.nnkit.spark;

import org.apache.spark.ml.linalg.Vector;

/**
 * Spark ML vectors, in a class of their own: it is loaded only for a vector column, so a cluster
 * without spark-mllib can still train from named or array columns.
 */
final class MlVectors {
    private MlVectors() {
    }

    static double[] values(Object v, String name, BlockBuilder.Place at) {
        if (v instanceof Vector vector) {
            return vector.toArray();
        }
        throw at.error("column '" + name + "' holds " + v.getClass().getSimpleName()
                + "; a feature vector column holds Spark ML vectors or numeric arrays.");
    }
}

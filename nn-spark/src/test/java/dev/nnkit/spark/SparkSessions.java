package dev.nnkit.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The tests' one Spark session (a JVM holds one SparkContext): two local executor threads, and up
 * to four attempts per task, as a cluster allows, so an injected failure is retried.
 */
final class SparkSessions {
    private static SparkSession session;

    private SparkSessions() {
    }

    static synchronized SparkSession local() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2,4]")
                    .appName("nn-spark tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
            session.sparkContext().setLogLevel("ERROR");
        }
        return session;
    }
}

package dev.nnkit.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SparkTrain's command line, parsed.
 *
 * @param config the nn train config file, on the driver
 * @param out a directory on the driver, or a Hadoop path
 * @param train the training data's path as Spark reads it, instead of the config's
 * @param format csv or parquet, instead of guessing from the file name
 * @param checkpointEvery steps between checkpoints; 0 for none
 * @param resume continue from the newest checkpoint
 * @param overwrite replace the run {@code out} holds (its model and checkpoints), once the config, data and network
 *     are accepted
 * @param averageEvery parameter averaging every this many steps; 0 for synchronous training
 * @param partitions spread the training data over this many partitions; 0 to keep Spark's split
 * @param overrides the config's values replaced, as nn train's {@code --set PATH=VALUE} ({@code --epochs}
 *     and {@code --seed} last, so they win, as in nn train)
 */
record SparkTrainArguments(Path config, String out, Optional<String> train, Optional<String> format, long checkpointEvery,
                           boolean resume, boolean overwrite, int averageEvery, int partitions, List<String> overrides) {
    SparkTrainArguments {
        overrides = List.copyOf(overrides);
    }

    static final String USAGE = "Usage: spark-submit --class dev.nnkit.spark.SparkTrain nn-spark-VERSION-all.jar"
            + " --config FILE --out DIR [--train PATH] [--format csv|parquet] [--checkpoint-every STEPS] [--resume | --overwrite]"
            + " [--average-every STEPS] [--partitions N] [--epochs N] [--seed S] [--set PATH=VALUE]...";

    static SparkTrainArguments parse(String[] args) {
        Path config = null;
        String out = null;
        String train = null;
        String format = null;
        long every = 0;
        boolean resume = false;
        boolean overwrite = false;
        int average = 0;
        int partitions = 0;
        List<String> sets = new ArrayList<>();
        String epochs = null;
        String seed = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--config" -> config = Path.of(value(args, ++i, a));
                case "--out" -> out = value(args, ++i, a);
                case "--train" -> train = value(args, ++i, a);
                case "--format" -> format = value(args, ++i, a);
                case "--checkpoint-every" -> every = steps(value(args, ++i, a), a);
                case "--resume" -> resume = true;
                case "--overwrite", "--force" -> overwrite = true;
                case "--partitions" -> partitions = (int) Math.min(Integer.MAX_VALUE, steps(value(args, ++i, a), a));
                case "--average-every" -> average = (int) Math.min(Integer.MAX_VALUE, steps(value(args, ++i, a), a));
                case "--set" -> sets.add(assignment(value(args, ++i, a)));
                case "--epochs" -> epochs = String.valueOf(steps(value(args, ++i, a), a));
                case "--seed" -> seed = String.valueOf(seed(value(args, ++i, a)));
                default -> throw new UsageException("Unknown option '" + a + "'.");
            }
        }
        if (config == null || out == null) {
            throw new UsageException("--config and --out are required.");
        }
        if (format != null && !format.equals("csv") && !format.equals("parquet")) {
            throw new UsageException("--format is csv or parquet; got '" + format + "'.");
        }
        if (resume && overwrite) {
            throw new UsageException("--resume continues the run in --out and --overwrite replaces it: choose one.");
        }
        if (epochs != null) {
            sets.add("training.maxEpochs=" + epochs);
        }
        if (seed != null) {
            sets.add("training.seed=" + seed);
        }
        return new SparkTrainArguments(config, out, Optional.ofNullable(train), Optional.ofNullable(format), every, resume, overwrite, average,
                partitions, sets);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value.");
        }
        return args[i];
    }

    private static String assignment(String v) {
        int eq = v.indexOf('=');
        if (eq < 1) {
            throw new UsageException("--set takes PATH=VALUE, such as --set optimizer.learningRate=0.01; got '" + v + "'.");
        }
        return v;
    }

    private static long seed(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--seed takes a whole number; got '" + v + "'.");
        }
    }

    private static long steps(String v, String option) {
        try {
            long n = Long.parseLong(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " takes a whole number ≥ 1; got '" + v + "'.");
    }

    /** A bad command line (exit 2). */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}

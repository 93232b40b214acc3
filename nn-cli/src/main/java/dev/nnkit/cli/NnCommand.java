package dev.nnkit.cli;

import dev.nnkit.core.train.TrainingDivergedException;
import dev.nnkit.io.InvalidFileException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code nn} command: train networks and list plugins from the shell. */
@Command(name = "nn", mixinStandardHelpOptions = true, versionProvider = NnCommand.Version.class,
        description = "Train, evaluate and inspect feed-forward neural networks.")
public final class NnCommand implements Runnable {
    /** The version printed by --version and stored in model provenance. */
    public static final String VERSION = "0.1.0-SNAPSHOT";
    /** Exit codes, stable for scripts. */
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int DIVERGED = 3;
    public static final int INVALID_INPUT = 4;

    /** {@code nn --version}: the version, and the Java runtime and kernels that run the maths. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"nn " + VERSION,
                "Java " + Runtime.version() + ", float32 kernels: " + dev.nnkit.core.network.Kernels.backend()};
        }
    }

    /**
     * The subcommands, in the order help lists them, made only when needed: picocli builds a
     * command's model by reflecting over all its options, and doing that for all of them cost every
     * run about 80 ms in a fresh JVM. A run names its subcommand first, so only that one is built;
     * anything else (no subcommand, a misspelt one, help) gets them all.
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("train", TrainCommand::new);
        m.put("evaluate", EvaluateCommand::new);
        m.put("predict", PredictCommand::new);
        m.put("inspect", InspectCommand::new);
        m.put("export", ExportCommand::new);
        m.put("explain", ExplainCommand::new);
        m.put("plugins", PluginsCommand::new);
        m.put("help", CommandLine.HelpCommand::new);
        return m;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: try 'nn train --config FILE'.");
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * Runs {@code nn} with the given streams and returns the exit code (used by tests too). What it
     * prints for people is escaped ({@link PrintableWriter}); predictions on stdout are data and pass
     * unchanged.
     */
    public static int run(PrintWriter rawOut, PrintWriter rawErr, String... args) {
        PrintWriter out = new PrintWriter(new PrintableWriter(rawOut), true);
        PrintWriter err = new PrintWriter(new PrintableWriter(rawErr), true);
        CommandLine cli = new CommandLine(new NnCommand());
        String asked = args.length > 0 ? args[0] : "";
        if (SUBCOMMANDS.containsKey(asked) && !asked.equals("help")) {
            cli.addSubcommand(asked, SUBCOMMANDS.get(asked).get());
        } else {
            SUBCOMMANDS.forEach((name, command) -> cli.addSubcommand(name, command.get()));
        }
        // Plain help: PrintableWriter would show picocli's colour codes as \x1B[1m text.
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        plainNumbers(cli);
        cli.setOut(out);
        cli.setErr(err);
        if (cli.getSubcommands().containsKey("predict")) {
            cli.getSubcommands().get("predict").setOut(rawOut);
        }
        // A bad command line gets its message, suggestions for a misspelt option, and where the help
        // is: the whole usage text after the message buried it.
        cli.setParameterExceptionHandler((e, given) -> {
            CommandLine command = e.getCommandLine();
            command.getErr().println(e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, command.getErr());
            command.getErr().println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for the options.");
            return command.getCommandSpec().exitCodeOnInvalidInput();
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            err.println("nn: " + message(e));
            return exitCode(e);
        });
        int code;
        try {
            code = cli.execute(args);
        } catch (OutOfMemoryError e) {
            // What was being held is unreachable now, so there is room to say what happened.
            err.printf("nn: out of memory: the Java heap (at most %,d MB) cannot hold this run. Give the JVM more, e.g. "
                    + "NN_JAVA_OPTS=-Xmx8g ./nn …, or use less data, a smaller batch or smaller layers.%n",
                    Runtime.getRuntime().maxMemory() >> 20);
            code = FAILURE;
        } catch (LinkageError e) {
            // A plugin jar missing some of its classes, or compiled for a newer Java: say which class, not a stack trace.
            err.printf("nn: a class cannot be loaded: %s (%s). A plugin jar (or this installation) is incomplete or"
                    + " built for a newer Java than %d: reinstall it; 'nn plugins' lists where each plugin comes from.%n",
                    e.getMessage(), e.getClass().getSimpleName(), Runtime.version().feature());
            code = INVALID_INPUT;
        }
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Numbers in options say what they should be in words ("'abc' is not a whole number"), not in
     * Java's types ("is not an int"); decimals follow the rules of a CSV cell.
     */
    private static void plainNumbers(CommandLine cli) {
        CommandLine.ITypeConverter<Integer> ints = v -> (int) whole(v, Integer.MIN_VALUE, Integer.MAX_VALUE);
        CommandLine.ITypeConverter<Long> longs = v -> whole(v, Long.MIN_VALUE, Long.MAX_VALUE);
        CommandLine.ITypeConverter<Double> doubles = v -> {
            try {
                return dev.nnkit.io.csv.Decimals.parse(v, dev.nnkit.api.tensor.DType.FLOAT64);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        };
        cli.registerConverter(Integer.class, ints).registerConverter(Integer.TYPE, ints)
                .registerConverter(Long.class, longs).registerConverter(Long.TYPE, longs)
                .registerConverter(Double.class, doubles).registerConverter(Double.TYPE, doubles);
    }

    private static long whole(String v, long min, long max) {
        String q = dev.nnkit.io.InvalidFileException.quote(v);
        if (!v.matches("[+-]?\\d+")) {
            throw new CommandLine.TypeConversionException(q + " is not a whole number; write one such as 10.");
        }
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException tooLong) {
            // beyond long: the same words
        }
        throw new CommandLine.TypeConversionException(q + " is too large; write a whole number from " + min + " to "
                + max + ".");
    }

    static int exitCode(Exception e) {
        if (e instanceof java.io.UncheckedIOException u) {
            return exitCode(u.getCause());
        }
        if (e instanceof TrainingDivergedException) {
            return DIVERGED;
        }
        if (e instanceof InvalidFileException || e instanceof NoSuchFileException
                || e instanceof dev.nnkit.core.plugin.DuplicatePluginException || e instanceof dev.nnkit.onnx.OnnxExportException) {
            return INVALID_INPUT;
        }
        return FAILURE;
    }

    private static String message(Exception e) {
        if (e instanceof java.io.UncheckedIOException u) {
            return message(u.getCause());
        }
        if (e instanceof NoSuchFileException n) {
            return "no such file: " + n.getFile();
        }
        // The JDK's file-system exceptions carry the path as their whole message ("nn: /runs/x"):
        // say what went wrong with it and what to do.
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return f.getFile() + ": already exists and is not a directory nnkit can write into; give another path.";
        }
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return a.getFile() + ": permission denied; give a path you can write to, or change its permissions.";
        }
        if (e instanceof java.nio.file.NotDirectoryException d) {
            return d.getFile() + ": is not a directory.";
        }
        if (e instanceof java.nio.file.FileSystemException f) {
            return f.getFile() + (f.getOtherFile() != null ? " → " + f.getOtherFile() : "") + ": "
                    + (f.getReason() != null ? f.getReason() : "the file system refused the operation") + ".";
        }
        if (e instanceof IOException || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
            return e.getMessage();
        }
        return e.toString();
    }
}

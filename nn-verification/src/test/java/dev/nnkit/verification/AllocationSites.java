package dev.nnkit.verification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * What allocated during a run of code, from a JFR recording: the allocating stacks (TLAB
 * refills and outside-TLAB allocations, which sample every allocation in proportion to its
 * bytes) and the deoptimizations, one line each. For the message of a failed zero-allocation
 * check: a JIT-dependent failure on a CI machine is otherwise hard to reproduce.
 */
final class AllocationSites {
    private static final int FRAMES = 6;

    private AllocationSites() {
    }

    private static Recording recording() {
        Recording recording = new Recording();
        recording.enable("jdk.ObjectAllocationInNewTLAB").withStackTrace();
        recording.enable("jdk.ObjectAllocationOutsideTLAB").withStackTrace();
        recording.enable("jdk.Deoptimization").withStackTrace();
        return recording;
    }

    /**
     * Runs {@code run} under a recording. A JVM's first recording changes its JVMTI state and
     * HotSpot discards compiled code ("Jvmti state change invalidated dependencies"), so what it
     * records ran in code compiled again; the compile queue and code list are read before it starts.
     */
    static String over(Runnable run) {
        // The JIT's state as the failing windows left it: starting JFR compiles code of its own.
        String queue = HotSpotJit.queue().strip();
        String codelist = HotSpotJit.codelist();
        try (Recording recording = recording()) {
            recording.start();
            run.run();
            recording.stop();
            Path file = Files.createTempFile("allocation-sites", ".jfr");
            try {
                recording.dump(file);
                List<RecordedEvent> events = RecordingFile.readAllEvents(file);
                return summary(events) + compiledAs(events, codelist) + "\nCompiler.queue before JFR started:\n" + queue;
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String summary(List<RecordedEvent> events) {
        Map<String, Long> counts = events.stream().collect(Collectors.groupingBy(AllocationSites::describe,
                Collectors.counting()));
        // Deoptimizations first: one that recurs at every step sends compiled code back to the
        // interpreter, where the Vector API allocates, and is the cause to look for.
        return counts.entrySet().stream().sorted(Comparator.comparing((Map.Entry<String, Long> e) ->
                        !e.getKey().startsWith("Deoptimization")).thenComparing(Map.Entry.comparingByValue(Comparator.reverseOrder())))
                .limit(16).map(e -> "\n  " + e.getValue() + " × " + e.getKey())
                .collect(Collectors.joining("", "\nJFR over one more window (" + events.size() + " events):", ""));
    }

    /**
     * How the JIT held nnkit's methods in the allocating stacks (jcmd Compiler.codelist: compile
     * id, tier, state with 0 in use): the Vector API allocates where C2 has not compiled the
     * method, interpreted or at tiers 1–3.
     */
    private static String compiledAs(List<RecordedEvent> events, String codelist) {
        Set<String> methods = events.stream().filter(e -> e.getStackTrace() != null)
                .flatMap(e -> e.getStackTrace().getFrames().stream().limit(FRAMES))
                .filter(f -> !"Inlined".equals(f.getType()) && f.getMethod().getType().getName().startsWith("dev.nnkit"))
                .map(f -> f.getMethod().getType().getName() + "." + f.getMethod().getName() + "(")
                .collect(Collectors.toCollection(TreeSet::new));
        return codelist.lines().filter(l -> methods.stream().anyMatch(l::contains)).map(l -> "\n  " + l)
                .collect(Collectors.joining("", "\nCompiler.codelist for " + methods + ":", ""));
    }

    private static String describe(RecordedEvent e) {
        String what = e.getEventType().getName().replace("jdk.", "");
        if (e.hasField("objectClass") && e.getClass("objectClass") != null) {
            what += " " + e.getClass("objectClass").getName();
        }
        if (e.hasField("reason")) {
            what += " " + e.getString("reason") + "/" + e.getString("action") + " in " + e.getString("instruction")
                    + " at line " + e.getInt("lineNumber") + " of " + e.getValue("method.name") + " (compile id "
                    + e.getInt("compileId") + ", " + e.getString("compiler") + ")";
        }
        if (e.getStackTrace() == null) {
            return what;
        }
        return what + " at " + e.getStackTrace().getFrames().stream().limit(FRAMES).map(AllocationSites::frame)
                .collect(Collectors.joining(" < "));
    }

    private static String frame(RecordedFrame f) {
        return f.getMethod().getType().getName().replaceAll(".*\\.", "") + "." + f.getMethod().getName() + ":"
                + f.getLineNumber() + (f.getType() == null ? "" : "(" + f.getType() + ")");
    }
}

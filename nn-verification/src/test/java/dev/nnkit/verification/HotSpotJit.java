package dev.nnkit.verification;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;

/** HotSpot's JIT as jcmd shows it: the compile queue and the compiled code. */
final class HotSpotJit {
    private HotSpotJit() {
    }

    /** {@code jcmd <pid> Compiler.queue}: the compilations running now, then those waiting for C1 and C2. */
    static String queue() {
        return command("compilerQueue");
    }

    /** {@code jcmd <pid> Compiler.codelist}: one line per compiled method (compile id, tier, state, name). */
    static String codelist() {
        return command("compilerCodelist");
    }

    /** Nothing compiling and nothing waiting: every line of the queue is a heading or "Empty". */
    static boolean idle() {
        return queue().lines().map(String::strip).allMatch(l -> l.isEmpty() || l.endsWith(":") || l.equals("Empty"));
    }

    private static String command(String operation) {
        try {
            return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), operation, null, null);
        } catch (JMException e) {
            throw new IllegalStateException("cannot run HotSpot's diagnostic command " + operation, e);
        }
    }
}

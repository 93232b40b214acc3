package dev.nnkit.core.kernel;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Whether {@code Math.fma} runs as one processor instruction here. Where it does not (x86 before
 * Haswell, for one), the JDK computes it with BigDecimal, hundreds of times slower than a multiply
 * and an add, so the portable loops use it only when HotSpot says it uses FMA instructions
 * ({@code -XX:+UseFMA}, on by default where the processor has them). Other JVMs: not assumed.
 * Asked once, when the portable loops are first used (about 17 ms: the management bean).
 */
final class HardwareFma {
    static final boolean AVAILABLE = detect();

    private HardwareFma() {
    }

    private static boolean detect() {
        try {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotSpot != null && Boolean.parseBoolean(hotSpot.getVMOption("UseFMA").getValue());
        } catch (RuntimeException | LinkageError e) { // no such option or bean on this JVM
            return false;
        }
    }
}

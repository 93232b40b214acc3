package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The zero-allocation test's diagnosis names the code that allocated. */
@DisplayName("Allocation sites from JFR")
class AllocationSitesTest {
    private static volatile Object sink;

    @Test
    @DisplayName("name the allocating method and what it allocated")
    void nameTheAllocatingMethod() {
        String report = AllocationSites.over(AllocationSitesTest::allocateTenMegabytes);
        assertThat(report).contains("allocateTenMegabytes").contains("[J");
    }

    private static void allocateTenMegabytes() {
        for (int i = 0; i < 10_000; i++) {
            sink = new long[128];
        }
    }
}

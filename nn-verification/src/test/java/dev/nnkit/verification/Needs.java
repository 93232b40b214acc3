package dev.nnkit.verification;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A test's outside requirement (PyTorch, Fashion-MNIST): on a developer's machine without it the
 * test is skipped, saying why; under {@code CI=true} it fails, because CI installs both and a
 * silently skipped oracle would let a wrong number land.
 */
final class Needs {
    private Needs() {
    }

    static void installed(boolean present, String what) {
        if (!present && "true".equals(System.getenv("CI"))) {
            fail(what + " CI must install it (.ci/run does), so this check cannot be skipped there.");
        }
        assumeTrue(present, what + " Skipping this check.");
    }
}

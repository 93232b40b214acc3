package dev.nnkit.cli;

import dev.nnkit.core.train.Trainer;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) and SIGTERM during {@code nn train}: instead of dying mid-epoch with nothing
 * saved, training stops after the step in progress and the command saves what it has; then the JVM
 * exits with the signal's status (130 or 143), as a shell expects.
 *
 * <p>Works through a shutdown hook, the JDK's supported way to see these signals: the hook asks the
 * trainer to stop and waits (up to {@link #GRACE_SECONDS}) for the command to finish writing. A
 * second Ctrl-C cannot cut this short; SIGKILL can, and leaves every file whole (they are written
 * aside and renamed).
 */
final class StopOnSignal implements AutoCloseable {
    static final int GRACE_SECONDS = 120;

    private final PrintWriter err;
    private final Thread hook = new Thread(this::onSignal, "nn-stop-on-signal");
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Trainer trainer;
    private volatile boolean signalled;

    StopOnSignal(PrintWriter err) {
        this.err = err;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** From now on a signal stops this trainer after its current step. */
    void watch(Trainer t) {
        trainer = t;
        if (signalled) {
            t.requestStop();
        }
    }

    /** Whether a signal arrived. */
    boolean signalled() {
        return signalled;
    }

    private void onSignal() {
        if (finished.getCount() == 0) {
            return; // a normal exit, after the command finished
        }
        signalled = true;
        Trainer t = trainer;
        if (t != null) {
            t.requestStop();
        }
        err.println();
        err.println("nn: stopping after the current step and saving the run (this can take a moment) ...");
        err.flush();
        try {
            finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command is done writing: a pending signal may now end the JVM. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down (a signal): the hook is running and returns now
        }
    }
}

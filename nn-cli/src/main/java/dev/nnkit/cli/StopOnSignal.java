package dev.nnkit.cli;

import dev.nnkit.core.train.Trainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C (SIGINT) and SIGTERM during {@code nn train}: instead of dying mid-epoch with nothing
 * saved, training stops after the step in progress and the command saves what it has; then the JVM
 * exits with the signal's status (130 or 143), as a shell expects.
 *
 * <p>Works through a shutdown hook, the JDK's supported way to see these signals. Before training
 * begins (reading data, building the network) there is nothing to save: the hook removes the run
 * directory if this run created it and returns at once. During training it asks the trainer to
 * stop and waits (up to {@link #GRACE_SECONDS}) for the command to finish writing. A second Ctrl-C
 * cannot cut this short; SIGKILL can, and leaves every file whole (they are written aside and
 * renamed).
 */
final class StopOnSignal implements AutoCloseable {
    static final int GRACE_SECONDS = 120;

    private final PrintWriter err;
    private final Thread hook = new Thread(this::onSignal, "nn-stop-on-signal");
    private final CountDownLatch finished = new CountDownLatch(1);
    /** Guards the hand-over between "not training yet" and "training". */
    private final Object phase = new Object();
    private Trainer trainer;
    private boolean trainingOver;
    private RunDirectory run;
    private volatile boolean signalled;

    StopOnSignal(PrintWriter err) {
        this.err = err;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Opens a run directory. */
    interface Opener {
        RunDirectory open() throws IOException;
    }

    /**
     * Opens the run directory so that a signal cannot fall between its creation and its
     * registration here: the signal handler waits for this, then removes what the run created.
     *
     * @throws StoppedException when a signal already came
     */
    RunDirectory open(Opener opener) throws IOException {
        synchronized (phase) {
            if (signalled) {
                throw new StoppedException();
            }
            run = opener.open();
            return run;
        }
    }

    /** A signal came before the run directory was opened; the JVM is exiting. */
    static final class StoppedException extends IOException {
        StoppedException() {
            super("stopped before training began; nothing was written.");
        }
    }

    /**
     * From now on a signal stops this trainer after its current step.
     *
     * @return false when a signal already came: the JVM is exiting, and nothing may be written
     */
    boolean watch(Trainer t) {
        synchronized (phase) {
            if (signalled) {
                return false;
            }
            trainer = t;
            return true;
        }
    }

    /** Training returned: a signal now only waits for the files to be written. */
    void trainingOver() {
        synchronized (phase) {
            trainingOver = true;
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
        Trainer t;
        boolean over;
        synchronized (phase) {
            signalled = true;
            t = trainer;
            over = trainingOver;
        }
        err.println();
        if (t == null) {
            err.println("nn: stopped before training began; nothing was written.");
            err.flush();
            removeUnusedRun();
            return;
        }
        if (over) {
            err.println("nn: training is over; finishing writing the run, then exiting ...");
        } else {
            t.requestStop();
            err.println(run != null ? "nn: stopping after the current step and saving the run (this can take a moment) ..."
                    : "nn: stopping after the current step ...");
        }
        err.flush();
        try {
            finished.await(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void removeUnusedRun() {
        RunDirectory r;
        synchronized (phase) {
            r = run;
        }
        if (r != null) {
            try {
                r.removeIfUnused();
            } catch (IOException e) {
                // the JVM is exiting; an empty directory left behind is harmless
            }
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

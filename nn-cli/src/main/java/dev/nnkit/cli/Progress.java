package dev.nnkit.cli;

import dev.nnkit.core.train.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * What training shows on stderr: on a terminal, one live line per epoch, redrawn in place at most
 * every 100 ms (a bar, the batch, the running mean loss, samples/s and the time left), then
 * replaced by the epoch's summary line; always, the summary lines (unless quiet), at most about one
 * a second so that a thousand quick epochs stay readable.
 *
 * <p>The live line is drawn on the training thread from the batch callback, with no thread or timer
 * of its own: a batch costs a clock read, and a redraw one short write. (A progress-bar library's
 * refresh thread cost about 0.18 s per epoch to start and stop, 8× the training time of a small CSV.)
 */
final class Progress implements TrainingListener {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR = 12;

    private final PrintWriter err;
    private final PrintStream terminal;
    private final int width;
    private final int maxEpochs;
    private final EpochSummary summary;
    private long epochStart;
    private long lastDraw;
    private long samples;
    private double lossSum;
    private boolean drawn;
    private long lastLine;

    /** The validation part of each epoch's line, computed by the metrics log. */
    interface EpochSummary {
        String extra(int epoch);
    }

    /**
     * @param terminal where to draw the live line, or null for none (stderr is not a terminal, or --quiet)
     */
    Progress(PrintWriter err, PrintStream terminal, int maxEpochs, EpochSummary summary) {
        this(err, terminal, terminal == null ? 80 : terminalWidth(), maxEpochs, summary);
    }

    /** @param width the terminal's columns: the live line is cut to fit, since a wrapped line cannot be redrawn */
    Progress(PrintWriter err, PrintStream terminal, int width, int maxEpochs, EpochSummary summary) {
        this.err = err;
        this.terminal = terminal;
        this.width = Math.max(20, width);
        this.maxEpochs = maxEpochs;
        this.summary = summary;
    }

    /** $COLUMNS when the shell exports it, else what {@code stty size} says of the terminal, else 80. */
    private static int terminalWidth() {
        try {
            String columns = System.getenv("COLUMNS");
            if (columns != null) {
                return Integer.parseInt(columns.trim());
            }
            Process p = new ProcessBuilder("stty", "size").redirectInput(new java.io.File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String[] size = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)
                    .trim().split("\\s+");
            int width = p.waitFor() == 0 && size.length == 2 ? Integer.parseInt(size[1]) : 0;
            return width > 0 ? width : 80;
        } catch (IOException | NumberFormatException e) {
            return 80;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 80;
        }
    }

    @Override
    public void onBatchEnd(BatchEvent e) {
        if (terminal == null) {
            return;
        }
        long now = System.nanoTime();
        if (e.batch() == 1 || samples == 0) {
            epochStart = now;
            lastDraw = now;
            samples = 0;
            lossSum = 0;
        }
        samples += e.batchSize();
        lossSum += e.loss() * e.batchSize();
        if (now - lastDraw >= REDRAW_NANOS && e.batch() < e.batches()) {
            draw(e, now);
            lastDraw = now;
        }
    }

    private void draw(BatchEvent e, long now) {
        double seconds = (now - epochStart) / 1e9;
        int filled = (int) ((long) BAR * e.batch() / e.batches());
        double left = seconds / e.batch() * (e.batches() - e.batch());
        String line = String.format(Locale.ROOT, "epoch %d/%d [%s%s] %d/%d loss %.4g %,.0f samples/s ETA %s",
                e.epoch(), maxEpochs, "=".repeat(filled), " ".repeat(BAR - filled), e.batch(), e.batches(),
                lossSum / samples, samples / Math.max(seconds, 1e-9), clock(left));
        terminal.print("\r" + (line.length() < width ? line : line.substring(0, width - 1)) + "\033[K");
        terminal.flush();
        drawn = true;
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** Clears the live line (training stopped mid-epoch, or the epoch ended). */
    void stop() {
        if (drawn) {
            terminal.print("\r\033[K");
            terminal.flush();
            drawn = false;
        }
        samples = 0;
    }

    @Override
    public void onEpochEnd(EpochEvent e) {
        boolean wasShown = drawn; // an epoch long enough to draw is never left without its summary
        stop();
        long now = System.nanoTime();
        if (wasShown || e.epoch() == 1 || e.epoch() == maxEpochs || now - lastLine >= 1_000_000_000L) {
            err.printf(Locale.ROOT, "epoch %d/%d  loss %.6g%s  lr %.3g  %.2f s%n", e.epoch(), maxEpochs, e.loss(),
                    summary.extra(e.epoch()), e.learningRate(), e.seconds());
            err.flush();
            lastLine = now;
        }
    }
}

package dev.nnkit.cli;

import dev.nnkit.core.train.TrainingListener;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What training shows on stderr: on a terminal, a progress bar per epoch (batch, loss, samples/s,
 * ETA); always, one summary line per epoch (unless quiet).
 */
final class Progress implements TrainingListener {
    private final PrintWriter err;
    private final PrintStream terminal;
    private final int maxEpochs;
    private final EpochSummary summary;
    private ProgressBar bar;
    private long samples;
    private long epochStart;
    private long lastLine;

    /** The validation part of each epoch's line, computed by the metrics log. */
    interface EpochSummary {
        String extra(int epoch);
    }

    /**
     * @param terminal where to draw the bar, or null for no bar (stderr is not a terminal, or --quiet)
     */
    Progress(PrintWriter err, PrintStream terminal, int maxEpochs, EpochSummary summary) {
        this.err = err;
        this.terminal = terminal;
        this.maxEpochs = maxEpochs;
        this.summary = summary;
    }

    @Override
    public void onBatchEnd(BatchEvent e) {
        if (terminal == null) {
            return;
        }
        if (bar == null) {
            samples = 0;
            epochStart = System.nanoTime();
            bar = new ProgressBarBuilder().setTaskName(String.format("epoch %d/%d", e.epoch(), maxEpochs))
                    .setInitialMax(e.batches()).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(100)
                    .setConsumer(new ConsoleProgressBarConsumer(terminal)).build();
        }
        samples += e.batchSize();
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        bar.stepTo(e.batch());
        bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f %,.0f samples/s", e.loss(), samples / Math.max(seconds, 1e-9)));
    }

    /** Ends an epoch's bar early (training stopped mid-epoch). */
    void stop() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void onEpochEnd(EpochEvent e) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        // One line per epoch, but at most about one a second, so a thousand quick epochs stay readable.
        long now = System.nanoTime();
        if (e.epoch() == 1 || e.epoch() == maxEpochs || now - lastLine >= 1_000_000_000L) {
            err.printf(Locale.ROOT, "epoch %d/%d  loss %.6g%s  lr %.3g  %.2f s%n", e.epoch(), maxEpochs, e.loss(),
                    summary.extra(e.epoch()), e.learningRate(), e.seconds());
            err.flush();
            lastLine = now;
        }
    }
}

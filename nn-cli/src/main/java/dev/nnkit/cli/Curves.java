package dev.nnkit.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/** curves.png: loss and the task's metric against epoch, train and validation, drawn headless with XChart. */
final class Curves {
    private Curves() {
    }

    /** At most this many epochs are drawn: more cannot be told apart at 560 pixels, and cost seconds. */
    static final int MAX_POINTS = 2000;

    static void write(List<MetricsLog.Row> allRows, String metric, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<MetricsLog.Row> rows = thinned(allRows);
        XYChart loss = chart("Loss", "loss", Styler.LegendPosition.InsideNE);
        XYChart score = chart(metric.equals("accuracy") ? "Accuracy" : "R²", metric, Styler.LegendPosition.InsideSE);
        double[] epochs = rows.stream().mapToDouble(MetricsLog.Row::epoch).toArray();
        loss.addSeries("train", epochs, rows.stream().mapToDouble(MetricsLog.Row::trainLoss).toArray());
        score.addSeries("train", epochs, rows.stream().mapToDouble(MetricsLog.Row::trainMetric).toArray());
        if (rows.stream().anyMatch(r -> Double.isFinite(r.validationLoss()))) {
            loss.addSeries("validation", epochs, rows.stream().mapToDouble(MetricsLog.Row::validationLoss).toArray());
            score.addSeries("validation", epochs, rows.stream().mapToDouble(MetricsLog.Row::validationMetric).toArray());
        }
        if (epochs.length > 20) {
            spaceEpochLabels(loss, epochs[0], rows.get(0).trainLoss());
            spaceEpochLabels(score, epochs[0], rows.get(0).trainMetric());
        }
        java.awt.image.BufferedImage a = BitmapEncoder.getBufferedImage(loss);
        java.awt.image.BufferedImage b = BitmapEncoder.getBufferedImage(score);
        java.awt.image.BufferedImage both = new java.awt.image.BufferedImage(a.getWidth() + b.getWidth(),
                Math.max(a.getHeight(), b.getHeight()), java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = both.createGraphics();
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, a.getWidth(), 0, null);
        g.dispose();
        Path tmp = png.resolveSibling("." + png.getFileName() + ".tmp");
        try {
            if (!javax.imageio.ImageIO.write(both, "png", tmp.toFile())) {
                throw new IOException("no PNG writer in this JDK");
            }
            java.nio.file.Files.move(tmp, png, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            java.nio.file.Files.deleteIfExists(tmp);
        }
    }

    /** Every k-th epoch and the last, so that at most {@link #MAX_POINTS} are drawn. */
    static List<MetricsLog.Row> thinned(List<MetricsLog.Row> rows) {
        int every = (rows.size() + MAX_POINTS - 1) / MAX_POINTS;
        if (every <= 1) {
            return rows;
        }
        List<MetricsLog.Row> kept = new java.util.ArrayList<>(MAX_POINTS + 1);
        for (int i = 0; i < rows.size(); i += every) {
            kept.add(rows.get(i));
        }
        if (kept.get(kept.size() - 1) != rows.get(rows.size() - 1)) {
            kept.add(rows.get(rows.size() - 1));
        }
        return kept;
    }

    /**
     * For x values 1, 2, 3, … XChart puts a label on every k-th epoch with no regard for their
     * width, and at 300 epochs "103120137…" runs together (it ignores the spacing hint for equally
     * spaced values, knowm/XChart#731). An invisible point half an epoch in makes the values
     * unequally spaced, so XChart chooses round, spaced ticks (50, 100, …) as for any other axis.
     */
    private static void spaceEpochLabels(XYChart c, double firstEpoch, double firstValue) {
        XYSeries s = c.addSeries(" ", new double[] {firstEpoch + 0.5}, new double[] {firstValue});
        s.setShowInLegend(false);
        s.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        s.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.NONE);
    }

    private static XYChart chart(String title, String y, Styler.LegendPosition legend) {
        XYChart c = new XYChartBuilder().width(560).height(380).title(title).xAxisTitle("epoch").yAxisTitle(y).build();
        c.getStyler().setLegendPosition(legend);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        c.getStyler().setMarkerSize(0); // lines only: runs have hundreds of epochs
        // Epoch labels far enough apart not to run together ("103120137…" at 300 epochs), whole numbers only.
        c.getStyler().setXAxisDecimalPattern("#,###");
        return c;
    }
}

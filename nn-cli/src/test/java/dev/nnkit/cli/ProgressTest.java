package dev.nnkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.core.train.TrainingListener.BatchEvent;
import dev.nnkit.core.train.TrainingListener.EpochEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The live progress line")
class ProgressTest {

    @Test
    @DisplayName("redraws one line in place with the running mean loss and the time left, then gives way to the epoch's summary")
    void liveLine() throws InterruptedException {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        PrintStream terminal = new PrintStream(screen, true, StandardCharsets.UTF_8);
        StringWriter summaries = new StringWriter();
        Progress p = new Progress(new PrintWriter(summaries), terminal, 120, 3, epoch -> "  extra");
        p.onBatchEnd(new BatchEvent(1, 1, 4, 1, 10, 1.0));
        Thread.sleep(120); // past the 100 ms between redraws
        p.onBatchEnd(new BatchEvent(1, 2, 4, 2, 30, 3.0));
        String live = screen.toString(StandardCharsets.UTF_8);
        assertThat(live).startsWith("\r").endsWith("\033[K").doesNotContain("\n");
        Matcher m = Pattern.compile("epoch 1/3 \\[=+ +\\] 2/4 loss ([0-9.]+) [0-9,]+ samples/s ETA 0:0[0-9]").matcher(live);
        assertThat(m.find()).as(live).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isEqualTo(2.5); // (10·1 + 30·3) / 40

        ByteArrayOutputStream narrow = new ByteArrayOutputStream();
        Progress cut = new Progress(new PrintWriter(new StringWriter()), new PrintStream(narrow, true, StandardCharsets.UTF_8),
                30, 3, epoch -> "");
        cut.onBatchEnd(new BatchEvent(1, 1, 4, 1, 10, 1.0));
        Thread.sleep(120);
        cut.onBatchEnd(new BatchEvent(1, 2, 4, 2, 10, 1.0));
        assertThat(narrow.toString(StandardCharsets.UTF_8)).as("cut to the terminal's width, so it never wraps")
                .isEqualTo("\repoch 1/3 [======      ] 2/4 \033[K");

        p.onBatchEnd(new BatchEvent(1, 3, 4, 3, 10, 1.0));
        p.onBatchEnd(new BatchEvent(1, 4, 4, 4, 10, 1.0));
        p.onEpochEnd(new EpochEvent(1, 2.0, 4, 0.5, 0.01));
        assertThat(screen.toString(StandardCharsets.UTF_8)).endsWith("\r\033[K");
        assertThat(summaries.toString()).isEqualTo("epoch 1/3  loss 2.00000  extra  lr 0.0100  0.50 s\n");
    }

    @Test
    @DisplayName("without a terminal there is no live line, only the summaries; quick batches draw nothing")
    void noTerminal() {
        StringWriter summaries = new StringWriter();
        Progress p = new Progress(new PrintWriter(summaries), null, 80, 1, epoch -> "");
        p.onBatchEnd(new BatchEvent(1, 1, 1, 1, 10, 1.0));
        p.onEpochEnd(new EpochEvent(1, 1.0, 1, 0.1, 0.01));
        assertThat(summaries.toString()).startsWith("epoch 1/1  loss 1");

        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        Progress quick = new Progress(new PrintWriter(new StringWriter()), new PrintStream(screen), 80, 1, epoch -> "");
        for (int b = 1; b <= 5; b++) {
            quick.onBatchEnd(new BatchEvent(1, b, 5, b, 10, 1.0));
        }
        quick.onEpochEnd(new EpochEvent(1, 1.0, 5, 0.001, 0.01));
        assertThat(screen.size()).as("an epoch shorter than a redraw interval writes nothing to the terminal").isZero();
    }

    @Test
    @DisplayName("an epoch whose live line was drawn always gets its summary, even within a second of the last")
    void drawnEpochKeepsItsSummary() throws InterruptedException {
        StringWriter summaries = new StringWriter();
        Progress p = new Progress(new PrintWriter(summaries), new PrintStream(new ByteArrayOutputStream()), 120, 3,
                epoch -> "");
        p.onBatchEnd(new BatchEvent(1, 1, 2, 1, 10, 1.0));
        p.onBatchEnd(new BatchEvent(1, 2, 2, 2, 10, 1.0));
        p.onEpochEnd(new EpochEvent(1, 1.0, 2, 0.01, 0.01)); // epoch 1: always a summary
        p.onBatchEnd(new BatchEvent(2, 1, 3, 3, 10, 1.0));
        Thread.sleep(120);
        p.onBatchEnd(new BatchEvent(2, 2, 3, 4, 10, 1.0)); // drawn
        p.onBatchEnd(new BatchEvent(2, 3, 3, 5, 10, 1.0));
        p.onEpochEnd(new EpochEvent(2, 1.0, 5, 0.13, 0.01)); // within a second of epoch 1's line
        assertThat(summaries.toString().lines()).hasSize(2).last().asString().startsWith("epoch 2/3");
    }
}

package dev.nnkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("curves.png of long runs")
class CurvesTest {
    @TempDir
    Path dir;

    static List<MetricsLog.Row> rows(int epochs) {
        return IntStream.rangeClosed(1, epochs).mapToObj(e -> new MetricsLog.Row(e, 1.0 / e, 1 - 1.0 / e, Double.NaN,
                Double.NaN, 0.01, 0.1)).toList();
    }

    @Test
    @DisplayName("at most 2,000 epochs are drawn, evenly spaced, the first and the last among them")
    void thinsLongRuns() {
        assertThat(Curves.thinned(rows(1500))).hasSize(1500);
        List<MetricsLog.Row> all = rows(150_001);
        List<MetricsLog.Row> drawn = Curves.thinned(all);
        assertThat(drawn.size()).isBetween(1900, Curves.MAX_POINTS + 1);
        assertThat(drawn.get(0).epoch()).isEqualTo(1);
        assertThat(drawn.get(drawn.size() - 1).epoch()).isEqualTo(150_001);
        assertThat(drawn.get(1).epoch() - drawn.get(0).epoch()).isEqualTo(drawn.get(2).epoch() - drawn.get(1).epoch());
    }

    @Test
    @DisplayName("a 150,000-epoch run still gives a real PNG of both charts")
    void drawsALongRun() throws IOException {
        Path png = dir.resolve("curves.png");
        Curves.write(rows(150_000), "accuracy", png);
        var image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1120);
        assertThat(image.getHeight()).isEqualTo(380);
        try (var s = Files.list(dir)) {
            assertThat(s).containsExactly(png); // no temporary file left
        }
    }
}

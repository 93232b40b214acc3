package dev.nnkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The continue command nn prints can be pasted into a shell")
class ShellWordsTest {
    @Test
    @DisplayName("plain words stay as they are; spaces, quotes, $ and globs are single-quoted")
    void quotes() {
        assertThat(ShellWords.join(List.of("nn", "train", "--config", "/runs/a-b_c.json", "--set",
                "optimizer.learningRate=0.01"))).isEqualTo("nn train --config /runs/a-b_c.json --set optimizer.learningRate=0.01");
        assertThat(ShellWords.quote("my runs/it's $HOME *.json")).isEqualTo("'my runs/it'\\''s $HOME *.json'");
        assertThat(ShellWords.quote("")).isEqualTo("''");
    }

    @Test
    @DisplayName("a POSIX shell reads the quoted words back exactly")
    void shellReadsThemBack() throws IOException, InterruptedException {
        List<String> words = List.of("my runs/it's", "$HOME", "a\"b", "tab\there", "*.json", "ü ä", "back\\slash");
        Process p = new ProcessBuilder("sh", "-c", "printf '%s\\n' " + ShellWords.join(words)).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isZero();
        assertThat(out.split("\n", -1)).containsExactly(words.get(0), words.get(1), words.get(2), words.get(3),
                words.get(4), words.get(5), words.get(6), "");
    }
}

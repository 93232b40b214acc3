package com.example.focallion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.cli.NnCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Discovered by ServiceLoader next to the built-ins, and usable by id from a training config. */
@DisplayName("The plugins in use")
class PluginInUseTest {

    static String[] nn(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = NnCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    @DisplayName("nn plugins lists focal, lion and channel-scale")
    void listed() {
        String[] r = nn("plugins");
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).containsPattern("loss +focal ").containsPattern("optimizer +lion ")
                .containsPattern("optimizer +adam ").containsPattern("layer +channel-scale ");
    }

    @Test
    @DisplayName("nn train learns XOR with the focal loss, Lion and a channel-scale stage, named by id in the config")
    void trains() {
        Path config = Path.of("src/test/resources/xor-focal-lion.json");
        String[] r = nn("train", "--quiet", "--config", config.toString());
        assertThat(r[2]).isEmpty();
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("accuracy 100.00%");
    }
}

package dev.nnkit.api.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What "did you mean" suggests for names people bring from Keras and PyTorch, and for typos. */
class NamesTest {
    static final List<String> TRAINING = List.of("batchSize", "maxEpochs", "seed", "shuffle", "gradientClipNorm");
    static final List<String> ADAM = List.of("learningRate", "beta1", "beta2", "eps", "weightDecay", "amsgrad");

    @Test
    void anotherSpellingOfTheSameWords() {
        assertThat(Names.nearest("learning_rate", ADAM)).contains("learningRate");
        assertThat(Names.nearest("weight-decay", ADAM)).contains("weightDecay");
        assertThat(Names.nearest("batch_size", TRAINING)).contains("batchSize");
        assertThat(Names.nearest("MaxEpochs", TRAINING)).contains("maxEpochs");
    }

    @Test
    void initialsAndLastWords() {
        assertThat(Names.nearest("lr", ADAM)).contains("learningRate");
        assertThat(Names.nearest("epochs", TRAINING)).contains("maxEpochs");
        assertThat(Names.nearest("wd", ADAM)).contains("weightDecay");
    }

    @Test
    void typosByEditDistance() {
        assertThat(Names.nearest("learningrat", ADAM)).contains("learningRate");
        assertThat(Names.nearest("sede", TRAINING)).contains("seed");
    }

    @Test
    void nothingWhenNothingIsClose() {
        assertThat(Names.nearest("momentum", ADAM)).isEmpty();
        assertThat(Names.nearest("x", TRAINING)).isEmpty();
        assertThat(Names.nearest("s", TRAINING)).isEmpty(); // one letter is no one's initials
    }
}

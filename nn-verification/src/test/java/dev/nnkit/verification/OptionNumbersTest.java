package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A number option that is not a number is refused in words, not in Java's types ("is not an int"). */
@DisplayName("number options in plain words")
class OptionNumbersTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "train   | --epochs     | abc         | Invalid value for option '--epochs': 'abc' is not a whole number; write one such as 10.",
        "train   | --epochs     | 1.5         | Invalid value for option '--epochs': '1.5' is not a whole number",
        "train   | --epochs     | 99999999999 | Invalid value for option '--epochs': '99999999999' is too large; write a whole number from",
        "explain | --neurons    | x           | Invalid value for option '--neurons': 'x' is not a whole number",
        "explain | --lr         | 1e0.5       | Invalid value for option '--lr': '1e0.5' is not a number; write plain decimals",
    })
    void plainWords(String command, String option, String value, String message) {
        CliTest.Run r = CliTest.nn(command, option, value, "--config", "none.json");
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message).doesNotContain(" an int").doesNotContain(" a long")
                .doesNotContain(" a double").doesNotContain("Integer").doesNotContain("Double");
    }
}

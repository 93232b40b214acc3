package dev.nnkit.io.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The tree reader against the mapper it replaces (same factory, same rules): equal trees, node
 * types included, for every JSON file the project ships and for edge cases; the same documents
 * refused.
 */
class JsonTreesTest {
    static Stream<String> documents() throws IOException {
        List<String> edge = List.of("{}", "[]", "0", "-0", "\"\"", "null", "true", "[false, null]",
                "{\"a\": 2147483647, \"b\": 2147483648, \"c\": -9223372036854775808, \"d\": 9223372036854775808}",
                "{\"x\": 1e400, \"y\": 1.0, \"z\": -0.0, \"w\": 4.9e-324, \"v\": 0.1, \"u\": 1E+2}",
                "{\"s\": \"caf\\u00e9 \\\"q\\\" \\n \\ud83d\\ude00 ü\"}",
                "{\"nested\": {\"a\": [[1, [2, {\"b\": []}]], {}]}}", "  {\"ws\" :\t[ 1 ,2 ]}\n\n");
        Stream<String> shipped = Files.walk(Path.of("..", "examples"))
                .filter(p -> p.toString().endsWith(".json") && !p.toString().contains("target"))
                .map(p -> {
                    try {
                        return Files.readString(p);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
        return Stream.concat(edge.stream(), shipped);
    }

    @ParameterizedTest
    @MethodSource("documents")
    void buildsTheTreeTheMapperBuilds(String json) {
        JsonNode expected = StrictJson.mapper().readTree(json);
        JsonNode actual = StrictJson.read(json);
        assertThat(actual).isEqualTo(expected); // JsonNode equality compares node types: 1 != 1.0, int != long
        assertThat(actual.toString()).isEqualTo(expected.toString());
    }

    @ParameterizedTest
    @MethodSource("refused")
    void refusesWhatTheMapperRefuses(String json) {
        assertThatThrownBy(() -> StrictJson.mapper().readTree(json)).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> StrictJson.read(json)).isInstanceOf(JacksonException.class);
    }

    static Stream<String> refused() {
        return Stream.of("{\"a\": 1, \"a\": 2}", "{} {}", "[1] 2", "{\"a\": NaN}", "{\"a\": 0x10}", "{\"a\": +1}",
                "{\"a\": 07}", "{\"a\": 1 // c\n}", "{\"a\": [1, 2}", "{\"a\": ", "[", "{\"a\"}", "[1,]",
                "[".repeat(40) + "]".repeat(40), "{\"n\": " + "1".repeat(100) + "}");
    }

    @org.junit.jupiter.api.Test
    void anEmptyDocumentIsNoTree() {
        assertThat(StrictJson.read("")).isNull();
        assertThat(StrictJson.read(" \n")).isNull();
    }
}

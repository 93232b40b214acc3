package dev.nnkit.io.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.io.InvalidFileException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The safetensors header rules side by side with the reference implementation
 * (huggingface/safetensors, {@code safetensors/src/tensor.rs}: {@code SafeTensors::read_metadata}
 * and {@code Metadata::validate}). The reference's verdicts below are read from that code: the
 * header must be UTF-8 ({@code str::from_utf8}); it is parsed by serde_json, which skips leading
 * whitespace (the {@code starts_with('{')} check is commented out, "Add when we move to 0.4.0");
 * {@code __metadata__} is an {@code Option<HashMap<String, String>>}, so null means none; tensors
 * are sorted by offsets, which must then be contiguous from 0 and end exactly at the file's end;
 * dtypes are the exact upper-case enum names. Python's {@code safetensors} is not packaged for
 * Debian here ({@code apt-cache policy python3-safetensors}: no candidate), so the table was not
 * run against it.
 *
 * <p>Where nnkit is deliberately stricter (duplicate keys, keys beside dtype/shape/data_offsets,
 * dtypes it does not compute in), the row says so; nnkit never accepts what the reference refuses.
 */
@DisplayName("Safetensors parity with the reference implementation")
class SafetensorsParityTest {
    @TempDir
    Path dir;

    enum Verdict { ACCEPT, REFUSE }

    private static final String T = "\"t\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
    private static final String A = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
    private static final String B = "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}";

    static Stream<Arguments> cases() {
        return Stream.of(
            row("a plain header", "{" + T + "}", StandardCharsets.UTF_8, 8, Verdict.ACCEPT, Verdict.ACCEPT, "", "t"),
            row("spaces before '{'", "   {" + T + "}", StandardCharsets.UTF_8, 8, Verdict.ACCEPT, Verdict.ACCEPT, "", "t"),
            row("newline and tab before '{'", "\n\t{" + T + "}", StandardCharsets.UTF_8, 8, Verdict.ACCEPT, Verdict.ACCEPT,
                    "", "t"),
            row("spaces after '}' (the writer's padding)", "{" + T + "}     ", StandardCharsets.UTF_8, 8, Verdict.ACCEPT,
                    Verdict.ACCEPT, "", "t"),
            row("UTF-16LE with a byte-order mark", "\uFEFF{" + T + "}", StandardCharsets.UTF_16LE, 8, Verdict.REFUSE,
                    Verdict.REFUSE, "not valid UTF-8", "t"),
            row("UTF-16LE without a byte-order mark ('{' then NUL)", "{" + T + "}", StandardCharsets.UTF_16LE, 8,
                    Verdict.REFUSE, Verdict.REFUSE, "not valid JSON", "t"),
            row("UTF-16BE without a byte-order mark", "{" + T + "}", StandardCharsets.UTF_16BE, 8, Verdict.REFUSE,
                    Verdict.REFUSE, "must be a JSON object starting with '{'", "t"),
            row("a UTF-8 byte-order mark", "\uFEFF{" + T + "}", StandardCharsets.UTF_8, 8, Verdict.REFUSE, Verdict.REFUSE,
                    "starting with '{'", "t"),
            row("an array, not an object", "[" + "{" + T + "}]", StandardCharsets.UTF_8, 8, Verdict.REFUSE, Verdict.REFUSE,
                    "starting with '{'", "t"),
            row("\"__metadata__\": null", "{\"__metadata__\":null," + T + "}", StandardCharsets.UTF_8, 8, Verdict.ACCEPT,
                    Verdict.ACCEPT, "", "t"),
            row("a number in __metadata__", "{\"__metadata__\":{\"x\":1}," + T + "}", StandardCharsets.UTF_8, 8,
                    Verdict.REFUSE, Verdict.REFUSE, "must be a string", "t"),
            row("tensors listed out of offset order", "{" + B + "," + A + "}", StandardCharsets.UTF_8, 12, Verdict.ACCEPT,
                    Verdict.ACCEPT, "", "a", "b"),
            row("a gap between tensors", "{" + A + "," + B.replace("[8,12]", "[12,16]") + "}", StandardCharsets.UTF_8, 16,
                    Verdict.REFUSE, Verdict.REFUSE, "no gaps", "a", "b"),
            row("overlapping tensors", "{" + A + "," + B.replace("[8,12]", "[4,8]") + "}", StandardCharsets.UTF_8, 8,
                    Verdict.REFUSE, Verdict.REFUSE, "overlap", "a", "b"),
            row("offsets not starting at 0", "{" + T.replace("[0,8]", "[4,12]") + "}", StandardCharsets.UTF_8, 12,
                    Verdict.REFUSE, Verdict.REFUSE, "contiguous", "t"),
            row("end before begin", "{" + T.replace("[0,8]", "[8,0]") + "}", StandardCharsets.UTF_8, 8, Verdict.REFUSE,
                    Verdict.REFUSE, "data_offsets [8, 0]", "t"),
            row("trailing bytes after the last tensor", "{" + T + "}", StandardCharsets.UTF_8, 12, Verdict.REFUSE,
                    Verdict.REFUSE, "trailing bytes", "t"),
            row("the data cut short", "{" + T + "}", StandardCharsets.UTF_8, 4, Verdict.REFUSE, Verdict.REFUSE,
                    "truncated", "t"),
            row("a lower-case dtype", "{" + T.replace("F32", "f32") + "}", StandardCharsets.UTF_8, 8, Verdict.REFUSE,
                    Verdict.REFUSE, "unknown dtype f32", "t"),
            row("an unknown dtype", "{" + T.replace("F32", "F31") + "}", StandardCharsets.UTF_8, 8, Verdict.REFUSE,
                    Verdict.REFUSE, "unknown dtype F31", "t"),
            // Deliberately stricter than the reference:
            row("F16 (valid, but nnkit computes in F32/F64)", "{" + T.replace("F32", "F16").replace("[0,8]", "[0,4]")
                    + "}", StandardCharsets.UTF_8, 4, Verdict.ACCEPT, Verdict.REFUSE, "not supported", "t"),
            row("a key twice (the reference's map keeps one)", "{" + T + "," + T + "}", StandardCharsets.UTF_8, 8,
                    Verdict.ACCEPT, Verdict.REFUSE, "Duplicate", "t"),
            row("a key beside dtype, shape and data_offsets (serde ignores it)",
                    "{" + T.replace("\"dtype\"", "\"extra\":1,\"dtype\"") + "}", StandardCharsets.UTF_8, 8, Verdict.ACCEPT,
                    Verdict.REFUSE, "expected exactly", "t"));
    }

    private static Arguments row(String name, String header, Charset charset, int dataBytes, Verdict reference,
                                 Verdict nnkit, String message, String... tensors) {
        return Arguments.of(name, header, charset, dataBytes, reference, nnkit, message, tensors);
    }

    @ParameterizedTest(name = "{0}: reference {4}, nnkit {5}")
    @MethodSource("cases")
    void sameVerdictAsTheReference(String name, String header, Charset charset, int dataBytes, Verdict reference,
                                   Verdict nnkit, String message, String[] tensors) throws IOException {
        assertThat(reference == Verdict.REFUSE && nnkit == Verdict.ACCEPT).as("never laxer than the reference").isFalse();
        byte[] h = header.getBytes(charset);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path file = Files.write(dir.resolve("t.safetensors"), b.array());
        Map<String, TensorSpec> expected = new LinkedHashMap<>();
        for (String t : tensors) {
            expected.put(t, new TensorSpec(DType.FLOAT32, Shape.of(t.equals("b") ? 1 : 2)));
        }
        Throwable thrown = catchThrowable(() -> Safetensors.read(file, expected, Safetensors.NonFinite.REJECT));
        if (nnkit == Verdict.ACCEPT) {
            assertThat(thrown).as(name).isNull();
        } else {
            assertThat(thrown).as(name).isInstanceOf(InvalidFileException.class).hasMessageContaining(message);
            assertThat(thrown.getMessage()).doesNotContain("tools.jackson").doesNotContain("java.");
        }
    }
}

package dev.nnkit.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.io.config.TrainingConfigReader;
import dev.nnkit.io.csv.CsvTableReader;
import dev.nnkit.io.idx.IdxReader;
import dev.nnkit.io.model.ModelFiles;
import dev.nnkit.io.safetensors.Safetensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A catalogue of hostile and malformed files. Each is rejected with an {@link InvalidFileException}
 * that names the file and carries its own specific message: never another exception, never an
 * out-of-memory.
 */
@DisplayName("Hostile files")
class HostileFilesTest {
    @TempDir
    static Path dir;
    static Path model;
    static String modelJson;

    /** Weights of the test classifier: 0.weight [5,3], 0.bias [5], 2.weight [3,5], 2.bias [3], F32. */
    static final String VALID = "\"0.weight\":{\"dtype\":\"F32\",\"shape\":[5,3],\"data_offsets\":[0,60]},"
            + "\"0.bias\":{\"dtype\":\"F32\",\"shape\":[5],\"data_offsets\":[60,80]},"
            + "\"2.weight\":{\"dtype\":\"F32\",\"shape\":[3,5],\"data_offsets\":[80,140]},"
            + "\"2.bias\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[140,152]}";

    @BeforeAll
    static void validModel() throws IOException {
        model = dir.resolve("valid");
        ModelFiles.save(dev.nnkit.io.model.TestModelsAccess.classifier(), model, dev.nnkit.io.model.TestModelsAccess.registry());
        modelJson = Files.readString(model.resolve(ModelFiles.DESCRIPTION));
    }

    /** A safetensors file with this header text and {@code data} bytes of zeros. */
    static byte[] st(String header, int data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).array();
    }

    static byte[] withLength(long length, String rest) {
        byte[] r = rest.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + r.length).order(ByteOrder.LITTLE_ENDIAN).putLong(length).put(r).array();
    }

    static byte[] nanAt(int index, float value) {
        byte[] b = st("{" + VALID + "}", 152);
        int dataStart = b.length - 152;
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat(dataStart + 4 * index, value);
        return b;
    }

    static Stream<Arguments> weights() {
        return Stream.of(
                Arguments.of("empty file", new byte[0], "the file has 0 bytes"),
                Arguments.of("truncated length field", new byte[] {1, 2, 3, 4, 5}, "the file has 5 bytes"),
                Arguments.of("header length 2^60", withLength(1L << 60, "{}"), "the header length is 1152921504606846976 bytes"),
                Arguments.of("header length zero", withLength(0, "{}"), "must be between 2 and"),
                Arguments.of("header longer than the file", withLength(4096, "{}"), "exceeds the 2 bytes after it"),
                Arguments.of("header not an object", st("[" + VALID + "]", 152), "the header must be a JSON object starting with '{'"),
                Arguments.of("header not JSON", st("{\"0.weight\": {", 152), "not valid JSON"),
                Arguments.of("duplicate tensor name", st("{" + VALID + "," + VALID.substring(0, VALID.indexOf("},") + 1) + "}", 152),
                        "Duplicate Object property \"0.weight\""),
                Arguments.of("tensor entry not an object", st("{\"0.weight\":5}", 0), "expected an object with dtype"),
                Arguments.of("extra key in an entry", st("{" + VALID.replace("\"shape\":[5],", "\"shape\":[5],\"x\":1,") + "}", 152),
                        "expected exactly [data_offsets, dtype, shape]"),
                Arguments.of("unknown dtype", st("{" + VALID.replaceFirst("F32", "F99") + "}", 152), "unknown dtype F99"),
                Arguments.of("unsupported dtype", st("{" + VALID.replaceFirst("F32", "F16") + "}", 152), "dtype F16 is not supported"),
                Arguments.of("dtype not what the model says", st("{" + VALID.replaceFirst("F32", "F64")
                        .replace("[0,60]", "[0,120]").replace("[60,80]", "[120,140]").replace("[80,140]", "[140,200]")
                        .replace("[140,152]", "[200,212]") + "}", 212), "dtype is F64 but the model is float32"),
                Arguments.of("shape not what the model says", st("{" + VALID.replace("[5,3]", "[3,5]") + "}", 152),
                        "shape is [3, 5] (60 bytes) but the model needs [5, 3] (60 bytes)"),
                Arguments.of("negative dimension", st("{" + VALID.replace("[5,3]", "[-5,3]") + "}", 152), "dimension 0 is -5"),
                Arguments.of("element count overflows", st("{" + VALID.replace("[5,3]", "[2147483647,2147483647,2147483647]") + "}", 152),
                        "overflows a 64-bit element count"),
                Arguments.of("offsets disagree with shape", st("{" + VALID.replace("[0,60]", "[0,56]") + "}", 152),
                        "data_offsets [0, 56] span 56 bytes but shape [5,3] of F32 needs 60"),
                Arguments.of("overlapping tensors", st("{" + VALID.replace("[60,80]", "[40,60]") + "}", 152),
                        "overlap the tensor before it"),
                Arguments.of("gap between tensors", st("{" + VALID.replace("[80,140]", "[84,144]").replace("[140,152]", "[144,156]") + "}", 156),
                        "tensors must be contiguous"),
                Arguments.of("trailing bytes", st("{" + VALID + "}", 160), "8 trailing bytes follow the last tensor"),
                Arguments.of("data truncated", st("{" + VALID + "}", 100), "the tensors need 152 data bytes after the "),
                Arguments.of("offsets not numbers", st("{" + VALID.replace("[0,60]", "[\"0\",60]") + "}", 152),
                        "data_offsets must be two whole numbers"),
                Arguments.of("missing tensor", st("{" + VALID.substring(0, VALID.lastIndexOf(",\"2.bias\"")) + "}", 140),
                        "tensor '2.bias' is missing"),
                Arguments.of("extra tensor", st("{" + VALID + ",\"3.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[152,156]}}", 156),
                        "'3.weight': the model has no such parameter"),
                Arguments.of("NaN weight", nanAt(0, Float.NaN), "tensor '0.weight', element 0: the value is NaN"),
                Arguments.of("infinite weight", nanAt(21, Float.POSITIVE_INFINITY), "tensor '2.weight', element 1: the value is Infinity"),
                Arguments.of("metadata not strings", st("{\"__metadata__\":{\"format\":7}," + VALID + "}", 152),
                        "__metadata__.format: must be a string"));
    }

    @ParameterizedTest(name = "model.safetensors: {0}")
    @MethodSource("weights")
    void rejectsWeights(String name, byte[] content, String message) throws IOException {
        Path m = copyModel(name);
        Files.write(m.resolve(ModelFiles.WEIGHTS), content);
        expect(() -> ModelFiles.load(m, dev.nnkit.io.model.TestModelsAccess.registry(), Safetensors.NonFinite.REJECT),
                m.resolve(ModelFiles.WEIGHTS), message);
    }

    static Stream<Arguments> descriptions() {
        return Stream.of(
                Arguments.of("not JSON", "{\"format\": ", "not valid JSON"),
                Arguments.of("duplicate key", "{\"format\": \"nnkit-model\", \"format\": \"x\"}", "Duplicate Object property \"format\""),
                Arguments.of("unknown plugin id", (Object) null, "/network/stages/0/type: Unknown layer or activation 'dnse'. Did you mean 'dense'? Layers: "),
                Arguments.of("newer format version", (Object) null, "/formatVersion: this nnkit reads format versions 1 to 3; the file says 4. Upgrade nnkit"),
                Arguments.of("format version beyond a long", (Object) null, "/formatVersion: this nnkit reads format versions 1 to 3; the file says 100000000000000000000000. Upgrade nnkit"),
                Arguments.of("input dimension beyond a long", (Object) null, "/network/inputShape/0: expected a whole number from 1 to 16777216; got 100000000000000000000000."),
                Arguments.of("input shape with a zero", (Object) null, "/network/inputShape/0: expected a whole number from 1 to 16777216; got 0."),
                Arguments.of("input shape of 2^40 values", (Object) null, "/network/inputShape: a sample of more than 16777216 values ([1024,1024,1024,1024]) is more than nnkit takes"),
                Arguments.of("input shape whose size overflows a long", (Object) null, "/network/inputShape: a sample of more than 16777216 values ([16777216,16777216,16777216,16777216]) is more than nnkit takes"),
                Arguments.of("version 1 with an input shape", (Object) null, "/network/inputShape: unknown key 'inputShape'"),
                Arguments.of("unknown top-level key", (Object) null, "/weights: unknown key 'weights'"),
                Arguments.of("bad layer setting", (Object) null, "units must be at least 1; got -3"),
                Arguments.of("zero normalizer scale", (Object) null, "/normalizer: every scale must be finite and non-zero"),
                Arguments.of("deeply nested JSON", "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}", "nesting depth"));
    }

    @ParameterizedTest(name = "model.json: {0}")
    @MethodSource("descriptions")
    void rejectsDescriptions(String name, String content, String message) throws IOException {
        Path m = copyModel(name);
        String json = content != null ? content : switch (name) {
            case "unknown plugin id" -> modelJson.replaceFirst("\"dense\"", "\"dnse\"");
            case "newer format version" -> modelJson.replace("\"formatVersion\" : 2", "\"formatVersion\" : 4");
            case "format version beyond a long" -> modelJson.replace("\"formatVersion\" : 2",
                    "\"formatVersion\" : 100000000000000000000000");
            case "input dimension beyond a long" -> modelJson.replaceFirst("\"inputShape\" : \\[ 3 \\]",
                    "\"inputShape\" : [ 100000000000000000000000 ]");
            case "input shape with a zero" -> modelJson.replaceFirst("\"inputShape\" : \\[ 3 \\]", "\"inputShape\" : [ 0 ]");
            case "input shape of 2^40 values" -> modelJson.replaceFirst("\"inputShape\" : \\[ 3 \\]",
                    "\"inputShape\" : [ 1024, 1024, 1024, 1024 ]");
            case "input shape whose size overflows a long" -> modelJson.replaceFirst("\"inputShape\" : \\[ 3 \\]",
                    "\"inputShape\" : [ 16777216, 16777216, 16777216, 16777216 ]");
            case "version 1 with an input shape" -> modelJson.replace("\"formatVersion\" : 2", "\"formatVersion\" : 1");
            case "unknown top-level key" -> modelJson.replaceFirst("\\{", "{ \"weights\": [1],");
            case "bad layer setting" -> modelJson.replaceFirst("\"units\" : 5", "\"units\" : -3");
            case "zero normalizer scale" -> modelJson.replaceFirst("\"scale\" : \\[ [^,\\]]+", "\"scale\" : [ 0.0");
            default -> throw new IllegalStateException(name);
        };
        Files.writeString(m.resolve(ModelFiles.DESCRIPTION), json);
        expect(() -> ModelFiles.load(m, dev.nnkit.io.model.TestModelsAccess.registry(), Safetensors.NonFinite.REJECT),
                m.resolve(ModelFiles.DESCRIPTION), message);
    }

    static Stream<Arguments> dataFiles() {
        return Stream.of(
                Arguments.of("IDX with a wrong magic number", "bad.idx", new byte[] {1, 0, 8, 1, 0, 0, 0, 1, 5},
                        "not an IDX file: the file starts with bytes 01 00 08 01"),
                Arguments.of("IDX claiming 16 GiB", "huge.idx", ByteBuffer.allocate(12).putShort((short) 0).put((byte) 8)
                        .put((byte) 2).putInt(65536).putInt(65536).array(), "refusing to allocate"),
                Arguments.of("ragged CSV", "ragged.csv", "a,b,y\n1,2,3\n4,5\n".getBytes(StandardCharsets.UTF_8),
                        "line 3: the row has 2 fields but the header has 3"),
                Arguments.of("CSV with a non-number", "text.csv", "a,b,y\n1,zwei,3\n".getBytes(StandardCharsets.UTF_8),
                        "line 2, column 2 ('b'): 'zwei' is not a number"),
                Arguments.of("config with an unknown loss", "run.json", ("{\"data\": {\"train\": \"x.csv\"}, \"layers\": "
                        + "[{\"type\": \"dense\", \"units\": 1}], \"loss\": \"mse2\", \"optimizer\": \"sgd\"}")
                        .getBytes(StandardCharsets.UTF_8), "/loss: Unknown loss 'mse2'. Did you mean 'mse'?"),
                // Keras's and PyTorch's names for nnkit's settings.
                Arguments.of("config with Keras's epochs", "epochs.json", ("{\"data\": {\"train\": \"x.csv\"}, \"layers\": "
                        + "[{\"type\": \"dense\", \"units\": 1}], \"loss\": \"mse\", \"optimizer\": \"sgd\", "
                        + "\"training\": {\"epochs\": 5}}").getBytes(StandardCharsets.UTF_8),
                        "/training/epochs: Unknown setting 'epochs' for 'training'. Did you mean 'maxEpochs'?"),
                Arguments.of("config with PyTorch's lr", "lr.json", ("{\"data\": {\"train\": \"x.csv\"}, \"layers\": "
                        + "[{\"type\": \"dense\", \"units\": 1}], \"loss\": \"mse\", \"optimizer\": {\"type\": \"adam\", "
                        + "\"lr\": 0.01}}").getBytes(StandardCharsets.UTF_8), "Did you mean 'learningRate'?"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dataFiles")
    void rejectsData(String name, String fileName, byte[] content, String message) throws IOException {
        Path f = Files.createDirectories(dir.resolve(name.replace(' ', '-'))).resolve(fileName);
        Files.write(f, content);
        expect(() -> {
            if (fileName.endsWith(".idx")) {
                IdxReader.read(f);
            } else if (fileName.endsWith(".csv")) {
                CsvTableReader.read(f, Optional.empty(), CsvTableReader.TargetKind.AUTO, List.of(), DType.FLOAT32);
            } else {
                new TrainingConfigReader(dev.nnkit.io.model.TestModelsAccess.registry()).read(f);
            }
            return null;
        }, f, message);
    }

    interface Action {
        Object run() throws Exception;
    }

    static void expect(Action action, Path file, String message) {
        Throwable t = catchThrowable(action::run);
        assertThat(t).as("expected a rejection mentioning: " + message).isInstanceOf(InvalidFileException.class);
        assertThat(t.getMessage()).startsWith(file.toString()).contains(message);
    }

    static Path copyModel(String name) throws IOException {
        Path m = Files.createDirectories(dir.resolve("case-" + name.replaceAll("[^a-z0-9]+", "-")));
        Files.copy(model.resolve(ModelFiles.DESCRIPTION), m.resolve(ModelFiles.DESCRIPTION));
        Files.copy(model.resolve(ModelFiles.WEIGHTS), m.resolve(ModelFiles.WEIGHTS));
        return m;
    }
}

package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.cli.NnCommand;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code nn} command driven end to end with mutated inputs: training configs, CSV data, IDX
 * images and labels, and model directories (model.json and model.safetensors). Every run must end
 * as the CLI promises: exit 0, or exit 2, 3 or 4 with a one-line reason, never exit 1, a Java
 * exception's name, a stack frame or an escape character on the terminal. The mutations are
 * seeded, so a finding replays.
 */
@Tag("slow")
@DisplayName("nn end to end on mutated files")
class CliFuzzTest {
    static final int TRIES = 80;
    static final Path EXAMPLES = RunDirectoryTest.EXAMPLES;
    /** Exit codes a hostile input may end with: done, a usage error, divergence, an input refused. */
    static final Set<Integer> CLEAN_EXITS = Set.of(NnCommand.OK, NnCommand.USAGE, NnCommand.DIVERGED,
            NnCommand.INVALID_INPUT);

    @TempDir
    static Path dir;
    static Path model;
    static byte[] irisTrain;
    static byte[] irisConfig;

    @BeforeAll
    static void trainOnce() throws IOException {
        model = dir.resolve("model-run");
        CliTest.Run r = CliTest.nn("train", "--quiet", "--config", EXAMPLES.resolve("iris.json").toString(), "--epochs", "2",
                "--out", model.toString());
        assertThat(r.code()).as(r.err()).isZero();
        irisTrain = Files.readAllBytes(EXAMPLES.resolve("iris/train.csv"));
        irisConfig = Files.readString(EXAMPLES.resolve("iris.json")).replace("\"iris/", "\"" + EXAMPLES.resolve("iris")
                + "/").replace("\"maxEpochs\": 150", "\"maxEpochs\": 2").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("mutated training configs")
    void configs() throws IOException {
        fuzz("config", irisConfig, 1, (file, i) -> CliTest.nn("train", "--quiet", "--config", file.toString()));
    }

    @Test
    @DisplayName("mutated CSV data for train, evaluate and predict")
    void csv() throws IOException {
        String config = EXAMPLES.resolve("iris.json").toString();
        fuzz("csv", irisTrain, 2, (file, i) -> switch (i % 3) {
            case 0 -> CliTest.nn("train", "--quiet", "--config", config, "--epochs", "1", "--data", file.toString());
            case 1 -> CliTest.nn("evaluate", "--model", model.toString(), "--data", file.toString());
            default -> CliTest.nn("predict", "--model", model.toString(), "--data", file.toString(), "--output",
                    dir.resolve("pred-" + i + ".csv").toString());
        });
    }

    @Test
    @DisplayName("mutated IDX images and labels")
    void idx() throws IOException {
        byte[] images = idxImages(30, 4, 4);
        byte[] labels = idxLabels(30, 3);
        Path cleanImages = Files.write(dir.resolve("images.idx"), images);
        Path cleanLabels = Files.write(dir.resolve("labels.idx"), labels);
        String layers = "\"layers\": [{\"type\": \"dense\", \"units\": 3}], \"loss\": "
                + "\"sparse-categorical-cross-entropy-logits\", \"optimizer\": \"sgd\", \"training\": {\"maxEpochs\": 1}}";
        fuzz("idx", images, 3, (file, i) -> trainIdx(file, cleanLabels, layers, i));
        fuzz("idx-labels", labels, 4, (file, i) -> trainIdx(cleanImages, file, layers, i));
    }

    private static CliTest.Run trainIdx(Path images, Path labels, String layers, int i) throws IOException {
        Path cfg = Files.writeString(dir.resolve("idx-" + i + ".json"), "{\"data\": {\"format\": \"idx\", \"train\": \""
                + images + "\", \"trainLabels\": \"" + labels + "\"}, " + layers);
        return CliTest.nn("train", "--quiet", "--config", cfg.toString());
    }

    @Test
    @DisplayName("mutated model directories for predict")
    void modelDirectories() throws IOException {
        String data = EXAMPLES.resolve("iris/validation.csv").toString();
        for (String file : List.of("model.json", "model.safetensors")) {
            byte[] clean = Files.readAllBytes(model.resolve("model").resolve(file));
            fuzz("model-" + file, clean, 5 + file.length(), (mutated, i) -> {
                Path copy = dir.resolve("model-" + file + "-" + i);
                Files.createDirectories(copy);
                try (Stream<Path> s = Files.list(model.resolve("model"))) {
                    for (Path p : (Iterable<Path>) s::iterator) {
                        Files.copy(p, copy.resolve(p.getFileName()));
                    }
                }
                Files.copy(mutated, copy.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return CliTest.nn("predict", "--model", copy.toString(), "--data", data, "--output",
                        dir.resolve("model-pred-" + i + ".csv").toString());
            });
        }
    }

    interface Target {
        CliTest.Run run(Path file, int i) throws IOException;
    }

    /** Runs {@code target} on TRIES mutants of {@code seed} and fails listing every run that ended badly. */
    static void fuzz(String name, byte[] seed, long randomSeed, Target target) throws IOException {
        Random random = new Random(randomSeed);
        List<String> findings = new ArrayList<>();
        for (int i = 0; i < TRIES; i++) {
            byte[] mutant = Mutations.mutate(seed, random);
            Path file = Files.write(dir.resolve(name + "-" + i + suffix(name)), mutant);
            CliTest.Run r;
            try {
                r = target.run(file, i);
            } catch (RuntimeException | Error e) {
                findings.add(name + " #" + i + ": escaped the CLI: " + e);
                continue;
            }
            String problem = problem(r);
            if (problem != null) {
                findings.add(name + " #" + i + " (" + file + "): " + problem + "\n    " + r.err().strip().replace("\n", "\n    "));
            }
        }
        assertThat(findings).as("runs that ended badly").isEmpty();
    }

    private static String suffix(String name) {
        return name.startsWith("model-") ? ".bin" : name.equals("csv") ? ".csv" : name.equals("config") ? ".json" : ".idx";
    }

    /** What is wrong with how a run ended, or null. */
    static String problem(CliTest.Run r) {
        if (!CLEAN_EXITS.contains(r.code())) {
            return "exit " + r.code();
        }
        String err = r.err();
        for (String leak : List.of("Exception", "\tat ", "java.", "tools.jackson", "dev.nnkit.", "\u001B")) {
            if (err.contains(leak)) {
                return "the message shows '" + leak.replace("\u001B", "ESC").replace("\t", "\\t") + "'";
            }
        }
        if (r.code() != NnCommand.OK && !err.startsWith("nn: ") && r.code() != NnCommand.USAGE) {
            return "no 'nn: ' reason on stderr";
        }
        return null;
    }

    static byte[] idxImages(int n, int h, int w) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000803);
        out.writeInt(n);
        out.writeInt(h);
        out.writeInt(w);
        for (int i = 0; i < n * h * w; i++) {
            out.writeByte((i * 37) & 0xFF);
        }
        return bytes.toByteArray();
    }

    static byte[] idxLabels(int n, int classes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000801);
        out.writeInt(n);
        for (int i = 0; i < n; i++) {
            out.writeByte(i % classes);
        }
        return bytes.toByteArray();
    }

    /** Byte-level mutations as a fuzzer makes them, plus the values that broke parsers before. */
    static final class Mutations {
        private static final String[] TOKENS = {"1e309", "-1", "2147483648", "9223372036854775808", "NaN", "0x1p3", "null",
            "[]", "{}", "\"\"", "\u001B[2J", "\"a\"", "0", "-0", "1e-400", "true", ",,", "\n", "\"", "\u0000", "\uFEFF"};

        private Mutations() {
        }

        static byte[] mutate(byte[] seed, Random r) {
            byte[] b = seed.clone();
            int edits = 1 + r.nextInt(4);
            for (int e = 0; e < edits && b.length > 0; e++) {
                int at = r.nextInt(b.length);
                b = switch (r.nextInt(6)) {
                    case 0 -> flip(b, at, r);
                    case 1 -> java.util.Arrays.copyOf(b, at); // truncated
                    case 2 -> splice(b, at, at + Math.min(b.length - at, 1 + r.nextInt(8)), token(r));
                    case 3 -> splice(b, at, at, token(r));
                    case 4 -> splice(b, at, Math.min(b.length, at + 1 + r.nextInt(16)), new byte[0]); // a cut
                    default -> splice(b, at, at, java.util.Arrays.copyOfRange(b, at, Math.min(b.length, at + 1 + r.nextInt(64))));
                };
            }
            return b;
        }

        private static byte[] flip(byte[] b, int at, Random r) {
            b[at] ^= (byte) (1 << r.nextInt(8));
            return b;
        }

        private static byte[] token(Random r) {
            return TOKENS[r.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8);
        }

        private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
            byte[] out = new byte[b.length - (to - from) + insert.length];
            System.arraycopy(b, 0, out, 0, from);
            System.arraycopy(insert, 0, out, from, insert.length);
            System.arraycopy(b, to, out, from + insert.length, b.length - to);
            return out;
        }
    }
}

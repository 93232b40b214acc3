package dev.nnkit.verification;

import static dev.nnkit.verification.CliTest.nn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.cli.NnCommand;
import dev.nnkit.verification.CliTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzing the CLI's data path end to end: seeded mutations of nn-io's hostile catalogue (and of
 * valid files) given to {@code nn predict} and {@code nn evaluate}. The only acceptable outcomes
 * are predictions (exit 0) or a refusal of the file (exit 4) with a one-line message: never exit 1,
 * a stack trace, an exception's class name or a raw control character.
 */
@DisplayName("nn predict and evaluate on mutated data files")
class CliDataFuzzTest {
    private static final byte[] INTERESTING = {0, -1, 1, 127, -128, ',', '"', '\n', '\r', ' ', '-', '.', 'e', '0', '9',
        0x1b, 0x08, 0x0D};

    @TempDir
    Path dir;

    static List<byte[]> seeds(String kind) throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        try (Stream<Path> files = Files.list(CliDataTest.CATALOGUE.resolve(kind))) {
            for (Path f : files.sorted().toList()) {
                seeds.add(Files.readAllBytes(f));
            }
        }
        return seeds;
    }

    /** One to four edits: a bit flip, an interesting byte, a truncation, a duplicated or deleted slice. */
    static byte[] mutate(byte[] seed, Random r) {
        byte[] b = seed.clone();
        for (int e = 1 + r.nextInt(4); e > 0 && b.length > 0; e--) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(5)) {
                case 0 -> b[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> b[at] = INTERESTING[r.nextInt(INTERESTING.length)];
                case 2 -> b = java.util.Arrays.copyOf(b, at);
                case 3 -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(16));
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, at + len);
                    System.arraycopy(b, at, c, at + len, b.length - at);
                    b = c;
                }
                default -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(16));
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + len, c, at, b.length - at - len);
                    b = c;
                }
            }
        }
        return b;
    }

    void fuzz(String command, Path model, List<byte[]> seeds, String name, int tries, String... extra)
            throws IOException {
        Random r = new Random(20261206);
        for (int i = 0; i < tries; i++) {
            byte[] input = mutate(seeds.get(r.nextInt(seeds.size())), r);
            Path f = Files.write(dir.resolve(name), input);
            List<String> args = new ArrayList<>(List.of(command, "--model", model.toString(), "--data", f.toString()));
            args.addAll(List.of(extra));
            Run run = nn(args.toArray(String[]::new));
            String what = command + " on " + HexFormat.of().formatHex(input, 0, Math.min(input.length, 256)) + ": "
                    + run.err();
            assertThat(run.code()).as(what).isIn(NnCommand.OK, NnCommand.INVALID_INPUT);
            assertThat(run.err()).as(what).doesNotContain("\tat ", "Exception", "\u001b");
            if (run.code() == NnCommand.INVALID_INPUT) {
                assertThat(run.err()).as(what).startsWith("nn: " + f).hasLineCount(1);
            }
        }
    }

    @Test
    @DisplayName("CSV: 300 mutated files, each predicted on or refused with exit 4")
    void csv() throws IOException {
        Files.writeString(dir.resolve("xor.csv"), CliTest.XOR_CSV);
        Path cfg = Files.writeString(dir.resolve("run.json"), """
                {"data": {"train": "xor.csv", "labels": "classes", "normalize": "standardize"},
                 "layers": [{"type": "dense", "units": 2}, {"type": "softmax"}],
                 "loss": "categorical-cross-entropy", "optimizer": "adam",
                 "training": {"batchSize": 4, "maxEpochs": 1, "seed": 7}}
                """);
        Run t = nn("train", "--quiet", "--config", cfg.toString(), "--out", dir.resolve("m").toString());
        assertThat(t.code()).as(t.err()).isZero();
        List<byte[]> seeds = seeds("csv");
        seeds.add(CliTest.XOR_CSV.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        seeds.add("x1,x2\n0,1\n\"1\",2e-3\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        fuzz("predict", dir.resolve("m"), seeds, "data.csv", 150);
        fuzz("evaluate", dir.resolve("m"), seeds, "data.csv", 150);
    }

    @Test
    @DisplayName("IDX: 300 mutated images and labels files, each predicted on, evaluated or refused with exit 4")
    void idx() throws IOException {
        CliDataTest setup = new CliDataTest();
        setup.dir = dir;
        Path images = setup.images();
        Path labels = setup.labels(2);
        Path model = setup.trainedIdxModel();
        List<byte[]> imageSeeds = seeds("idx");
        imageSeeds.add(Files.readAllBytes(images));
        fuzz("predict", model, imageSeeds, "images.bin", 150);
        List<byte[]> labelSeeds = seeds("idx-labels");
        labelSeeds.add(Files.readAllBytes(labels));
        Path fixedImages = Files.copy(images, dir.resolve("fixed-images.idx"));
        Random r = new Random(20261207);
        for (int i = 0; i < 150; i++) {
            byte[] input = mutate(labelSeeds.get(r.nextInt(labelSeeds.size())), r);
            Path f = Files.write(dir.resolve("labels.bin"), input);
            Run run = nn("evaluate", "--model", model.toString(), "--data", fixedImages.toString(), "--labels", f.toString());
            String what = "evaluate with labels " + HexFormat.of().formatHex(input, 0, Math.min(input.length, 256)) + ": "
                    + run.err();
            assertThat(run.code()).as(what).isIn(NnCommand.OK, NnCommand.INVALID_INPUT);
            assertThat(run.err()).as(what).doesNotContain("\tat ", "Exception", "\u001b").doesNotContain("nn: null");
        }
    }
}

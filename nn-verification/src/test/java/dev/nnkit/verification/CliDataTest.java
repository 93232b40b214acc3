package dev.nnkit.verification;

import static dev.nnkit.verification.CliTest.nn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.cli.NnCommand;
import dev.nnkit.verification.CliTest.Run;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code nn} command on hostile and unusual data files (CSV and IDX): exit 4 for a bad
 * file with the file, place and value named, exit 2 for options that do not fit the data, and
 * nothing written when a run is refused.
 */
@DisplayName("nn on hostile data files")
class CliDataTest {
    @TempDir
    Path dir;

    Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    static byte[] idx(int type, int[] dims, byte[] payload) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeShort(0);
        d.writeByte(type);
        d.writeByte(dims.length);
        for (int x : dims) {
            d.writeInt(x);
        }
        d.write(payload);
        return b.toByteArray();
    }

    /** 12 images of 2×2 pixels and their labels 0..2 (or {@code last} for the last label). */
    Path images() throws IOException {
        byte[] px = new byte[12 * 4];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) ((i / 4 % 3) * 100 + i % 4);
        }
        return Files.write(dir.resolve("images.idx"), idx(0x08, new int[] {12, 2, 2}, px));
    }

    Path labels(int last) throws IOException {
        byte[] l = new byte[12];
        for (int i = 0; i < l.length; i++) {
            l[i] = (byte) (i % 3);
        }
        l[11] = (byte) last;
        return Files.write(dir.resolve("labels-" + last + ".idx"), idx(0x08, new int[] {12}, l));
    }

    Path idxConfig(String train, String labels) throws IOException {
        return write("idx.json", """
                {"data": {"format": "idx", "train": "%s", "trainLabels": "%s"},
                 "layers": [{"type": "dense", "units": 3}],
                 "loss": "sparse-categorical-cross-entropy-logits",
                 "optimizer": "adam",
                 "training": {"batchSize": 4, "maxEpochs": 2, "seed": 1}}
                """.formatted(train, labels));
    }

    Path csvConfig(String train, String extra) throws IOException {
        return write("csv.json", """
                {"data": {"train": "%s", "labels": "classes"%s},
                 "layers": [{"type": "dense", "units": 1}, {"type": "sigmoid"}],
                 "loss": "binary-cross-entropy", "optimizer": "adam",
                 "training": {"batchSize": 4, "maxEpochs": 2, "seed": 7}}
                """.formatted(train, extra));
    }

    Path trainedIdxModel() throws IOException {
        Run r = nn("train", "--quiet", "--config", idxConfig(images().toString(), labels(2).toString()).toString(),
                "--out", dir.resolve("idx-run").toString());
        assertThat(r.code()).as(r.err()).isZero();
        return dir.resolve("idx-run");
    }

    Path trainedCsvModel() throws IOException {
        write("xor.csv", CliTest.XOR_CSV);
        Run r = nn("train", "--quiet", "--config", csvConfig("xor.csv", "").toString(), "--out",
                dir.resolve("csv-run").toString());
        assertThat(r.code()).as(r.err()).isZero();
        return dir.resolve("csv-run");
    }

    static void refused(Run r, int code, String... fragments) {
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.err()).contains(fragments).doesNotContain("\tat ", "Exception").doesNotContain("\u001b");
        assertThat(r.out()).isEmpty();
    }

    @Test
    @DisplayName("predict reads unlabeled IDX images; evaluate without --labels is a usage error (exit 2)")
    void unlabeledIdx() throws IOException {
        Path model = trainedIdxModel();
        Run p = nn("predict", "--model", model.toString(), "--data", dir.resolve("images.idx").toString());
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(p.out().lines()).hasSize(13).first().isEqualTo("prediction");
        refused(nn("evaluate", "--model", model.toString(), "--data", dir.resolve("images.idx").toString()), 2,
                "--labels is needed");
        Run e = nn("evaluate", "--model", model.toString(), "--data", dir.resolve("images.idx").toString(),
                "--labels", dir.resolve("labels-2.idx").toString());
        assertThat(e.code()).as(e.err()).isZero();
    }

    @Test
    @DisplayName("an IDX-trained model predicts from a CSV of raw pixels as from the IDX file; divided pixels are refused")
    void idxModelPredictsFromCsv() throws IOException {
        Path model = trainedIdxModel();
        assertThat(Files.readString(model.resolve("model/model.json"))).contains("\"pixelScale\"");
        StringBuilder csv = new StringBuilder("p0,p1,p2,p3\n");
        for (int i = 0; i < 12; i++) { // the pixels of images(), raw, with no label column
            int base = (i % 3) * 100;
            csv.append(String.join(",", java.util.stream.IntStream.range(0, 4)
                    .mapToObj(j -> String.valueOf(base + j)).toList())).append('\n');
        }
        Run fromCsv = nn("predict", "--model", model.toString(), "--data", write("pixels.csv", csv.toString()).toString(),
                "--probabilities");
        Run fromIdx = nn("predict", "--model", model.toString(), "--data", dir.resolve("images.idx").toString(),
                "--probabilities");
        assertThat(fromCsv.code()).as(fromCsv.err()).isZero();
        assertThat(fromCsv.out().lines()).hasSize(13).first().asString().startsWith("prediction");
        assertThat(fromCsv.out()).isEqualTo(fromIdx.out());
        refused(nn("predict", "--model", model.toString(), "--data", write("divided.csv",
                        "p0,p1,p2,p3\n0,0.004,0.008,0.012\n").toString()), NnCommand.INVALID_INPUT, "divided.csv",
                "example 1, feature 2 ('p1')", "the value 0.004 is not a pixel", "whole numbers from 0 to 255",
                "give the raw 0-255 values");
        refused(nn("predict", "--model", model.toString(), "--data", write("big.csv", "p0,p1,p2,p3\n0,1,2,256\n")
                .toString()), NnCommand.INVALID_INPUT, "big.csv", "example 1, feature 4", "the value 256 is not a pixel");
        refused(nn("predict", "--model", model.toString(), "--data", write("three.csv", "a,b,c\n1,2,3\n").toString()),
                NnCommand.INVALID_INPUT, "three.csv", "has 3 features per example; the model takes 4 (samples of shape"
                        + " [1, 2, 2], one column per value). Give every example the 4 values the model was trained on.");
    }

    @Test
    @DisplayName("an IDX label beyond the network's outputs: exit 4 in train and evaluate, naming the classes")
    void labelBeyondOutputs() throws IOException {
        Path out = dir.resolve("run255");
        Run t = nn("train", "--quiet", "--config", idxConfig(images().toString(), labels(255).toString()).toString(),
                "--out", out.toString());
        refused(t, NnCommand.INVALID_INPUT, "idx.json at /layers: the data has 256 classes",
                "but the network ends with 3 outputs; give the last layer 256 units.");
        assertThat(out).doesNotExist();
        Path model = trainedIdxModel();
        refused(nn("evaluate", "--model", model.toString(), "--data", dir.resolve("images.idx").toString(),
                "--labels", labels(255).toString()), NnCommand.INVALID_INPUT, "labels-255.idx at item 11",
                "the label 255 is beyond the 3 known classes");
    }

    @Test
    @DisplayName("negative and fractional IDX labels: exit 4 naming the item")
    void badLabels() throws IOException {
        Path images = images();
        byte[] l = new byte[12];
        l[5] = -1;
        Path signed = Files.write(dir.resolve("signed.idx"), idx(0x09, new int[] {12}, l));
        refused(nn("train", "--config", idxConfig(images.toString(), signed.toString()).toString()),
                NnCommand.INVALID_INPUT, "signed.idx at item 5", "the label -1 is not a class index");
    }

    @Test
    @DisplayName("format idx with a CSV file: refused as not IDX, never read as CSV")
    void declaredIdx() throws IOException {
        write("xor.csv", CliTest.XOR_CSV);
        refused(nn("train", "--config", idxConfig("xor.csv", "xor.csv").toString()), NnCommand.INVALID_INPUT,
                "xor.csv at byte 0: not an IDX file: the file starts with bytes 78 31 2c 78 (\"x1,x\")");
    }

    @Test
    @DisplayName("NaN in IDX float images: exit 4 naming the item, not a divergence")
    void nanImages() throws IOException {
        ByteArrayOutputStream px = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(px);
        for (int i = 0; i < 48; i++) {
            d.writeFloat(i == 29 ? Float.NaN : i);
        }
        Path images = Files.write(dir.resolve("float.idx"), idx(0x0D, new int[] {12, 2, 2}, px.toByteArray()));
        refused(nn("train", "--config", idxConfig(images.toString(), labels(2).toString()).toString()),
                NnCommand.INVALID_INPUT, "float.idx at item 7, value 1: the value is NaN");
    }

    @Test
    @DisplayName("an IDX file claiming 2^28 values in 96 bytes is refused at once, with the header's figures")
    void hugeIdx() throws IOException {
        Path images = Files.write(dir.resolve("huge.idx"), idx(0x08, new int[] {1 << 20, 16, 16}, new byte[80]));
        long start = System.nanoTime();
        refused(nn("train", "--config", idxConfig(images.toString(), labels(2).toString()).toString()),
                NnCommand.INVALID_INPUT, "huge.idx: the header announces 1048576 × 16 × 16 = 268435456 values",
                "but the file has 96 bytes");
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }

    @Test
    @DisplayName("predict reads a CSV without the target column, or ignores the column (new or empty labels); "
            + "messages name the real file and line; no temporary file")
    void predictFeaturesOnly() throws IOException {
        Path model = trainedCsvModel();
        Path features = write("features.csv", "\uFEFFx1,\"x2\"\n0,1\n1,\"1\"\n");
        Run p = nn("predict", "--model", model.toString(), "--data", features.toString());
        assertThat(p.code()).as(p.err()).isZero();
        assertThat(p.out().lines()).hasSize(3);
        Path newLabels = write("new-labels.csv", "x1,label,x2\n0,,1\n1,never seen,1\n");
        Run q = nn("predict", "--model", model.toString(), "--data", newLabels.toString());
        assertThat(q.code()).as(q.err()).isZero();
        assertThat(q.out().lines()).hasSize(3);
        Path bad = write("bad.csv", "x1,x2\n0,1\n1,5.1d\n");
        String tmp = System.getProperty("java.io.tmpdir");
        long before = countTemp(tmp);
        refused(nn("predict", "--model", model.toString(), "--data", bad.toString()), NnCommand.INVALID_INPUT,
                bad + " at line 3, column 2 ('x2'): '5.1d' is not a number");
        assertThat(countTemp(tmp)).isEqualTo(before);
    }

    static long countTemp(String tmp) throws IOException {
        try (Stream<Path> s = Files.list(Path.of(tmp))) {
            return s.filter(f -> f.getFileName().toString().startsWith("nn-predict")).count();
        }
    }

    @Test
    @DisplayName("--labels with a CSV is a usage error (exit 2), not silently ignored")
    void labelsWithCsv() throws IOException {
        Path model = trainedCsvModel();
        refused(nn("predict", "--model", model.toString(), "--data", dir.resolve("xor.csv").toString(), "--labels",
                dir.resolve("xor.csv").toString()), 2, "--labels is only for IDX images");
    }

    @Test
    @DisplayName("binary, escape-laden and out-of-range CSV cells: exit 4 with the place, control characters escaped")
    void hostileCsv() throws IOException {
        Files.write(dir.resolve("bin.csv"), new byte[] {'a', ',', 'b', '\n', 0, 1, 2, (byte) 0xff});
        Path out = dir.resolve("never");
        refused(nn("train", "--config", csvConfig("bin.csv", "").toString(), "--out", out.toString()),
                NnCommand.INVALID_INPUT, "bin.csv at byte 4: a NUL byte; this is a binary file");
        write("esc.csv", "x1,x2,label\n0,\u001b]0;owned\u0007,0\n1,1,1\n");
        refused(nn("train", "--config", csvConfig("esc.csv", "").toString(), "--out", out.toString()),
                NnCommand.INVALID_INPUT, "esc.csv at line 2, column 2 ('x2'): '\\x1B]0;owned\\x07' is not a number");
        write("big.csv", "x1,x2,label\n0,1e300,0\n1,1,1\n");
        refused(nn("train", "--config", csvConfig("big.csv", "").toString(), "--out", out.toString()),
                NnCommand.INVALID_INPUT, "big.csv at line 2, column 2 ('x2'): '1e300' is beyond float32's range");
        write("dup.csv", "x1,x1,label\n0,1,0\n1,1,1\n");
        refused(nn("train", "--config", csvConfig("dup.csv", "").toString(), "--out", out.toString()),
                NnCommand.INVALID_INPUT, "dup.csv at line 1, column 2: the column name 'x1' is also the name of column 1");
        assertThat(out).doesNotExist();
    }

    @Test
    @DisplayName("three classes for one sigmoid output: exit 4 before training, suggesting the fix")
    void oneOutputManyClasses() throws IOException {
        write("three.csv", "x1,x2,label\n0,0,a\n0,1,b\n1,0,c\n1,1,a\n");
        refused(nn("train", "--config", csvConfig("three.csv", "").toString()), NnCommand.INVALID_INPUT,
                "csv.json at /layers: the data has 3 classes (a, b, c) but the network ends with 1 output; give the "
                        + "last layer 3 units.");
    }

    @Test
    @DisplayName("a value the model's standardizer would overflow: exit 4 naming the example and column, not NaN")
    void normalizerOverflow() throws IOException {
        write("tiny.csv", "x1,x2,label\n0,0,0\n1e-30,1,1\n0,1,0\n1e-30,0,1\n");
        Run t = nn("train", "--quiet", "--config", csvConfig("tiny.csv", ", \"normalize\": \"standardize\"").toString(),
                "--out", dir.resolve("tiny-run").toString());
        assertThat(t.code()).as(t.err()).isZero();
        Path far = write("far.csv", "x1,x2\n0,1\n1e10,0\n");
        refused(nn("predict", "--model", dir.resolve("tiny-run").toString(), "--data", far.toString()),
                NnCommand.INVALID_INPUT, "far.csv at example 2, feature 1 ('x1'): the value 1.0E10 becomes",
                "after standardize", "which overflows float32");
    }

    @Test
    @DisplayName("a file without the model's columns: the missing ones are named, the file's 1000 hostile names are not echoed")
    void otherColumns() throws IOException {
        Path model = trainedCsvModel();
        StringBuilder wide = new StringBuilder();
        for (int c = 0; c < 1000; c++) {
            wide.append(c == 0 ? "" : ",").append("\u001b[2Jc").append(c);
        }
        Path f = write("wide.csv", wide + "\n" + "1,".repeat(999) + "1\n");
        Run r = nn("predict", "--model", model.toString(), "--data", f.toString());
        refused(r, NnCommand.INVALID_INPUT, "wide.csv at line 1: no column 'x1', 'x2', which the model reads; it needs "
                + "'x1', 'x2' (in any order; other columns are ignored).");
        assertThat(r.err().length()).isLessThan(2000);
    }

    /** nn-io's catalogue of hostile data files, with the outcome and message fragments each gives. */
    static final Path CATALOGUE = Path.of("").toAbsolutePath().getParent().resolve("nn-io/src/test/resources/hostile");

    static Stream<org.junit.jupiter.params.provider.Arguments> refusedFiles() throws IOException {
        return Files.readAllLines(CATALOGUE.resolve("expected.tsv")).stream()
                .filter(l -> !l.startsWith("#") && l.split("\t")[1].equals("refused"))
                .map(l -> org.junit.jupiter.params.provider.Arguments.of(l.split("\t")[0],
                        java.util.List.of(l.split("\t")[2].split("\\|"))));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("refusedFiles")
    @DisplayName("nn train refuses every refused file of the catalogue: exit 4, the same message, no run written")
    void catalogue(String name, java.util.List<String> fragments) throws IOException {
        Path file = CATALOGUE.resolve(name);
        Path config = name.startsWith("csv/") // read as HostileDataFilesTest reads it: labels auto
                ? write("auto.json", Files.readString(csvConfig(file.toString(), "")).replace("\"classes\"", "\"auto\""))
                : name.startsWith("idx/") ? idxConfig(file.toString(), labels(2).toString())
                : idxConfig(images().toString(), file.toString());
        Path out = dir.resolve("run");
        refused(nn("train", "--config", config.toString(), "--out", out.toString()), NnCommand.INVALID_INPUT,
                fragments.toArray(String[]::new));
        assertThat(nn("train", "--config", config.toString(), "--out", out.toString()).err()).contains("nn: " + file);
        assertThat(out).doesNotExist();
    }

    @Test
    @DisplayName("min-max on a float64 column whose range overflows a double: exit 4 naming the file and feature")
    void minMaxOverflow() throws IOException {
        write("huge.csv", "x1,x2,label\n-1.7e308,0,0\n1.7e308,1,1\n0,1,0\n");
        Path cfg = write("huge.json", Files.readString(csvConfig("huge.csv", ", \"normalize\": \"min-max\"")).replaceFirst(
                "\\{", "{\"dtype\": \"float64\", "));
        refused(nn("train", "--config", cfg.toString()), NnCommand.INVALID_INPUT,
                "huge.csv: feature 1 ranges from -1.7E308 to 1.7E308; its range overflows a double");
    }

    @Test
    @DisplayName("validation data without a training column: exit 4 naming it, the file's hostile name escaped")
    void validationColumns() throws IOException {
        write("xor.csv", CliTest.XOR_CSV);
        write("val.csv", "x1,x\u001b[2J,label\n0,0,0\n");
        refused(nn("train", "--config", csvConfig("xor.csv", ", \"validation\": \"val.csv\"").toString()),
                NnCommand.INVALID_INPUT, "val.csv at line 1: no column 'x2'", "which the model reads; it needs 'x1', "
                        + "'x2' (in any order; other columns are ignored).");
    }

    @Test
    @DisplayName("IDX labels of a subset that miss the top classes: the model still names every output")
    void idxSubsetMissingTopClass() throws IOException {
        byte[] l = new byte[12];
        for (int i = 0; i < l.length; i++) {
            l[i] = (byte) (i % 2); // classes 0 and 1 only, for a network of 3 outputs
        }
        Path labels = Files.write(dir.resolve("two.idx"), idx(0x08, new int[] {12}, l));
        Path out = dir.resolve("sub-run");
        Run t = nn("train", "--quiet", "--config", idxConfig(images().toString(), labels.toString()).toString(),
                "--out", out.toString());
        assertThat(t.code()).as(t.err()).isZero();
        assertThat(Files.readString(out.resolve("model/model.json")).replaceAll("\\s", ""))
                .contains("\"classes\":[\"0\",\"1\",\"2\"]");
    }
}

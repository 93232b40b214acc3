package dev.nnkit.verification;

import static dev.nnkit.verification.CliTest.nn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.nnkit.cli.NnCommand;
import dev.nnkit.verification.CliTest.Run;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code nn export} as a user runs it: a model trained with {@code nn train} becomes an ONNX file
 * that ONNX Runtime runs on the CSV's raw feature columns, giving what {@code nn predict
 * --probabilities} prints (within 1e-5), and that ONNX's own checker accepts.
 */
@DisplayName("nn export (ONNX)")
class ExportTest {
    static final Path EXAMPLES = ExamplesTest.EXAMPLES;
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final OrtEnvironment ORT = OrtEnvironment.getEnvironment();

    @TempDir
    Path dir;

    /** What ONNX Runtime returned for a CSV's rows. */
    record Outputs(float[] values, long[] labels, Map<String, String> metadata) {
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "iris.json, iris/validation.csv",
        "breast-cancer.json, breast-cancer/validation.csv",
        "diabetes.json, diabetes/validation.csv",
        "xor.json, xor.csv"})
    @DisplayName("every shipped example: ONNX Runtime on the raw CSV gives nn predict --probabilities' numbers and classes")
    void examplesRunInOnnxRuntime(String config, String data) throws Exception {
        Path run = dir.resolve("run");
        Run train = nn("train", "--quiet", "--config", EXAMPLES.resolve(config).toString(), "--epochs", "5", "--out",
                run.toString());
        assertThat(train.code()).as(train.err()).isZero();
        assertExportAgrees(run, EXAMPLES.resolve(data), new long[0]);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"fashion-mnist.json", "fashion-mnist-cnn.json"})
    @DisplayName("the Fashion-MNIST examples (30 steps): ONNX Runtime on the raw 0-255 pixels gives nn predict's numbers")
    void fashionMnistExamplesRunInOnnxRuntime(String config) throws Exception {
        Path images = FashionMnistTest.DIR.resolve("t10k-images-idx3-ubyte.gz");
        Needs.installed(Files.isReadable(images), "Fashion-MNIST is not installed at " + FashionMnistTest.DIR
                + ": apt-get install dataset-fashion-mnist.");
        Path run = dir.resolve("run");
        Run train = nn("train", "--quiet", "--config", EXAMPLES.resolve(config).toString(), "--epochs", "1", "--set",
                "training.maxIterations=30", "--out", run.toString());
        assertThat(train.code()).as(train.err()).isZero();
        Path onnx = dir.resolve("fashion.onnx");
        Run export = nn("export", "--model", run.toString(), "--out", onnx.toString());
        assertThat(export.code()).as(export.err()).isZero();
        Run predict = nn("predict", "--model", run.toString(), "--data", images.toString(), "--probabilities");
        assertThat(predict.code()).as(predict.err()).isZero();
        List<String[]> printed = predict.out().lines().skip(1).map(l -> l.split(",", -1)).toList();

        byte[] idx;
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(images))) {
            idx = in.readAllBytes();
        }
        int count = java.nio.ByteBuffer.wrap(idx, 4, 4).getInt();
        float[] pixels = new float[count * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = idx[16 + i] & 0xff; // raw 0-255: the graph divides by 255 as nnkit's IDX reader does
        }
        Outputs out = ort(onnx, pixels, new long[] {count, 1, 28, 28}); // IDX images keep their [1, 28, 28] shape
        assertThat(printed).hasSize(count);
        List<String> classes = Arrays.asList(JSON.readValue(out.metadata().get("classes"), String[].class));
        double worst = 0;
        for (int r = 0; r < count; r++) {
            String[] row = printed.get(r);
            assertThat(classes.get((int) out.labels()[r])).as("image %d's class", r + 1).isEqualTo(row[0]);
            for (int c = 0; c < 10; c++) {
                worst = Math.max(worst, Math.abs(out.values()[r * 10 + c] - Double.parseDouble(row[c + 1])));
            }
        }
        assertThat(worst).as("largest difference from nn predict's probabilities").isLessThanOrEqualTo(1e-5);
    }

    @Test
    @DisplayName("a CNN (conv2d, batch norm, max pooling) trained on image rows takes the rows as [batch, 1, 8, 8]")
    void aCnnRunsInOnnxRuntime() throws Exception {
        CliImageCsvTest.images(dir, "train.csv", 90, 1);
        Path validation = CliImageCsvTest.images(dir, "validation.csv", 30, 2);
        Files.writeString(dir.resolve("cnn.json"), """
                {"data": {"train": "train.csv", "target": "shape", "inputShape": [1, 8, 8], "normalize": "min-max"},
                 "layers": [{"type": "conv2d", "filters": 4, "kernel": 3, "padding": "same"}, {"type": "batch-norm"},
                            {"type": "relu"}, {"type": "max-pool2d", "kernel": 2}, {"type": "dropout", "p": 0.3},
                            {"type": "flatten"}, {"type": "dense", "units": 3}],
                 "loss": "sparse-categorical-cross-entropy-logits",
                 "optimizer": {"type": "adam", "learningRate": 0.01},
                 "training": {"batchSize": 16, "maxEpochs": 3, "seed": 3}}
                """);
        Run train = nn("train", "--quiet", "--config", dir.resolve("cnn.json").toString(), "--out", dir.resolve("run").toString());
        assertThat(train.code()).as(train.err()).isZero();
        assertExportAgrees(dir.resolve("run"), validation, new long[] {1, 8, 8});
    }

    @Test
    @DisplayName("ONNX's checker and strict shape inference accept the export; the metadata names the classes")
    void onnxCheckerAcceptsTheExport() throws Exception {
        Needs.installed(onnxAvailable(), "ONNX's Python package is not installed (apt-get install python3-onnx).");
        Path model = trainIris();
        JsonNode found = check(model, dir.resolve("none.json"));
        assertThat(found.get("ir_version").asInt()).isEqualTo(8);
        assertThat(found.get("opsets").get("ai.onnx").asInt()).isEqualTo(17);
        assertThat(found.get("outputs").get("probabilities").toString())
                .isEqualTo("{\"elem_type\":\"FLOAT\",\"shape\":[\"batch\",3]}");
        assertThat(found.get("outputs").get("label").toString()).isEqualTo("{\"elem_type\":\"INT64\",\"shape\":[\"batch\"]}");
        assertThat(found.get("metadata").get("classes").asString()).isEqualTo("[\"setosa\",\"versicolor\",\"virginica\"]");

        // The checker can fail: a node that reads a value nothing defines is refused (the first
        // "stage0/weight" in the file is the Gemm node's input; nodes are written before initializers).
        byte[] bytes = Files.readAllBytes(model);
        byte[] broken = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replaceFirst("stage0/weight", "stage0/wrong!").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Path bad = Files.write(dir.resolve("broken.onnx"), broken);
        Process p = new ProcessBuilder("/usr/bin/python3", script().toString(), bad.toString(), "none", dir.resolve("x.json")
                .toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isNotZero();
        assertThat(log).contains("stage0/wrong!");
    }

    @Test
    @DisplayName("ONNX's reference evaluator agrees with ONNX Runtime (needs onnx ≥ 1.13)")
    void referenceEvaluatorAgrees() throws Exception {
        Needs.installed(onnxAvailable(), "ONNX's Python package is not installed (apt-get install python3-onnx).");
        Path model = trainIris();
        float[] rows = new float[] {5.1f, 3.5f, 1.4f, 0.2f, 6.7f, 3.0f, 5.2f, 2.3f, 5.9f, 2.8f, 4.3f, 1.3f};
        Path inputs = Files.writeString(dir.resolve("inputs.json"), JSON.writeValueAsString(Map.of("dtype", "float32",
                "shape", List.of(3, 4), "features", rows)));
        JsonNode found = check(model, inputs);
        // Debian 12's python3-onnx is 1.12, which predates onnx.reference: then this check is skipped, saying so.
        assumeTrue(!found.get("reference").isNull(), found.path("reference_missing").asString());
        Outputs ort = ort(model, rows, new long[] {3, 4});
        JsonNode reference = found.get("reference").get("probabilities");
        for (int i = 0; i < ort.values().length; i++) {
            assertThat(reference.get(i).asDouble()).isCloseTo(ort.values()[i], org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    @DisplayName("refusals: an unknown format or dtype, --out a folder or inside the model, a missing model")
    void refusals() throws Exception {
        Path model = trainIris().getParent().resolve("run");
        Run format = nn("export", "--model", model.toString(), "--format", "pmml", "--out", dir.resolve("m.pmml").toString());
        assertThat(format.code()).isEqualTo(NnCommand.USAGE);
        assertThat(format.err()).contains("--format").contains("pmml").contains("onnx");
        Run dtype = nn("export", "--model", model.toString(), "--dtype", "float16", "--out", dir.resolve("m.onnx").toString());
        assertThat(dtype.code()).isEqualTo(NnCommand.USAGE);
        assertThat(dtype.err()).contains("float16").contains("float32, float64");
        Run folder = nn("export", "--model", model.toString(), "--out", dir.toString());
        assertThat(folder.code()).isEqualTo(NnCommand.USAGE);
        assertThat(folder.err()).contains("--out " + dir + " is a directory");
        Path json = model.resolve("model/model.json");
        String before = Files.readString(json);
        Run inside = nn("export", "--model", model.toString(), "--out", json.toString());
        assertThat(inside.code()).isEqualTo(NnCommand.USAGE);
        assertThat(inside.err()).contains("is part of the model or run in " + model);
        assertThat(Files.readString(json)).isEqualTo(before);
        for (Path runFile : List.of(model.resolve("config.json"), model.resolve(".nn-train.lock"), model.resolve("metrics.jsonl"))) {
            Run refused = nn("export", "--model", model.resolve("model").toString(), "--out", runFile.toString());
            assertThat(refused.code()).as(runFile.toString()).isEqualTo(NnCommand.USAGE);
            assertThat(refused.err()).contains("is part of the model or run in " + model.resolve("model"));
        }
        Path link = Files.createSymbolicLink(dir.resolve("link"), model.resolve("model"));
        Run throughLink = nn("export", "--model", model.toString(), "--out", link.resolve("model.json").toString());
        assertThat(throughLink.code()).isEqualTo(NnCommand.USAGE);
        assertThat(Files.readString(json)).isEqualTo(before);
        Path pipe = dir.resolve("pipe");
        assertThat(new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor()).isZero();
        Run special = nn("export", "--model", model.toString(), "--out", pipe.toString());
        assertThat(special.code()).isEqualTo(NnCommand.USAGE);
        assertThat(special.err()).contains("--out " + pipe + " is not a plain file (a link, device or pipe)");
        assertThat(Files.isRegularFile(pipe, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        Run empty = nn("export", "--model", model.toString(), "--out", "");
        assertThat(empty.code()).isEqualTo(NnCommand.USAGE);
        assertThat(empty.err()).contains("--out '' names no file. Give another file name, such as model.onnx.");
        Run missing = nn("export", "--model", dir.resolve("nope").toString(), "--out", dir.resolve("m.onnx").toString());
        assertThat(missing.code()).isEqualTo(NnCommand.INVALID_INPUT);
        assertThat(missing.err()).contains(dir.resolve("nope").toString());
        Run noFolder = nn("export", "--model", model.toString(), "--out", dir.resolve("no/such/m.onnx").toString());
        assertThat(noFolder.code()).isEqualTo(NnCommand.FAILURE);
        assertThat(noFolder.err()).contains("could not write " + dir.resolve("no/such/m.onnx") + ": its folder does not exist");
        assertThat(dir.resolve("m.onnx")).doesNotExist();
    }

    /** Trains iris briefly into dir/run and exports it to dir/iris.onnx. */
    private Path trainIris() {
        Run train = nn("train", "--quiet", "--config", EXAMPLES.resolve("iris.json").toString(), "--epochs", "5", "--out",
                dir.resolve("run").toString());
        assertThat(train.code()).as(train.err()).isZero();
        Path out = dir.resolve("iris.onnx");
        Run export = nn("export", "--model", dir.resolve("run").toString(), "--out", out.toString());
        assertThat(export.code()).as(export.err()).isZero();
        return out;
    }

    /** Exports the run, runs the CSV's feature columns through ONNX Runtime and compares with nn predict. */
    private void assertExportAgrees(Path run, Path csv, long[] sampleShape) throws Exception {
        Path onnx = dir.resolve("model.onnx");
        Run export = nn("export", "--model", run.toString(), "--out", onnx.toString());
        assertThat(export.code()).as(export.err()).isZero();
        assertThat(export.out()).startsWith("wrote " + onnx + ": ONNX opset 17, float32, ");
        Run predict = nn("predict", "--model", run.toString(), "--data", csv.toString(), "--probabilities");
        assertThat(predict.code()).as(predict.err()).isZero();
        List<String[]> printed = predict.out().lines().map(l -> l.split(",", -1)).toList();

        List<String> header = Arrays.asList(Files.readAllLines(csv).get(0).split(","));
        Map<String, String> metadata = ort(onnx, new float[0], shape(0, sampleShape, 1)).metadata();
        List<String> features = Arrays.asList(JSON.readValue(metadata.get("features"), String[].class));
        List<String> lines = Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size());
        float[] x = new float[lines.size() * features.size()];
        for (int r = 0; r < lines.size(); r++) {
            String[] cells = lines.get(r).split(",", -1);
            for (int f = 0; f < features.size(); f++) {
                x[r * features.size() + f] = Float.parseFloat(cells[header.indexOf(features.get(f))]);
            }
        }
        Outputs out = ort(onnx, x, shape(lines.size(), sampleShape, features.size()));
        assertThat(printed).hasSize(lines.size() + 1);
        int k = out.values().length / lines.size();
        boolean classifier = metadata.containsKey("classes");
        List<String> classes = classifier ? Arrays.asList(JSON.readValue(metadata.get("classes"), String[].class)) : List.of();
        assertThat(printed.get(0)).hasSize(classifier ? k + 1 : k);
        double worst = 0;
        for (int r = 0; r < lines.size(); r++) {
            String[] row = printed.get(r + 1);
            for (int c = 0; c < k; c++) {
                double expected = Double.parseDouble(row[classifier ? c + 1 : c]);
                worst = Math.max(worst, Math.abs(out.values()[r * k + c] - expected) / Math.max(1, Math.abs(expected)));
            }
            if (classifier) {
                assertThat(classes.get((int) out.labels()[r])).as("row %d's class", r + 1).isEqualTo(row[0]);
            }
        }
        assertThat(worst).as("largest difference from nn predict's numbers").isLessThanOrEqualTo(1e-5);
    }

    private static long[] shape(int rows, long[] sample, int features) {
        long[] s = new long[1 + Math.max(1, sample.length)];
        s[0] = rows;
        if (sample.length == 0) {
            s[1] = features;
        } else {
            System.arraycopy(sample, 0, s, 1, sample.length);
        }
        return s;
    }

    /** ONNX Runtime's outputs for rows of features {@code x} in {@code shape}. */
    static Outputs ort(Path model, float[] x, long[] shape) throws Exception {
        try (OrtSession session = ORT.createSession(model.toString(), new OrtSession.SessionOptions())) {
            Map<String, String> metadata = session.getMetadata().getCustomMetadata();
            if (x.length == 0) {
                return new Outputs(new float[0], new long[0], metadata);
            }
            try (OnnxTensor input = OnnxTensor.createTensor(ORT, FloatBuffer.wrap(x), shape);
                 OrtSession.Result r = session.run(Map.of("features", input))) {
                boolean classifier = r.get("probabilities").isPresent();
                FloatBuffer values = ((OnnxTensor) r.get(classifier ? "probabilities" : "predictions").orElseThrow())
                        .getFloatBuffer();
                float[] v = new float[values.remaining()];
                values.get(v);
                long[] labels = classifier ? (long[]) ((OnnxTensor) r.get("label").orElseThrow()).getValue() : new long[0];
                return new Outputs(v, labels, metadata);
            }
        }
    }

    static boolean onnxAvailable() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import onnx").redirectErrorStream(true).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static Path script() throws Exception {
        return Path.of(ExportTest.class.getResource("/onnx/check_onnx.py").toURI());
    }

    /** What check_onnx.py found in {@code model}. */
    private JsonNode check(Path model, Path inputs) throws Exception {
        Path out = dir.resolve("found.json");
        Process p = new ProcessBuilder("/usr/bin/python3", script().toString(), model.toString(), inputs.toString(),
                out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        return JSON.readTree(out.toFile());
    }

}

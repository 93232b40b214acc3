package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.cli.NnCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line distribution as a user installs it (nn-dist's folder, .zip and .tar.gz): copied
 * to a path with a space, run from another directory and through a symbolic link, with its
 * class-data archive, and refusing a Java that is missing or too old with words.
 */
@org.junit.jupiter.api.Tag("slow")
@DisplayName("The nn distribution")
class DistributionTest {
    static final Path TARGET = Path.of("").toAbsolutePath().getParent().resolve("nn-dist/target");
    static final String NAME = "nnkit-" + NnCommand.VERSION;

    @TempDir
    Path dir;

    @org.junit.jupiter.api.BeforeAll
    static void built() {
        // Not a Maven dependency (nn-dist is never installed, so `-pl nn-verification` could not
        // resolve it): the full build makes nn-dist first, as the parent's module list orders it.
        Needs.installed(Files.isRegularFile(TARGET.resolve(NAME + ".zip")),
                "The nn distribution is not built (./mvnw -B package -DskipTests -pl nn-dist -am).");
    }

    record Result(int code, String out, String err) {
    }

    Result run(Path cwd, Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().remove("NN_JAVA_OPTS");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** The folder the build made, copied as a user would unpack it: somewhere else, a space in the path. */
    private Path install() throws IOException {
        Path from = TARGET.resolve(NAME);
        Path to = Files.createDirectories(dir.resolve("my tools")).resolve(NAME);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path rel = from.relativize(f);
                if (rel.startsWith("lib/cds")) {
                    continue; // an archive the checkout's ./nn recorded belongs to that copy
                }
                Files.copy(f, to.resolve(rel.toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return to;
    }

    @Test
    @DisplayName("a copy runs from any directory and through a link: train, predict, its archive made once")
    void runsFromAnyCopyAndDirectory() throws Exception {
        Path home = install();
        Path work = Files.createDirectories(dir.resolve("work"));
        Path examples = Path.of("").toAbsolutePath().getParent().resolve("examples");
        Files.createDirectories(work.resolve("iris"));
        for (String f : List.of("iris.json", "iris/train.csv", "iris/validation.csv")) {
            Files.copy(examples.resolve(f), work.resolve(f));
        }
        Path links = Files.createDirectories(dir.resolve("links"));
        Path link = Files.createSymbolicLink(links.resolve("nn"), home.resolve("bin/nn"));

        // A TMPDIR that does not exist does not stop the recording (its work folder is beside the archives).
        Result version = run(work, Map.of("TMPDIR", dir.resolve("no-such-tmp").toString()), link.toString(), "--version");
        assertThat(version.code()).as(version.err()).isZero();
        assertThat(version.out()).startsWith("nn " + NnCommand.VERSION);
        assertThat(version.err()).contains("preparing class-data archives");
        // Two archives (for train, and for every other command), each with its key: length, Java, kind, jars.
        List<String> keys;
        try (Stream<Path> files = Files.list(home.resolve("lib/cds"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names).hasSize(4).allMatch(n -> n.matches("nn-\\d+-\\d+\\.(jsa|key)"));
            keys = names.stream().filter(n -> n.endsWith(".key")).toList();
        }
        List<String> kinds = new ArrayList<>();
        for (String key : keys) {
            List<String> lines = Files.readAllLines(home.resolve("lib/cds").resolve(key));
            Path archive = home.resolve("lib/cds").resolve(key.replace(".key", ".jsa"));
            assertThat(lines.get(0)).isEqualTo(String.valueOf(Files.size(archive)));
            assertThat(lines.get(1)).startsWith("java /");
            kinds.add(lines.get(2));
            assertThat(lines.get(3)).isEqualTo("build " + Files.readString(home.resolve("lib/build-id")).strip());
            assertThat(lines).anySatisfy(l -> assertThat(l).endsWith("/lib/nn-cli-" + NnCommand.VERSION + ".jar"));
        }
        assertThat(kinds).containsExactlyInAnyOrder("for train", "for serve");

        Result train = run(work, Map.of(), home.resolve("bin/nn").toString(), "train", "--config", "iris.json",
                "--epochs", "5", "--out", "run", "--quiet");
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.err()).doesNotContain("preparing"); // recorded once, used since
        Result predict = run(work, Map.of(), link.toString(), "predict", "--model", "run", "--data",
                "iris/validation.csv");
        assertThat(predict.code()).as(predict.err()).isZero();
        long rows = Files.readAllLines(work.resolve("iris/validation.csv")).size() - 1;
        assertThat(predict.out().lines().toList()).hasSize((int) rows + 1).first().isEqualTo("prediction");
        // The JVM's own warnings stay off stdout: -Xmx64m once clashed with the launcher's -Xmn64m
        // and its warnings opened the CSV.
        Result small = run(work, Map.of("NN_JAVA_OPTS", "-Xmx64m"), link.toString(), "predict", "--model", "run",
                "--data", "iris/validation.csv");
        assertThat(small.code()).as(small.err()).isZero();
        assertThat(small.out()).isEqualTo(predict.out());

        // A damaged archive (cut short: mapping it crashed Java 17) is recorded again, not used.
        Path archive = null;
        for (String key : keys) {
            if (Files.readAllLines(home.resolve("lib/cds").resolve(key)).get(2).equals("for serve")) {
                archive = home.resolve("lib/cds").resolve(key.replace(".key", ".jsa"));
            }
        }
        long length = Files.size(archive);
        archive.toFile().setWritable(true);
        try (var channel = java.nio.channels.FileChannel.open(archive, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(length / 3);
        }
        Result again = run(work, Map.of(), link.toString(), "predict", "--model", "run", "--data", "iris/validation.csv");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).isEqualTo(predict.out());
        assertThat(again.err()).contains("preparing class-data archives");
        try (Stream<Path> files = Files.list(home.resolve("lib/cds"))) { // the damaged one and its key are gone
            assertThat(files.map(p -> p.getFileName().toString()).toList()).hasSize(4)
                    .doesNotContain(archive.getFileName().toString());
        }
        Result afterwards = run(work, Map.of(), link.toString(), "--version");
        assertThat(afterwards.err()).doesNotContain("preparing");

        // What a recording killed outright (kill -9) leaves, once its process is gone, the next run deletes.
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path cds = home.resolve("lib/cds");
        Files.writeString(Files.createDirectories(cds.resolve("nn-recording.lock")).resolve("pid"), gone.pid() + "\n");
        Files.writeString(cds.resolve("nn-1-2.partial"), "half an archive");
        Files.createDirectories(cds.resolve("nn-1.work/run"));
        Result cleared = run(work, Map.of(), link.toString(), "--version");
        assertThat(cleared.code()).as(cleared.err()).isZero();
        assertThat(cds.resolve("nn-recording.lock")).doesNotExist();
        assertThat(cds.resolve("nn-1-2.partial")).doesNotExist();
        assertThat(cds.resolve("nn-1.work")).doesNotExist();

        Result plugins = run(work, Map.of(), link.toString(), "plugins");
        assertThat(plugins.out()).containsPattern("optimizer +adam +classpath:nn-optimizers-" + NnCommand.VERSION + ".jar");
    }

    @Test
    @DisplayName("without a Java, or with one older than 17, it says so and exits 1")
    void refusesAMissingOrOldJava() throws Exception {
        Path home = install();
        Result none = run(dir, Map.of("JAVA_HOME", dir.resolve("no-java").toString()), home.resolve("bin/nn").toString(),
                "--version");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains("no Java runtime found").contains("Java 17 or newer");

        Path old = Files.createDirectories(dir.resolve("jdk-11/bin"));
        Files.writeString(old.getParent().resolve("release"), "JAVA_VERSION=\"11.0.2\"\n");
        Path java = Files.writeString(old.resolve("java"), "#!/bin/sh\necho should not run >&2\nexit 9\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Result tooOld = run(dir, Map.of("JAVA_HOME", old.getParent().toString()), home.resolve("bin/nn").toString(),
                "--version");
        assertThat(tooOld.code()).isEqualTo(1);
        assertThat(tooOld.err()).contains("is Java 11; nn needs Java 17 or newer").doesNotContain("should not run");
    }

    @Test
    @DisplayName("the .zip and .tar.gz hold the same files under one folder, bin/nn executable")
    void archivesHoldTheFolder() throws Exception {
        List<String> zipped = new ArrayList<>();
        try (ZipFile zip = new ZipFile(TARGET.resolve(NAME + ".zip").toFile())) {
            zip.stream().filter(e -> !e.isDirectory()).forEach(e -> zipped.add(e.getName()));
        }
        Process tar = new ProcessBuilder("tar", "-tvzf", TARGET.resolve(NAME + ".tar.gz").toString()).start();
        List<String> listing = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(tar.waitFor()).isZero();
        List<String> tarred = listing.stream().filter(l -> !l.startsWith("d")).map(l -> l.substring(l.indexOf(NAME + "/")))
                .toList();
        assertThat(tarred).containsExactlyInAnyOrderElementsOf(zipped);
        assertThat(zipped).contains(NAME + "/bin/nn", NAME + "/LICENSE", NAME + "/NOTICE", NAME + "/plugins/README.txt",
                NAME + "/lib/nn-cli-" + NnCommand.VERSION + ".jar");
        assertThat(listing).filteredOn(l -> l.endsWith(NAME + "/bin/nn")).singleElement()
                .satisfies(l -> assertThat(l).startsWith("-rwxr-xr-x"));
    }

    @Test
    @DisplayName("THIRD-PARTY.txt names every bundled library jar, and only those")
    void thirdPartyListMatchesLib() throws IOException {
        Path folder = TARGET.resolve(NAME);
        List<String> listed = Files.readAllLines(folder.resolve("THIRD-PARTY.txt")).stream()
                .filter(l -> l.contains(".jar")).map(l -> l.substring(0, l.indexOf(".jar") + 4)).toList();
        List<String> bundled;
        try (Stream<Path> jars = Files.list(folder.resolve("lib"))) {
            bundled = jars.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar") && !n.startsWith("nn-"))
                    .toList();
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(bundled);
    }

    /** A third-party plugin jar put where the nn command looks, as an author installs one. */
    @org.junit.jupiter.api.Nested
    @DisplayName("with plugin jars")
    class PluginFolders {
        @Test
        @DisplayName("reads plugins/ and NN_PLUGIN_PATH, shows a jar's version, refuses two copies, a missing folder and -p")
        void readsPluginFolders() throws Exception {
            Path home = install();
            Path classes = compilePlugin();
            Path mine = Files.createDirectories(dir.resolve("my plugins"));
            Path plain = jar(mine.resolve("twice-mse-2.0.1.jar"), classes, false, true);

            Result found = run(dir, Map.of("NN_PLUGIN_PATH", mine.toString()), home.resolve("bin/nn").toString(), "plugins");
            assertThat(found.code()).as(found.err()).isZero();
            assertThat(found.out()).containsPattern("loss +twice-mse +classpath:twice-mse-2.0.1.jar +2.0.1\\n")
                    .contains("Plugin folders: " + home.resolve("plugins") + ", " + mine);

            jar(home.resolve("plugins/twice-mse-2.0.0.jar"), classes, false, true); // the old version left behind
            Result twice = run(dir, Map.of("NN_PLUGIN_PATH", mine.toString()), home.resolve("bin/nn").toString(), "plugins");
            assertThat(twice.code()).isEqualTo(4);
            assertThat(twice.err()).contains("Two copies of the loss provider com.example.twice.TwiceMseProvider are on"
                    + " the class path: in " + home.resolve("plugins/twice-mse-2.0.0.jar") + " and in " + plain);
            Files.delete(home.resolve("plugins/twice-mse-2.0.0.jar"));

            Result missing = run(dir, Map.of("NN_PLUGIN_PATH", mine + ":" + dir.resolve("nope")),
                    home.resolve("bin/nn").toString(), "plugins");
            assertThat(missing.code()).isEqualTo(2);
            assertThat(missing.err()).contains("NN_PLUGIN_PATH names '" + dir.resolve("nope") + "', which is not a folder");

            Result modulePath = run(dir, Map.of("NN_JAVA_OPTS", "-p " + plain), home.resolve("bin/nn").toString(), "plugins");
            assertThat(modulePath.code()).isEqualTo(2);
            assertThat(modulePath.err()).contains("NN_JAVA_OPTS sets a class or module path, which nn sets itself");

            Files.delete(plain);
            Path modular = jar(mine.resolve("twice-mse.jar"), classes, true, false); // module-info, no services file
            Result unseen = run(dir, Map.of("NN_PLUGIN_PATH", mine.toString()), home.resolve("bin/nn").toString(), "plugins");
            assertThat(unseen.code()).as(unseen.err()).isZero();
            assertThat(unseen.out()).doesNotContain("twice-mse ");
            assertThat(unseen.err()).contains("warning: " + modular + " registers its plugins only in module-info (module"
                    + " com.example.twice); nn reads plugin jars on the class path, where they need"
                    + " META-INF/services/dev.nnkit.api.loss.LossProvider listing com.example.twice.TwiceMseProvider.");
        }

        /** A loss plugin compiled as a module against nn-api. */
        private Path compilePlugin() throws Exception {
            Path src = Files.createDirectories(dir.resolve("plugin-src/com/example/twice"));
            Files.writeString(dir.resolve("plugin-src/module-info.java"), "module com.example.twice {\n"
                    + "  requires dev.nnkit.api;\n"
                    + "  provides dev.nnkit.api.loss.LossProvider with com.example.twice.TwiceMseProvider;\n}\n");
            Files.writeString(src.resolve("TwiceMseProvider.java"), "package com.example.twice;\n"
                    + "import dev.nnkit.api.loss.*;\nimport dev.nnkit.api.plugin.*;\n"
                    + "public final class TwiceMseProvider extends SettinglessProvider<Loss> implements LossProvider<NoConfig> {\n"
                    + "  public TwiceMseProvider() { super(\"twice-mse\", \"2 Σ (ŷ − y)²\"); }\n"
                    + "  @Override public int spiVersion() { return SPI_VERSION; }\n"
                    + "  @Override public Loss create(NoConfig c) {\n"
                    + "    return (p, y, g) -> { double s = 0; for (int j = 0; j < p.length; j++) { double d = p[j] - y[j];"
                    + " s += 2 * d * d; g[j] = 4 * d; } return s; };\n  }\n}\n");
            Path out = dir.resolve("plugin-classes");
            Path api = Path.of(dev.nnkit.api.plugin.PluginProvider.class.getProtectionDomain().getCodeSource().getLocation()
                    .toURI());
            java.io.StringWriter log = new java.io.StringWriter();
            int status = java.util.spi.ToolProvider.findFirst("javac").orElseThrow().run(new java.io.PrintWriter(log),
                    new java.io.PrintWriter(log), "-d", out.toString(), "--module-path", api.toString(),
                    dir.resolve("plugin-src/module-info.java").toString(), src.resolve("TwiceMseProvider.java").toString());
            assertThat(status).as(log.toString()).isZero();
            return out;
        }

        /** The plugin's classes as a jar, with Maven's pom.properties (version 2.0.1) and no Implementation-Version. */
        private Path jar(Path jar, Path classes, boolean moduleInfo, boolean services) throws IOException {
            try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
                for (String name : List.of("com/example/twice/TwiceMseProvider.class", "module-info.class")) {
                    if (moduleInfo || !name.equals("module-info.class")) {
                        out.putNextEntry(new java.util.jar.JarEntry(name));
                        out.write(Files.readAllBytes(classes.resolve(name)));
                    }
                }
                if (services) {
                    out.putNextEntry(new java.util.jar.JarEntry("META-INF/services/dev.nnkit.api.loss.LossProvider"));
                    out.write("com.example.twice.TwiceMseProvider\n".getBytes(StandardCharsets.UTF_8));
                }
                out.putNextEntry(new java.util.jar.JarEntry("META-INF/maven/com.example/twice-mse/pom.properties"));
                out.write("groupId=com.example\nartifactId=twice-mse\nversion=2.0.1\n".getBytes(StandardCharsets.UTF_8));
            }
            return jar;
        }
    }

    /** A plugin activation in a plugin folder, with and then without its ONNX mapping, as an author ships it. */
    @org.junit.jupiter.api.Nested
    @DisplayName("with an activation plugin")
    class OnnxPlugin {
        private static final String PROVIDER = "package com.example.hard;\n"
                + "import dev.nnkit.api.activation.*;\nimport dev.nnkit.api.plugin.*;\n"
                + "public final class HardSigmoidProvider extends SettinglessProvider<Activation>"
                + " implements ActivationProvider<NoConfig> {\n"
                + "  public HardSigmoidProvider() { super(\"hard-sigmoid\", \"max(0, min(1, z/6 + 1/2))\"); }\n"
                + "  @Override public int spiVersion() { return SPI_VERSION; }\n"
                + "  @Override public Activation create(NoConfig c) {\n"
                + "    return new ElementwiseActivation() {\n"
                + "      public double apply(double z) { return Math.max(0, Math.min(1, z / 6 + 0.5)); }\n"
                + "      public double derivative(double z, double a) { return z > -3 && z < 3 ? 1.0 / 6 : 0; }\n"
                + "    };\n  }\n}\n";
        private static final String MAPPING = "package com.example.hard;\n"
                + "import dev.nnkit.onnx.*;\nimport java.util.Set;\n"
                + "public final class HardSigmoidOnnx implements OnnxMapping {\n"
                + "  @Override public Set<String> ids() { return Set.of(\"hard-sigmoid\"); }\n"
                + "  @Override public String map(OnnxStage s, OnnxGraph g) {\n"
                + "    return g.node(\"HardSigmoid\", s.input()).attribute(\"alpha\", 1 / 6f).attribute(\"beta\", 0.5f).output();\n"
                + "  }\n}\n";

        @Test
        @DisplayName("nn export exits 4 naming the stage without the plugin's mapping, and with it ONNX Runtime predicts as nn predict")
        void exportsThroughThePluginsMapping() throws Exception {
            Path home = install();
            Path classes = compile();
            Path mine = Files.createDirectories(dir.resolve("plugins of mine"));
            Path jar = mine.resolve("hard-sigmoid-1.0.jar");
            pluginJar(jar, classes, false);
            Path train = ExamplesTest.EXAMPLES.resolve("iris/train.csv");
            Path validation = ExamplesTest.EXAMPLES.resolve("iris/validation.csv");
            Path config = Files.writeString(dir.resolve("hard.json"), """
                    {"data": {"train": "%s", "target": "species", "normalize": "standardize"},
                     "layers": [{"type": "dense", "units": 8}, {"type": "hard-sigmoid"}, {"type": "dense", "units": 3}],
                     "loss": "sparse-categorical-cross-entropy-logits", "optimizer": {"type": "adam", "learningRate": 0.05},
                     "training": {"batchSize": 16, "maxEpochs": 5, "seed": 1}}
                    """.formatted(train.toString().replace("\\", "\\\\")));
            Map<String, String> env = Map.of("NN_PLUGIN_PATH", mine.toString(), "NN_CDS", "off");
            String nn = home.resolve("bin/nn").toString();
            Result trained = run(dir, env, nn, "train", "--quiet", "--config", config.toString(), "--out", "run");
            assertThat(trained.code()).as(trained.err()).isZero();

            Result refused = run(dir, env, nn, "export", "--model", "run", "--out", "hard.onnx");
            assertThat(refused.code()).as(refused.err()).isEqualTo(4);
            assertThat(refused.err()).contains("Cannot export stage 1 ('hard-sigmoid') to ONNX: no ONNX mapping for the"
                    + " plugin 'hard-sigmoid'").contains("implement dev.nnkit.onnx.OnnxMapping");
            assertThat(dir.resolve("hard.onnx")).doesNotExist();

            pluginJar(jar, classes, true); // the plugin's next release maps it
            Result exported = run(dir, env, nn, "export", "--model", "run", "--out", "hard.onnx");
            assertThat(exported.code()).as(exported.err()).isZero();
            Result predicted = run(dir, env, nn, "predict", "--model", "run", "--data", validation.toString(), "--probabilities");
            assertThat(predicted.code()).as(predicted.err()).isZero();
            List<String> rows = Files.readAllLines(validation).subList(1, Files.readAllLines(validation).size());
            float[] x = new float[rows.size() * 4];
            for (int r = 0; r < rows.size(); r++) {
                String[] cells = rows.get(r).split(",");
                for (int f = 0; f < 4; f++) {
                    x[r * 4 + f] = Float.parseFloat(cells[f]);
                }
            }
            ExportTest.Outputs out = ExportTest.ort(dir.resolve("hard.onnx"), x, new long[] {rows.size(), 4});
            List<String[]> printed = predicted.out().lines().skip(1).map(l -> l.split(",")).toList();
            assertThat(printed).hasSize(rows.size());
            List<String> names = List.of("setosa", "versicolor", "virginica");
            for (int r = 0; r < rows.size(); r++) {
                assertThat(names.get((int) out.labels()[r])).isEqualTo(printed.get(r)[0]);
                for (int c = 0; c < 3; c++) {
                    assertThat((double) out.values()[r * 3 + c]).as("row %d, class %d", r + 1, c)
                            .isCloseTo(Double.parseDouble(printed.get(r)[c + 1]), org.assertj.core.data.Offset.offset(1e-5));
                }
            }
        }

        @Test
        @DisplayName("a plugin jar missing one of its classes is named in one line (exit 4), not a stack trace")
        void anIncompletePluginJarIsNamed() throws Exception {
            Path home = install();
            Path classes = compile();
            Path mine = Files.createDirectories(dir.resolve("plugins of mine"));
            pluginJar(mine.resolve("hard-sigmoid-1.0.jar"), classes, false);
            try (var jar = java.nio.file.FileSystems.newFileSystem(mine.resolve("hard-sigmoid-1.0.jar"))) {
                Files.delete(jar.getPath("com/example/hard/HardSigmoidProvider$1.class")); // the activation itself
            }
            Path config = Files.writeString(dir.resolve("hard.json"), """
                    {"data": {"train": "%s", "target": "species"},
                     "layers": [{"type": "dense", "units": 4}, {"type": "hard-sigmoid"}, {"type": "dense", "units": 3}],
                     "loss": "sparse-categorical-cross-entropy-logits", "optimizer": "adam", "training": {"maxEpochs": 1}}
                    """.formatted(ExamplesTest.EXAMPLES.resolve("iris/train.csv").toString().replace("\\", "\\\\")));
            Result r = run(dir, Map.of("NN_PLUGIN_PATH", mine.toString(), "NN_CDS", "off"), home.resolve("bin/nn").toString(),
                    "train", "--quiet", "--config", config.toString());
            assertThat(r.code()).as(r.err()).isEqualTo(4);
            assertThat(r.err()).contains("nn: a class cannot be loaded: com/example/hard/HardSigmoidProvider$1"
                    + " (NoClassDefFoundError). A plugin jar (or this installation) is incomplete").doesNotContain("\tat ");
        }

        /** The plugin's two classes, compiled on the class path against nn-api and nn-onnx, as a Maven build would. */
        private Path compile() throws Exception {
            Path src = Files.createDirectories(dir.resolve("hard-src/com/example/hard"));
            Files.writeString(src.resolve("HardSigmoidProvider.java"), PROVIDER);
            Files.writeString(src.resolve("HardSigmoidOnnx.java"), MAPPING);
            String classPath = java.util.stream.Stream.of(dev.nnkit.api.plugin.PluginProvider.class,
                            dev.nnkit.onnx.OnnxMapping.class, dev.nnkit.core.plugin.PluginRegistry.class,
                            dev.nnkit.io.model.Model.class)
                    .map(c -> c.getProtectionDomain().getCodeSource().getLocation().getPath())
                    .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
            Path out = dir.resolve("hard-classes");
            java.io.StringWriter log = new java.io.StringWriter();
            int status = java.util.spi.ToolProvider.findFirst("javac").orElseThrow().run(new java.io.PrintWriter(log),
                    new java.io.PrintWriter(log), "-d", out.toString(), "-cp", classPath,
                    src.resolve("HardSigmoidProvider.java").toString(), src.resolve("HardSigmoidOnnx.java").toString());
            assertThat(status).as(log.toString()).isZero();
            return out;
        }

        private void pluginJar(Path jar, Path classes, boolean withMapping) throws IOException {
            try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
                List<Path> files;
                try (Stream<Path> all = Files.list(classes.resolve("com/example/hard"))) {
                    files = all.filter(f -> withMapping || !f.getFileName().toString().startsWith("HardSigmoidOnnx"))
                            .sorted().toList();
                }
                for (Path f : files) {
                    out.putNextEntry(new java.util.jar.JarEntry("com/example/hard/" + f.getFileName()));
                    out.write(Files.readAllBytes(f));
                }
                out.putNextEntry(new java.util.jar.JarEntry("META-INF/services/dev.nnkit.api.activation.ActivationProvider"));
                out.write("com.example.hard.HardSigmoidProvider\n".getBytes(StandardCharsets.UTF_8));
                if (withMapping) {
                    out.putNextEntry(new java.util.jar.JarEntry("META-INF/services/dev.nnkit.onnx.OnnxMapping"));
                    out.write("com.example.hard.HardSigmoidOnnx\n".getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }
}

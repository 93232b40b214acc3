package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.cli.NnCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code nn train --out} does to what is already on disk: an existing run is never silently
 * replaced, a resumed run keeps its history, refused options and failed runs create nothing, data
 * other than the run's is refused on resume, and no temporary file outlives a failure.
 */
@DisplayName("nn train's run directory")
class RunDirectoryTest {
    static final Path EXAMPLES = Path.of("").toAbsolutePath().getParent().resolve("examples");
    static final String IRIS = EXAMPLES.resolve("iris.json").toString();

    @TempDir
    Path dir;

    static CliTest.Run train(String... args) {
        return CliTest.nn(Stream.concat(Stream.of("train", "--quiet", "--config", IRIS), Stream.of(args))
                .toArray(String[]::new));
    }

    /** Every file under {@code root} with its bytes, to show that nothing changed. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            // The lock file holds the last holder's pid: it changes with every run, refused or not.
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals(".nn-train.lock"))::iterator) {
                files.put(root.relativize(p).toString(), java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return files;
    }

    @Test
    @DisplayName("a new run into a directory holding one is refused and changes nothing; --overwrite replaces it")
    void existingRunIsKept() throws IOException {
        Path run = dir.resolve("run");
        assertThat(train("--out", run.toString(), "--epochs", "3").code()).isZero();
        Map<String, String> before = snapshot(run);

        CliTest.Run again = train("--out", run.toString(), "--epochs", "5");
        assertThat(again.code()).isEqualTo(NnCommand.INVALID_INPUT);
        assertThat(again.err()).contains(run + ": already holds a run (model, checkpoints, metrics.jsonl, curves.png, config.json)")
                .contains("--resume " + run).contains("--overwrite");
        assertThat(snapshot(run)).isEqualTo(before);

        CliTest.Run replaced = train("--out", run.toString(), "--epochs", "5", "--overwrite");
        assertThat(replaced.code()).as(replaced.err()).isZero();
        assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(5);
    }

    @Test
    @DisplayName("--overwrite refused for a bad config or bad data leaves the old run whole")
    void refusedOverwriteKeepsTheOldRun() throws IOException {
        Path run = dir.resolve("run");
        assertThat(train("--out", run.toString(), "--epochs", "2").code()).isZero();
        Map<String, String> before = snapshot(run);
        Path bad = Files.writeString(dir.resolve("bad.csv"), "a,b,species\n1,2,setosa\n1,x,setosa\n");
        CliTest.Run badData = train("--out", run.toString(), "--overwrite", "--data", bad.toString());
        assertThat(badData.code()).isEqualTo(NnCommand.INVALID_INPUT);
        CliTest.Run badConfig = train("--out", run.toString(), "--overwrite", "--set", "layers.0.type=no-such-layer");
        assertThat(badConfig.code()).as(badConfig.err()).isEqualTo(NnCommand.USAGE); // the --set's mistake
        Path badFile = Files.writeString(dir.resolve("bad.json"), Files.readString(Path.of(IRIS)).replace("\"tanh\"",
                "\"no-such-layer\""));
        assertThat(Files.readString(badFile)).contains("no-such-layer");
        CliTest.Run badConfigFile = CliTest.nn("train", "--quiet", "--config", badFile.toString(), "--out", run.toString(),
                "--overwrite");
        assertThat(badConfigFile.code()).as(badConfigFile.err()).isEqualTo(NnCommand.INVALID_INPUT);
        assertThat(snapshot(run)).isEqualTo(before);
    }

    @Test
    @DisplayName("--overwrite deletes only what nn train wrote: a folder that merely has a run file's name is refused and kept")
    void overwriteKeepsForeignFiles() throws IOException {
        Path run = Files.createDirectories(dir.resolve("project"));
        Files.writeString(Files.createDirectories(run.resolve("model")).resolve("notes.txt"), "my own model notes");
        Files.writeString(run.resolve("metrics.jsonl"), "not nnkit's\n");
        CliTest.Run r = train("--out", run.toString(), "--overwrite", "--epochs", "2");
        assertThat(r.code()).isEqualTo(NnCommand.INVALID_INPUT);
        assertThat(r.err()).contains(run.resolve("model") + ": --overwrite replaces only what nn train wrote, and this is "
                + "not: an nnkit model is a folder with a model.json");
        assertThat(run.resolve("model/notes.txt")).hasContent("my own model notes");
        assertThat(run.resolve("metrics.jsonl")).hasContent("not nnkit's");
    }

    @Test
    @DisplayName("--resume of a missing directory, or of a run with no checkpoint, is refused (exit 4) and creates or changes nothing")
    void resumeNeedsACheckpoint() throws IOException {
        Path missing = dir.resolve("no-such-run");
        CliTest.Run r = train("--resume", missing.toString());
        assertThat(r.code()).isEqualTo(NnCommand.INVALID_INPUT);
        assertThat(r.err()).contains(missing + ": there is no run here to resume");
        assertThat(missing).doesNotExist();

        Path run = dir.resolve("run");
        assertThat(train("--out", run.toString(), "--epochs", "2").code()).isZero();
        dev.nnkit.io.files.AtomicDirectory.deleteRecursively(run.resolve("checkpoints")); // as a run killed before its first checkpoint
        Map<String, String> before = snapshot(run);
        r = train("--resume", run.toString());
        assertThat(r.code()).isEqualTo(NnCommand.INVALID_INPUT);
        assertThat(r.err()).contains(run + ": holds no checkpoint to resume from");
        assertThat(snapshot(run)).isEqualTo(before);

        Path other = dir.resolve("other"); // a checkpoint whose batch lies beyond the epoch: damaged, refused
        assertThat(train("--out", other.toString(), "--epochs", "2", "--checkpoint-every", "4").code()).isZero();
        Path state = other.resolve("checkpoints/step-000000000008/state.json");
        dev.nnkit.io.files.AtomicDirectory.deleteRecursively(other.resolve("checkpoints/step-000000000016"));
        dev.nnkit.io.files.AtomicDirectory.deleteRecursively(other.resolve("checkpoints/step-000000000012"));
        Files.writeString(state, Files.readString(state).replaceFirst("\"batch\":\\d+", "\"batch\":999999"));
        r = train("--resume", other.toString(), "--epochs", "4");
        assertThat(r.code()).as(r.err()).isEqualTo(NnCommand.INVALID_INPUT);
        assertThat(r.err()).contains(state + " at /batch: batch 999999 is beyond an epoch of this data (120 rows in "
                + "batches of 16 make 8)");
    }

    @Test
    @DisplayName("a finished run continues with more epochs to the same bytes as a longer run; without more epochs, exit 2")
    void finishedRunContinues() throws IOException {
        Path run = dir.resolve("run");
        assertThat(train("--out", run.toString(), "--epochs", "3").code()).isZero();
        Map<String, String> before = snapshot(run);
        CliTest.Run nothingLeft = train("--resume", run.toString(), "--epochs", "3");
        assertThat(nothingLeft.code()).isEqualTo(NnCommand.USAGE);
        assertThat(nothingLeft.err()).contains("The run in " + run + " has completed 3 epochs (step 24), and 3 are asked "
                + "for: nothing is left to train. To train further, ask for more, e.g. --epochs 6.");
        assertThat(snapshot(run)).isEqualTo(before);

        CliTest.Run more = train("--resume", run.toString(), "--epochs", "5");
        assertThat(more.code()).as(more.err()).isZero();
        assertThat(more.err()).contains("Resuming at epoch 4, step 24.");
        Path straight = dir.resolve("straight");
        assertThat(train("--out", straight.toString(), "--epochs", "5").code()).isZero();
        assertThat(Files.readAllBytes(run.resolve("model/model.safetensors")))
                .isEqualTo(Files.readAllBytes(straight.resolve("model/model.safetensors")));
        assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(5);
    }

    @Test
    @DisplayName("a resumed run keeps every epoch's line before its checkpoint and adds the rest; curves.png shows all")
    void resumeKeepsHistory() throws IOException {
        Path run = dir.resolve("run");
        // iris: 120 rows in batches of 16 = 8 steps an epoch; checkpoints at steps 12, 24 (epoch 3, 8 of 8)
        assertThat(train("--out", run.toString(), "--epochs", "4", "--checkpoint-every", "12").code()).isZero();
        List<String> first = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertThat(first).hasSize(4);
        Path uninterrupted = dir.resolve("uninterrupted");
        assertThat(train("--out", uninterrupted.toString(), "--epochs", "7").code()).isZero();

        // Resume from step 24 (the end of epoch 3): epoch 3's line is written again, with equal numbers.
        // A torn line, as a killed run leaves, is dropped.
        Files.writeString(run.resolve("metrics.jsonl"), "{\"epoch\":4,\"trainLo", java.nio.file.StandardOpenOption.APPEND);
        CliTest.Run resumed = train("--resume", run.toString(), "--epochs", "7");
        assertThat(resumed.code()).as(resumed.err()).isZero();
        List<String> all = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertThat(all).hasSize(7);
        assertThat(all.subList(0, 2)).isEqualTo(first.subList(0, 2));
        List<String> expected = Files.readAllLines(uninterrupted.resolve("metrics.jsonl"));
        for (int i = 0; i < 7; i++) {
            assertThat(withoutSeconds(all.get(i))).as("epoch %d", i + 1).isEqualTo(withoutSeconds(expected.get(i)));
        }
        assertThat(Files.readAllBytes(run.resolve("model/model.safetensors")))
                .isEqualTo(Files.readAllBytes(uninterrupted.resolve("model/model.safetensors")));
    }

    private static String withoutSeconds(String line) {
        return line.replaceAll(",\"seconds\":[^,}]+", "");
    }

    @Test
    @DisplayName("resuming on other data is refused, history and checkpoints untouched, unless --allow-data-change")
    void otherDataIsRefused() throws IOException {
        Path run = dir.resolve("run");
        assertThat(train("--out", run.toString(), "--epochs", "2", "--checkpoint-every", "4").code()).isZero();
        Map<String, String> before = snapshot(run);
        List<String> rows = Files.readAllLines(EXAMPLES.resolve("iris/train.csv"));
        Path other = Files.write(dir.resolve("other.csv"), rows.subList(0, rows.size() - 1)); // one row fewer

        CliTest.Run refused = train("--resume", run.toString(), "--epochs", "4", "--data", other.toString());
        assertThat(refused.code()).isEqualTo(NnCommand.INVALID_INPUT);
        assertThat(refused.err()).contains("state.json at /dataFingerprint: this run was trained on other data")
                .contains("--allow-data-change");
        assertThat(snapshot(run)).isEqualTo(before);

        CliTest.Run accepted = train("--resume", run.toString(), "--epochs", "4", "--data", other.toString(),
                "--allow-data-change");
        assertThat(accepted.code()).as(accepted.err()).isZero();
        assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSize(4);
    }

    @Test
    @DisplayName("two identical runs write identical files, byte for byte (metrics.jsonl but for its timings)")
    void identicalRunsIdenticalBytes() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        for (Path run : List.of(a, b)) {
            assertThat(train("--out", run.toString(), "--epochs", "5", "--checkpoint-every", "7").code()).isZero();
        }
        Map<String, String> first = snapshot(a);
        first.remove("metrics.jsonl");
        Map<String, String> second = snapshot(b);
        second.remove("metrics.jsonl");
        assertThat(first).containsKeys("model/model.json", "model/model.safetensors", "curves.png",
                "checkpoints/step-000000000035/state.json").isEqualTo(second);
        assertThat(Files.readAllLines(a.resolve("metrics.jsonl")).stream().map(RunDirectoryTest::withoutSeconds))
                .containsExactlyElementsOf(Files.readAllLines(b.resolve("metrics.jsonl")).stream()
                        .map(RunDirectoryTest::withoutSeconds).toList());
    }

    @Test
    @DisplayName("exit 2 for bad option values, and nothing is created")
    void badOptionsCreateNothing() throws IOException {
        Path run = dir.resolve("run");
        for (String[] args : List.of(new String[] {"--checkpoint-every", "0"}, new String[] {"--checkpoint-every", "-5"},
                new String[] {"--epochs", "-3"}, new String[] {"--epochs", "0"}, new String[] {"--overwrite", "--resume",
                    run.toString()}, new String[] {"--allow-data-change"})) {
            String[] all = Stream.concat(Stream.of("--out", run.toString()), Stream.of(args)).toArray(String[]::new);
            CliTest.Run r = train(all);
            assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(NnCommand.USAGE);
            assertThat(run).as(String.join(" ", args)).doesNotExist();
        }
        assertThat(train("--out", run.toString(), "--epochs", "-3").err()).contains("--epochs must be at least 1; got -3.");
        CliTest.Run overwriteNothing = train("--overwrite");
        assertThat(overwriteNothing.code()).isEqualTo(NnCommand.USAGE);
        assertThat(overwriteNothing.err()).contains("--overwrite replaces the run in --out DIR; give --out DIR.");
        Path aFile = Files.writeString(dir.resolve("afile"), "x");
        CliTest.Run underAFile = train("--out", aFile.resolve("sub").toString());
        assertThat(underAFile.code()).isEqualTo(NnCommand.INVALID_INPUT);
        assertThat(underAFile.err()).contains(aFile.resolve("sub") + ": cannot be created: a folder on its path is a file.");
        CliTest.Run resumeAFile = train("--resume", aFile.toString());
        assertThat(resumeAFile.code()).isEqualTo(NnCommand.INVALID_INPUT);
        assertThat(resumeAFile.err()).contains("--resume takes a run directory, and this is a file.");
        assertThat(train("--out", run.toString(), "--checkpoint-every", "0").err())
                .contains("--checkpoint-every must be at least 1 step; got 0.");
    }

    @Test
    @DisplayName("a run that fails before training (bad data) leaves no directory behind")
    void failedRunLeavesNothing() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.csv"), "a,b,species\n1,2,setosa\n1,x,setosa\n");
        Path run = dir.resolve("run");
        CliTest.Run r = train("--out", run.toString(), "--data", bad.toString());
        assertThat(r.code()).isEqualTo(NnCommand.INVALID_INPUT);
        assertThat(run).doesNotExist();
        Path nested = dir.resolve("new/parents/run"); // the parents it had to create go too
        r = train("--out", nested.toString(), "--data", bad.toString());
        assertThat(r.code()).isEqualTo(NnCommand.INVALID_INPUT);
        assertThat(dir.resolve("new")).doesNotExist();
    }

    @Test
    @DisplayName("predict --output that cannot be replaced (a directory): exit 1, the reason, no temporary file left")
    void predictLeavesNoTemporaryFile() throws IOException {
        Path run = dir.resolve("run");
        assertThat(train("--out", run.toString(), "--epochs", "2").code()).isZero();
        Path target = Files.createDirectories(dir.resolve("out.csv"));
        CliTest.Run r = CliTest.nn("predict", "--model", run.toString(), "--data",
                EXAMPLES.resolve("iris/validation.csv").toString(), "--output", target.toString());
        assertThat(r.code()).isEqualTo(NnCommand.USAGE);
        assertThat(r.err()).contains("--output " + target + " is a directory: predictions would replace it.");
        Path aFile = Files.writeString(dir.resolve("afile"), "x");
        r = CliTest.nn("predict", "--model", run.toString(), "--data", EXAMPLES.resolve("iris/validation.csv").toString(),
                "--output", aFile.resolve("out.csv").toString());
        assertThat(r.code()).isEqualTo(NnCommand.FAILURE);
        assertThat(r.err()).contains("could not write " + aFile.resolve("out.csv") + ": a folder on its path is a file.")
                .doesNotContain(".tmp");
        Path nowhere = dir.resolve("missing/out.csv");
        r = CliTest.nn("predict", "--model", run.toString(), "--data", EXAMPLES.resolve("iris/validation.csv").toString(),
                "--output", nowhere.toString());
        assertThat(r.code()).isEqualTo(NnCommand.FAILURE);
        assertThat(r.err()).contains("could not write " + nowhere + ": its folder does not exist.");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    @DisplayName("predict --output never replaces what it reads: the data, the model, the run's files (exit 2, all intact)")
    void predictKeepsItsInputs() throws IOException {
        Path run = dir.resolve("run");
        assertThat(train("--out", run.toString(), "--epochs", "2").code()).isZero();
        Path data = Files.copy(EXAMPLES.resolve("iris/validation.csv"), dir.resolve("data.csv"));
        Map<String, String> before = snapshot(dir);
        for (Path target : List.of(data, run.resolve("model/model.json"), run.resolve("metrics.jsonl"),
                run.resolve("checkpoints/x.csv"))) {
            CliTest.Run r = CliTest.nn("predict", "--model", run.toString(), "--data", data.toString(), "--output",
                    target.toString());
            assertThat(r.code()).as(target.toString()).isEqualTo(NnCommand.USAGE);
            assertThat(r.err()).contains("--output " + target).contains("predictions would replace it");
        }
        CliTest.Run direct = CliTest.nn("predict", "--model", run.resolve("model").toString(), "--data", data.toString(),
                "--output", run.resolve("model/preds.csv").toString());
        assertThat(direct.code()).isEqualTo(NnCommand.USAGE);
        assertThat(snapshot(dir)).isEqualTo(before);
        CliTest.Run beside = CliTest.nn("predict", "--model", run.toString(), "--data", data.toString(), "--output",
                run.resolve("predictions.csv").toString());
        assertThat(beside.code()).as(beside.err()).isZero(); // beside the run's files is fine
    }

    @Test
    @DisplayName("class names with line breaks and tabs: inspect and evaluate show them escaped, one line each")
    void lineBreaksInNamesAreEscaped() throws IOException {
        String no = "\"no\r\nClear-Host\"";
        String yes = "\"yes\tsir\u2028\"";
        Path data = Files.writeString(dir.resolve("xor.csv"), "x1,x2,label\n0,0," + no + "\n0,1," + yes + "\n1,0," + yes
                + "\n1,1," + no + "\n");
        Path cfg = Files.writeString(dir.resolve("run.json"), "{\"data\": {\"train\": \"xor.csv\"}, \"layers\": [{\"type\":"
                + " \"dense\", \"units\": 2}], \"loss\": \"categorical-cross-entropy-logits\", \"optimizer\": \"sgd\", \"training\": {\"maxEpochs\": 2}}");
        Path run = dir.resolve("run");
        CliTest.Run t = CliTest.nn("train", "--quiet", "--config", cfg.toString(), "--out", run.toString());
        assertThat(t.code()).as(t.err()).isZero();
        CliTest.Run inspect = CliTest.nn("inspect", "--model", run.toString());
        assertThat(inspect.out()).contains("classes           [no\\r\\nClear-Host, yes\\tsir]"); // the reader strips U+2028
        CliTest.Run evaluate = CliTest.nn("evaluate", "--model", run.toString(), "--data", data.toString());
        assertThat(evaluate.code()).as(evaluate.err()).isZero();
        for (CliTest.Run r : List.of(inspect, evaluate)) {
            assertThat(r.out()).doesNotContain("\r").doesNotContain("\t").doesNotContain("\u2028")
                    .doesNotContain("\nClear-Host");
        }
    }

    @Test
    @DisplayName("control characters from a data file reach the terminal escaped, never raw")
    void controlCharactersAreEscaped() throws IOException {
        Path run = dir.resolve("run");
        assertThat(train("--out", run.toString(), "--epochs", "2").code()).isZero();
        String hostile = "x\u001B]0;owned\u0007\u001B[2J\u202Eevil";
        Path data = Files.writeString(dir.resolve("hostile.csv"), "sepal_length,sepal_width,petal_length,petal_width,"
                + "species\n5.0,3.4,1.5,0.2," + hostile + "\n");
        CliTest.Run r = CliTest.nn("evaluate", "--model", run.toString(), "--data", data.toString());
        assertThat(r.code()).isEqualTo(NnCommand.INVALID_INPUT);
        assertThat(r.err()).contains("x\\x1B]0;owned\\x07\\x1B[2J\\u202Eevil")
                .doesNotContain("\u001B").doesNotContain("\u0007").doesNotContain("\u202E");
    }
}

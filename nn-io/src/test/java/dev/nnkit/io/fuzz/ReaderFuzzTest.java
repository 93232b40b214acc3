package dev.nnkit.io.fuzz;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.io.InvalidFileException;
import dev.nnkit.io.config.TrainingConfigReader;
import dev.nnkit.io.csv.CsvTableReader;
import dev.nnkit.io.idx.IdxReader;
import dev.nnkit.io.model.ModelFiles;
import dev.nnkit.io.safetensors.Safetensors;
import dev.nnkit.io.safetensors.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzz targets for every reader of untrusted files. Each runs in regression mode in the normal
 * build: first over the committed corpus (src/test/resources/fuzz/), then over seeded random
 * mutations of it (bit flips, interesting bytes, truncations, duplicated and deleted slices,
 * random 64-bit sizes). The only acceptable outcomes are a successful read or an
 * {@link InvalidFileException}; anything else (another exception, an out-of-memory, a hang) fails.
 */
@net.jqwik.api.Tag("slow") // excluded by -DexcludedGroups=slow for a quick local loop; CI runs it
class ReaderFuzzTest {
    static final PluginRegistry REGISTRY = PluginRegistry.discover();
    /** The tensors of the corpus model: the XOR example's 2-4-1 network. */
    static final Map<String, TensorSpec> XOR = Map.of(
            "0.weight", new TensorSpec(DType.FLOAT32, Shape.of(4, 2)), "0.bias", new TensorSpec(DType.FLOAT32, Shape.of(4)),
            "2.weight", new TensorSpec(DType.FLOAT32, Shape.of(1, 4)), "2.bias", new TensorSpec(DType.FLOAT32, Shape.of(1)));

    interface Reader {
        void read(Path file) throws IOException;
    }

    static final Map<String, Reader> TARGETS = Map.of(
            "safetensors", f -> Safetensors.read(f, XOR, Safetensors.NonFinite.REJECT),
            "idx", IdxReader::read,
            "idx-labels", dev.nnkit.io.data.Datasets::idxLabels,
            "csv", ReaderFuzzTest::readCsvBothWays,
            "config", f -> new TrainingConfigReader(REGISTRY).read(f),
            "model-json", ReaderFuzzTest::loadModelJson);

    /** As a table of numbers, and as nn train reads it: categories one-hot, gaps filled with medians. */
    static void readCsvBothWays(Path f) throws IOException {
        try {
            CsvTableReader.read(f, Optional.empty(), CsvTableReader.TargetKind.AUTO, List.of(), DType.FLOAT32);
        } catch (InvalidFileException refused) {
            // the encoding read below must refuse it as clearly, or read it
        }
        CsvTableReader.read(f, Optional.empty(), CsvTableReader.TargetKind.AUTO, List.of(), DType.FLOAT32,
                new dev.nnkit.io.csv.Columns.Options(List.of(), List.of(), "median", true), Optional.empty(), f);
    }

    static void loadModelJson(Path json) throws IOException {
        Path dir = Files.createTempDirectory("fuzz-model");
        try {
            Files.copy(json, dir.resolve(ModelFiles.DESCRIPTION));
            Files.write(dir.resolve(ModelFiles.WEIGHTS), Corpus.of("model-json").stream()
                    .filter(b -> b.length > 8 && b[8] == '{').findFirst().orElseThrow());
            ModelFiles.load(dir, REGISTRY, Safetensors.NonFinite.REJECT);
        } finally {
            dev.nnkit.io.files.AtomicDirectory.deleteRecursively(dir);
        }
    }

    /** Reads {@code input} with the target's reader; fails on anything but success or InvalidFileException. */
    static void fuzz(String target, byte[] input) throws IOException {
        Path f = Files.createTempFile("fuzz-" + target, target.startsWith("idx") ? ".idx" : ".in");
        try {
            Files.write(f, input);
            TARGETS.get(target).read(f);
        } catch (InvalidFileException expected) {
            // a clear rejection is the right answer to a malformed file
        } catch (Throwable t) {
            throw new AssertionError(target + " reader failed with " + t + " on input "
                    + HexFormat.of().formatHex(input, 0, Math.min(input.length, 512)), t);
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Example
    @Label("the committed corpus reads without unexpected errors")
    void corpus() throws IOException {
        for (String target : TARGETS.keySet()) {
            if (target.equals("idx-labels")) {
                continue; // its seeds are the hostile catalogue's
            }
            for (Path seed : Corpus.files(target)) {
                if (target.equals("model-json") && seed.toString().endsWith(".bin")) {
                    continue; // the weights the model.json seeds are loaded with
                }
                fuzz(target, Files.readAllBytes(seed));
            }
        }
    }

    @Example
    @Label("the hostile data catalogue reads without unexpected errors")
    void hostileCatalogue() throws IOException {
        for (String kind : List.of("csv", "idx", "idx-labels")) {
            for (Path seed : Corpus.hostile(kind)) {
                fuzz(kind, Files.readAllBytes(seed));
            }
        }
    }

    /** Mutations of the hostile catalogue's files of one kind. */
    private static Arbitrary<byte[]> hostileMutations(String kind) {
        List<byte[]> seeds = Corpus.hostile(kind).stream().map(p -> {
            try {
                return Files.readAllBytes(p);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
        return Arbitraries.randomValue(r -> Corpus.mutate(seeds.get(r.nextInt(seeds.size())), r));
    }

    @Provide
    Arbitrary<byte[]> hostileCsv() {
        return hostileMutations("csv");
    }

    @Provide
    Arbitrary<byte[]> hostileIdx() {
        return hostileMutations("idx");
    }

    @Provide
    Arbitrary<byte[]> hostileIdxLabels() {
        return hostileMutations("idx-labels");
    }

    @Property(tries = 300, seed = "20261206")
    @Label("CSV reader survives mutations of the hostile catalogue")
    void fuzzHostileCsv(@ForAll("hostileCsv") byte[] input) throws IOException {
        fuzz("csv", input);
    }

    @Property(tries = 300, seed = "20261206")
    @Label("IDX reader survives mutations of the hostile catalogue")
    void fuzzHostileIdx(@ForAll("hostileIdx") byte[] input) throws IOException {
        fuzz("idx", input);
    }

    @Property(tries = 300, seed = "20261206")
    @Label("IDX labels reader survives mutations of the hostile catalogue")
    void fuzzHostileIdxLabels(@ForAll("hostileIdxLabels") byte[] input) throws IOException {
        fuzz("idx-labels", input);
    }

    @Provide
    Arbitrary<byte[]> safetensors() {
        return mutations("safetensors");
    }

    @Provide
    Arbitrary<byte[]> idx() {
        return mutations("idx");
    }

    @Provide
    Arbitrary<byte[]> csv() {
        return mutations("csv");
    }

    @Provide
    Arbitrary<byte[]> config() {
        return mutations("config");
    }

    @Provide
    Arbitrary<byte[]> modelJson() {
        return Arbitraries.randomValue(r -> Corpus.mutate(Corpus.of("model-json").stream()
                .filter(b -> b.length > 0 && b[0] == '{').findFirst().orElseThrow(), r));
    }

    private static Arbitrary<byte[]> mutations(String target) {
        List<byte[]> seeds = Corpus.of(target);
        return Arbitraries.randomValue(r -> Corpus.mutate(seeds.get(r.nextInt(seeds.size())), r));
    }

    @Property(tries = 500, seed = "20261123")
    @Label("safetensors reader survives mutated files")
    void fuzzSafetensors(@ForAll("safetensors") byte[] input) throws IOException {
        fuzz("safetensors", input);
    }

    @Property(tries = 500, seed = "20261123")
    @Label("IDX reader survives mutated files")
    void fuzzIdx(@ForAll("idx") byte[] input) throws IOException {
        fuzz("idx", input);
    }

    @Property(tries = 500, seed = "20261123")
    @Label("CSV reader survives mutated files")
    void fuzzCsv(@ForAll("csv") byte[] input) throws IOException {
        fuzz("csv", input);
    }

    @Property(tries = 500, seed = "20261123")
    @Label("config reader survives mutated files")
    void fuzzConfig(@ForAll("config") byte[] input) throws IOException {
        fuzz("config", input);
    }

    @Property(tries = 300, seed = "20261123")
    @Label("model.json reader survives mutated files")
    void fuzzModelJson(@ForAll("modelJson") byte[] input) throws IOException {
        fuzz("model-json", input);
    }
}

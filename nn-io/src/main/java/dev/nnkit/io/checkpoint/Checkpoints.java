package dev.nnkit.io.checkpoint;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Float64Tensor;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.train.OptimizerSnapshot;
import dev.nnkit.core.train.TrainingState;
import dev.nnkit.io.InvalidFileException;
import dev.nnkit.io.files.AtomicDirectory;
import dev.nnkit.io.json.JsonFields;
import dev.nnkit.io.json.JsonValues;
import dev.nnkit.io.json.StrictJson;
import dev.nnkit.io.safetensors.Safetensors;
import dev.nnkit.io.safetensors.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A folder of checkpoints, {@code step-000000000123/} each, holding {@code state.json} (where
 * training stood, the loss history, the shuffling generator's and every stage's random state, the
 * config hash), {@code weights.safetensors} (parameters and buffers) and
 * {@code optimizer.safetensors} (every value as F64, exactly), and since format 3 the run's epoch
 * scores ({@code epochScores}: validation loss, accuracy, … by name; a non-finite one as null).
 * Formats 1 (before buffers and stage streams) and 2 (before epoch scores) are still read.
 * Each checkpoint appears atomically (written aside, then renamed), so a crash never leaves a
 * half-written one; only the newest {@code keep} are kept.
 */
public final class Checkpoints {
    private static final String PREFIX = "step-";
    private static final String STATE = "state.json";
    private static final String WEIGHTS = "weights.safetensors";
    private static final String OPTIMIZER = "optimizer.safetensors";
    private static final Set<String> KEYS = Set.of("format", "formatVersion", "configHash", "epoch", "batch",
            "iterations", "epochLosses", "epochLossSum", "shuffleState", "parameters", "optimizerSlots",
            "buffers", "stageRandomStates", "dataFingerprint", "epochScores");
    private static final int FORMAT_VERSION = 3;

    private final Path dir;
    private final int keep;
    private final String configHash;
    /** Another hash a checkpoint of this run may carry (an older way of computing it); empty for none. */
    private String alsoAccepted = "";
    private final String dataFingerprint;
    private final boolean checkData;

    /**
     * @param dir the checkpoint folder
     * @param keep how many of the newest checkpoints to keep, ≥ 1
     * @param configHash identifies the training config; a checkpoint of another config is refused
     */
    public Checkpoints(Path dir, int keep, String configHash) {
        this(dir, keep, configHash, "", false);
    }

    /**
     * As {@link #Checkpoints(Path, int, String)}, and also records which training data the run
     * uses: a checkpoint written for other data is refused with a {@link DataChangedException}.
     *
     * @param dataFingerprint identifies the training data's content (a hash of its files)
     */
    public Checkpoints(Path dir, int keep, String configHash, String dataFingerprint) {
        this(dir, keep, configHash, dataFingerprint, true);
    }

    private Checkpoints(Path dir, int keep, String configHash, String dataFingerprint, boolean checkData) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1; got " + keep + ".");
        }
        this.dir = dir;
        this.keep = keep;
        this.configHash = configHash;
        this.dataFingerprint = dataFingerprint;
        this.checkData = checkData;
    }

    /**
     * A folder of checkpoints of the same run kept elsewhere (such as the best epoch's, in
     * {@code checkpoints/best}): the same config and data, the newest one kept.
     */
    public Checkpoints sibling(Path otherDir) {
        return copy(otherDir, 1, checkData, alsoAccepted);
    }

    private Checkpoints copy(Path newDir, int newKeep, boolean newCheckData, String newAlsoAccepted) {
        Checkpoints c = new Checkpoints(newDir, newKeep, configHash, dataFingerprint, newCheckData);
        c.alsoAccepted = newAlsoAccepted;
        return c;
    }

    /**
     * These checkpoints, also reading those written with {@code otherHash} (the same config,
     * identified the way an older nnkit did); new ones record the current hash.
     */
    public Checkpoints acceptingConfigHash(String otherHash) {
        return copy(dir, keep, checkData, otherHash);
    }

    /** These checkpoints, reading those of other data too (a deliberate change of data); new ones record this data. */
    public Checkpoints acceptingOtherData() {
        return copy(dir, keep, false, alsoAccepted);
    }

    /** Writes a checkpoint of {@code s} atomically and removes those beyond the newest {@code keep}. */
    public void save(TrainingState s) throws IOException {
        Files.createDirectories(dir);
        removeAbandoned();
        Path target = dir.resolve(String.format("%s%012d", PREFIX, s.iterations()));
        AtomicDirectory.write(target, tmp -> {
            Files.write(tmp.resolve(STATE), stateJson(s));
            Map<String, Tensor> weights = new LinkedHashMap<>();
            s.parameters().forEach((name, v) -> weights.put(name, shaped(v, s.shapes().get(name))));
            s.buffers().forEach((name, v) -> weights.put(name, shaped(v, s.shapes().get(name))));
            Safetensors.write(tmp.resolve(WEIGHTS), weights, Map.of());
            Map<String, Tensor> slots = new LinkedHashMap<>();
            s.optimizer().slots().forEach((p, m) -> m.forEach((slot, v) -> slots.put(p + "/" + slot,
                    shaped(v, s.shapes().get(p)))));
            Safetensors.write(tmp.resolve(OPTIMIZER), slots, Map.of());
        });
        List<Path> all = list();
        for (int i = 0; i < all.size() - keep; i++) {
            // Renamed away first, so a crash during the deletion leaves a hidden leftover (removed
            // next time), never a half-deleted directory that looks like a damaged checkpoint.
            Path old = all.get(i);
            Path trash = dir.resolve("." + old.getFileName() + ".old-" + System.nanoTime());
            Files.move(old, trash, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            AtomicDirectory.deleteRecursively(trash);
        }
    }

    /** The checkpoints present, oldest first. */
    public List<Path> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches(PREFIX + "\\d{12}") && Files.isDirectory(p))
                    .sorted().toList();
        }
    }

    /**
     * The newest checkpoint's state, or empty when there is none.
     *
     * @throws InvalidFileException when it is damaged or belongs to another config
     */
    public Optional<TrainingState> latest() throws IOException {
        List<Path> all = list();
        return all.isEmpty() ? Optional.empty() : Optional.of(load(all.get(all.size() - 1)));
    }

    /**
     * Reads one checkpoint directory.
     *
     * @throws InvalidFileException naming the file and the place when anything in it is damaged
     */
    public TrainingState load(Path checkpoint) throws IOException {
        Path stateFile = checkpoint.resolve(STATE);
        try {
            return read(checkpoint);
        } catch (tools.jackson.core.JacksonException | IllegalArgumentException e) {
            // A value of the wrong type or range (a string for the epoch, bad base64): the file is
            // damaged, whatever the library that noticed.
            throw new InvalidFileException(stateFile, "", "is damaged: " + e.getMessage()
                    + " Resume from an older checkpoint, or start afresh.");
        }
    }

    private TrainingState read(Path checkpoint) throws IOException {
        Path stateFile = checkpoint.resolve(STATE);
        JsonNode root = StrictJson.parse(stateFile, dev.nnkit.io.files.InputFiles.readAll(stateFile, 256 << 20, "checkpoint state.json"), "");
        JsonValues.checkKeys(stateFile, root, "", KEYS);
        if (!root.path("format").isString() || !"nnkit-checkpoint".equals(root.path("format").asString())) {
            throw new InvalidFileException(stateFile, "/format", "not an nnkit checkpoint: expected \"nnkit-checkpoint\"; got "
                    + JsonFields.describe(root.get("format")) + ".");
        }
        int version = JsonFields.intValue(stateFile, root.get("formatVersion"), "/formatVersion", 1, FORMAT_VERSION);
        String hash = JsonFields.string(stateFile, root.get("configHash"), "/configHash");
        if (!hash.equals(configHash) && !hash.equals(alsoAccepted)) {
            throw new InvalidFileException(stateFile, "/configHash", "this checkpoint was written for another config ("
                    + hash + "; now " + configHash + "). Resume with the config it was written for, or start afresh.");
        }
        String data = root.has("dataFingerprint")
                ? JsonFields.string(stateFile, root.get("dataFingerprint"), "/dataFingerprint") : "";
        if (checkData && !data.isEmpty() && !dataFingerprint.isEmpty() && !data.equals(dataFingerprint)) {
            throw new DataChangedException(stateFile, data, dataFingerprint);
        }
        Map<String, TensorSpec> weightSpecs = new LinkedHashMap<>();
        Map<String, TensorSpec> slotSpecs = new LinkedHashMap<>();
        Map<String, List<String>> slotNames = new LinkedHashMap<>();
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object(stateFile, root, "parameters").properties()) {
            Shape shape = storedShape(stateFile, "/parameters/" + e.getKey(), e.getValue());
            shapes.put(e.getKey(), shape);
            weightSpecs.put(e.getKey(), new TensorSpec(DType.FLOAT64, shape));
            List<String> names = new ArrayList<>();
            JsonNode slotsOfParameter = object(stateFile, root, "optimizerSlots").path(e.getKey());
            String slotsPointer = "/optimizerSlots/" + e.getKey();
            if (slotsOfParameter.isObject()) { // format 2: each slot with its shape (scalar slots are [1])
                for (Map.Entry<String, JsonNode> slot : slotsOfParameter.properties()) {
                    names.add(slot.getKey());
                    slotSpecs.put(e.getKey() + "/" + slot.getKey(), new TensorSpec(DType.FLOAT64, storedShape(stateFile,
                            "/optimizerSlots/" + e.getKey() + "/" + slot.getKey(), slot.getValue())));
                }
            } else { // format 1: slot names, each as large as the parameter
                for (int i = 0; i < slotsOfParameter.size(); i++) {
                    names.add(JsonFields.string(stateFile, slotsOfParameter.get(i), slotsPointer + "/" + i));
                }
                names.forEach(n -> slotSpecs.put(e.getKey() + "/" + n, new TensorSpec(DType.FLOAT64, shape)));
            }
            slotNames.put(e.getKey(), names);
        }
        Map<String, Integer> bufferSizes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object(stateFile, root, "buffers").properties()) {
            Shape shape = storedShape(stateFile, "/buffers/" + e.getKey(), e.getValue());
            bufferSizes.put(e.getKey(), shape.size());
            shapes.put(e.getKey(), shape);
            weightSpecs.put(e.getKey(), new TensorSpec(DType.FLOAT64, shape));
        }
        Map<String, Tensor> weights = Safetensors.read(checkpoint.resolve(WEIGHTS), weightSpecs,
                Safetensors.NonFinite.REJECT).tensors();
        Map<String, Tensor> slots = slotSpecs.isEmpty() ? Map.of() : Safetensors.read(checkpoint.resolve(OPTIMIZER),
                slotSpecs, Safetensors.NonFinite.REJECT).tensors();
        Map<String, double[]> params = new LinkedHashMap<>();
        Map<String, double[]> buffers = new LinkedHashMap<>();
        weights.forEach((k, v) -> (bufferSizes.containsKey(k) ? buffers : params).put(k, v.toDoubleArray()));
        List<byte[]> stageRandom = new ArrayList<>();
        JsonNode streams = root.path("stageRandomStates");
        if (!streams.isMissingNode() && !streams.isArray()) {
            throw new InvalidFileException(stateFile, "/stageRandomStates", "expected an array of base64 strings; got "
                    + JsonFields.describe(streams) + ".");
        }
        for (int i = 0; i < streams.size(); i++) {
            stageRandom.add(base64(stateFile, streams.get(i), "/stageRandomStates/" + i));
        }
        Map<String, Map<String, double[]>> optimizer = new LinkedHashMap<>();
        slotNames.forEach((p, names) -> {
            Map<String, double[]> m = new LinkedHashMap<>();
            names.forEach(n -> m.put(n, slots.get(p + "/" + n).toDoubleArray()));
            optimizer.put(p, m);
        });
        List<Double> losses = new ArrayList<>();
        JsonNode lossesNode = root.path("epochLosses");
        if (!lossesNode.isArray()) {
            throw new InvalidFileException(stateFile, "/epochLosses", "expected an array of numbers; got "
                    + JsonFields.describe(root.get("epochLosses")) + ".");
        }
        for (int i = 0; i < lossesNode.size(); i++) {
            losses.add(JsonFields.number(stateFile, lossesNode.get(i), "/epochLosses/" + i));
        }
        Map<String, List<Double>> scores = epochScores(stateFile, root.path("epochScores"), losses.size());
        long iterations = JsonFields.integer(stateFile, root.get("iterations"), "/iterations", 0, Long.MAX_VALUE);
        return new TrainingState(JsonFields.intValue(stateFile, root.get("epoch"), "/epoch", 1, Integer.MAX_VALUE),
                JsonFields.intValue(stateFile, root.get("batch"), "/batch", 0, Integer.MAX_VALUE), iterations, losses,
                JsonFields.number(stateFile, root.get("epochLossSum"), "/epochLossSum"),
                base64(stateFile, root.get("shuffleState"), "/shuffleState"),
                params, new OptimizerSnapshot(iterations, optimizer), buffers, stageRandom,
                version >= 2 ? shapes : Map.of(), scores);
    }

    /** Each score's values by epoch, null for a non-finite one; as many as the epoch losses. */
    private static Map<String, List<Double>> epochScores(Path stateFile, JsonNode node, int epochs)
            throws InvalidFileException {
        Map<String, List<Double>> scores = new LinkedHashMap<>();
        if (node.isMissingNode()) {
            return scores;
        }
        if (!node.isObject()) {
            throw new InvalidFileException(stateFile, "/epochScores", "expected an object of number arrays; got "
                    + JsonFields.describe(node) + ".");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String pointer = "/epochScores/" + e.getKey();
            JsonNode values = e.getValue();
            if (!values.isArray() || values.size() != epochs) {
                throw new InvalidFileException(stateFile, pointer, "expected an array of " + epochs + " numbers (one per "
                        + "finished epoch, null for none); got " + JsonFields.describe(values) + ".");
            }
            List<Double> series = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                series.add(values.get(i).isNull() ? Double.NaN
                        : JsonFields.number(stateFile, values.get(i), pointer + "/" + i));
            }
            scores.put(e.getKey(), series);
        }
        return scores;
    }

    private byte[] stateJson(TrainingState s) {
        ObjectNode root = StrictJson.mapper().createObjectNode();
        root.put("format", "nnkit-checkpoint");
        root.put("formatVersion", FORMAT_VERSION);
        root.put("configHash", configHash);
        if (!dataFingerprint.isEmpty()) {
            root.put("dataFingerprint", dataFingerprint);
        }
        root.put("epoch", s.epoch());
        root.put("batch", s.batch());
        root.put("iterations", s.iterations());
        JsonValues.put(root, "epochLosses", s.epochLosses());
        if (!s.epochScores().isEmpty()) {
            ObjectNode scores = root.putObject("epochScores");
            s.epochScores().forEach((name, values) -> {
                ArrayNode a = scores.putArray(name);
                values.forEach(v -> {
                    if (Double.isFinite(v)) {
                        a.add(v);
                    } else {
                        a.addNull();
                    }
                });
            });
        }
        root.put("epochLossSum", s.epochLossSum());
        root.put("shuffleState", Base64.getEncoder().encodeToString(s.shuffleState()));
        ObjectNode params = root.putObject("parameters");
        s.parameters().forEach((k, v) -> putShape(params, k, v, s.shapes().get(k)));
        ObjectNode buffers = root.putObject("buffers");
        s.buffers().forEach((k, v) -> putShape(buffers, k, v, s.shapes().get(k)));
        ArrayNode streams = root.putArray("stageRandomStates");
        s.stageRandomStates().forEach(b -> streams.add(Base64.getEncoder().encodeToString(b)));
        ObjectNode slots = root.putObject("optimizerSlots");
        s.optimizer().slots().forEach((p, m) -> {
            ObjectNode slotShapes = slots.putObject(p);
            m.forEach((slot, v) -> putShape(slotShapes, slot, v, s.shapes().get(p)));
        });
        return StrictJson.mapper().writeValueAsBytes(root);
    }

    /** The values as an F64 tensor of their shape, or flat when the shape does not hold them (a scalar slot). */
    private static Tensor shaped(double[] v, Shape shape) {
        if (shape != null && shape.size() == v.length) {
            return new Float64Tensor(shape, v.clone());
        }
        return new Float64Tensor(Shape.of(Math.max(v.length, 1)), v.length == 0 ? new double[1] : v.clone());
    }

    private static void putShape(ObjectNode node, String name, double[] values, Shape shape) {
        ArrayNode dims = node.putArray(name);
        for (int d : (shape != null && shape.size() == values.length ? shape : Shape.of(values.length)).dims()) {
            dims.add(d);
        }
    }

    /** An object-valued field (absent: empty). */
    private static JsonNode object(Path file, JsonNode root, String key) throws InvalidFileException {
        JsonNode n = root.path(key);
        if (!n.isMissingNode() && !n.isObject()) {
            throw new InvalidFileException(file, "/" + key, "expected an object; got " + JsonFields.describe(n)
                    + ". The checkpoint is damaged: resume from an older one, or start afresh.");
        }
        return n;
    }

    /** A random generator's state, as base64 text. */
    private static byte[] base64(Path file, JsonNode n, String pointer) throws InvalidFileException {
        String text = JsonFields.string(file, n, pointer);
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidFileException(file, pointer, "expected base64 text; got \"" + JsonFields.printable(text)
                    + "\". The checkpoint is damaged: resume from an older one, or start afresh.");
        }
    }

    /** A shape as state.json gives it: dimensions in format 2, a length in format 1. */
    private static Shape storedShape(Path file, String pointer, JsonNode n) throws InvalidFileException {
        try {
            if (n.isArray()) {
                int[] dims = new int[n.size()];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = n.get(i).isIntegralNumber() && n.get(i).canConvertToInt() ? n.get(i).asInt() : -1;
                }
                return Shape.of(dims);
            }
            return Shape.of(n.isIntegralNumber() && n.canConvertToInt() ? Math.max(1, n.asInt()) : -1);
        } catch (IllegalArgumentException e) {
            throw new InvalidFileException(file, pointer, "expected the tensor's dimensions, whole numbers of at least 1"
                    + " such as [4, 3]; got " + (n.toString().length() > 60 ? n.toString().substring(0, 57) + "..." : n)
                    + ". The checkpoint is damaged: resume from an older one, or start afresh.");
        }
    }

    /** Deletes temporary directories a killed writer left behind. */
    private void removeAbandoned() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith("." + PREFIX) && (name.contains(".tmp-") || name.contains(".old-"))) {
                    AtomicDirectory.deleteRecursively(p);
                }
            }
        }
    }
}

package dev.nnkit.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a parameter-averaging run keeps in a checkpoint besides the driver's weights and optimizer
 * state: where it is, and each partition's stage random streams (dropout's masks continue where
 * they stopped). It travels in the checkpoint's {@code shuffleState}, which a local run fills with
 * its shuffling stream and averaging does not use: each partition's example order follows from the
 * seed, the partition and the epoch.
 *
 * @param every the steps between averages
 * @param partitions the partitions the run trains on
 * @param step the steps each partition has taken
 * @param examples examples stepped through in the epoch so far (its loss sum is the state's)
 * @param stageStates each partition's stage random streams
 */
record AveragingState(int every, int partitions, long step, long examples, TreeMap<Integer, byte[][]> stageStates) {
    private static final String MAGIC = "nnkit parameter averaging 1";

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(MAGIC);
            out.writeInt(every);
            out.writeInt(partitions);
            out.writeLong(step);
            out.writeLong(examples);
            out.writeInt(stageStates.size());
            for (Map.Entry<Integer, byte[][]> e : stageStates.entrySet()) {
                out.writeInt(e.getKey());
                out.writeInt(e.getValue().length);
                for (byte[] state : e.getValue()) {
                    out.writeInt(state.length);
                    out.write(state);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * The averaging state in a checkpoint's {@code shuffleState}; empty for a checkpoint of
     * synchronous or local training (whose shuffling stream is there).
     *
     * @throws SparkTrainingException when it starts like one but is damaged
     */
    static Optional<AveragingState> decode(byte[] shuffleState) {
        if (!startsWithMagic(shuffleState)) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(shuffleState))) {
            in.readUTF();
            int every = in.readInt();
            int partitions = in.readInt();
            long step = in.readLong();
            long examples = in.readLong();
            int entries = in.readInt();
            TreeMap<Integer, byte[][]> states = new TreeMap<>();
            for (int e = 0; e < entries; e++) {
                int partition = in.readInt();
                byte[][] stages = new byte[in.readInt()][];
                for (int s = 0; s < stages.length; s++) {
                    stages[s] = in.readNBytes(in.readInt());
                }
                states.put(partition, stages);
            }
            if (in.read() != -1 || every < 1 || partitions < 1 || step < 0 || examples < 0) {
                throw new IOException("unexpected values");
            }
            return Optional.of(new AveragingState(every, partitions, step, examples, states));
        } catch (IOException | RuntimeException e) {
            throw new SparkTrainingException("The checkpoint's parameter-averaging state is damaged (" + e.getMessage()
                    + "); resume from an older checkpoint, or start afresh.");
        }
    }

    /** Whether the bytes begin as {@link #encode} begins them: the magic's length (2 bytes), then the magic. */
    private static boolean startsWithMagic(byte[] bytes) {
        byte[] magic = MAGIC.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (bytes.length < 2 + magic.length || bytes[0] != 0 || bytes[1] != magic.length) {
            return false;
        }
        return java.util.Arrays.equals(bytes, 2, 2 + magic.length, magic, 0, magic.length);
    }
}

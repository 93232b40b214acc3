package dev.nnkit.verification;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch size at or above the number of rows means one batch of everything per epoch, as
 * PyTorch's {@code DataLoader(batch_size=n, drop_last=False)}: no int overflow turns 2147483647
 * into "0 steps" and an untrained model.
 */
@DisplayName("nn train with a huge batchSize")
class HugeBatchSizeTest {
    @TempDir
    Path dir;

    @Test
    @DisplayName("batchSize 2147483647 trains one full batch per epoch, with validation")
    void oneFullBatchPerEpoch() throws IOException {
        Files.writeString(dir.resolve("xor.csv"), CliTest.XOR_CSV);
        Path cfg = Files.writeString(dir.resolve("run.json"), """
                {"data": {"train": "xor.csv", "validation": "xor.csv", "labels": "classes"},
                 "layers": [{"type": "dense", "units": 4}, {"type": "tanh"}, {"type": "dense", "units": 1}, {"type": "sigmoid"}],
                 "loss": "binary-cross-entropy", "optimizer": "adam",
                 "training": {"batchSize": 2147483647, "maxEpochs": 3, "seed": 7}}
                """);
        CliTest.Run r = CliTest.nn("train", "--quiet", "--config", cfg.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("for 3 epochs, 3 steps").contains("validation");
    }
}

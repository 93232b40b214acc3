package dev.nnkit.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nnkit.core.network.Network;
import dev.nnkit.core.network.NetworkFactory;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import dev.nnkit.core.random.RandomPlan;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Batches that would leave batch norm with one row")
class SingleRowBatchesTest {
    private static Network network(String... stages) {
        NetworkSpec.Builder b = NetworkSpec.builder(4).dense(6);
        for (String s : stages) {
            b.stage(PluginSpec.of(s));
        }
        NetworkSpec spec = b.dense(2).build();
        return new NetworkFactory(PluginRegistry.discover()).build(spec, new RandomPlan(1, spec.stages().size()));
    }

    @Test
    @DisplayName("are refused with a batch size that itself leaves no single row")
    void suggestsABatchSizeThatWorks() {
        Network bn = network("batch-norm");
        // 43 rows: 6 leaves 1, and so does 7 (43 = 6·7 + 1); 8 leaves 3.
        assertThat(SingleRowBatches.problem(bn, 43, 6)).get().asString()
                .contains("with 43 training rows and batchSize 6, the last batch of each epoch holds one row")
                .contains("batch-norm (stage 1)").endsWith("such as 8.");
        assertThat(SingleRowBatches.problem(bn, 43, 8)).isEmpty();
        assertThat(SingleRowBatches.problem(bn, 10, 1)).get().asString().contains("every batch holds one row")
                .endsWith("such as 2.");
        assertThat(SingleRowBatches.problem(bn, 1, 16)).get().asString().contains("a single training row");
        assertThat(SingleRowBatches.problem(bn, 3, 2)).get().asString().endsWith("such as 3.");
    }

    @Test
    @DisplayName("only matter to batch norm over features")
    void onlyBatchNormOverFeatures() {
        assertThat(SingleRowBatches.problem(network("relu"), 43, 6)).isEmpty();
        assertThat(SingleRowBatches.problem(network("batch-norm"), 44, 6)).isEmpty();
    }
}

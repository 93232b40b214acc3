package dev.nnkit.io.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnkit.io.json.StrictJson;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class OverridesTest {
    private static ObjectNode config() {
        return (ObjectNode) StrictJson.read("""
                {"layers": [{"type": "dense", "units": 16}, {"type": "relu"}, {"type": "dense", "units": 3}],
                 "optimizer": {"type": "adam", "learningRate": 0.001}}
                """);
    }

    @Test
    void dottedPathsAndBracketIndicesEditTheSameNode() {
        ObjectNode dotted = config();
        Overrides.apply(dotted, "layers.2.units=4");
        ObjectNode bracketed = config();
        Overrides.apply(bracketed, "layers[2].units=4");
        assertThat(bracketed).isEqualTo(dotted);
        assertThat(bracketed.get("layers").get(2).get("units").asInt()).isEqualTo(4);

        Overrides.apply(bracketed, "layers[1]={\"type\": \"tanh\"}");
        assertThat(bracketed.get("layers").get(1).get("type").asString()).isEqualTo("tanh");
        Overrides.apply(bracketed, "optimizer.learningRate=0.01");
        assertThat(bracketed.get("optimizer").get("learningRate").asDouble()).isEqualTo(0.01);
    }

    @Test
    void anIndexBeyondTheListIsRefusedWithItsPlace() {
        assertThatThrownBy(() -> Overrides.apply(config(), "layers[7].units=4"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--set layers[7].units=4: '7' is not an index of the list at layers.");
        assertThatThrownBy(() -> Overrides.apply(config(), "layers[3]=1"))
                .hasMessageContaining("the path must lead into an object or to an existing list index");
        assertThatThrownBy(() -> Overrides.apply(config(), "units"))
                .hasMessageContaining("expected path=value");
    }
}

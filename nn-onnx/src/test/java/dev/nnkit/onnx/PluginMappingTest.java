package dev.nnkit.onnx;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.io.model.Model;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A plugin activation exports through its own mapping, found by the real ServiceLoader; one without a mapping is named. */
class PluginMappingTest {

    @Test
    void aPluginActivationWithAMappingExportsAndRunsInOnnxRuntime() throws Exception {
        Model m = Models.model(Models.network(NetworkSpec.builder(3).dense(8).activation("hard-sigmoid").dense(2)
                .dtype(DType.FLOAT32).build(), 2), "identity", List.of(), Optional.empty());
        RuntimeAgreementTest.assertAgrees(m, Models.inputs(DType.FLOAT32, Shape.of(40, 3), 1, 6));
    }

    @Test
    void aPluginWithoutAMappingIsNamedWithWhereItIsAndHowToAddOne() {
        Model m = Models.model(Models.network(NetworkSpec.builder(3).dense(4).activation("relu").dense(4)
                .activation("cube").dense(2).build(), 2), "identity", List.of(), Optional.empty());
        assertThatThrownBy(() -> OnnxExporter.discover(Models.REGISTRY).toBytes(m))
                .isInstanceOf(OnnxExportException.class)
                .hasMessageContaining("stage 3 ('cube')")
                .hasMessageContaining("no ONNX mapping for the plugin 'cube'")
                .hasMessageContaining("implement dev.nnkit.onnx.OnnxMapping")
                .hasMessageContaining("META-INF/services/dev.nnkit.onnx.OnnxMapping");
    }

    @Test
    void aMappingMayNotClaimABuiltInIdOrOneAnotherClaims() {
        OnnxMapping relu = mapping(Set.of("relu"));
        assertThatThrownBy(() -> new OnnxExporter(Models.REGISTRY, List.of(relu)))
                .hasMessageContaining("claims 'relu', which nnkit maps itself");
        assertThatThrownBy(() -> new OnnxExporter(Models.REGISTRY, List.of(mapping(Set.of("x")), mapping(Set.of("x")))))
                .hasMessageContaining("Two ONNX mappings claim 'x'");
    }

    @Test
    void aServicesFileNamingAMissingClassIsReportedAsSuch() {
        Iterable<OnnxMapping> broken = () -> {
            throw new java.util.ServiceConfigurationError(
                    "dev.nnkit.onnx.OnnxMapping: Provider com.example.Gone not found");
        };
        assertThatThrownBy(() -> new OnnxExporter(Models.REGISTRY, broken))
                .isInstanceOf(OnnxExportException.class)
                .hasMessage("An ONNX mapping cannot be loaded: dev.nnkit.onnx.OnnxMapping: Provider com.example.Gone not"
                        + " found. Check the plugin jar whose META-INF/services/dev.nnkit.onnx.OnnxMapping lists it.");
    }

    @Test
    void aMappingThatFailsIsReportedWithItsStage() {
        OnnxMapping broken = new OnnxMapping() {
            @Override
            public Set<String> ids() {
                return Set.of("cube");
            }

            @Override
            public String map(OnnxStage stage, OnnxGraph graph) {
                return stage.parameter("weight").toString(); // an activation has none
            }
        };
        Model m = Models.model(Models.network(NetworkSpec.builder(3).dense(2).activation("cube").build(), 2), "identity",
                List.of(), Optional.empty());
        assertThatThrownBy(() -> new OnnxExporter(Models.REGISTRY, List.of(broken)).toBytes(m))
                .isInstanceOf(OnnxExportException.class)
                .hasMessage("Cannot export stage 1 ('cube') to ONNX: stage 1 (cube) has no parameter 'weight'; it has [].");
    }

    @Test
    void aModelBeyondWhatOneOnnxFileHoldsIsRefusedWithItsSize() {
        Model m = Models.model(Models.network(NetworkSpec.builder(3).dense(4).dense(2).dtype(DType.FLOAT64).build(), 2),
                "identity", List.of(), Optional.empty());
        OnnxExporter exporter = OnnxExporter.discover(Models.REGISTRY);
        assertThatThrownBy(() -> exporter.build(m, DType.FLOAT64, 200)) // 26 weights: 208 bytes
                .isInstanceOf(OnnxExportException.class)
                .hasMessage("Cannot export the model to ONNX: its 26 weights take 208 bytes in float64, and an ONNX file"
                        + " holds at most 200 (protobuf's 2 GiB limit; nnkit does not write ONNX's external data files)."
                        + " As float32 it fits: add --dtype float32.");
        org.assertj.core.api.Assertions.assertThat(exporter.build(m, DType.FLOAT32, 200).getGraph().getInitializerCount())
                .isEqualTo(4);
    }

    @Test
    void aMappingThatReadsOrReturnsAnUndefinedValueIsNamed() {
        Model m = Models.model(Models.network(NetworkSpec.builder(3).dense(2).activation("cube").build(), 2), "identity",
                List.of(), Optional.empty());
        OnnxMapping reads = new OnnxMapping() {
            @Override
            public Set<String> ids() {
                return Set.of("cube");
            }

            @Override
            public String map(OnnxStage stage, OnnxGraph graph) {
                return graph.node("Mul", stage.input(), "x_typo").output();
            }
        };
        assertThatThrownBy(() -> new OnnxExporter(Models.REGISTRY, List.of(reads)).toBytes(m))
                .hasMessage("Cannot export stage 1 ('cube') to ONNX: a Mul node reads 'x_typo', which no earlier node or"
                        + " constant of the graph defines.");
        OnnxMapping returns = new OnnxMapping() {
            @Override
            public Set<String> ids() {
                return Set.of("cube");
            }

            @Override
            public String map(OnnxStage stage, OnnxGraph graph) {
                graph.node("Mul", stage.input(), stage.input()).output();
                return "cube_out";
            }
        };
        assertThatThrownBy(() -> new OnnxExporter(Models.REGISTRY, List.of(returns)).toBytes(m))
                .hasMessage("The ONNX mapping of stage 1 ('cube') returned 'cube_out', which no node or constant of the"
                        + " graph defines; map() must return the name of the value it computed (the output() of its last"
                        + " node).");
    }

    private static OnnxMapping mapping(Set<String> ids) {
        return new OnnxMapping() {
            @Override
            public Set<String> ids() {
                return ids;
            }

            @Override
            public String map(OnnxStage stage, OnnxGraph graph) {
                return stage.input();
            }
        };
    }
}

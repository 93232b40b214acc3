package dev.nnkit.core.plugin;

import dev.nnkit.api.plugin.PluginConfigException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("PluginRegistry")
class PluginRegistryTest {
    @TempDir
    Path dir;

    /** A class loader that adds a services file listing {@code providers} for losses. */
    private ClassLoader withLossServices(String... providers) throws IOException {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve("dev.nnkit.api.loss.LossProvider"), String.join("\n", providers) + "\n");
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }

    @Test
    @DisplayName("discovers the built-in layers, activations and initializers through ServiceLoader")
    void discoversBuiltIns() {
        PluginRegistry r = PluginRegistry.discover();
        assertThat(r.ids(PluginKind.LAYER)).contains("dense");
        assertThat(r.ids(PluginKind.ACTIVATION)).contains("identity", "sigmoid", "tanh", "relu", "leaky-relu", "softmax");
        assertThat(r.ids(PluginKind.INITIALIZER)).contains("glorot-uniform", "glorot-normal", "he-uniform", "he-normal");
        assertThat(r.problems()).isEmpty();
        assertThat(r.plugins()).allSatisfy(p -> assertThat(p.source()).isNotEqualTo("unknown"));
    }

    @Test
    @DisplayName("skips a provider that fails to load or has a malformed id, and keeps the others")
    void survivesBrokenProviders() throws IOException {
        PluginRegistry r = PluginRegistry.discover(withLossServices(
                FixtureLosses.Exploding.class.getName(),
                "dev.nnkit.core.plugin.NoSuchProvider",
                FixtureLosses.BadId.class.getName(),
                FixtureLosses.Good.class.getName()));
        assertThat(r.ids(PluginKind.LOSS)).containsExactly("fixture-loss");
        assertThat(r.ids(PluginKind.ACTIVATION)).contains("sigmoid");
        assertThat(r.problems()).hasSize(3);
        assertThat(String.join("\n", r.problems()))
                .contains("Exploding").contains("boom: missing native library")
                .contains("NoSuchProvider")
                .contains("'Bad Id' is not lowercase");
    }

    @Test
    @DisplayName("rejects two providers of one id, naming both")
    void rejectsDuplicates() throws IOException {
        ClassLoader loader = withLossServices(FixtureLosses.Good.class.getName(), FixtureLosses.Twin.class.getName());
        PluginRegistry r = PluginRegistry.discover(loader);
        assertThat(r.ids(PluginKind.LAYER)).contains("dense"); // other kinds stay usable
        for (int use = 0; use < 2; use++) { // every use of the kind fails, not only the first
            assertThatThrownBy(() -> r.ids(PluginKind.LOSS))
                    .isInstanceOf(DuplicatePluginException.class)
                    .hasMessageContaining("Duplicate loss id 'fixture-loss'")
                    .hasMessageContaining(FixtureLosses.Good.class.getName())
                    .hasMessageContaining(FixtureLosses.Twin.class.getName())
                    .hasMessageContaining("in module unnamed");
        }
        assertThatThrownBy(r::plugins).isInstanceOf(DuplicatePluginException.class);
    }

    @Test
    @DisplayName("rejects a provider class held by two jars (two versions of one plugin), naming both; a repeated listing is fine")
    void rejectsTwoCopiesOfOneProvider() throws IOException {
        String services = "META-INF/services/dev.nnkit.api.loss.LossProvider";
        String classFile = FixtureLosses.Good.class.getName().replace('.', '/') + ".class";
        byte[] bytes;
        try (var in = getClass().getClassLoader().getResourceAsStream(classFile)) {
            bytes = in.readAllBytes();
        }
        Path first = dir.resolve("focal-1.0.jar");
        Path second = dir.resolve("focal 1.1.jar"); // a space, to see the path and not its URL form
        Path listing = dir.resolve("listing-only.jar"); // lists the provider, holds no copy of it
        for (Path jar : List.of(first, second, listing)) {
            try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
                out.putNextEntry(new java.util.jar.JarEntry(services));
                out.write((FixtureLosses.Good.class.getName() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                if (jar != listing) {
                    out.putNextEntry(new java.util.jar.JarEntry(classFile));
                    out.write(bytes);
                }
            }
        }
        PluginRegistry twice = PluginRegistry.discover(new URLClassLoader(new URL[] {first.toUri().toURL(),
            second.toUri().toURL()}, getClass().getClassLoader()));
        assertThatThrownBy(() -> twice.ids(PluginKind.LOSS)).isInstanceOf(DuplicatePluginException.class)
                .hasMessageStartingWith("Two copies of the loss provider " + FixtureLosses.Good.class.getName()
                        + " are on the class path: in ")
                .hasMessageContaining(" and in " + first).hasMessageContaining(" and in " + second)
                .hasMessageEndingWith(". Two versions of one plugin? Only the first would be used, silently: remove the"
                        + " other jar.");
        assertThat(twice.ids(PluginKind.LAYER)).contains("dense");

        // A second listing of a class held once (test resources repeating a services file, a bundle
        // listing its dependency's providers) is not two copies; nor is one jar reached through a link.
        Path link = Files.createSymbolicLink(dir.resolve("link.jar"), first);
        PluginRegistry once = PluginRegistry.discover(new URLClassLoader(new URL[] {listing.toUri().toURL(),
            first.toUri().toURL(), link.toUri().toURL()}, ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                // nn-api and nn-core from the test's loader; the fixture class only from the jars
                return name.equals(FixtureLosses.Good.class.getName()) ? super.loadClass(name, resolve)
                        : PluginRegistryTest.class.getClassLoader().loadClass(name);
            }
        });
        assertThat(once.ids(PluginKind.LOSS)).contains("fixture-loss");
    }

    @Test
    @DisplayName("reads a class-path jar's version from its manifest, module descriptor, Maven properties or file name")
    void versionsOfJarsWithoutImplementationVersion() throws IOException {
        Path maven = dir.resolve("plugin.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(maven))) {
            out.putNextEntry(new java.util.jar.JarEntry("META-INF/maven/com.example/plugin/pom.properties"));
            out.write("groupId=com.example\nartifactId=plugin\nversion=2.3.1\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Path named = dir.resolve("gelu-tanh-0.4.0-beta.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(named))) {
            out.putNextEntry(new java.util.jar.JarEntry("README"));
        }
        Path bare = dir.resolve("plugin.jar.d");
        Files.createDirectories(bare);
        assertThat(JarVersions.of(maven.toUri().toURL())).isEqualTo("2.3.1");
        assertThat(JarVersions.of(named.toUri().toURL())).isEqualTo("0.4.0-beta");
        assertThat(JarVersions.of(bare.toUri().toURL())).isEqualTo("unknown");
    }

    @Test
    @DisplayName("discovers a kind on its first use only: a model's load starts no optimizer or loss it does not ask for")
    void discoversKindsOnFirstUse() throws IOException {
        PluginRegistry r = PluginRegistry.discover(withLossServices(FixtureLosses.Counted.class.getName()));
        int before = FixtureLosses.Counted.MADE.get();
        assertThat(r.ids(PluginKind.LAYER)).contains("dense");
        assertThat(r.hasActivation("relu")).isTrue();
        assertThat(FixtureLosses.Counted.MADE.get()).isEqualTo(before);
        assertThat(r.ids(PluginKind.LOSS)).contains("fixture-loss");
        assertThat(r.ids(PluginKind.LOSS)).contains("fixture-loss");
        assertThat(FixtureLosses.Counted.MADE.get()).isEqualTo(before + 1); // once, however often it is used
    }

    @Test
    @DisplayName("rejects a layer whose id an activation already has: stages name both by id alone")
    void layerAndActivationShareIds() {
        dev.nnkit.api.layer.LayerProvider<dev.nnkit.api.plugin.NoConfig> reluLayer =
                new FixtureLayerProvider("relu", dev.nnkit.api.plugin.PluginProvider.SPI_VERSION);
        PluginRegistry builtIn = PluginRegistry.discover();
        java.util.List<dev.nnkit.api.plugin.PluginProvider<?, ?>> all = new java.util.ArrayList<>();
        builtIn.plugins().forEach(i -> all.add(builtIn.provider(i.kind(), i.id())));
        all.add(reluLayer);
        assertThatThrownBy(() -> PluginRegistry.of(all))
                .isInstanceOf(DuplicatePluginException.class)
                .hasMessageContaining("id 'relu'")
                .hasMessageContaining(FixtureLayerProvider.class.getName());
    }

    @Test
    @DisplayName("skips a layer built against the plugin interfaces before shapes, and one from a newer nnkit, saying why")
    void checksSpiVersions() {
        PluginRegistry r = PluginRegistry.of(java.util.List.of(new FixtureLayerProvider("old-layer", 1),
                new FixtureLayerProvider("old-layer", 3),
                new FixtureLosses.Good()));
        assertThat(r.ids(PluginKind.LAYER)).doesNotContain("old-layer");
        assertThat(r.ids(PluginKind.LOSS)).as("a loss of version 1 still works").contains("fixture-loss");
        assertThat(r.problems()).anySatisfy(p -> assertThat(p).contains("layer 'old-layer'")
                .contains("version 1, but layers need version 2 or newer").contains("return SPI_VERSION"));
        assertThat(r.problems()).anySatisfy(p -> assertThat(p).contains("version 3, newer than this nnkit's 2")
                .contains("Upgrade nnkit"));
        assertThatThrownBy(() -> r.layer("old-layer")).isInstanceOf(UnknownPluginException.class)
                .hasMessageContaining("Unknown layer 'old-layer': Skipped layer 'old-layer'")
                .hasMessageContaining("Rebuild the plugin against this nnkit");
    }

    /** A layer provider with a given id that reports a given SPI version. */
    static final class FixtureLayerProvider extends dev.nnkit.api.plugin.SettinglessProvider<dev.nnkit.api.layer.Layer>
            implements dev.nnkit.api.layer.LayerProvider<dev.nnkit.api.plugin.NoConfig> {
        private final int version;

        FixtureLayerProvider(String id, int version) {
            super(id, "a fixture layer that is never built");
            this.version = version;
        }

        @Override
        public int spiVersion() {
            return version;
        }

        @Override
        public dev.nnkit.api.layer.Layer create(dev.nnkit.api.plugin.NoConfig config,
                                               dev.nnkit.api.layer.LayerContext context) {
            throw new UnsupportedOperationException("never built");
        }
    }

    @Test
    @DisplayName("creates a plugin of any settings-only kind one way, and refuses layers and wrong types")
    void genericCreate() {
        PluginRegistry r = PluginRegistry.discover();
        dev.nnkit.api.activation.Activation relu = r.create(PluginKind.ACTIVATION,
                PluginSpec.of("leaky-relu", "negativeSlope", 0.2), dev.nnkit.api.activation.Activation.class);
        dev.nnkit.api.tensor.Tensor z = dev.nnkit.api.tensor.Tensor.of(dev.nnkit.api.tensor.DType.FLOAT64,
                dev.nnkit.api.tensor.Shape.of(1, 2), -1, 3);
        dev.nnkit.api.tensor.Tensor a = dev.nnkit.api.tensor.Tensor.zeros(z.dtype(), z.shape());
        relu.forward(z, a);
        assertThat(a.toDoubleArray()).containsExactly(-0.2, 3);
        assertThatThrownBy(() -> r.create(PluginKind.LAYER, PluginSpec.of("dense", "units", 2), Object.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("built by NetworkFactory");
        assertThatThrownBy(() -> r.create(PluginKind.ACTIVATION, PluginSpec.of("relu"), String.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a java.lang.String");
    }

    @Test
    @DisplayName("answers an unknown id with the known ids and the nearest one")
    void unknownId() {
        PluginRegistry r = PluginRegistry.discover();
        assertThatThrownBy(() -> r.activation(PluginSpec.of("sigmiod")))
                .isInstanceOf(UnknownPluginException.class)
                .hasMessageContaining("Unknown activation 'sigmiod'. Did you mean 'sigmoid'?")
                .hasMessageContaining("Known: elu, gelu, identity, leaky-relu, relu, selu, sigmoid, silu, softmax, softplus, tanh");
    }

    @Test
    @DisplayName("binds settings by name, fills defaults, and names a misspelt key")
    void bindsSettings() {
        PluginRegistry r = PluginRegistry.discover();
        assertThat(r.activation(PluginSpec.of("leaky-relu", "negativeSlope", 0.2))).isNotNull();
        assertThatThrownBy(() -> r.activation(PluginSpec.of("leaky-relu", "negativeSlop", 0.2)))
                .isInstanceOf(PluginConfigException.class)
                .hasMessage("Unknown setting 'negativeSlop' for 'leaky-relu'. Did you mean 'negativeSlope'? Known: negativeSlope.");
        assertThatThrownBy(() -> r.activation(PluginSpec.of("leaky-relu", "negativeSlope", "steep")))
                .hasMessage("Setting 'negativeSlope' of 'leaky-relu' must be a number; got \"steep\".");
        assertThatThrownBy(() -> r.activation(PluginSpec.of("leaky-relu", "negativeSlope", -1)))
                .hasMessageContaining("Invalid settings for 'leaky-relu': negativeSlope must be finite and ≥ 0; got -1.0.");
    }

    @Test
    @DisplayName("an unknown stage names the nearest layer or activation and lists both; a kind with no plugins says which jar has the built-ins")
    void unknownStageAndMissingJar() {
        PluginRegistry r = PluginRegistry.discover();
        assertThatThrownBy(() -> r.layer("rellu")).isInstanceOf(UnknownPluginException.class)
                .hasMessageStartingWith("Unknown layer or activation 'rellu'. Did you mean 'relu'? Layers: ")
                .hasMessageContaining(". Activations: ").hasMessageContaining("dense").hasMessageContaining("gelu");
        // nn-core's tests have no losses on their path: what an application without nn-losses sees
        assertThatThrownBy(() -> r.provider(PluginKind.LOSS, "mse")).hasMessage("Unknown loss 'mse': no loss plugins"
                + " were found at all. The built-in losses are in dev.nnkit:nn-losses: add it to the application. A"
                + " plugin's jar must be on the class or module path to be found (for the nn command: in its plugins"
                + " folder or a folder on NN_PLUGIN_PATH).");
    }
}

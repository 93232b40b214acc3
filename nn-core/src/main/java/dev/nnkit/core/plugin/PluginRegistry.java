package dev.nnkit.core.plugin;

import dev.nnkit.api.plugin.ConfigBinder;
import dev.nnkit.api.plugin.ConfiguredProvider;
import dev.nnkit.api.activation.Activation;
import dev.nnkit.api.activation.ActivationProvider;
import dev.nnkit.api.init.Initializer;
import dev.nnkit.api.init.InitializerProvider;
import dev.nnkit.api.layer.LayerProvider;
import dev.nnkit.api.loss.Loss;
import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.api.optimizer.Optimizer;
import dev.nnkit.api.optimizer.OptimizerProvider;
import dev.nnkit.api.plugin.PluginIds;
import dev.nnkit.api.plugin.PluginProvider;
import dev.nnkit.api.schedule.LearningRateSchedule;
import dev.nnkit.api.schedule.LearningRateScheduleProvider;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Every plugin found through {@link ServiceLoader}, by kind and id.
 *
 * <p>Each kind is discovered on its first use, not up front: an application that loads a model
 * needs layers, activations and losses, and starting a JVM's worth of optimizer and schedule
 * providers it never calls cost a cold start tens of milliseconds. Layers and activations are
 * discovered together (a stage names either by id alone).
 *
 * <p>Discovery survives broken providers (one that fails to load or reports a malformed id is
 * skipped and recorded in {@link #problems()}); two providers with the same id are an error naming
 * both, thrown by every use of that kind. Thread-safe; what a kind holds never changes once it is
 * discovered.
 */
public final class PluginRegistry {
    private static final int MAX_ERRORS_PER_KIND = 100;

    /** Where a kind's providers come from: asked once per kind, on its first use. */
    @SuppressWarnings("rawtypes")
    private final Function<PluginKind, Iterator<? extends PluginProvider>> source;
    // Guarded by this while a kind is discovered; read through discovered(kind), which takes the lock.
    private final Map<PluginKind, Map<String, PluginProvider<?, ?>>> providers = new EnumMap<>(PluginKind.class);
    private final Map<PluginKind, List<PluginInfo>> infos = new EnumMap<>(PluginKind.class);
    private final Map<PluginKind, List<String>> problems = new EnumMap<>(PluginKind.class);
    private final Map<PluginKind, RuntimeException> failures = new EnumMap<>(PluginKind.class);

    @SuppressWarnings("rawtypes")
    private PluginRegistry(Function<PluginKind, Iterator<? extends PluginProvider>> source) {
        this.source = source;
    }

    /** Discovers plugins visible to the class loader that loaded nnkit (module path and class path). */
    public static PluginRegistry discover() {
        return discover(PluginRegistry.class.getClassLoader());
    }

    /** Discovers plugins visible to {@code loader}. */
    public static PluginRegistry discover(ClassLoader loader) {
        return new PluginRegistry(kind -> {
            ServiceFiles.requireOneCopyEach(kind, loader);
            return ServiceLoader.load(kind.serviceType(), loader).iterator();
        });
    }

    /** Discovers plugins in a module layer (and its parents). */
    public static PluginRegistry discover(ModuleLayer layer) {
        return new PluginRegistry(kind -> ServiceLoader.load(layer, kind.serviceType()).iterator());
    }

    /**
     * A registry of exactly these providers, no discovery: for tests and embedded use.
     *
     * @throws DuplicatePluginException when two have one id
     */
    public static PluginRegistry of(List<? extends PluginProvider<?, ?>> list) {
        PluginRegistry r = new PluginRegistry(kind -> list.stream().filter(kind.serviceType()::isInstance)
                .map(p -> (PluginProvider<?, ?>) p).iterator());
        r.plugins();
        return r;
    }

    /** The providers of {@code kind} by id, discovering the kind (and its twin) on first use. */
    private synchronized Map<String, PluginProvider<?, ?>> discovered(PluginKind kind) {
        if (!providers.containsKey(kind)) {
            if (kind == PluginKind.LAYER || kind == PluginKind.ACTIVATION) {
                discoverKind(PluginKind.LAYER);
                discoverKind(PluginKind.ACTIVATION);
            } else {
                discoverKind(kind);
            }
        }
        RuntimeException failure = failures.get(kind);
        if (failure != null) {
            throw failure;
        }
        return providers.get(kind);
    }

    private void discoverKind(PluginKind kind) {
        if (providers.containsKey(kind)) {
            return;
        }
        providers.put(kind, new TreeMap<>());
        infos.put(kind, new ArrayList<>());
        problems.put(kind, new ArrayList<>());
        try {
            load(kind, source.apply(kind));
        } catch (DuplicatePluginException e) {
            failures.put(kind, e);
            if (kind == PluginKind.ACTIVATION) { // the clash may be with a layer: both kinds are unusable
                failures.putIfAbsent(PluginKind.LAYER, e);
            }
        }
    }

    @SuppressWarnings("rawtypes")
    private void load(PluginKind kind, Iterator<? extends PluginProvider> it) {
        int errors = 0;
        while (errors < MAX_ERRORS_PER_KIND) {
            try {
                if (!it.hasNext()) {
                    return;
                }
                register(kind, (PluginProvider<?, ?>) it.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                errors++;
                problem(kind, "Skipped a broken " + kind.label() + " provider: " + e.getMessage()
                        + (e.getCause() != null ? " (cause: " + e.getCause() + ")" : ""));
            }
        }
        problem(kind, "Stopped loading " + kind.label() + " providers after " + MAX_ERRORS_PER_KIND + " errors.");
    }

    private void register(PluginKind kind, PluginProvider<?, ?> p) {
        String id;
        try {
            id = p.id();
        } catch (RuntimeException e) {
            problem(kind, "Skipped " + kind.label() + " provider " + p.getClass().getName() + ": id() threw " + e);
            return;
        }
        if (!PluginIds.isValid(id)) {
            problem(kind, "Skipped " + kind.label() + " provider " + p.getClass().getName() + ": id '" + id
                    + "' is not lowercase letters, digits and dashes.");
            return;
        }
        String versionProblem = versionProblem(kind, id, p);
        if (versionProblem != null) {
            problem(kind, versionProblem);
            return;
        }
        PluginInfo info = info(kind, id, p);
        // Layers and activations share one namespace: a network stage names either by id alone.
        PluginKind twin = kind == PluginKind.LAYER ? PluginKind.ACTIVATION
                : kind == PluginKind.ACTIVATION ? PluginKind.LAYER : null;
        if (twin != null && providers.containsKey(twin) && providers.get(twin).containsKey(id)) {
            throw new DuplicatePluginException(info(twin, id, providers.get(twin).get(id)), info);
        }
        PluginProvider<?, ?> previous = providers.get(kind).putIfAbsent(id, p);
        if (previous != null) {
            throw new DuplicatePluginException(info(kind, id, previous), info);
        }
        infos.get(kind).add(info);
    }

    /** Why a provider built for another SPI version cannot be used, or null when it can. */
    private static String versionProblem(PluginKind kind, String id, PluginProvider<?, ?> p) {
        int version;
        try {
            version = p.spiVersion();
        } catch (RuntimeException | LinkageError e) {
            return "Skipped " + kind.label() + " provider " + p.getClass().getName() + ": spiVersion() threw " + e;
        }
        if (version > PluginProvider.SPI_VERSION) {
            return "Skipped " + who(kind, id, p) + ": it was built against nnkit's plugin interfaces version " + version
                    + ", newer than this nnkit's " + PluginProvider.SPI_VERSION + ". Upgrade nnkit to use it.";
        }
        if (version < kind.oldestSpiVersion()) {
            return "Skipped " + who(kind, id, p) + ": it was built against nnkit's plugin interfaces version " + version
                    + ", but " + kind.label() + "s need version " + kind.oldestSpiVersion() + " or newer"
                    + (kind == PluginKind.LAYER ? " (layers now declare their output shape and get a PassContext)" : "")
                    + ". Rebuild the plugin against this nnkit and return SPI_VERSION from spiVersion().";
        }
        return null;
    }

    private static String who(PluginKind kind, String id, PluginProvider<?, ?> p) {
        return kind.label() + " '" + id + "' (" + p.getClass().getName() + ")";
    }

    private void problem(PluginKind kind, String message) {
        problems.get(kind).add(message);
        // The logger is looked up here, not held: starting the logging system costs a cold start ~15 ms.
        System.getLogger(PluginRegistry.class.getName()).log(System.Logger.Level.WARNING, message);
    }

    private static PluginInfo info(PluginKind kind, String id, PluginProvider<?, ?> p) {
        Class<?> c = p.getClass();
        Module m = c.getModule();
        String module = m.isNamed() ? m.getName() : "unnamed";
        String version = m.isNamed() ? m.getDescriptor().rawVersion().orElse(null) : null;
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        if (version == null) {
            version = c.getPackage() != null && c.getPackage().getImplementationVersion() != null
                    ? c.getPackage().getImplementationVersion()
                    : cs != null && cs.getLocation() != null ? JarVersions.of(cs.getLocation()) : "unknown";
        }
        String source = cs != null && cs.getLocation() != null ? cs.getLocation().toString() : "unknown";
        String description;
        try {
            description = p.description();
        } catch (RuntimeException e) {
            description = "";
        }
        return new PluginInfo(kind, id, module, version, source, c.getName(), description);
    }

    /** Every plugin found, kind by kind, each kind in discovery order (discovers every kind). */
    public List<PluginInfo> plugins() {
        List<PluginInfo> all = new ArrayList<>();
        for (PluginKind kind : PluginKind.values()) {
            discovered(kind);
            synchronized (this) {
                all.addAll(infos.get(kind));
            }
        }
        return Collections.unmodifiableList(all);
    }

    /** Why any provider was skipped; empty when all loaded (discovers every kind). */
    public List<String> problems() {
        List<String> all = new ArrayList<>();
        for (PluginKind kind : PluginKind.values()) {
            all.addAll(problems(kind));
        }
        return Collections.unmodifiableList(all);
    }

    private List<String> problems(PluginKind kind) {
        discovered(kind);
        synchronized (this) {
            return List.copyOf(problems.get(kind));
        }
    }

    /** The sorted ids of one kind. */
    public List<String> ids(PluginKind kind) {
        return List.copyOf(discovered(kind).keySet());
    }

    /**
     * The provider of a kind and id.
     *
     * @throws UnknownPluginException listing the known ids
     */
    public PluginProvider<?, ?> provider(PluginKind kind, String id) {
        PluginProvider<?, ?> p = discovered(kind).get(id);
        if (p == null) {
            throw new UnknownPluginException(kind, id, ids(kind), skipped(kind, id));
        }
        return p;
    }

    /** Why discovery skipped a provider of this kind and id (built for another nnkit), or "". */
    private String skipped(PluginKind kind, String id) {
        return problems(kind).stream().filter(m -> m.contains(kind.label() + " '" + id + "' (")).findFirst().orElse("");
    }

    /**
     * The provider of a layer.
     *
     * @throws UnknownPluginException naming the nearest layer or activation when {@code id} is neither
     */
    public LayerProvider<?> layer(String id) {
        if (!discovered(PluginKind.LAYER).containsKey(id) && !hasActivation(id) && skipped(PluginKind.LAYER, id).isEmpty()) {
            throw unknownStage(id);
        }
        return (LayerProvider<?>) provider(PluginKind.LAYER, id);
    }

    /** The error for a network stage whose type is neither a layer nor an activation (both lists, the nearest id). */
    public UnknownPluginException unknownStage(String id) {
        return UnknownPluginException.stage(id, ids(PluginKind.LAYER), ids(PluginKind.ACTIVATION));
    }

    public Activation activation(PluginSpec spec) {
        return create(PluginKind.ACTIVATION, spec, Activation.class);
    }

    public Initializer initializer(PluginSpec spec) {
        return create(PluginKind.INITIALIZER, spec, Initializer.class);
    }

    public Loss loss(PluginSpec spec) {
        return create(PluginKind.LOSS, spec, Loss.class);
    }

    public Optimizer optimizer(PluginSpec spec) {
        return create(PluginKind.OPTIMIZER, spec, Optimizer.class);
    }

    public LearningRateSchedule schedule(PluginSpec spec) {
        return create(PluginKind.SCHEDULE, spec, LearningRateSchedule.class);
    }

    /**
     * A new plugin of any kind whose provider needs only its settings (every kind but layers, which
     * {@code NetworkFactory} builds for the shape they receive): the spec's settings bound to the
     * provider's config record, then {@code create}.
     *
     * @throws UnknownPluginException listing the known ids
     * @throws dev.nnkit.api.plugin.PluginConfigException naming a bad setting
     * @throws IllegalArgumentException for layers, or when {@code type} is not what the kind creates
     */
    public <T> T create(PluginKind kind, PluginSpec spec, Class<T> type) {
        if (!(provider(kind, spec.type()) instanceof ConfiguredProvider<?, ?> p)) {
            throw new IllegalArgumentException("A " + kind.label() + " needs more than its settings to be created;"
                    + " layers are built by NetworkFactory for the shape they receive.");
        }
        Object plugin = bindAndCreate(p, spec);
        if (!type.isInstance(plugin)) {
            throw new IllegalArgumentException("The " + kind.label() + " provider of '" + spec.type() + "' created a "
                    + plugin.getClass().getName() + ", not a " + type.getName() + ".");
        }
        return type.cast(plugin);
    }

    private static <C extends Record, T> T bindAndCreate(ConfiguredProvider<C, T> p, PluginSpec spec) {
        return p.create(ConfigBinder.bind(p, spec.params()));
    }

    /** Whether an activation has this id (used to tell activation stages from layers). */
    public boolean hasActivation(String id) {
        return discovered(PluginKind.ACTIVATION).containsKey(id);
    }

}

package dev.nnkit.core.plugin;

import dev.nnkit.api.loss.Loss;
import dev.nnkit.api.loss.LossProvider;
import dev.nnkit.api.plugin.NoConfig;

/** Loss providers for discovery tests: a good one, a twin of its id, and one that cannot start. */
public final class FixtureLosses {
    private FixtureLosses() {
    }

    public static class Good implements LossProvider<NoConfig> {
        @Override
        public String id() {
            return "fixture-loss";
        }

        @Override
        public Class<NoConfig> configType() {
            return NoConfig.class;
        }

        @Override
        public NoConfig defaultConfig() {
            return NoConfig.INSTANCE;
        }

        @Override
        public Loss create(NoConfig config) {
            return (p, y, g) -> 0;
        }
    }

    /** Claims the same id as {@link Good}. */
    public static final class Twin extends Good {
    }

    /** Fails in its constructor, as a provider with a missing dependency would. */
    public static final class Exploding extends Good {
        public Exploding() {
            throw new IllegalStateException("boom: missing native library");
        }
    }

    /** Counts its instances: discovery's laziness is seen in how many were made. */
    public static final class Counted extends Good {
        static final java.util.concurrent.atomic.AtomicInteger MADE = new java.util.concurrent.atomic.AtomicInteger();

        public Counted() {
            MADE.incrementAndGet();
        }
    }

    /** Reports an id that breaks the id rules. */
    public static final class BadId extends Good {
        @Override
        public String id() {
            return "Bad Id";
        }
    }
}

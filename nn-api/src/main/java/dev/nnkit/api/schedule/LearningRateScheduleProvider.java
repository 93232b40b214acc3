package dev.nnkit.api.schedule;

import dev.nnkit.api.plugin.ConfiguredProvider;
import dev.nnkit.api.plugin.PluginProvider;

/**
 * Creates a {@link LearningRateSchedule} ({@code constant}, {@code step}, {@code cosine}, …).
 * Discovered with {@link java.util.ServiceLoader}; see {@link PluginProvider}.
 *
 * @param <C> the config record
 */
public interface LearningRateScheduleProvider<C extends Record> extends ConfiguredProvider<C, LearningRateSchedule> {

    /** A new schedule with the given settings. */
    LearningRateSchedule create(C config);
}

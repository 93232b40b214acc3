package dev.nnkit.core.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The optimizer's state as plain data, so a checkpoint needs to know nothing about which
 * optimizer wrote it: the step count, and per parameter (by its {@code state_dict} name) each
 * state slot's values. Values are copies; the record is immutable.
 *
 * @param iterations optimizer steps taken
 * @param slots parameter name → slot name → values
 */
public record OptimizerSnapshot(long iterations, Map<String, Map<String, double[]>> slots) {
    public OptimizerSnapshot {
        Map<String, Map<String, double[]>> copy = new LinkedHashMap<>();
        slots.forEach((p, m) -> {
            Map<String, double[]> inner = new LinkedHashMap<>();
            m.forEach((s, v) -> inner.put(s, v.clone()));
            copy.put(p, java.util.Collections.unmodifiableMap(inner));
        });
        slots = java.util.Collections.unmodifiableMap(copy);
    }
}

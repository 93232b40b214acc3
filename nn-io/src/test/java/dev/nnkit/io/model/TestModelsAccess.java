package dev.nnkit.io.model;

import dev.nnkit.api.tensor.DType;
import dev.nnkit.core.plugin.PluginRegistry;

/** Lets tests in other packages use {@link TestModels}. */
public final class TestModelsAccess {
    private TestModelsAccess() {
    }

    public static Model classifier() {
        return TestModels.classifier(DType.FLOAT32);
    }

    public static PluginRegistry registry() {
        return TestModels.REGISTRY;
    }
}

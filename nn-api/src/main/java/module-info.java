/**
 * nnkit's API: tensors and the service interfaces (SPIs) that layers, activations, initializers,
 * losses and optimizers implement. Depends on nothing but {@code java.base}.
 */
module dev.nnkit.api {
    exports dev.nnkit.api.tensor;
    exports dev.nnkit.api.plugin;
    exports dev.nnkit.api.activation;
    exports dev.nnkit.api.init;
    exports dev.nnkit.api.layer;
    exports dev.nnkit.api.loss;
    exports dev.nnkit.api.optimizer;
    exports dev.nnkit.api.schedule;
}

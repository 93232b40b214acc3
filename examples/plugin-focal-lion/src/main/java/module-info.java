/**
 * A focal loss and the Lion optimizer for nnkit. Exports the config records; provides the plugins.
 */
module com.example.focallion {
    requires dev.nnkit.api;

    exports com.example.focallion;

    provides dev.nnkit.api.loss.LossProvider with com.example.focallion.internal.FocalLossProvider;
    provides dev.nnkit.api.optimizer.OptimizerProvider with com.example.focallion.internal.LionOptimizerProvider;
}

/**
 * A focal loss, the Lion optimizer and a per-channel scale layer for nnkit. Exports the config
 * records; provides the plugins.
 */
module com.example.focallion {
    requires dev.nnkit.api;

    exports com.example.focallion;

    provides dev.nnkit.api.loss.LossProvider with com.example.focallion.internal.FocalLossProvider;
    provides dev.nnkit.api.optimizer.OptimizerProvider with com.example.focallion.internal.LionOptimizerProvider;
    provides dev.nnkit.api.layer.LayerProvider with com.example.focallion.internal.ChannelScaleLayerProvider;
}

/**
 * The ${pluginId} loss for nnkit. Exports its settings record (nnkit reads it by reflection) and
 * provides the loss; the provider's package stays internal.
 */
module ${package} {
    requires dev.nnkit.api;

    exports ${package};

    provides dev.nnkit.api.loss.LossProvider with ${package}.internal.LogCoshLossProvider;
}

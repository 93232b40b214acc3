/**
 * nnkit's built-in losses, registered exactly as a third party's would be. Exports nothing: the
 * losses are used by id ({@code mse}, {@code categorical-cross-entropy-logits}, …).
 */
module dev.nnkit.losses {
    requires dev.nnkit.api;

    provides dev.nnkit.api.loss.LossProvider with
            dev.nnkit.losses.internal.RegressionLosses.MeanSquaredError,
            dev.nnkit.losses.internal.RegressionLosses.HalfSumSquaredError,
            dev.nnkit.losses.internal.BinaryLosses.FromProbabilities,
            dev.nnkit.losses.internal.BinaryLosses.FromLogits,
            dev.nnkit.losses.internal.CategoricalLosses.FromProbabilities,
            dev.nnkit.losses.internal.CategoricalLosses.FromLogits,
            dev.nnkit.losses.internal.CategoricalLosses.SparseFromProbabilities,
            dev.nnkit.losses.internal.CategoricalLosses.SparseFromLogits;
}

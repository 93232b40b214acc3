/**
 * nnkit's built-in losses, registered exactly as a third party's would be. Exports only the
 * config records, so Java users can build them; the losses are used by id ({@code mse},
 * {@code categorical-cross-entropy-logits}, …).
 */
module dev.nnkit.losses {
    requires dev.nnkit.api;

    exports dev.nnkit.losses;

    provides dev.nnkit.api.loss.LossProvider with
            dev.nnkit.losses.internal.RegressionLosses.MeanSquaredError,
            dev.nnkit.losses.internal.RegressionLosses.HalfSumSquaredError,
            dev.nnkit.losses.internal.RobustLosses.MeanAbsoluteError,
            dev.nnkit.losses.internal.RobustLosses.Huber,
            dev.nnkit.losses.internal.RobustLosses.SmoothL1,
            dev.nnkit.losses.internal.BinaryLosses.FromProbabilities,
            dev.nnkit.losses.internal.BinaryLosses.FromLogits,
            dev.nnkit.losses.internal.CategoricalLosses.FromProbabilities,
            dev.nnkit.losses.internal.CategoricalLosses.FromLogits,
            dev.nnkit.losses.internal.CategoricalLosses.SparseFromProbabilities,
            dev.nnkit.losses.internal.CategoricalLosses.SparseFromLogits,
            dev.nnkit.losses.internal.MarginLosses.Hinge,
            dev.nnkit.losses.internal.MarginLosses.SquaredHinge,
            dev.nnkit.losses.internal.DistributionLosses.KlDivergence,
            dev.nnkit.losses.internal.DistributionLosses.CosineDistance,
            dev.nnkit.losses.internal.DistributionLosses.Poisson;
}

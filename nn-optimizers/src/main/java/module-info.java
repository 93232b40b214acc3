/**
 * nnkit's built-in optimizers and learning-rate schedules, registered exactly as a third party's would be. Exports only the
 * config records, so Java users can build them; the optimizers themselves are used by id.
 */
module dev.nnkit.optimizers {
    requires dev.nnkit.api;

    exports dev.nnkit.optimizers;

    provides dev.nnkit.api.optimizer.OptimizerProvider with
            dev.nnkit.optimizers.internal.OptimizerProviders.Sgd,
            dev.nnkit.optimizers.internal.OptimizerProviders.Adam,
            dev.nnkit.optimizers.internal.OptimizerProviders.AdamW,
            dev.nnkit.optimizers.internal.OptimizerProviders.Adamax,
            dev.nnkit.optimizers.internal.OptimizerProviders.Nadam,
            dev.nnkit.optimizers.internal.OptimizerProviders.Adagrad,
            dev.nnkit.optimizers.internal.OptimizerProviders.Rmsprop,
            dev.nnkit.optimizers.internal.OptimizerProviders.Adadelta;
    provides dev.nnkit.api.schedule.LearningRateScheduleProvider with
            dev.nnkit.optimizers.internal.ScheduleProviders.Constant,
            dev.nnkit.optimizers.internal.ScheduleProviders.Step,
            dev.nnkit.optimizers.internal.ScheduleProviders.MultiStep,
            dev.nnkit.optimizers.internal.ScheduleProviders.Exponential,
            dev.nnkit.optimizers.internal.ScheduleProviders.Cosine,
            dev.nnkit.optimizers.internal.ScheduleProviders.LinearWarmup,
            dev.nnkit.optimizers.internal.ScheduleProviders.ReduceOnPlateau;
}

/**
 * nnkit's engine: forward and back propagation, the dense layer, built-in activations and
 * initializers, the trainer, and the plugin registry over {@link java.util.ServiceLoader}.
 * No Guice: the trainer's Guice wiring is the nn-inject module's. Built-in plugins are provided
 * exactly as a third party's would be.
 */
module dev.nnkit.core {
    requires transitive dev.nnkit.api;
    requires org.apache.commons.rng.api;
    requires org.apache.commons.rng.simple;
    requires org.apache.commons.rng.core; // RandomProviderDefaultState: generator state as bytes
    requires org.apache.commons.numbers.gamma; // erfc, for the exact GELU
    // HotSpot's UseFMA flag: whether the portable loops may use Math.fma (see HardwareFma).
    requires jdk.management;
    // The Vector API kernels, used only when the JVM enables this incubating module (see Float32Kernels).
    requires static jdk.incubator.vector;

    exports dev.nnkit.core.config;
    exports dev.nnkit.core.explain;
    exports dev.nnkit.core.plugin;
    exports dev.nnkit.core.network;
    exports dev.nnkit.core.train;
    exports dev.nnkit.core.random;

    uses dev.nnkit.api.layer.LayerProvider;
    uses dev.nnkit.api.activation.ActivationProvider;
    uses dev.nnkit.api.init.InitializerProvider;
    uses dev.nnkit.api.loss.LossProvider;
    uses dev.nnkit.api.optimizer.OptimizerProvider;
    uses dev.nnkit.api.schedule.LearningRateScheduleProvider;

    provides dev.nnkit.api.layer.LayerProvider with
            dev.nnkit.core.builtin.DenseLayerProvider,
            dev.nnkit.core.builtin.FlattenLayerProvider,
            dev.nnkit.core.layers.Conv2dLayerProvider,
            dev.nnkit.core.layers.PoolingLayerProviders.MaxPool2d,
            dev.nnkit.core.layers.PoolingLayerProviders.AvgPool2d,
            dev.nnkit.core.layers.PoolingLayerProviders.GlobalAvgPool2d,
            dev.nnkit.core.layers.NormalizationLayerProviders.BatchNorm,
            dev.nnkit.core.layers.NormalizationLayerProviders.Dropout;
    provides dev.nnkit.api.activation.ActivationProvider with
            dev.nnkit.core.builtin.ActivationProviders.Identity,
            dev.nnkit.core.builtin.ActivationProviders.Sigmoid,
            dev.nnkit.core.builtin.ActivationProviders.Tanh,
            dev.nnkit.core.builtin.ActivationProviders.Relu,
            dev.nnkit.core.builtin.ActivationProviders.LeakyRelu,
            dev.nnkit.core.builtin.ActivationProviders.Softmax,
            dev.nnkit.core.builtin.ActivationProviders.Gelu,
            dev.nnkit.core.builtin.ActivationProviders.Silu,
            dev.nnkit.core.builtin.ActivationProviders.Elu,
            dev.nnkit.core.builtin.ActivationProviders.Selu,
            dev.nnkit.core.builtin.ActivationProviders.Softplus;
    provides dev.nnkit.api.init.InitializerProvider with
            dev.nnkit.core.builtin.InitializerProviders.GlorotUniform,
            dev.nnkit.core.builtin.InitializerProviders.GlorotNormal,
            dev.nnkit.core.builtin.InitializerProviders.HeUniform,
            dev.nnkit.core.builtin.InitializerProviders.HeNormal,
            dev.nnkit.core.builtin.InitializerProviders.TorchDefault,
            dev.nnkit.core.builtin.InitializerProviders.Zeros;
}

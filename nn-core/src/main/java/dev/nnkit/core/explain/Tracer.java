package dev.nnkit.core.explain;

import dev.nnkit.api.plugin.ConfigBinder;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.NamedBuffer;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.network.Stage;
import dev.nnkit.core.plugin.PluginKind;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.train.Trainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one real training step on a batch and records every stage's values ({@link Trace}), for
 * networks the dense {@link Explainer} does not cover. The trainer is changed by the step (and by
 * the second forward pass that measures the loss after it).
 */
public final class Tracer {
    private Tracer() {
    }

    /**
     * @param trainer the network, loss and optimizer of the step
     * @param x the batch [N, sample shape]
     * @param y its targets [N, width]
     * @param registry where the stages' settings and formulas come from
     * @param lossId the loss's id
     * @param optimizerId the optimizer's id
     * @param optimizerSettings its complete settings
     */
    public static Trace trace(Trainer trainer, Tensor x, Tensor y, PluginRegistry registry, String lossId,
                              String optimizerId, Map<String, Object> optimizerSettings) {
        Network net = trainer.network();
        Map<String, double[]> buffersBefore = new LinkedHashMap<>();
        net.buffers().forEach(b -> buffersBefore.put(b.name(), b.buffer().value().toDoubleArray()));
        Map<String, double[]> before = Explainer.parameters(net);
        double loss = trainer.computeGradients(x, y);

        List<Trace.StageTrace> stages = new ArrayList<>();
        for (int s = 0; s < net.stages().size(); s++) {
            stages.add(stage(net, s, x, registry, buffersBefore));
        }
        double[] outputGradient = net.stageOutputGradient(net.stages().size() - 1).toDoubleArray();
        double lr = trainer.learningRate();
        trainer.applyUpdate();
        Explanation.Update update = new Explanation.Update(optimizerId, description(registry, PluginKind.OPTIMIZER,
                optimizerId), optimizerSettings, lr, trainer.iterations(), before, Explainer.parameters(net),
                Explainer.optimizerState(trainer));
        double after = trainer.computeGradients(x, y);
        return new Trace(x.shape().dim(0), net.inputShape().dims(), x.toDoubleArray(), y.toDoubleArray(), stages,
                lossId, description(registry, PluginKind.LOSS, lossId), loss, outputGradient, update, after);
    }

    private static Trace.StageTrace stage(Network net, int s, Tensor x, PluginRegistry registry,
                                          Map<String, double[]> buffersBefore) {
        Stage stage = net.stages().get(s);
        String type = stage.spec().type();
        PluginKind kind = registry.hasActivation(type) ? PluginKind.ACTIVATION : PluginKind.LAYER;
        Map<String, Object> settings = ConfigBinder.toMap(ConfigBinder.bind(registry.provider(kind, type),
                stage.spec().params()));
        Tensor input = s == 0 ? x : net.stageOutput(s - 1);
        Tensor output = net.stageOutput(s);
        List<Trace.ParameterValues> parameters = new ArrayList<>();
        for (NamedParameter p : net.parameters()) {
            if (p.stage() == s) {
                parameters.add(new Trace.ParameterValues(p.name(), p.parameter().value().shape().dims(),
                        p.parameter().value().toDoubleArray(), p.parameter().gradient().toDoubleArray()));
            }
        }
        List<Trace.BufferValues> buffers = new ArrayList<>();
        for (NamedBuffer b : net.buffers()) {
            if (b.stage() == s) {
                buffers.add(new Trace.BufferValues(b.name(), b.buffer().value().shape().dims(), buffersBefore.get(b.name()),
                        b.buffer().value().toDoubleArray()));
            }
        }
        Map<String, double[]> internals = new LinkedHashMap<>();
        if (type.equals("dropout")) { // the mask the layer drew in forward and applied in backward
            internals.put("mask", net.stageContext(s).scratch("mask", output.shape()).toDoubleArray());
        } else if (kind == PluginKind.ACTIVATION && !type.equals("softmax")) {
            internals.put("h'", Explainer.derivative(net, s, input, output));
        }
        return new Trace.StageTrace(s, type, description(registry, kind, type), settings,
                sampleShape(input), sampleShape(output),
                input.toDoubleArray(), output.toDoubleArray(), net.stageOutputGradient(s).toDoubleArray(),
                s == 0 ? new double[0] : net.stageOutputGradient(s - 1).toDoubleArray(), parameters, buffers, internals);
    }

    private static int[] sampleShape(Tensor batch) {
        return batch.shape().sample().dims();
    }

    private static String description(PluginRegistry registry, PluginKind kind, String id) {
        return registry.plugins().stream().filter(p -> p.kind() == kind && p.id().equals(id)).map(p -> p.description())
                .findFirst().orElse("");
    }
}

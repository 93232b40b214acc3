package dev.nnkit.core.explain;

import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.api.layer.Parameter;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.network.Stage;
import dev.nnkit.core.train.Trainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one real training step on one sample and records every intermediate value: the numbers
 * are read from the network's own buffers after the trainer's forward and backward passes and its
 * optimizer update, so an explanation is always exactly what training does. The trainer is
 * changed by the step.
 */
public final class Explainer {
    private Explainer() {
    }

    /**
     * @param trainer a trainer whose network is dense layers, each optionally followed by an activation
     * @param input one sample's features
     * @param target its target row (as wide as the loss wants)
     * @param formulas one-line formulas of plugins by id, for the text (loss, activations, optimizer)
     * @param lossId the loss's id
     * @param optimizerId the optimizer's id, for the text
     * @param optimizerSettings its complete settings
     */
    public static Explanation explain(Trainer trainer, double[] input, double[] target, Map<String, String> formulas,
                                      String lossId, String optimizerId, Map<String, Object> optimizerSettings) {
        if (input.length != trainer.network().inputSize()) {
            throw new IllegalArgumentException("The input has " + input.length + " values; the network takes "
                    + trainer.network().inputSize() + ".");
        }
        Network net = trainer.network();
        Tensor x = Tensor.of(net.dtype(), Shape.of(1, input.length), input);
        Tensor y = Tensor.of(net.dtype(), Shape.of(1, target.length), target);
        Map<String, double[]> before = parameters(net);
        double loss = trainer.computeGradients(x, y);

        List<Explanation.Layer> layers = new ArrayList<>();
        List<Stage> stages = net.stages();
        double[] previous = x.toDoubleArray();
        int l = 0;
        for (int s = 0; s < stages.size(); s++) {
            Stage dense = stages.get(s);
            if (dense.layer().parameters().isEmpty()) {
                throw new IllegalArgumentException("Stage " + s + " ('" + dense.spec().type() + "') is not preceded by a "
                        + "dense layer; explain supports dense layers, each followed by at most one activation.");
            }
            boolean hasActivation = s + 1 < stages.size() && stages.get(s + 1).layer().parameters().isEmpty();
            int outStage = hasActivation ? s + 1 : s;
            String activation = hasActivation ? stages.get(s + 1).spec().type() : "identity";
            double[] z = net.stageOutput(s).toDoubleArray();
            double[] a = net.stageOutput(outStage).toDoubleArray();
            double[] dA = net.stageOutputGradient(outStage).toDoubleArray();
            double[] delta = net.stageOutputGradient(s).toDoubleArray();
            boolean elementwise = !activation.equals("softmax");
            double[] hPrime = hasActivation && elementwise ? derivative(net, s + 1, net.stageOutput(s),
                    net.stageOutput(outStage)) : hasActivation ? new double[0] : ones(z.length);
            int denseIndex = s;
            NamedParameter w = net.parameters().stream()
                    .filter(p -> p.stage() == denseIndex && p.parameter().role() == Parameter.Role.WEIGHT).findFirst().orElseThrow();
            var bias = net.parameters().stream()
                    .filter(p -> p.stage() == denseIndex && p.parameter().role() == Parameter.Role.BIAS).findFirst();
            l++;
            layers.add(new Explanation.Layer(l, w.name(), bias.map(NamedParameter::name).orElse(""), activation,
                    formulas.getOrDefault(activation, "") + (hasActivation ? settings(stages.get(s + 1).spec()) : ""),
                    elementwise, matrix(w.parameter().value()),
                    bias.map(b -> b.parameter().value().toDoubleArray()).orElse(new double[0]), previous, z, a, hPrime, dA,
                    delta, matrix(w.parameter().gradient()),
                    bias.map(b -> b.parameter().gradient().toDoubleArray()).orElse(new double[0])));
            previous = a;
            s = outStage;
        }
        double[] outputGradient = net.stageOutputGradient(stages.size() - 1).toDoubleArray();
        double lr = trainer.learningRate();
        trainer.applyUpdate();
        Explanation.Update update = new Explanation.Update(optimizerId, formulas.getOrDefault(optimizerId, ""),
                optimizerSettings, lr, trainer.iterations(), before, parameters(net), optimizerState(trainer));
        double after = trainer.computeGradients(x, y);
        return new Explanation(input.clone(), target.clone(), layers, lossId, formulas.getOrDefault(lossId, ""), loss,
                outputGradient, update, after);
    }

    /** Every parameter's optimizer state after a step, by state_dict name and slot. */
    static Map<String, Map<String, double[]>> optimizerState(Trainer trainer) {
        Map<String, Map<String, double[]>> state = new LinkedHashMap<>();
        for (NamedParameter p : trainer.network().parameters()) {
            Map<String, double[]> slots = new LinkedHashMap<>();
            trainer.optimizerState(p).forEach((k, v) -> slots.put(k, v.toDoubleArray()));
            state.put(p.name(), slots);
        }
        return state;
    }

    /** h′(z) from the activation's own backward pass with ∂C/∂a = 1. */
    static double[] derivative(Network net, int stage, Tensor z, Tensor a) {
        Tensor ones = Tensor.zeros(z.dtype(), z.shape());
        ones.fill(1);
        Tensor out = Tensor.zeros(z.dtype(), z.shape());
        net.stages().get(stage).layer().inputGradient(z, a, ones, out, net.stageContext(stage));
        return out.toDoubleArray();
    }

    private static double[] ones(int n) {
        double[] o = new double[n];
        java.util.Arrays.fill(o, 1);
        return o;
    }

    static Map<String, double[]> parameters(Network net) {
        Map<String, double[]> out = new LinkedHashMap<>();
        net.parameters().forEach(p -> out.put(p.name(), p.parameter().value().toDoubleArray()));
        return out;
    }

    private static double[][] matrix(Tensor t) {
        int rows = t.shape().rows();
        int cols = t.shape().cols();
        double[][] m = new double[rows][cols];
        for (int i = 0; i < t.size(); i++) {
            m[i / cols][i % cols] = t.get(i);
        }
        return m;
    }

    /** The settings the config gave a stage, after its formula ("; approximate = tanh"), or nothing. */
    private static String settings(dev.nnkit.core.plugin.PluginSpec spec) {
        return spec.params().isEmpty() ? "" : "; " + spec.params().entrySet().stream()
                .map(e -> e.getKey() + " = " + e.getValue()).collect(java.util.stream.Collectors.joining(", "));
    }
}

package dev.nnkit.core.train;

import dev.nnkit.core.random.RandomStreams;
import dev.nnkit.api.loss.LossFunction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nnkit.api.loss.Loss;
import dev.nnkit.api.loss.Reduction;
import dev.nnkit.api.optimizer.Optimizer;
import dev.nnkit.api.optimizer.ParameterState;
import dev.nnkit.api.optimizer.StepContext;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.network.NamedParameter;
import dev.nnkit.core.network.Network;
import dev.nnkit.core.network.NetworkFactory;
import dev.nnkit.core.network.NetworkSpec;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.core.plugin.PluginSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Trainer")
class TrainerTest {
    static final PluginRegistry REGISTRY = PluginRegistry.discover();

    /** ½ Σ (ŷ − y)², local to this test because the losses module is not a dependency of core. */
    static final Loss HALF_SSE = (p, y, g) -> {
        double s = 0;
        for (int j = 0; j < p.length; j++) {
            g[j] = p[j] - y[j];
            s += g[j] * g[j] / 2;
        }
        return s;
    };

    static Optimizer sgd(double lr) {
        return new Optimizer() {
            @Override
            public List<String> stateSlots() {
                return List.of();
            }

            @Override
            public double learningRate() {
                return lr;
            }

            @Override
            public void update(Tensor value, Tensor gradient, ParameterState state, StepContext step) {
                for (int i = 0; i < value.size(); i++) {
                    value.set(i, value.get(i) - step.learningRate() * gradient.get(i));
                }
            }
        };
    }

    /** y = 2x₁ − x₂ + 0.5 on a grid: linear regression a 2-1 network can fit exactly. */
    static Dataset line() {
        double[][] x = new double[25][];
        double[][] y = new double[25][];
        for (int i = 0; i < 25; i++) {
            double a = (i % 5) / 2.0 - 1;
            double b = (i / 5) / 2.0 - 1;
            x[i] = new double[] {a, b};
            y[i] = new double[] {2 * a - b + 0.5};
        }
        return new Dataset(Tensor.matrix(DType.FLOAT64, x), Tensor.matrix(DType.FLOAT64, y));
    }

    static Trainer trainer(TrainingOptions options, double lr) {
        RandomStreams random = new RandomStreams(options.seed());
        Network net = new NetworkFactory(REGISTRY).build(
                NetworkSpec.builder(2).dense(1).dtype(DType.FLOAT64).build(), random.next());
        return new Trainer(net, new LossFunction(HALF_SSE, Reduction.MEAN), sgd(lr),
                REGISTRY.activation(PluginSpec.of("identity")), options, random.next());
    }

    @Test
    @DisplayName("stops after the maximum number of iterations, mid-epoch if need be")
    void maxIterations() {
        TrainingResult r = trainer(TrainingOptions.defaults().withBatchSize(5).withMaxIterations(7), 0.1).fit(line());
        assertThat(r.reason()).isEqualTo(StopReason.MAX_ITERATIONS);
        assertThat(r.iterations()).isEqualTo(7);
        assertThat(r.epochs()).isEqualTo(2);
    }

    @Test
    @DisplayName("stops when the epoch loss falls below the threshold")
    void lossThreshold() {
        TrainingResult r = trainer(TrainingOptions.defaults().withBatchSize(5).withMaxEpochs(500)
                .withLossThreshold(1e-4), 0.1).fit(line());
        assertThat(r.reason()).isEqualTo(StopReason.LOSS_BELOW_THRESHOLD);
        assertThat(r.finalLoss()).isLessThan(1e-4);
        assertThat(r.epochLosses().get(r.epochs() - 2)).isGreaterThanOrEqualTo(1e-4);
    }

    @Test
    @DisplayName("stops when the epoch loss changes by less than the threshold")
    void lossConverged() {
        TrainingResult r = trainer(TrainingOptions.defaults().withBatchSize(25).withMaxEpochs(10_000)
                .withMinLossChange(1e-6), 0.05).fit(line());
        assertThat(r.reason()).isEqualTo(StopReason.LOSS_CONVERGED);
        List<Double> l = r.epochLosses();
        assertThat(Math.abs(l.get(l.size() - 1) - l.get(l.size() - 2))).isLessThan(1e-6);
        assertThat(r.epochs()).isLessThan(10_000);
    }

    @Test
    @DisplayName("runs every epoch when no other condition holds, telling listeners about each batch and epoch")
    void maxEpochsAndListeners() {
        Trainer t = trainer(TrainingOptions.defaults().withBatchSize(10).withMaxEpochs(3), 0.1);
        List<TrainingListener.BatchEvent> batches = new ArrayList<>();
        List<TrainingListener.EpochEvent> epochs = new ArrayList<>();
        t.addListener(new TrainingListener() {
            @Override
            public void onBatchEnd(BatchEvent e) {
                batches.add(e);
            }

            @Override
            public void onEpochEnd(EpochEvent e) {
                epochs.add(e);
            }
        });
        TrainingResult r = t.fit(line());
        assertThat(r.reason()).isEqualTo(StopReason.MAX_EPOCHS);
        assertThat(batches).hasSize(9); // 25 examples in batches of 10, 10, 5
        assertThat(batches).extracting(TrainingListener.BatchEvent::batchSize).containsExactly(10, 10, 5, 10, 10, 5, 10, 10, 5);
        assertThat(epochs).extracting(TrainingListener.EpochEvent::loss).containsExactlyElementsOf(r.epochLosses());
    }

    @Test
    @DisplayName("learns the line: loss near zero and weights (2, −1), bias 0.5")
    void learns() {
        Trainer t = trainer(TrainingOptions.defaults().withBatchSize(5).withMaxEpochs(400), 0.1);
        assertThat(t.fit(line()).finalLoss()).isLessThan(1e-10);
        List<NamedParameter> ps = t.network().parameters();
        assertThat(ps.get(0).parameter().value().toDoubleArray())
                .containsExactly(new double[] {2, -1}, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(ps.get(1).parameter().value().get(0)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    @DisplayName("gives bit-identical weights for the same seed, different ones for another seed")
    void deterministic() {
        TrainingOptions o = TrainingOptions.defaults().withBatchSize(4).withMaxEpochs(5);
        double[] a = weights(trainer(o, 0.05));
        double[] b = weights(trainer(o, 0.05));
        double[] c = weights(trainer(o.withSeed(43), 0.05));
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
    }

    private static double[] weights(Trainer t) {
        t.fit(line());
        return t.network().parameters().get(0).parameter().value().toDoubleArray();
    }

    @Test
    @DisplayName("stops with a clear error when the loss overflows, saying the outputs were finite")
    void diverges() {
        Trainer t = trainer(TrainingOptions.defaults().withBatchSize(25).withMaxEpochs(1000), 5.0);
        assertThatThrownBy(() -> t.fit(line()))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("Training diverged: the loss is Infinity at epoch")
                .hasMessageContaining("Every stage's output is finite")
                .hasMessageContaining("Try a lower learning rate");
    }

    @Test
    @DisplayName("names the first stage that outputs NaN")
    void namesNonFiniteStage() {
        Trainer t = trainer(TrainingOptions.defaults().withBatchSize(25), 0.1);
        t.network().parameters().get(0).parameter().value().set(1, Double.NaN);
        assertThatThrownBy(() -> t.fit(line()))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("the loss is NaN at epoch 1, step 1.")
                .hasMessageContaining("Stage 0 ('dense') is the first to output a non-finite value.");
    }

    @Test
    @DisplayName("clips the global gradient norm to clipNorm, keeping the direction")
    void clipsGradients() {
        Dataset d = line();
        Trainer plain = trainer(TrainingOptions.defaults(), 0.1);
        Trainer clipped = trainer(TrainingOptions.defaults().withClipNorm(0.05), 0.1);
        plain.computeGradients(d.features(), d.targets());
        clipped.computeGradients(d.features(), d.targets());
        double[] g = gradients(plain);
        double[] c = gradients(clipped);
        double norm = Math.sqrt(java.util.Arrays.stream(g).map(v -> v * v).sum());
        assertThat(norm).as("unclipped norm").isGreaterThan(0.05);
        double scale = 0.05 / (norm + 1e-6);
        for (int i = 0; i < g.length; i++) {
            assertThat(c[i]).isCloseTo(g[i] * scale, org.assertj.core.data.Offset.offset(1e-15));
        }
    }

    @Test
    @DisplayName("adds λ₁ sign(w) + 2λ₂ w to weight gradients (not biases) and the penalty to the loss")
    void penalties() {
        Dataset d = line();
        Trainer plain = trainer(TrainingOptions.defaults(), 0.1);
        Trainer penalized = trainer(TrainingOptions.defaults().withPenalties(0.01, 0.1), 0.1);
        double l0 = plain.computeGradients(d.features(), d.targets());
        double l1 = penalized.computeGradients(d.features(), d.targets());
        Tensor w = plain.network().parameters().get(0).parameter().value();
        double expectedPenalty = 0;
        for (int i = 0; i < w.size(); i++) {
            double v = w.get(i);
            expectedPenalty += 0.01 * Math.abs(v) + 0.1 * v * v;
            assertThat(penalized.network().parameters().get(0).parameter().gradient().get(i))
                    .isCloseTo(plain.network().parameters().get(0).parameter().gradient().get(i)
                            + 0.01 * Math.signum(v) + 0.2 * v, org.assertj.core.data.Offset.offset(1e-15));
        }
        assertThat(l1).isCloseTo(l0 + expectedPenalty, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(penalized.network().parameters().get(1).parameter().gradient().get(0))
                .as("bias gradient").isEqualTo(plain.network().parameters().get(1).parameter().gradient().get(0));
    }

    @Test
    @DisplayName("uses the schedule's learning rate in each epoch")
    void schedule() {
        TrainingOptions o = TrainingOptions.defaults().withBatchSize(25).withMaxEpochs(4);
        RandomStreams random = new RandomStreams(o.seed());
        Network net = new NetworkFactory(REGISTRY).build(NetworkSpec.builder(2).dense(1).dtype(DType.FLOAT64).build(),
                random.next());
        Trainer t = new Trainer(net, new LossFunction(HALF_SSE, Reduction.MEAN), sgd(0.1),
                (base, epoch, losses) -> base / (1 << epoch), REGISTRY.activation(PluginSpec.of("identity")), o,
                random.next());
        List<Double> rates = new ArrayList<>();
        t.addListener(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochEvent e) {
                rates.add(e.learningRate());
            }
        });
        t.fit(line());
        assertThat(rates).containsExactly(0.1, 0.05, 0.025, 0.0125);
    }

    @Test
    @DisplayName("weights samples in the loss: weight 0 drops an example, weight 2 counts it twice")
    void sampleWeights() {
        Dataset d = line();
        double[] w = new double[d.size()];
        java.util.Arrays.fill(w, 1);
        w[0] = 0;
        w[1] = 2;
        Trainer t = trainer(TrainingOptions.defaults(), 0.1);
        double weighted = t.evaluateLoss(new Dataset(d.features(), d.targets(), w));
        double[] each = new double[d.size()];
        t.lossFunction().evaluate(t.network().forward(d.features()), d.targets(),
                Tensor.zeros(DType.FLOAT64, Shape.of(d.size(), 1)), each);
        double expected = 0;
        for (int i = 0; i < each.length; i++) {
            expected += w[i] * each[i];
        }
        assertThat(weighted).isCloseTo(expected / d.size(), org.assertj.core.data.Offset.offset(1e-15));
        assertThatThrownBy(() -> new Dataset(d.features(), d.targets(), new double[] {1, -1}))
                .hasMessageContaining("Got 2 sample weights for 25 examples");
    }

    @Test
    @DisplayName("saves and restores optimizer state as data, rejecting a foreign state by name")
    void optimizerState() {
        Trainer t = trainer(TrainingOptions.defaults().withMaxEpochs(2), 0.1);
        t.fit(line());
        OptimizerSnapshot s = t.saveOptimizerState();
        assertThat(s.iterations()).isEqualTo(2);
        assertThat(s.slots()).containsOnlyKeys("0.weight", "0.bias");
        Trainer fresh = trainer(TrainingOptions.defaults(), 0.1);
        fresh.restoreOptimizerState(s);
        assertThat(fresh.iterations()).isEqualTo(2);
        OptimizerSnapshot foreign = new OptimizerSnapshot(3, java.util.Map.of("0.weight",
                java.util.Map.of("exp_avg", new double[2]), "0.bias", java.util.Map.of("exp_avg", new double[1])));
        assertThatThrownBy(() -> fresh.restoreOptimizerState(foreign))
                .hasMessageContaining("parameter '0.weight' needs slots [] but the saved state has [exp_avg]");
    }

    /** Momentum SGD with its velocity in a state slot, so resuming must restore optimizer state too. */
    static Optimizer momentum(double lr) {
        return new Optimizer() {
            @Override
            public List<String> stateSlots() {
                return List.of("momentum_buffer");
            }

            @Override
            public double learningRate() {
                return lr;
            }

            @Override
            public void update(Tensor value, Tensor gradient, ParameterState state, StepContext step) {
                Tensor b = state.slot("momentum_buffer");
                for (int i = 0; i < value.size(); i++) {
                    b.set(i, 0.9 * b.get(i) + gradient.get(i));
                    value.set(i, value.get(i) - step.learningRate() * b.get(i));
                }
            }
        };
    }

    static Trainer momentumTrainer(TrainingOptions o) {
        RandomStreams random = new RandomStreams(o.seed());
        Network net = new NetworkFactory(REGISTRY).build(NetworkSpec.builder(2).dense(3).activation("tanh").dense(1)
                .build(), random.next());
        return new Trainer(net, new LossFunction(HALF_SSE, Reduction.MEAN), momentum(0.05),
                (base, epoch, losses) -> base / (1 + epoch), REGISTRY.activation(PluginSpec.of("identity")), o,
                random.next());
    }

    @Test
    @DisplayName("resumed from any checkpoint, mid-epoch or at its end, ends with bit-identical weights")
    void resumeIsBitIdentical() {
        TrainingOptions o = TrainingOptions.defaults().withBatchSize(4).withMaxEpochs(4);
        Dataset data = new Dataset(line().features().to(DType.FLOAT32), line().targets().to(DType.FLOAT32));
        Trainer uninterrupted = momentumTrainer(o);
        List<TrainingState> states = new ArrayList<>();
        uninterrupted.checkpointEvery(3, states::add);
        TrainingResult full = uninterrupted.fit(data);
        double[] expected = gradientsAndWeights(uninterrupted);
        assertThat(states).hasSizeGreaterThan(6);
        for (TrainingState st : states) {
            Trainer resumed = momentumTrainer(o);
            TrainingResult r = resumed.resume(data, st);
            assertThat(gradientsAndWeights(resumed)).as("resumed at epoch %d batch %d", st.epoch(), st.batch())
                    .containsExactly(expected);
            assertThat(r.epochLosses()).containsExactlyElementsOf(full.epochLosses());
        }
    }

    @Test
    @DisplayName("a stop request (an interrupt) returns after the current step with its state, and resuming from it is bit-identical")
    void stopRequestHandsOverTheState() {
        TrainingOptions o = TrainingOptions.defaults().withBatchSize(4).withMaxEpochs(4);
        Dataset data = new Dataset(line().features().to(DType.FLOAT32), line().targets().to(DType.FLOAT32));
        Trainer uninterrupted = momentumTrainer(o);
        TrainingResult full = uninterrupted.fit(data);
        for (long stopAt : new long[] {1, 7, 14}) { // 7 batches an epoch: mid-epoch, at an epoch's end, at the next
            Trainer stopped = momentumTrainer(o);
            List<TrainingState> onStop = new ArrayList<>();
            stopped.checkpointAtEnd(onStop::add);
            stopped.addListener(new TrainingListener() {
                @Override
                public void onBatchEnd(BatchEvent e) {
                    if (e.iteration() == stopAt) {
                        stopped.requestStop(); // as a signal handler's thread would, between two steps
                    }
                }
            });
            TrainingResult r = stopped.fit(data);
            assertThat(r.reason()).isEqualTo(StopReason.STOPPED);
            assertThat(r.iterations()).isEqualTo(stopAt);
            assertThat(onStop).singleElement().extracting(TrainingState::iterations).isEqualTo(stopAt);
            Trainer resumed = momentumTrainer(o);
            TrainingResult rest = resumed.resume(data, onStop.get(0));
            assertThat(gradientsAndWeights(resumed)).as("resumed after a stop at step %d", stopAt)
                    .containsExactly(gradientsAndWeights(uninterrupted));
            assertThat(rest.epochLosses()).containsExactlyElementsOf(full.epochLosses());
        }
    }

    @Test
    @DisplayName("a stop right after a regular checkpoint hands over nothing more: that checkpoint is the state")
    void stopAfterCheckpointDoesNotRepeatIt() {
        TrainingOptions o = TrainingOptions.defaults().withBatchSize(4).withMaxEpochs(4);
        Trainer t = momentumTrainer(o);
        List<TrainingState> regular = new ArrayList<>();
        List<TrainingState> onStop = new ArrayList<>();
        t.checkpointEvery(3, st -> {
            regular.add(st);
            t.requestStop();
        });
        t.checkpointAtEnd(onStop::add);
        TrainingResult r = t.fit(line());
        assertThat(r.reason()).isEqualTo(StopReason.STOPPED);
        assertThat(r.iterations()).isEqualTo(3);
        assertThat(regular).hasSize(1);
        assertThat(onStop).isEmpty();
    }

    @Test
    @DisplayName("a finished run hands over its end state, and a longer run resumed from it is bit-identical to one trained straight through")
    void finishedRunContinuesIntoALongerOne() {
        Dataset data = new Dataset(line().features().to(DType.FLOAT32), line().targets().to(DType.FLOAT32));
        TrainingOptions six = TrainingOptions.defaults().withBatchSize(4).withMaxEpochs(6);
        Trainer straight = momentumTrainer(six);
        TrainingResult full = straight.fit(data);

        Trainer first = momentumTrainer(six.withMaxEpochs(2));
        List<TrainingState> atEnd = new ArrayList<>();
        first.checkpointAtEnd(atEnd::add);
        assertThat(first.fit(data).reason()).isEqualTo(StopReason.MAX_EPOCHS);
        assertThat(atEnd).singleElement().satisfies(st -> {
            assertThat(st.epoch()).isEqualTo(3);
            assertThat(st.batch()).isZero();
            assertThat(st.iterations()).isEqualTo(14);
        });
        Trainer longer = momentumTrainer(six);
        TrainingResult rest = longer.resume(data, atEnd.get(0));
        assertThat(gradientsAndWeights(longer)).containsExactly(gradientsAndWeights(straight));
        assertThat(rest.epochLosses()).containsExactlyElementsOf(full.epochLosses());
        assertThat(rest.iterations()).isEqualTo(full.iterations());
    }

    @Test
    @DisplayName("a stop request is used up by the run it stops: the next fit trains to the end")
    void stopRequestIsUsedUp() {
        TrainingOptions o = TrainingOptions.defaults().withBatchSize(4).withMaxEpochs(2);
        Trainer t = momentumTrainer(o);
        t.addListener(new TrainingListener() {
            @Override
            public void onBatchEnd(BatchEvent e) {
                if (e.iteration() == 2) {
                    t.requestStop();
                }
            }
        });
        assertThat(t.fit(line()).reason()).isEqualTo(StopReason.STOPPED);
        assertThat(t.stopRequested()).isFalse();
        Trainer again = momentumTrainer(o);
        assertThat(again.fit(line()).reason()).isEqualTo(StopReason.MAX_EPOCHS);
    }

    @Test
    @DisplayName("weights made non-finite by the last update are never handed over as the end state")
    void nonFiniteEndStateIsRefused() {
        TrainingOptions o = TrainingOptions.defaults().withBatchSize(4).withMaxEpochs(1);
        Trainer t = momentumTrainer(o);
        List<TrainingState> atEnd = new ArrayList<>();
        t.checkpointAtEnd(atEnd::add);
        t.addListener(new TrainingListener() {
            @Override
            public void onBatchEnd(BatchEvent e) {
                if (e.batch() == e.batches()) { // after the last update: as an overflowing step would leave it
                    t.network().parameters().get(0).parameter().value().set(0, Double.POSITIVE_INFINITY);
                }
            }
        });
        assertThatThrownBy(() -> t.fit(line())).isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("no checkpoint was written");
        assertThat(atEnd).isEmpty();
    }

    private static double[] gradientsAndWeights(Trainer t) {
        return t.network().parameters().stream().flatMapToDouble(p -> java.util.Arrays.stream(
                p.parameter().value().toDoubleArray())).toArray();
    }

    private static double[] gradients(Trainer t) {
        return t.network().parameters().stream().flatMapToDouble(p -> java.util.Arrays.stream(
                p.parameter().gradient().toDoubleArray())).toArray();
    }

    @Test
    @DisplayName("names the feature count when the input does not fit the network")
    void shapeMismatch() {
        Trainer t = trainer(TrainingOptions.defaults(), 0.1);
        Tensor x = Tensor.matrix(DType.FLOAT64, new double[][] {{1, 2, 3}});
        assertThatThrownBy(() -> t.predict(x))
                .hasMessage("Input has shape [1, 3]; the network takes batches of shape [rows, 2] (2 values per sample).");
        Tensor y = Tensor.matrix(DType.FLOAT64, new double[][] {{1, 2}});
        assertThatThrownBy(() -> t.step(Tensor.matrix(DType.FLOAT64, new double[][] {{1, 2}}), y))
                .hasMessageContaining("Targets have shape [1, 2]; this loss needs [1, 1]");
    }
}

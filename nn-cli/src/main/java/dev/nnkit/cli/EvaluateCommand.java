package dev.nnkit.cli;

import dev.nnkit.api.tensor.Tensor;
import dev.nnkit.core.plugin.PluginRegistry;
import dev.nnkit.io.model.Model;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code nn evaluate}: scores a saved model on labelled data. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, versionProvider = NnCommand.Version.class, sortOptions = false,
        description = "Score a model: accuracy, per-class precision/recall/F1, confusion matrix and log loss; "
                + "or MSE, RMSE, MAE and R².")
final class EvaluateCommand implements Callable<Integer> {
    enum Format { text, json }

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ModelOptions options;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text (default) or json.")
    Format format = Format.text;

    @Override
    public Integer call() throws Exception {
        PluginRegistry registry = PluginRegistry.discover();
        Model m = options.load(registry);
        LoadedData d = options.read(m, true);
        Tensor p = options.outputs(m, d);
        if (m.labels().classes().isEmpty() && p.shape().cols() != 1) {
            // The data has one target column: scoring only the first output would be a wrong answer.
            throw new dev.nnkit.io.InvalidFileException(options.model, "/labels/classes", "the model has "
                    + p.shape().cols() + " outputs and no class names, so it is a regression with " + p.shape().cols()
                    + " targets, and nn evaluate scores one target column. Use nn predict for its columns"
                    + " prediction_0 … prediction_" + (p.shape().cols() - 1) + ", or give the model its class names.");
        }
        Map<String, Object> scores = m.labels().classes().isEmpty() ? Scores.regression(p, d.target())
                : Scores.classification(p, d.target(), m.labels().classes());
        var out = spec.commandLine().getOut();
        if (format == Format.json) {
            out.println(JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(scores));
        } else {
            out.print(Scores.text(scores, m.labels().classes()));
        }
        return NnCommand.OK;
    }
}

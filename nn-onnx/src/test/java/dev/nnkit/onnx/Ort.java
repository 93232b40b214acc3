package dev.nnkit.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Tensor;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Map;

/** Runs an exported model in ONNX Runtime, the real runtime, as a serving application would. */
final class Ort {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    /** One run's outputs: the named float output as doubles, the labels (empty for a regression), the metadata. */
    record Run(double[] values, long[] labels, Map<String, String> metadata) {
    }

    private Ort() {
    }

    /** Runs {@code model} on raw features {@code x} ([batch, ...inputShape]). */
    static Run run(byte[] model, Tensor x) throws OrtException {
        long[] shape = java.util.Arrays.stream(x.shape().dims()).mapToLong(d -> d).toArray();
        try (OrtSession session = ENV.createSession(model, new OrtSession.SessionOptions());
             OnnxTensor input = x.dtype() == DType.FLOAT32
                     ? OnnxTensor.createTensor(ENV, FloatBuffer.wrap(floats(x)), shape)
                     : OnnxTensor.createTensor(ENV, DoubleBuffer.wrap(doubles(x)), shape);
             OrtSession.Result result = session.run(Map.of("features", input))) {
            boolean classifier = result.get("probabilities").isPresent();
            OnnxTensor out = (OnnxTensor) result.get(classifier ? "probabilities" : "predictions").orElseThrow();
            double[] values;
            if (x.dtype() == DType.FLOAT32) {
                FloatBuffer b = out.getFloatBuffer();
                values = new double[b.remaining()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = b.get(i);
                }
            } else {
                DoubleBuffer b = out.getDoubleBuffer();
                values = new double[b.remaining()];
                b.get(values);
            }
            long[] labels = classifier ? (long[]) ((OnnxTensor) result.get("label").orElseThrow()).getValue() : new long[0];
            return new Run(values, labels, session.getMetadata().getCustomMetadata());
        }
    }

    private static float[] floats(Tensor x) {
        float[] f = new float[x.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) x.get(i);
        }
        return f;
    }

    private static double[] doubles(Tensor x) {
        double[] d = new double[x.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = x.get(i);
        }
        return d;
    }
}

package com.example.predict;

import dev.nnkit.io.model.Prediction;
import dev.nnkit.io.model.Predictor;
import java.io.IOException;
import java.nio.file.Path;

/** Prints the class and its probability for each row of a CSV: {@code PredictApp MODEL_DIR DATA.csv}. */
public final class PredictApp {
    private PredictApp() {
    }

    public static void main(String[] args) throws IOException {
        Predictor predictor = Predictor.load(Path.of(args[0]));
        for (Prediction p : predictor.predictCsv(Path.of(args[1]))) {
            System.out.println(p.label() + "," + p.probability());
        }
    }
}

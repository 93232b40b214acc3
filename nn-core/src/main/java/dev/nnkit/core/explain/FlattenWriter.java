package dev.nnkit.core.explain;

import java.util.Arrays;

/** flatten: the same values, read row by row: [c, y, x] becomes [c·H·W + y·W + x]; backward the reverse. */
final class FlattenWriter implements StageWriter {
    @Override
    public void forward(Trace.StageTrace t, Page p) {
        int[] s = t.inputShape();
        p.note(p.t("Stage %s: flatten: the values of each sample, shape %s, read in order into one row of %s (%s).",
                StageWriter.layer(t), Arrays.toString(s), new Layout(t.outputShape()).size(),
                s.length == 3 ? "[c, y, x] → [c·" + s[1] * s[2] + " + y·" + s[2] + " + x]" : "[i]"));
    }

    @Override
    public void backward(Trace.StageTrace t, Page p) {
        if (t.inputGradient().length > 0) {
            p.note(p.t("Stage %s (flatten): the gradient is put back into the sample's shape, value for value.",
                    StageWriter.layer(t)));
        }
    }
}

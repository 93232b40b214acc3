"""Checks an ONNX file nnkit exported, with ONNX's own Python package (Debian's python3-onnx).

usage: check_onnx.py MODEL.onnx INPUTS.json OUT.json

Runs onnx.checker (full check) and strict shape inference, and writes to OUT.json what they found:
the IR version, the opsets, each output's element type and shape, the metadata. When this onnx
has the reference evaluator (onnx.reference, since onnx 1.13), it also runs the graph on the
"features" in INPUTS.json and writes every output; otherwise "reference" is null and
"reference_missing" says why. Exits non-zero, with ONNX's message, when a check fails.
"""
import json
import sys

import onnx


def main(model_path, inputs_path, out_path):
    model = onnx.load(model_path)
    onnx.checker.check_model(model, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    outputs = {}
    for o in inferred.graph.output:
        t = o.type.tensor_type
        outputs[o.name] = {"elem_type": onnx.TensorProto.DataType.Name(t.elem_type),
                           "shape": [d.dim_param or d.dim_value for d in t.shape.dim]}
    found = {"onnx": onnx.__version__, "ir_version": model.ir_version,
             "opsets": {o.domain or "ai.onnx": o.version for o in model.opset_import},
             "outputs": outputs, "metadata": {p.key: p.value for p in model.metadata_props},
             "reference": None}
    try:
        from onnx.reference import ReferenceEvaluator
    except ImportError:
        found["reference_missing"] = ("onnx " + onnx.__version__ + " has no reference evaluator"
                                      " (onnx.reference arrived in onnx 1.13)")
    else:
        import numpy as np
        with open(inputs_path) as f:
            given = json.load(f)
        dtype = np.float32 if given["dtype"] == "float32" else np.float64
        x = np.array(given["features"], dtype=dtype).reshape(given["shape"])
        names = [o.name for o in model.graph.output]
        results = ReferenceEvaluator(model).run(None, {"features": x})
        found["reference"] = {n: np.asarray(r).reshape(-1).tolist() for n, r in zip(names, results)}
    with open(out_path, "w") as f:
        json.dump(found, f)


if __name__ == "__main__":
    main(*sys.argv[1:4])

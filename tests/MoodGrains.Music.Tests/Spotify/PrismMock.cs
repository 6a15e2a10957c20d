using System.Diagnostics;
using System.Text;
using MoodGrains.Hosting.Local;
using MoodGrains.Testing;

namespace MoodGrains.Music.Tests.Spotify;

/// <summary>
/// Prism serving Spotify's OpenAPI description on a free loopback port, with request validation on:
/// a request the description does not allow is answered with a problem document instead of an example.
/// Installed from the committed lock file on first use (npm ci), never fetched at test time otherwise.
/// </summary>
public sealed class PrismMock : IAsyncLifetime
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        var spec = SharedData.PathOf("spotify-openapi/fixed-spotify-open-api.yml");
        if (spec is null)
        {
            // Outside CI without shared data the tests using this fixture are skipped; don't start anything.
            return;
        }

        var mockDirectory = Path.Combine(RepositoryRoot.Path, "tests", "MoodGrains.Music.Tests", "mock");
        var prism = Path.Combine(mockDirectory, "node_modules", "@stoplight", "prism-cli", "dist", "index.js");
        if (!File.Exists(prism))
        {
            await Shell.RunAsync("npm", "ci --no-audit --no-fund", mockDirectory, TimeSpan.FromMinutes(8));
        }

        var port = FreePort.Next();
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = mockDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { prism, "mock", "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--errors", spec })
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("node did not start prism.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"prism exited with code {_process.ExitCode}:\n{Output}");
            }

            if (Output.Contains("Prism is listening", StringComparison.Ordinal))
            {
                BaseUrl = new Uri($"http://127.0.0.1:{port}/");
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"prism did not start listening within 2 minutes:\n{Output}");
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}

/// <summary>
/// Sits under the client's resilience handler and turns Prism's validation answer into a test failure,
/// so that no test can pass while the client sends something the API description forbids.
/// </summary>
public sealed class FailOnPrismValidationError : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
        {
            var problem = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new Xunit.Sdk.XunitException($"The mock rejected {request.Method} {request.RequestUri}: {problem}");
        }

        return response;
    }
}

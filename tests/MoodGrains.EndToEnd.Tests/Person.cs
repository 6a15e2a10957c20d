using Microsoft.Playwright;

namespace MoodGrains.EndToEnd.Tests;

/// <summary>
/// One person at the party: one page on the MoodGrains server in its own browser context (so its own guest session),
/// either in their own Chromium process (the fake camera file is per process, so each face needs one) or, when no
/// camera is needed, in a Chromium shared with others.
/// </summary>
internal sealed class Person : IAsyncDisposable
{
    private static readonly string[] BrowserArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
    ];

    private readonly IAsyncDisposable _owned;

    private Person(string name, IAsyncDisposable owned, IPage page)
    {
        Name = name;
        _owned = owned;
        Page = page;
    }

    public string Name { get; }

    public IPage Page { get; }

    public static async Task<Person> OpenAsync(IPlaywright playwright, Uri server, string name, string webcamClip, ViewportSize viewport)
    {
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = [.. BrowserArgs, "--use-file-for-fake-video-capture=" + webcamClip],
        });
        return new Person(name, browser, await OpenPageAsync(browser, server, name, viewport));
    }

    /// <summary>Opens a page in a fresh context of a shared browser: its own storage, so its own guest.</summary>
    public static async Task<Person> OpenInAsync(IBrowser browser, Uri server, string name, ViewportSize viewport)
    {
        var page = await OpenPageAsync(browser, server, name, viewport);
        return new Person(name, page.Context, page);
    }

    /// <summary>A Chromium for people who need no camera of their own (the fake device still answers getUserMedia).</summary>
    public static Task<IBrowser> LaunchSharedBrowserAsync(IPlaywright playwright, params string[] extraArgs) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = [.. BrowserArgs, .. extraArgs] });

    private static async Task<IPage> OpenPageAsync(IBrowser browser, Uri server, string name, ViewportSize viewport)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport, BaseURL = server.ToString() });
        await context.GrantPermissionsAsync(["camera"]);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync("/");
        await page.WaitForSelectorAsync("body[data-ready='true']");
        await page.FillAsync("#display-name", name);
        return page;
    }

    public Task<T> EvalAsync<T>(string expression, object? arg = null) => Page.EvaluateAsync<T>(expression, arg);

    /// <summary>Waits until a JavaScript predicate over the page's state holds.</summary>
    public Task WaitForAsync(string predicate, object? arg = null) =>
        Page.WaitForFunctionAsync(predicate, arg, new PageWaitForFunctionOptions { PollingInterval = 100 });

    public async Task ScreenshotAsync(string folder, string label)
    {
        Directory.CreateDirectory(folder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, label + ".png"), FullPage = true });
    }

    public ValueTask DisposeAsync() => _owned.DisposeAsync();
}

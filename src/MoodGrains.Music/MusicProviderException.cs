namespace MoodGrains.Music;

/// <summary>
/// A provider call failed in a way the user should hear about. <see cref="Exception.Message"/> is written
/// for the listener (it is shown in the UI as is); technical detail goes to <see cref="Exception.InnerException"/>.
/// </summary>
public class MusicProviderException : Exception
{
    public MusicProviderException(string message)
        : base(message)
    {
    }

    public MusicProviderException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status the provider answered with, when there was one.</summary>
    public int? StatusCode { get; init; }
}

/// <summary>Playback control needs a paid account (Spotify answers 403 PREMIUM_REQUIRED).</summary>
public sealed class PremiumRequiredException(string message) : MusicProviderException(message);

/// <summary>No device is open to play on (Spotify answers 404 NO_ACTIVE_DEVICE).</summary>
public sealed class NoActiveDeviceException(string message) : MusicProviderException(message);

/// <summary>The user has not connected the provider, or the provider no longer accepts the stored login.</summary>
public sealed class MusicAccountNotLinkedException(string message) : MusicProviderException(message);

/// <summary>The provider refuses the app's access for this user (e.g. not on a development-mode allow list).</summary>
public sealed class MusicAccessDeniedException(string message) : MusicProviderException(message);

/// <summary>The provider asked us to slow down for longer than we are willing to wait inside one request.</summary>
public sealed class MusicRateLimitedException(string message, TimeSpan? retryAfter) : MusicProviderException(message)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>The provider is down or unreachable (5xx after retries, open circuit, network failure, timeout).</summary>
public sealed class MusicProviderUnavailableException(string message, Exception? innerException = null)
    : MusicProviderException(message, innerException);

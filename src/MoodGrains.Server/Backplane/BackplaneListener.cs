using Microsoft.AspNetCore.SignalR;

namespace MoodGrains.Server.Backplane;

/// <summary>
/// Creates the hub's lifetime manager when the host starts rather than at the first browser connection, so the silo
/// hears the other silos' pushes from the moment Redis answers: a page that joins through this silo must not miss a
/// push sent while its silo was still setting up.
/// </summary>
public sealed class BackplaneListener<THub>(HubLifetimeManager<THub> manager) : IHostedService
    where THub : Hub
{
    public HubLifetimeManager<THub> Manager => manager;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

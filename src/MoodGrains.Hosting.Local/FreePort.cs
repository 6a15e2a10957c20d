using System.Net;
using System.Net.Sockets;

namespace MoodGrains.Hosting.Local;

/// <summary>
/// Hands out loopback TCP ports for test servers to listen on. A port the kernel picks for port 0 comes from the
/// ephemeral range, which every outgoing connection on the machine (Npgsql, Redis, Orleans, Chromium) also draws from,
/// so it can be taken again between being handed out and being bound. These ports come from below that range instead,
/// are never handed out twice by one process, and were free when handed out.
/// </summary>
public static class FreePort
{
    private const int Lowest = 15_000;
    private static readonly HashSet<int> HandedOut = [];
    private static readonly int Highest = EphemeralLow() - 1;

    public static int Next()
    {
        for (var attempt = 0; attempt < 1_000; attempt++)
        {
            var port = Random.Shared.Next(Lowest, Highest + 1);
            lock (HandedOut)
            {
                if (HandedOut.Contains(port) || !IsFree(port))
                {
                    continue;
                }

                HandedOut.Add(port);
                return port;
            }
        }

        throw new InvalidOperationException($"No free loopback port between {Lowest} and {Highest}.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first port of the kernel's ephemeral range (Linux default 32768).</summary>
    private static int EphemeralLow()
    {
        const int linuxDefault = 32_768;
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return int.TryParse(range[0], out var low) && low > Lowest + 1_000 ? low : linuxDefault;
        }
        catch (IOException)
        {
            return linuxDefault;
        }
        catch (UnauthorizedAccessException)
        {
            return linuxDefault;
        }
    }
}

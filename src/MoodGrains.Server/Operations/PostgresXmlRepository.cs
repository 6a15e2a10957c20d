using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace MoodGrains.Server.Operations;

/// <summary>
/// The Data Protection key ring in PostgreSQL, so every silo (container, pod) decrypts what another encrypted, and
/// stored Spotify logins survive a restart without a shared volume. Keys are stored as Data Protection writes them;
/// on Linux that is unencrypted at rest, like the file-system default, so the database is the secret to guard.
/// </summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    // Created here rather than by a numbered migration: the table belongs to the host's configuration (off by
    // default), and CREATE ... IF NOT EXISTS is safe when silos start together.
    private const string CreateTable = """
        CREATE TABLE IF NOT EXISTS data_protection_keys (
            friendly_name text PRIMARY KEY,
            xml           text NOT NULL,
            created_at    timestamptz NOT NULL DEFAULT now()
        )
        """;

    private volatile bool _created;

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        EnsureTable();
        using var command = dataSource.CreateCommand("SELECT xml FROM data_protection_keys ORDER BY created_at");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        EnsureTable();
        using var command = dataSource.CreateCommand(
            "INSERT INTO data_protection_keys (friendly_name, xml) VALUES ($1, $2) ON CONFLICT (friendly_name) DO NOTHING");
        command.Parameters.AddWithValue(friendlyName);
        command.Parameters.AddWithValue(element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }

    private void EnsureTable()
    {
        if (_created)
        {
            return;
        }

        using var command = dataSource.CreateCommand(CreateTable);
        command.ExecuteNonQuery();
        _created = true;
    }
}

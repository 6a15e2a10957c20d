-- Orleans grain state for Microsoft.Orleans.Persistence.AdoNet 10.4.2.
--
-- What the 10.4.2 provider does with these queries (read from its code, not its old scripts):
--   * it binds @ServiceId, @GrainTypeString with @GrainTypeHash, and the grain key split into @GrainIdN0/@GrainIdN1
--     (Guid or integer keys) plus @GrainIdExtensionString (string keys and key extensions, NULL otherwise), with
--     @GrainIdHash; the hashes only exist to make the lookup index narrow;
--   * despite its name, @GrainTypeString carries the state name given to [PersistentState("name", ...)], and the
--     grain id contributes only its key: two grain types that use the same state name and the same key would share
--     one row, so every state name must be unique across grain types;
--   * the state always travels as bytes in @PayloadBinary, whichever serializer is configured (our System.Text.Json
--     serializer writes UTF-8 JSON there); the old PayloadJson and PayloadXml columns are no longer bound or read;
--   * the grain's ETag is our integer version; a write or clear must return a new version, and returning NULL or
--     the caller's own version is how the database says "somebody else wrote first" (InconsistentStateException).

CREATE TABLE IF NOT EXISTS orleans_storage
(
    service_id         text        NOT NULL,
    grain_type         text        NOT NULL,
    grain_type_hash    integer     NOT NULL,
    grain_id_n0        bigint      NOT NULL,
    grain_id_n1        bigint      NOT NULL,
    grain_id_extension text        NULL,
    grain_id_hash      integer     NOT NULL,
    -- NULL after a clear that keeps the row (DeleteStateOnClear = false); the version lives on so a stale
    -- activation still cannot overwrite the cleared state.
    payload            bytea       NULL,
    version            integer     NOT NULL,
    modified_on        timestamptz NOT NULL DEFAULT now()
);

-- One row per grain and service. NULLS NOT DISTINCT (PostgreSQL 15+) makes two rows with a NULL key extension
-- collide, which is what lets the first write be a plain INSERT ... ON CONFLICT DO NOTHING instead of a
-- check-then-insert that two racing activations could both pass.
CREATE UNIQUE INDEX IF NOT EXISTS ux_orleans_storage_grain
    ON orleans_storage (grain_id_hash, grain_type_hash, service_id, grain_id_n0, grain_id_n1, grain_type,
                        grain_id_extension)
    NULLS NOT DISTINCT;

-- Returns the new version, or NULL when the write lost: an insert for a grain that already has a row, or an
-- update whose expected version is no longer the stored one.
CREATE OR REPLACE FUNCTION orleans_write_grain_state(
    p_grain_id_hash      integer,
    p_grain_id_n0        bigint,
    p_grain_id_n1        bigint,
    p_grain_type_hash    integer,
    p_grain_type         text,
    p_grain_id_extension text,
    p_service_id         text,
    p_expected_version   integer,
    p_payload            bytea)
RETURNS integer
LANGUAGE plpgsql
AS $fn$
DECLARE
    new_version integer;
BEGIN
    IF p_expected_version IS NULL THEN
        -- The grain has never been stored (it read no row), so this must be the first row.
        INSERT INTO orleans_storage (service_id, grain_type, grain_type_hash, grain_id_n0, grain_id_n1,
                                     grain_id_extension, grain_id_hash, payload, version)
        VALUES (p_service_id, p_grain_type, p_grain_type_hash, p_grain_id_n0, p_grain_id_n1,
                p_grain_id_extension, p_grain_id_hash, p_payload, 1)
        ON CONFLICT (grain_id_hash, grain_type_hash, service_id, grain_id_n0, grain_id_n1, grain_type,
                     grain_id_extension) DO NOTHING
        RETURNING version INTO new_version;
    ELSE
        UPDATE orleans_storage
        SET payload = p_payload, version = version + 1, modified_on = now()
        WHERE grain_id_hash = p_grain_id_hash AND grain_type_hash = p_grain_type_hash
          AND service_id = p_service_id AND grain_id_n0 = p_grain_id_n0 AND grain_id_n1 = p_grain_id_n1
          AND grain_type = p_grain_type AND grain_id_extension IS NOT DISTINCT FROM p_grain_id_extension
          AND version = p_expected_version
        RETURNING version INTO new_version;
    END IF;

    RETURN new_version;
END
$fn$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

('ReadFromStorageKey', $q$
    SELECT payload AS PayloadBinary, version AS Version
    FROM orleans_storage
    WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
      AND service_id = @ServiceId AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND grain_type = @GrainTypeString AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString;
$q$),

('WriteToStorageKey', $q$
    SELECT orleans_write_grain_state(@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
                                     @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary)
           AS NewGrainStateVersion;
$q$),

-- ClearStateAsync with DeleteStateOnClear = false (the default): keep the row and its version, drop the payload.
('ClearStorageKey', $q$
    UPDATE orleans_storage
    SET payload = NULL, version = version + 1, modified_on = now()
    WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
      AND service_id = @ServiceId AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND grain_type = @GrainTypeString AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString
      AND version = @GrainStateVersion
    RETURNING version AS NewGrainStateVersion;
$q$),

-- ClearStateAsync with DeleteStateOnClear = true. Orleans takes an answer equal to the caller's version as a
-- conflict, so a successful delete reports the version it would have had next.
('DeleteStorageKey', $q$
    DELETE FROM orleans_storage
    WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
      AND service_id = @ServiceId AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
      AND grain_type = @GrainTypeString AND grain_id_extension IS NOT DISTINCT FROM @GrainIdExtensionString
      AND version = @GrainStateVersion
    RETURNING version + 1 AS NewGrainStateVersion;
$q$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

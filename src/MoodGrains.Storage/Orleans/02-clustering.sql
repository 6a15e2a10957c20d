-- Orleans clustering (membership table) for Microsoft.Orleans.Clustering.AdoNet 10.4.2.
--
-- Orleans' membership protocol treats the table as a versioned document per cluster ("deployment"): a silo reads
-- every row together with the cluster's version number, decides, and then writes one row while asserting that the
-- version is still the one it read. A write that loses that race must change nothing and report 0, so the silo
-- re-reads and retries. Only the periodic "I am alive" heartbeat bypasses the version, on purpose: it would
-- otherwise make every silo's write conflict with every other silo's heartbeat.
--
-- Status values are Orleans' SiloStatus enum: 1 Created, 2 Joining, 3 Active, 4 ShuttingDown, 5 Stopping, 6 Dead.

CREATE TABLE IF NOT EXISTS orleans_membership_version
(
    deployment_id text        NOT NULL,
    version       integer     NOT NULL DEFAULT 0,
    -- Not read by Orleans; tells an operator when the cluster last changed shape.
    updated_at    timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT pk_orleans_membership_version PRIMARY KEY (deployment_id)
);

CREATE TABLE IF NOT EXISTS orleans_membership
(
    deployment_id   text        NOT NULL,
    address         varchar(45) NOT NULL, -- an IPv4 or IPv6 literal
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    -- Orleans reads this with GetInt32 and writes 0 for a silo without a gateway, so NULL would only break reads.
    proxy_port      integer     NOT NULL DEFAULT 0,
    -- "silo-address,date|silo-address,date": Orleans writes and parses this string itself.
    suspect_times   text        NULL,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,

    CONSTRAINT pk_orleans_membership PRIMARY KEY (deployment_id, address, port, generation),
    CONSTRAINT fk_orleans_membership_version FOREIGN KEY (deployment_id)
        REFERENCES orleans_membership_version (deployment_id)
);

-- Inserts a silo's row and bumps the cluster version in one step, or does nothing and returns 0 when either the
-- version moved on since the caller read it or the row already exists. The version row is locked first, so every
-- versioned write of one cluster queues behind it and the existence check below cannot race with another insert.
CREATE OR REPLACE FUNCTION orleans_insert_membership(
    p_deployment_id   text,
    p_address         text,
    p_port            integer,
    p_generation      integer,
    p_silo_name       text,
    p_host_name       text,
    p_status          integer,
    p_proxy_port      integer,
    p_start_time      timestamptz,
    p_i_am_alive_time timestamptz,
    p_version         integer)
RETURNS integer
LANGUAGE plpgsql
AS $fn$
DECLARE
    current_version integer;
BEGIN
    SELECT version INTO current_version
    FROM orleans_membership_version
    WHERE deployment_id = p_deployment_id
    FOR UPDATE;

    IF current_version IS DISTINCT FROM p_version THEN
        RETURN 0;
    END IF;

    IF EXISTS (SELECT 1 FROM orleans_membership
               WHERE deployment_id = p_deployment_id AND address = p_address
                 AND port = p_port AND generation = p_generation) THEN
        RETURN 0;
    END IF;

    INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name, status,
                                    proxy_port, start_time, i_am_alive_time)
    VALUES (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status,
            coalesce(p_proxy_port, 0), p_start_time, p_i_am_alive_time);

    UPDATE orleans_membership_version
    SET version = version + 1, updated_at = now()
    WHERE deployment_id = p_deployment_id;

    RETURN 1;
END
$fn$;

-- Same shape as the insert: lock the version, check it, change the row, bump the version; 0 means "re-read".
CREATE OR REPLACE FUNCTION orleans_update_membership(
    p_deployment_id   text,
    p_address         text,
    p_port            integer,
    p_generation      integer,
    p_status          integer,
    p_suspect_times   text,
    p_i_am_alive_time timestamptz,
    p_version         integer)
RETURNS integer
LANGUAGE plpgsql
AS $fn$
DECLARE
    current_version integer;
BEGIN
    SELECT version INTO current_version
    FROM orleans_membership_version
    WHERE deployment_id = p_deployment_id
    FOR UPDATE;

    IF current_version IS DISTINCT FROM p_version THEN
        RETURN 0;
    END IF;

    UPDATE orleans_membership
    SET status = p_status, suspect_times = p_suspect_times, i_am_alive_time = p_i_am_alive_time
    WHERE deployment_id = p_deployment_id AND address = p_address
      AND port = p_port AND generation = p_generation;

    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    UPDATE orleans_membership_version
    SET version = version + 1, updated_at = now()
    WHERE deployment_id = p_deployment_id;

    RETURN 1;
END
$fn$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Called once per silo start; 1 when this call created the cluster's version row, 0 when it already existed.
('InsertMembershipVersionKey', $q$
    WITH created AS (
        INSERT INTO orleans_membership_version (deployment_id)
        VALUES (@DeploymentId)
        ON CONFLICT (deployment_id) DO NOTHING
        RETURNING 1)
    SELECT count(*)::integer FROM created;
$q$),

('InsertMembershipKey', $q$
    SELECT orleans_insert_membership(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
                                     @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);
$q$),

('UpdateMembershipKey', $q$
    SELECT orleans_update_membership(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
                                     @IAmAliveTime, @Version);
$q$),

-- The heartbeat: unversioned by design (see the top of this file).
('UpdateIAmAlivetimeKey', $q$
    UPDATE orleans_membership
    SET i_am_alive_time = @IAmAliveTime
    WHERE deployment_id = @DeploymentId AND address = @Address
      AND port = @Port AND generation = @Generation;
$q$),

-- Both reads start from the version row and LEFT JOIN the silos: Orleans needs the version even when no silo
-- matches, and recognises "no silo" by a NULL StartTime.
('MembershipReadRowKey', $q$
    SELECT v.deployment_id AS DeploymentId, m.address AS Address, m.port AS Port, m.generation AS Generation,
           m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort,
           m.suspect_times AS SuspectTimes, m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime,
           v.version AS Version
    FROM orleans_membership_version v
    LEFT JOIN orleans_membership m
        ON m.deployment_id = v.deployment_id
       AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    WHERE v.deployment_id = @DeploymentId;
$q$),

('MembershipReadAllKey', $q$
    SELECT v.deployment_id AS DeploymentId, m.address AS Address, m.port AS Port, m.generation AS Generation,
           m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status, m.proxy_port AS ProxyPort,
           m.suspect_times AS SuspectTimes, m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime,
           v.version AS Version
    FROM orleans_membership_version v
    LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
    WHERE v.deployment_id = @DeploymentId;
$q$),

-- Used by clients (and silos acting as clients) to find gateways; Orleans passes @Status = 3 (Active).
('GatewaysQueryKey', $q$
    SELECT address AS Address, proxy_port AS ProxyPort, generation AS Generation
    FROM orleans_membership
    WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0;
$q$),

-- Wipes a whole cluster (tests and tooling only); silos first because of the foreign key.
('DeleteMembershipTableEntriesKey', $q$
    DELETE FROM orleans_membership WHERE deployment_id = @DeploymentId;
    DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId;
$q$),

-- Required by 10.4.2 but only used when 'CleanupDefunctSiloEntryKey' (below) is absent: drops every silo that is
-- not Active and has not sent a heartbeat since @IAmAliveTime.
('CleanupDefunctSiloEntriesKey', $q$
    DELETE FROM orleans_membership
    WHERE deployment_id = @DeploymentId AND i_am_alive_time < @IAmAliveTime AND status <> 3;
$q$),

-- Optional in 10.4.2 and preferred when present: the library picks Dead rows it has just read and deletes each one
-- only if it is still exactly as read, so a row that changed in between (a new vote, a late heartbeat) survives.
-- Empty and NULL suspect lists are the same thing to Orleans, hence the coalesce.
('CleanupDefunctSiloEntryKey', $q$
    DELETE FROM orleans_membership
    WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
      AND status = 6
      AND start_time = @StartTime AND i_am_alive_time = @IAmAliveTime
      AND coalesce(suspect_times, '') = coalesce(@SuspectTimes, '');
$q$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

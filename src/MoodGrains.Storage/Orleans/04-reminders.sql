-- Orleans reminders for Microsoft.Orleans.Reminders.AdoNet 10.4.2.
--
-- Each silo owns a slice of a 32-bit hash ring and asks for the reminders whose grain hash falls in it. Orleans
-- binds the unsigned hashes as signed integers and picks the query itself: 'ReadRangeRows1Key' when the slice
-- (@BeginHash, @EndHash] does not wrap in signed order, 'ReadRangeRows2Key' when it does. The ETag is the row's
-- version; Orleans reads Period with GetInt64, so it must come back as bigint (milliseconds).

CREATE TABLE IF NOT EXISTS orleans_reminders
(
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL, -- GrainId.ToString(), parsed back by Orleans
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,

    CONSTRAINT pk_orleans_reminders PRIMARY KEY (service_id, grain_id, reminder_name)
);

-- The range reads run on every ring change and periodically on every silo.
CREATE INDEX IF NOT EXISTS ix_orleans_reminders_hash ON orleans_reminders (service_id, grain_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES

-- Registering an existing reminder again replaces it and moves its version on, which invalidates old ETags.
('UpsertReminderRowKey', $q$
    INSERT INTO orleans_reminders (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
    ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
        SET start_time = EXCLUDED.start_time,
            period_ms  = EXCLUDED.period_ms,
            grain_hash = EXCLUDED.grain_hash,
            version    = orleans_reminders.version + 1
    RETURNING version AS Version;
$q$),

('ReadReminderRowsKey', $q$
    SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
           period_ms AS Period, version AS Version
    FROM orleans_reminders
    WHERE service_id = @ServiceId AND grain_id = @GrainId;
$q$),

('ReadReminderRowKey', $q$
    SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
           period_ms AS Period, version AS Version
    FROM orleans_reminders
    WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName;
$q$),

('ReadRangeRows1Key', $q$
    SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
           period_ms AS Period, version AS Version
    FROM orleans_reminders
    WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash;
$q$),

('ReadRangeRows2Key', $q$
    SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
           period_ms AS Period, version AS Version
    FROM orleans_reminders
    WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);
$q$),

-- A single column: 1 when the row with the expected version was removed, 0 when it was gone or had changed.
('DeleteReminderRowKey', $q$
    WITH removed AS (
        DELETE FROM orleans_reminders
        WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
          AND version = @Version
        RETURNING 1)
    SELECT count(*)::integer FROM removed;
$q$),

('DeleteReminderRowsKey', $q$
    DELETE FROM orleans_reminders WHERE service_id = @ServiceId;
$q$)

ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

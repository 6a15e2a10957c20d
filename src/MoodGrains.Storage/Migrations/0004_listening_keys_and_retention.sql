-- MoodGrains version 4: plays that cannot be recorded twice, and a retention period for emotion probabilities (issue 14).
-- Idempotent so that re-running it by hand is harmless.

-- A play in a room is one listener hearing one track that started at one instant. A room that records a play again
-- (it crashed after writing the play and before saving that it had) now adds nothing. Older duplicates go first.
DELETE FROM listening_events a
    USING listening_events b
    WHERE a.room_code IS NOT NULL
      AND a.room_code = b.room_code
      AND a.track_id = b.track_id
      AND a.started_at = b.started_at
      AND a.user_id = b.user_id
      AND a.event_id > b.event_id;
CREATE UNIQUE INDEX IF NOT EXISTS listening_events_play_key
    ON listening_events (room_code, track_id, started_at, user_id) WHERE room_code IS NOT NULL;

-- After the retention period only the mood point (valence, arousal, confidence) is kept; the seven probabilities
-- become null together.
ALTER TABLE listening_events
    ALTER COLUMN p_angry DROP NOT NULL,
    ALTER COLUMN p_disgust DROP NOT NULL,
    ALTER COLUMN p_fear DROP NOT NULL,
    ALTER COLUMN p_happy DROP NOT NULL,
    ALTER COLUMN p_sad DROP NOT NULL,
    ALTER COLUMN p_surprise DROP NOT NULL,
    ALTER COLUMN p_neutral DROP NOT NULL;
ALTER TABLE listening_events DROP CONSTRAINT IF EXISTS listening_events_probabilities_whole;
ALTER TABLE listening_events ADD CONSTRAINT listening_events_probabilities_whole CHECK (
    num_nulls(p_angry, p_disgust, p_fear, p_happy, p_sad, p_surprise, p_neutral) IN (0, 7));

-- The retention job looks only at rows it has not reduced yet.
CREATE INDEX IF NOT EXISTS listening_events_unreduced_idx ON listening_events (started_at) WHERE p_neutral IS NOT NULL;

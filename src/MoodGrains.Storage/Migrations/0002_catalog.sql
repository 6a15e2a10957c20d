-- MoodGrains catalogue additions, version 2: provider resolution cache, learned features, Spotify logins.
-- Idempotent so that re-running it by hand is harmless.

-- Which provider track a catalogue track plays as. A row with provider_track_id NULL records a search
-- that found nothing, so the provider is not asked again for every room until the row is old.
CREATE TABLE IF NOT EXISTS track_resolutions (
    track_id          bigint NOT NULL REFERENCES tracks (track_id) ON DELETE CASCADE,
    provider          text NOT NULL,             -- e.g. 'spotify'
    provider_track_id text,
    provider_uri      text,
    resolved_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (track_id, provider)
);

-- A track's mood position learned from its listeners (see LearnedMoodFeatureSource): the weighted mean
-- of the listeners' valence/arousal when they finished or liked it, pushed away from moods that skipped it.
-- confidence grows with evidence: n / (n + k).
CREATE TABLE IF NOT EXISTS track_learned_moods (
    track_id      bigint PRIMARY KEY REFERENCES tracks (track_id) ON DELETE CASCADE,
    valence       real NOT NULL CHECK (valence BETWEEN -1 AND 1),
    arousal       real NOT NULL CHECK (arousal BETWEEN -1 AND 1),
    positive      integer NOT NULL CHECK (positive >= 0),  -- completed + liked plays counted
    negative      integer NOT NULL CHECK (negative >= 0),  -- skipped + disliked plays counted
    confidence    real NOT NULL CHECK (confidence BETWEEN 0 AND 1),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Users' Spotify tokens, encrypted with ASP.NET Core Data Protection before they reach this table.
CREATE TABLE IF NOT EXISTS spotify_tokens (
    user_id       text PRIMARY KEY,
    ciphertext    text NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- The resolver walks tracks that still lack a Spotify id.
CREATE INDEX IF NOT EXISTS tracks_spotify_missing_idx ON tracks (track_id) WHERE spotify_id IS NULL;

-- MoodGrains application schema, version 1.
-- Orleans' own tables (membership, grain state, reminders) are created separately by the Orleans/*.sql scripts.

CREATE TABLE IF NOT EXISTS users (
    user_id       text PRIMARY KEY,              -- the stable id of a guest identity or account
    display_name  text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS rooms (
    room_code     text PRIMARY KEY,              -- 6 characters from an unambiguous alphabet
    host_user_id  text NOT NULL,
    is_solo       boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    closed_at     timestamptz
);

-- The catalogue. Every audio feature carries the source it came from:
-- 'imported' (a provider's CSV or API), 'learned' (from listeners' moods) or 'editorial' (hand estimates).
CREATE TABLE IF NOT EXISTS tracks (
    track_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    spotify_id        text UNIQUE,               -- null until resolved
    isrc              text,
    title             text NOT NULL,
    artists           text[] NOT NULL,
    album             text,
    duration_ms       integer NOT NULL CHECK (duration_ms > 0),
    popularity        real,                      -- 0..100 where known
    genres            text[] NOT NULL DEFAULT '{}',
    tags              text[] NOT NULL DEFAULT '{}',
    valence           real CHECK (valence BETWEEN 0 AND 1),
    energy            real CHECK (energy BETWEEN 0 AND 1),
    danceability      real CHECK (danceability BETWEEN 0 AND 1),
    acousticness      real CHECK (acousticness BETWEEN 0 AND 1),
    tempo             real CHECK (tempo > 0),
    valence_source    text CHECK (valence_source IN ('imported', 'learned', 'editorial')),
    energy_source     text CHECK (energy_source IN ('imported', 'learned', 'editorial')),
    danceability_source text CHECK (danceability_source IN ('imported', 'learned', 'editorial')),
    acousticness_source text CHECK (acousticness_source IN ('imported', 'learned', 'editorial')),
    tempo_source      text CHECK (tempo_source IN ('imported', 'learned', 'editorial')),
    tags_source       text CHECK (tags_source IN ('imported', 'learned', 'editorial')),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
-- Natural key for tracks without a provider id (demo catalogue, CSV rows resolved later).
CREATE UNIQUE INDEX IF NOT EXISTS tracks_title_artist_key ON tracks (lower(title), lower(artists[1]));

-- One row per play, written by rooms and solo sessions; collaborative filtering learns from it.
CREATE TABLE IF NOT EXISTS listening_events (
    event_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       text NOT NULL,
    track_id      bigint NOT NULL REFERENCES tracks (track_id),
    room_code     text,                          -- null for plays outside a room
    started_at    timestamptz NOT NULL,
    ended_at      timestamptz,
    outcome       text NOT NULL CHECK (outcome IN ('completed', 'skipped', 'liked', 'disliked')),
    -- The listener's smoothed mood at play time: FER-2013 order angry, disgust, fear, happy, sad, surprise, neutral.
    p_angry       real NOT NULL,
    p_disgust     real NOT NULL,
    p_fear        real NOT NULL,
    p_happy       real NOT NULL,
    p_sad         real NOT NULL,
    p_surprise    real NOT NULL,
    p_neutral     real NOT NULL,
    valence       real NOT NULL CHECK (valence BETWEEN -1 AND 1),
    arousal       real NOT NULL CHECK (arousal BETWEEN -1 AND 1),
    mood_confidence real NOT NULL DEFAULT 0 CHECK (mood_confidence BETWEEN 0 AND 1)
);
CREATE INDEX IF NOT EXISTS listening_events_user_idx ON listening_events (user_id, started_at);
CREATE INDEX IF NOT EXISTS listening_events_track_idx ON listening_events (track_id);

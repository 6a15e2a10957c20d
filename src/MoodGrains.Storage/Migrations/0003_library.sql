-- MoodGrains catalogue additions, version 3: the operator's own music library (issue 12).
-- Idempotent so that re-running it by hand is harmless.

-- A fourth feature source: 'analysed', measured from the file's own audio by MoodGrains.Audio. It ranks above
-- 'learned' and the 'editorial' estimates and below 'imported' (a provider's measurements).
ALTER TABLE tracks DROP CONSTRAINT IF EXISTS tracks_valence_source_check;
ALTER TABLE tracks DROP CONSTRAINT IF EXISTS tracks_energy_source_check;
ALTER TABLE tracks DROP CONSTRAINT IF EXISTS tracks_danceability_source_check;
ALTER TABLE tracks DROP CONSTRAINT IF EXISTS tracks_acousticness_source_check;
ALTER TABLE tracks DROP CONSTRAINT IF EXISTS tracks_tempo_source_check;
ALTER TABLE tracks DROP CONSTRAINT IF EXISTS tracks_tags_source_check;
ALTER TABLE tracks ADD CONSTRAINT tracks_valence_source_check CHECK (valence_source IN ('imported', 'analysed', 'learned', 'editorial'));
ALTER TABLE tracks ADD CONSTRAINT tracks_energy_source_check CHECK (energy_source IN ('imported', 'analysed', 'learned', 'editorial'));
ALTER TABLE tracks ADD CONSTRAINT tracks_danceability_source_check CHECK (danceability_source IN ('imported', 'analysed', 'learned', 'editorial'));
ALTER TABLE tracks ADD CONSTRAINT tracks_acousticness_source_check CHECK (acousticness_source IN ('imported', 'analysed', 'learned', 'editorial'));
ALTER TABLE tracks ADD CONSTRAINT tracks_tempo_source_check CHECK (tempo_source IN ('imported', 'analysed', 'learned', 'editorial'));
ALTER TABLE tracks ADD CONSTRAINT tracks_tags_source_check CHECK (tags_source IN ('imported', 'analysed', 'learned', 'editorial'));

-- A catalogue track the server may stream: one audio file under the library root. The fingerprint is the SHA-256
-- of the whole file, so a moved or renamed file keeps its track; a re-scan only hashes files whose path, size or
-- modification time changed, so the full hash costs nothing on an unchanged library.
CREATE TABLE IF NOT EXISTS library_files (
    track_id      bigint PRIMARY KEY REFERENCES tracks (track_id) ON DELETE CASCADE,
    relative_path text NOT NULL UNIQUE,          -- '/'-separated, relative to MoodGrains:Library:Directory
    fingerprint   text NOT NULL UNIQUE,          -- lower-case hex SHA-256 of the file bytes
    size_bytes    bigint NOT NULL CHECK (size_bytes >= 0),
    modified_at   timestamptz NOT NULL,
    format        text NOT NULL CHECK (format IN ('opus', 'ogg', 'mp3', 'flac', 'm4a', 'wav')),
    scanned_at    timestamptz NOT NULL DEFAULT now()
);

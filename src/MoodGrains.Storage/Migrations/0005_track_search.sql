-- MoodGrains catalogue search, version 5: a trigram index, so a member's search is an index lookup rather than a scan
-- of every track. Numbered 5, leaving 4 free for a change made alongside it. Idempotent, like the others.

-- pg_trgm ships with PostgreSQL (contrib) and is a trusted extension: a database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- What a search matches: the title and every artist, lower-cased, in one string. Declared immutable (it is, for
-- text) so that an index may be built on it; array_to_string alone is only stable.
CREATE OR REPLACE FUNCTION track_search_text(title text, artists text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT lower(title || ' ' || array_to_string(artists, ' ')) $$;

CREATE INDEX IF NOT EXISTS tracks_search_trgm_idx ON tracks USING gin (track_search_text(title, artists) gin_trgm_ops);

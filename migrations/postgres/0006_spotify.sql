-- PostgreSQL twin of migrations/0006_spotify.sql (integers are BIGINT, as SQLite's are 64-bit).
-- A second live provider (Spotify): what lets one track arrive from several providers and stay one track,
-- and a provider's own popularity beside Last.fm's counts.

-- The recording's ISRC, when a provider gives one (Spotify does; Last.fm does not): the surest match.
ALTER TABLE tracks ADD COLUMN isrc TEXT;
CREATE INDEX ix_tracks_isrc ON tracks (isrc) WHERE isrc IS NOT NULL;

-- Artist and title with feat./remaster/live decorations folded (Core's TrackMatch.Key), so "Happy" from
-- Last.fm meets "Happy - From "Despicable Me 2"" from Spotify. Not unique: a studio and a live cut fold
-- alike and may both be stored. The catalogue store fills it for rows older than this migration.
ALTER TABLE tracks ADD COLUMN match_key TEXT;
CREATE INDEX ix_tracks_match_key ON tracks (match_key);

-- A provider's 0-100 popularity (Spotify's); PopularityScale puts it on one scale with listeners and plays.
ALTER TABLE tracks ADD COLUMN popularity BIGINT CHECK (popularity BETWEEN 0 AND 100);

-- The track's page at the provider (https://open.spotify.com/track/<id>), kept with its id.
ALTER TABLE track_provider_ids ADD COLUMN url TEXT;

-- Each provider id's own popularity; the track's popularity is the highest of them, so two Spotify ids
-- of one recording (an album and a compilation) never take turns.
ALTER TABLE track_provider_ids ADD COLUMN popularity BIGINT CHECK (popularity BETWEEN 0 AND 100);

-- Which provider the track's tags came from. Spotify's tags are its artists' genres: they tag a track
-- nobody else has tagged, but never replace another provider's track tags (and are not replaced back and
-- forth on every sync).
ALTER TABLE tracks ADD COLUMN tags_provider TEXT;
UPDATE tracks SET tags_provider = provider WHERE EXISTS (SELECT 1 FROM track_tags tt WHERE tt.track_id = tracks.id);

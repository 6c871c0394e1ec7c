-- Entity profiles cost the size of a page, not the number of an entity's mentions
-- (sqlstore.profileSentences): the newest documents of the entity come from entity_docs_seen,
-- and only their mentions are read, in text order, from this index, which replaces
-- mentions_entity (a prefix of it).
CREATE INDEX mentions_entity_doc ON mentions(entity_id, doc_id, start_char);
DROP INDEX mentions_entity;

-- An entity's resolution log, newest first and bounded (profileHistory): an index range read
-- backwards instead of every link of a hub sorted.
CREATE INDEX resolutions_into_id ON resolutions(into_id, id);
DROP INDEX resolutions_into;

-- The knowledge graph's compact scan (sqlstore.ScanEventLinks) reads every event's columns but
-- never its JSON body: this covering index, in the scan's order, lets it run over the index
-- alone instead of the table pages that hold the bodies.
CREATE INDEX events_graph ON events(doc_id, ord, id, sent_start, sent_end, type, subtype, mode, time_start, time_end,
    precision, attr_kind, attr_entity, hedged, confidence, place_entity);

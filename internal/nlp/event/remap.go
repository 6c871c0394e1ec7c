package event

import "github.com/mizan-osint/mizan"

// RemapActors rewrites the entity ids of events' actors, places and attributions through m
// (old id → new id), as cross-document resolution relinks a document's discovered entities
// after this stage ran. Ids are recomputed (they depend on the actors) and events that become
// the same claim are merged, keeping the most confident.
func RemapActors(es []mizan.Event, m map[string]string) []mizan.Event {
	if len(m) == 0 {
		return es
	}
	remap := func(as []mizan.Actor) {
		for i := range as {
			if to, ok := m[as[i].Entity]; ok && to != "" {
				as[i].Entity = to
			}
		}
	}
	for i := range es {
		e := &es[i]
		remap(e.Source)
		remap(e.Target)
		remap(e.Participants)
		if e.Place != nil {
			if to, ok := m[e.Place.Entity]; ok && to != "" {
				e.Place.Entity = to
			}
		}
		if to, ok := m[e.Attribution.Entity]; ok && to != "" {
			e.Attribution.Entity = to
		}
		e.ID = eventID(*e)
	}
	return dedupe(es)
}

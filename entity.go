package mizan

import "time"

// EntityType classifies an entity.
type EntityType string

const (
	PERSON EntityType = "PERSON"
	ORG    EntityType = "ORG"   // organisations, agencies, ministries, armed forces, companies, outlets
	GPE    EntityType = "GPE"   // states and other geo-political entities (governments)
	LOC    EntityType = "LOC"   // places that are not GPEs: cities, regions, seas, deserts
	FAC    EntityType = "FAC"   // facilities: bases, ports, airports, buildings
	GROUP  EntityType = "GROUP" // armed and political groups, militias
	MISC   EntityType = "MISC"  // anything else worth a node (events, laws...)
)

// EntityTypes lists the types in display order.
var EntityTypes = []EntityType{PERSON, ORG, GPE, LOC, FAC, GROUP, MISC}

// NameKind says what kind of name a Name is.
type NameKind string

const (
	NameCanonical NameKind = "canonical"
	NameAlias     NameKind = "alias"
	NameDemonym   NameKind = "demonym" // "Algerian", "جزائري": refers to the state as an actor
	NameCapital   NameKind = "capital" // "Algiers" used for the government (metonymy)
	NameAbbrev    NameKind = "abbrev"  // acronyms and short forms
)

// Name is one way of writing an entity's name in one language.
type Name struct {
	Text string   `json:"text"`
	Lang string   `json:"lang,omitempty"`
	Kind NameKind `json:"kind,omitempty"`
}

// Entity is a canonical node of the knowledge graph.
type Entity struct {
	ID    string     `json:"id"` // stable slug, e.g. "gpe/dz", "person/said-chengriha"
	Name  string     `json:"name"`
	Type  EntityType `json:"type"`
	Names []Name     `json:"names,omitempty"`
	// Attrs holds optional attributes: country (ISO 3166 alpha-2), iso3, wikidata, role...
	Attrs map[string]string `json:"attrs,omitempty"`
	// Source says where the entity comes from: "kb" (the embedded knowledge base), "import:FILE",
	// or "discovered" (clustered from mentions of an unknown name).
	Source string `json:"source,omitempty"`
}

// MentionMethod says which detector found a mention.
type MentionMethod string

const (
	MethodKB      MentionMethod = "kb"      // a knowledge-base name
	MethodPattern MentionMethod = "pattern" // a title or context cue ("President X")
	MethodModel   MentionMethod = "model"   // the statistical tagger
	MethodCoref   MentionMethod = "coref"   // a short form or role resolved within the document
)

// MentionRole tells a participant from a name that only credits or cites.
type MentionRole string

const (
	RoleParticipant MentionRole = ""       // the text is about this entity
	RoleByline      MentionRole = "byline" // author credit
	RoleCredit      MentionRole = "credit" // photo or image credit
	RoleSource      MentionRole = "source" // cited as a source of information ("Reuters reported")
	RoleBoiler      MentionRole = "boiler" // page furniture that survived extraction
)

// MentionForm says how a mention refers to its entity, which matters to whoever reads it as an
// actor: "Algerian forces" names Algeria by a demonym, "Moscow said" by its capital, "the foreign
// minister" by a role.
type MentionForm string

const (
	FormName    MentionForm = "name"    // a proper name or a short form of one ("Patrushev")
	FormAbbrev  MentionForm = "abbrev"  // an acronym ("IRGC", "ANP")
	FormDemonym MentionForm = "demonym" // "Algerian", "جزائري", "algérien"
	FormCapital MentionForm = "capital" // a capital standing for its government
	FormRole    MentionForm = "role"    // an office without a name ("the Algerian Foreign Minister")
)

// Mention is one occurrence of an entity in a document's clean text.
type Mention struct {
	ID         int64         `json:"id,omitempty"`
	Doc        string        `json:"doc"`
	Span       Span          `json:"span"`
	Text       string        `json:"text"`
	Type       EntityType    `json:"type"`
	EntityID   string        `json:"entity,omitempty"`
	Method     MentionMethod `json:"method"`
	Form       MentionForm   `json:"form,omitempty"`
	Role       MentionRole   `json:"role,omitempty"`
	Confidence float64       `json:"confidence"`
	// Rule says how the mention was linked to its entity (e.g. "kb:exact", "coref:surname",
	// "role:office gpe/dz/foreign-minister@2024"), so every link can be explained.
	Rule string `json:"rule,omitempty"`
	// Canonical is the full name the mention stands for after resolution inside its document
	// ("Patrushev" → "Nikolai Patrushev"); cross-document resolution compares it.
	Canonical string `json:"canonical,omitempty"`
}

// Office is a position a person holds for a time: a state's president, foreign minister...
type Office struct {
	ID      string     `json:"id"`     // e.g. "dz/foreign-minister"
	Entity  string     `json:"entity"` // the state or organisation the office belongs to
	Title   string     `json:"title"`  // "Foreign Minister"
	Holder  string     `json:"holder"` // person entity id
	Start   *time.Time `json:"start,omitempty"`
	End     *time.Time `json:"end,omitempty"` // nil: still in office (as far as the KB knows)
	Aliases []Name     `json:"aliases,omitempty"`
}

// EntityFilter selects entities in a listing.
type EntityFilter struct {
	Type          EntityType
	Query         string // name prefix or substring, normalised
	Offset, Limit int
}

// EntitySummary is an entity with counts, as listings show it.
type EntitySummary struct {
	Entity
	Mentions  int        `json:"mentions"`
	Docs      int        `json:"docs"`
	FirstSeen *time.Time `json:"first_seen,omitempty"`
	LastSeen  *time.Time `json:"last_seen,omitempty"`
}

package mizan

import (
	"context"
	"time"
)

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
	// Aliases are the entity's other names (every name but the canonical one), deduplicated.
	Aliases  []string `json:"aliases"`
	Mentions int      `json:"mentions"`
	Docs     int      `json:"docs"`
	// FirstSeen and LastSeen are the earliest and latest dates of the documents that mention the
	// entity: their publication date, else when they were ingested.
	FirstSeen *time.Time `json:"first_seen,omitempty"`
	LastSeen  *time.Time `json:"last_seen,omitempty"`
}

// Correction is a user's decision about entities that outranks the resolver: it is stored, applied
// to the mentions already stored, and applied again to every document processed later (ingest or
// reprocess), so it survives `mizan reprocess`.
type Correction struct {
	ID   int64          `json:"id"`
	Kind CorrectionKind `json:"kind"`
	// Entity is the entity corrected: for a merge the one that disappears, for a split the one a
	// name leaves.
	Entity string `json:"entity"`
	// Into is the entity that receives: the merge target, or the entity a split name goes to.
	Into string `json:"into"`
	// Name is the name a split moves (empty for a merge), and NameKey its normalised key
	// (textnorm.Key): mentions whose text or canonical name has that key move.
	Name    string    `json:"name,omitempty"`
	NameKey string    `json:"name_key,omitempty"`
	At      time.Time `json:"at"`
}

// CorrectionKind says what a Correction does.
type CorrectionKind string

const (
	// CorrectMerge makes Entity an alias of Into: its mentions move, and mentions of its names
	// resolve to Into from then on.
	CorrectMerge CorrectionKind = "merge"
	// CorrectSplit moves one name of Entity, and its mentions, to Into; the resolver never links
	// that name to Entity again.
	CorrectSplit CorrectionKind = "split"
)

// Apply returns the entity a mention ends up with once corrections (in the order they were made,
// so a later one wins) are applied to a mention of entity id whose text and canonical name have
// the given keys.
func Apply(corrections []Correction, id, textKey, canonicalKey string) string {
	for _, c := range corrections {
		switch {
		case c.Kind == CorrectMerge && id == c.Entity:
			id = c.Into
		case c.Kind == CorrectSplit && id == c.Entity && c.NameKey != "" && (textKey == c.NameKey || canonicalKey == c.NameKey):
			id = c.Into
		}
	}
	return id
}

// Resolution records one link the cross-document resolver made: an entity a document introduced
// (From, named Name) found to be an entity already known (Into), by which rule and how surely.
type Resolution struct {
	Doc   string  `json:"doc"`
	Name  string  `json:"name"`
	From  string  `json:"from"`
	Into  string  `json:"into"`
	Rule  string  `json:"rule"`
	Score float64 `json:"score"`
}

// EntityDocument is a document that mentions an entity, as a profile lists it.
type EntityDocument struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	Published *time.Time `json:"published,omitempty"`
	Mentions  int        `json:"mentions"`
}

// EntitySentence is a sentence that mentions an entity: the evidence a profile shows.
type EntitySentence struct {
	Doc       string     `json:"doc"`
	Title     string     `json:"title"`
	Published *time.Time `json:"published,omitempty"`
	// Span is the sentence's span in the document's clean text and Text its text.
	Span Span   `json:"span"`
	Text string `json:"text"`
	// Mentions are the spans of the entity's mentions in the sentence, in document offsets.
	Mentions []Span `json:"mentions"`
}

// EntityProfile is everything known about one entity.
type EntityProfile struct {
	EntitySummary
	// Offices are the offices the entity held (a person) or that belong to it (a state or an
	// organisation), with their holders, from the knowledge base.
	Offices []Office `json:"offices,omitempty"`
	// Documents that mention the entity, newest first (at most ProfileOptions.Documents).
	Documents []EntityDocument `json:"documents"`
	// Sentences that mention it, newest document first (at most ProfileOptions.Sentences).
	Sentences []EntitySentence `json:"sentences"`
	// MergedFrom lists the entities merged into this one (by users and by the resolver).
	MergedFrom []string `json:"merged_from,omitempty"`
	// Corrections are the users' merges and splits that involve the entity; Resolutions the
	// resolver's links into it (its merge history).
	Corrections []Correction `json:"corrections,omitempty"`
	Resolutions []Resolution `json:"resolutions,omitempty"`
}

// ProfileOptions bounds what a profile loads.
type ProfileOptions struct {
	Documents int // documents listed (0: 50)
	Sentences int // sentences listed (0: 50)
}

// KBImport is a knowledge-base file a user imported (`mizan kb import`). Stores keep the bytes and
// the knowledge base the pipeline uses is the embedded default with every import replayed on top
// in order, so imports persist and a reprocess sees them.
type KBImport struct {
	ID     int64     `json:"id"`
	Name   string    `json:"name"`   // the file's name, as given
	Format string    `json:"format"` // csv, yaml or ftm
	Data   []byte    `json:"-"`
	At     time.Time `json:"at"`
}

// EntityReader reads the entities found in the corpus.
type EntityReader interface {
	// Entities lists the entities that have mentions (merged entities excluded), most mentioned
	// first, and how many match the filter in all.
	Entities(ctx context.Context, f EntityFilter) ([]EntitySummary, int, error)
	// Entity returns the profile of the entity named by ref: an id (an entity merged into another
	// gives the other's profile), else any of its names in any language or spelling, compared by
	// normalised key and then by transliteration-aware similarity. ENOTFOUND when nothing fits,
	// ECONFLICT (listing the candidates) when a name fits several entities equally well.
	Entity(ctx context.Context, ref string, o ProfileOptions) (*EntityProfile, error)
	// Mentions returns a document's mentions in text order (ENOTFOUND for an unknown document).
	Mentions(ctx context.Context, docID string) ([]Mention, error)
}

// Corrector records users' corrections and applies them to what is stored.
type Corrector interface {
	// MergeEntities makes from an alias of into: from's names become into's, its mentions move,
	// and later mentions of from resolve to into. Either may be given by id or name. EINVALID for
	// an entity merged into itself, ENOTFOUND for an unknown one.
	MergeEntities(ctx context.Context, from, into string) (Correction, error)
	// SplitEntity moves one name of entity id, and the mentions written so, to the entity into
	// (any stored id), or when into is empty to a new entity of the same type named name. The
	// resolver never links that name to id again. EINVALID when the name is not one of the
	// entity's.
	SplitEntity(ctx context.Context, id, name, into string) (Correction, error)
	// Corrections lists every correction in the order made.
	Corrections(ctx context.Context) ([]Correction, error)
}

// CandidateSource is what cross-document resolution asks a store.
type CandidateSource interface {
	// Candidates returns stored entities (with all their names, merged ones excluded) that share
	// at least one blocking key with a name being resolved (keys as internal/resolve/namesim
	// computes them). A key shared by more than limit entities (a frequent given name) is too
	// common to discriminate and is skipped. It is an indexed lookup, not a scan.
	Candidates(ctx context.Context, keys []string, limit int) ([]Entity, error)
	// StoredEntities returns those of ids that are stored and not merged away.
	StoredEntities(ctx context.Context, ids []string) ([]Entity, error)
	// CoMentioned returns the entities most often mentioned in the same documents as id (from
	// its most recent documents), the context that backs a borderline link.
	CoMentioned(ctx context.Context, id string, limit int) ([]string, error)
}

// KBImportStore keeps the knowledge-base files users import.
type KBImportStore interface {
	// AddKBImport stores an import (ID and At are set) after the caller has checked that the
	// knowledge base reads it.
	AddKBImport(ctx context.Context, imp KBImport) (KBImport, error)
	// KBImports lists the imports, oldest first, with their bytes.
	KBImports(ctx context.Context) ([]KBImport, error)
}

// EntityStore keeps entities, their names, their mentions, the resolver's links, users'
// corrections and knowledge-base imports. Entities are stored when something refers to them:
// discovered entities, and knowledge-base entities once mentioned (with their names, so the store
// answers name lookups alone); the rest of the knowledge base stays in the knowledge base.
// Implementations are safe for concurrent use; errors are *Error values for what a user did
// wrong (codes above) and wrapped internal errors otherwise.
type EntityStore interface {
	EntityReader
	Corrector
	CandidateSource
	KBImportStore
}

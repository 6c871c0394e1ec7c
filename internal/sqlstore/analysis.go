package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/mizan-osint/mizan"
)

// writeAnalysis stores what the entity and event stages found in a document, inside the
// document's own transaction. replaced is true when the document was stored before
// (reprocessing): its old mentions and events must go. a may be nil (nothing was analysed).
//
// The entity and event storage of this package add their writers here.
func (s *DB) writeAnalysis(ctx context.Context, tx *sql.Tx, d *mizan.Document, a *mizan.Analysis, replaced bool) error {
	if err := s.writeEntities(ctx, tx, d, a, replaced); err != nil {
		return fmt.Errorf("entities: %w", err)
	}
	if err := s.writeEvents(ctx, tx, d, a, replaced); err != nil {
		return fmt.Errorf("events: %w", err)
	}
	return nil
}

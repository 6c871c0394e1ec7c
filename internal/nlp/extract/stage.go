package extract

import (
	"context"

	"github.com/mizan-osint/mizan/internal/nlp"
)

// Stage is the "extract" pipeline stage. It reads d.Raw, d.ContentType and d.Source and fills
// d.Text (title included as its first paragraph), Title, Outlet, Authors, Published,
// PublishedText, PublishedPrecision, Format and Charset. Metadata the page does not give is left
// as it was (a feed item may have supplied it). It is safe for concurrent use.
type Stage struct {
	Options Options
}

var _ nlp.Stage = Stage{}

// Name returns "extract".
func (Stage) Name() string { return "extract" }

// Process extracts d's article. Errors are *mizan.Error (see Extract).
func (s Stage) Process(ctx context.Context, d *nlp.Doc) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	res, err := Extract(Input{Raw: d.Raw, ContentType: d.ContentType, Source: d.Source}, s.Options)
	if err != nil {
		return err
	}
	d.Text = res.Text
	d.Format = res.Format
	d.Charset = res.Charset
	if res.Title != "" {
		d.Title = res.Title
	}
	if res.Outlet != "" {
		d.Outlet = res.Outlet
	}
	if len(res.Authors) > 0 {
		d.Authors = res.Authors
	}
	if res.Published != nil {
		d.Published = res.Published
		d.PublishedText = res.PublishedText
		d.PublishedPrecision = res.Precision
	}
	// Paragraph spans and sentences belong to the text they were computed on.
	d.Paragraphs, d.Sentences = nil, nil
	return nil
}

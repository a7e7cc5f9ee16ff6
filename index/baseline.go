package index

import (
	"context"
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2"

	"github.com/vejviser/vejviser/knowledge"
)

// Baseline is plain full-text search over the same entries, for measuring what our own
// matching adds: bleve's default mapping (the standard analyzer, every field in _all), one
// document per entry holding all its text, and one match query per question. It is safe for
// concurrent use.
type Baseline struct {
	bl bleve.Index
}

// BuildBaseline indexes every entry of base in memory with bleve's defaults.
func BuildBaseline(ctx context.Context, base *knowledge.Base) (*Baseline, error) {
	bl, err := bleve.NewMemOnly(bleve.NewIndexMapping())
	if err != nil {
		return nil, fmt.Errorf("index: baseline: %w", err)
	}
	b := bl.NewBatch()
	for _, e := range base.Entries {
		if ctx.Err() != nil {
			_ = bl.Close()
			return nil, ctx.Err()
		}
		text := strings.Join([]string{e.Title, strings.Join(e.Keywords, " "), strings.Join(e.Aliases, " "),
			strings.Join(e.Questions, " "), e.Summary, e.Body, e.EN.Title, strings.Join(e.EN.Keywords, " "),
			strings.Join(e.EN.Questions, " "), e.EN.Summary, e.EN.Body}, "\n")
		if err := b.Index(e.ID, map[string]any{"text": text}); err != nil {
			_ = bl.Close()
			return nil, fmt.Errorf("index: baseline: add %s: %w", e.File, err)
		}
	}
	if err := bl.Batch(b); err != nil {
		_ = bl.Close()
		return nil, fmt.Errorf("index: baseline: %w", err)
	}
	return &Baseline{bl: bl}, nil
}

// Search returns the ids of the best limit entries for text, best first.
func (b *Baseline) Search(ctx context.Context, text string, limit int) ([]string, error) {
	res, err := b.bl.SearchInContext(ctx, bleve.NewSearchRequestOptions(bleve.NewMatchQuery(text), limit, 0, false))
	if err != nil {
		return nil, fmt.Errorf("index: baseline search: %w", err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}

// Close releases the baseline index.
func (b *Baseline) Close() error { return b.bl.Close() }

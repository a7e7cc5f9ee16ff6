// Package index is Vejviser's search index and the only package that imports bleve. It maps
// knowledge entries to per-language fields (Danish analysis for Danish text, English for
// English), builds a scorch index in memory or on disk, and answers questions the way young
// people write them: typos, split or joined compounds, abbreviations and synonyms are
// handled before the query reaches bleve (see query.go). User text only ever becomes match
// queries, never a query-string query.
//
// An *Index is safe for concurrent use. Close waits for searches under way to finish.
package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/da" // registers the "da" analyzer
	_ "github.com/blevesearch/bleve/v2/analysis/lang/en" // registers the "en" analyzer
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/blevesearch/bleve/v2/mapping"
	bleveidx "github.com/blevesearch/bleve_index_api"

	"github.com/vejviser/vejviser/knowledge"
)

// ErrClosed is returned by Search after Close.
var ErrClosed = errors.New("index: closed")

// field describes one indexed field: its name, analyzer and weight in ranking.
type field struct {
	name     string
	analyzer string // "da" or "en"
	boost    float64
	cover    float64 // how much a match here counts towards coverage
}

// Titles, keywords and aliases share a field: they weigh the same, and every field costs each
// search term one more posting list to walk. The example questions have their own field, so a
// question can be matched against the ways people ask for an entry.
var fields = []field{
	{"da_names", "da", 4, 1.0},
	{"da_questions", "da", 3, 0.9},
	{"da_summary", "da", 2, 0.9},
	{"da_body", "da", 1, 0.45},
	{"en_names", "en", 4, 1.0},
	{"en_questions", "en", 3, 0.9},
	{"en_summary", "en", 2, 0.9},
	{"en_body", "en", 1, 0.45},
}

// isQuestions reports whether f is an example-question field.
func (f field) isQuestions() bool { return strings.HasSuffix(f.name, "_questions") }

// BatchSize is how many entries Build indexes per batch on disk.
const BatchSize = 500

// MemBatchSize is how many entries Build indexes per batch in memory. One batch makes one
// segment, and every segment costs each search a term lookup, so a small base is one batch;
// but one batch of 20,000 synthetic entries peaked at 6.2 GB of heap while it was built.
// Measured with BenchmarkSearch20k (2026-11-30, 20,000 entries, a 60,000-word vocabulary):
// batches of 2,000 peaked at 1.0 GB with a search p99 of 14 ms; batches of 500 peaked at
// 1.1 GB with a p99 of 35 ms (four times the segments). It is a variable only so the benchmark
// can vary it.
var MemBatchSize = 2000

func batchSize(dir string, n int) int {
	if dir != "" {
		return BatchSize
	}
	return MemBatchSize
}

// Index is a built search index over one knowledge base.
type Index struct {
	bl        bleve.Index
	base      *knowledge.Base
	an        *analyzers
	vocab     *vocab
	syn       []synGroup
	synIdx    synonymIndex
	towns     map[string]bool
	spell     map[string][]string // the chat spellings as the search reads them (searchSpellings)
	aliases   *aliasMatcher
	asked     map[string][]askedQuestion // entry id → its example questions as stems
	askedIDs  askedStems                 // the stems of the example questions, numbered
	askedPost *askedPostings             // the example questions by stem; nil for a large base
	// outside names the indexed documents that are outside topics (knowledge.OutsideTopic):
	// searched like entries, never returned as hits.
	outside map[string]bool
	// fieldTerms holds, for a base of up to TwoPassAbove entries, every term of every entry
	// with the fields it is in (bit i for fields[i]), so a search needs no term locations
	// from bleve to know which words an entry matched (see run).
	fieldTerms map[string]map[string]uint8
	// frozen holds, for a base of up to TwoPassAbove entries, what rank reads from bleve;
	// nil for a larger base, or when it could not be read, and rank asks bleve.
	frozen *frozenRanks
	// ties orders entries whose first-pass scores tie (rank): by entry number, each entry's
	// place among the entries' ids in byte order (entryTies).
	ties []uint32
	// learned is the model of which words ask for which entry; Search fuses its ranks with
	// the ranking's.
	learned *learned
	// ordered, when set (by the order model's dev test), sees every search's candidates in
	// the fused order with their order features, before they are ordered.
	ordered func(hits []knowledge.Hit, x [][]float64)

	mu     sync.RWMutex
	closed bool
}

// Options configure Build.
type Options struct {
	// Dir is where an on-disk index is written; empty builds in memory.
	Dir string
}

func newMapping() *mapping.IndexMappingImpl {
	m := bleve.NewIndexMapping()
	m.ScoringModel = bleveidx.BM25Scoring
	m.DefaultAnalyzer = "da"
	doc := bleve.NewDocumentStaticMapping()
	for _, f := range fields {
		fm := bleve.NewTextFieldMapping()
		fm.Analyzer = f.analyzer
		fm.Store = false
		fm.IncludeInAll = false
		fm.IncludeTermVectors = true
		doc.AddFieldMappingsAt(f.name, fm)
	}
	m.DefaultMapping = doc
	return m
}

// document returns the fields bleve indexes for an entry.
func document(e *knowledge.Entry) map[string]any {
	return map[string]any{
		"da_names":     e.Title + " ; " + strings.Join(e.Keywords, " ; ") + " ; " + strings.Join(e.Aliases, " ; "),
		"da_questions": strings.Join(e.Questions, " ; "),
		"da_summary":   e.Summary,
		"da_body":      e.Body,
		"en_names":     e.EN.Title + " ; " + strings.Join(e.EN.Keywords, " ; ") + " ; " + strings.Join(e.Aliases, " ; "),
		"en_questions": strings.Join(e.EN.Questions, " ; "),
		"en_summary":   e.EN.Summary,
		"en_body":      e.EN.Body,
	}
}

// withOutside returns base as the index sees it: its entries followed by its outside topics,
// each as an entry with the topic's title, keywords and example questions, so that every
// statistic of the index (word rarity, compounds, example questions) knows the subjects the
// base does not cover.
func withOutside(base *knowledge.Base) *knowledge.Base {
	if len(base.Outside) == 0 {
		return base
	}
	b := *base
	b.Entries = slices.Clone(base.Entries)
	for _, t := range base.Outside {
		e := &knowledge.Entry{ID: t.ID, Title: t.Title, Keywords: t.Keywords, Questions: t.Questions, File: knowledge.OutsideFile}
		e.EN.Title, e.EN.Keywords, e.EN.Questions = t.EN.Title, t.EN.Keywords, t.EN.Questions
		b.Entries = append(b.Entries, e)
	}
	return &b
}

// buildFieldTerms analyses every field of every entry as bleve does when it indexes them.
func buildFieldTerms(base *knowledge.Base, an *analyzers) map[string]map[string]uint8 {
	out := make(map[string]map[string]uint8, len(base.Entries))
	for _, e := range base.Entries {
		doc := document(e)
		m := map[string]uint8{}
		for i, f := range fields {
			a := an.da
			if f.analyzer == "en" {
				a = an.en
			}
			text, _ := doc[f.name].(string)
			for _, t := range terms(a, text) {
				m[t] |= 1 << i
			}
		}
		out[e.ID] = m
	}
	return out
}

// metaFile records which knowledge version an on-disk index was built from.
const metaFile = "vejviser.json"

type meta struct {
	KnowledgeVersion string `json:"knowledge_version"`
	Entries          int    `json:"entries"`
}

// Build indexes every entry of base. With opts.Dir set it writes a scorch index there (the
// directory must not exist yet) and records the knowledge version beside it, so Open can
// tell whether it still fits; otherwise the index lives in memory. A failed build removes
// what it wrote.
func Build(ctx context.Context, base *knowledge.Base, opts Options) (ix *Index, err error) {
	var learn func() *learned
	if opts.Dir == "" { // Open learns for an index on disk
		learn = learnAsync(base)
	}
	docs := withOutside(base)
	m := newMapping()
	var bl bleve.Index
	if opts.Dir == "" {
		bl, err = bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	} else {
		bl, err = bleve.NewUsing(opts.Dir, m, scorch.Name, scorch.Name, map[string]any{"bolt_timeout": "2s"})
	}
	if err != nil {
		return nil, fmt.Errorf("index: create %s: %w", displayDir(opts.Dir), err)
	}
	defer func() {
		if err != nil {
			_ = bl.Close()
			if opts.Dir != "" {
				_ = os.RemoveAll(opts.Dir)
			}
		}
	}()
	b := bl.NewBatch()
	for i, e := range docs.Entries {
		if i%64 == 0 && ctx.Err() != nil {
			return nil, fmt.Errorf("index: build: %w", ctx.Err())
		}
		if err := b.Index(e.ID, document(e)); err != nil {
			return nil, fmt.Errorf("index: add %s: %w", e.File, err)
		}
		if b.Size() >= batchSize(opts.Dir, len(docs.Entries)) {
			if err := bl.Batch(b); err != nil {
				return nil, fmt.Errorf("index: write batch: %w", err)
			}
			b.Reset()
		}
	}
	if b.Size() > 0 {
		if err := bl.Batch(b); err != nil {
			return nil, fmt.Errorf("index: write batch: %w", err)
		}
	}
	if opts.Dir != "" {
		if err := forceMerge(ctx, bl); err != nil {
			return nil, fmt.Errorf("index: merge segments: %w", err)
		}
		data, _ := json.Marshal(meta{KnowledgeVersion: base.Version, Entries: len(docs.Entries)})
		if err := WriteFileSynced(filepath.Join(opts.Dir, metaFile), data); err != nil {
			return nil, fmt.Errorf("index: write %s: %w", metaFile, err)
		}
		// Close, seal and reopen read-only: from here on the files never change, so the
		// checksums hold until the folder is damaged.
		if err := bl.Close(); err != nil {
			return nil, fmt.Errorf("index: close %s: %w", opts.Dir, err)
		}
		if err := seal(opts.Dir); err != nil {
			_ = os.RemoveAll(opts.Dir)
			return nil, err
		}
		ix, err := Open(opts.Dir, base)
		if err != nil {
			_ = os.RemoveAll(opts.Dir)
			return nil, err
		}
		return ix, nil
	}
	return newIndex(bl, base, m, learn)
}

// learnAsync builds the learned model of question wording (newLearned) while the caller
// builds or opens the bleve index, and returns a function that waits for it. On two CPUs the
// overlap took most of its 0.13 s off a cold start (its profile, 2026-12-04).
func learnAsync(base *knowledge.Base) func() *learned {
	ch := make(chan *learned, 1)
	go func() { ch <- lastLearned.get(base) }()
	var m *learned
	return func() *learned {
		if ch != nil {
			m, ch = <-ch, nil
		}
		return m
	}
}

// Open opens an on-disk index built by Build for base, read-only. It fails if the index was
// built from another version of the knowledge files, so a stale index is never served, and
// with ErrDamaged if any of its files differs from the checksums Build wrote when it sealed
// the index, so a damaged one is never served either.
func Open(dir string, base *knowledge.Base) (*Index, error) {
	if err := verify(dir); err != nil {
		return nil, err
	}
	data, err := readBounded(filepath.Join(dir, metaFile), MaxMetaBytes)
	if err != nil {
		return nil, fmt.Errorf("index: open %s: %w", dir, err)
	}
	var md meta
	if err := json.Unmarshal(data, &md); err != nil {
		return nil, fmt.Errorf("index: open %s: bad %s: %w", dir, metaFile, err)
	}
	if md.KnowledgeVersion != base.Version {
		return nil, fmt.Errorf("index: open %s: built from knowledge version %s, the files are version %s: rebuild it",
			dir, md.KnowledgeVersion, base.Version)
	}
	learn := learnAsync(base)
	bl, err := bleve.OpenUsing(dir, map[string]any{"bolt_timeout": "2s", "read_only": true})
	if err != nil {
		return nil, fmt.Errorf("index: open %s: %w", dir, err)
	}
	n, err := bl.DocCount()
	if want := len(base.Entries) + len(base.Outside); err != nil || int(n) != want {
		_ = bl.Close()
		return nil, fmt.Errorf("index: open %s: holds %d entries, the knowledge base has %d: rebuild it", dir, n, want)
	}
	ix, err := newIndex(bl, base, newMapping(), learn)
	if err != nil {
		_ = bl.Close()
		return nil, err
	}
	return ix, nil
}

// newIndex wraps a built or opened bleve index with what searching it needs; learn waits for
// the learned model of question wording (learnAsync).
func newIndex(bl bleve.Index, base *knowledge.Base, m *mapping.IndexMappingImpl, learn func() *learned) (*Index, error) {
	an, err := newAnalyzers(m)
	if err != nil {
		return nil, err
	}
	ix := &Index{bl: bl, base: base, an: an, outside: map[string]bool{}}
	for _, t := range base.Outside {
		ix.outside[t.ID] = true
	}
	docs := withOutside(base)
	ix.spell = ix.searchSpellings()
	ix.vocab = buildVocab(docs, an)
	ix.syn = buildSynonyms(base)
	ix.indexSynonyms()
	ix.aliases = newAliasMatcher(base)
	ix.asked, ix.askedIDs = ix.buildAsked(docs)
	ix.askedPost = askedPostingsFor(ix.asked, ix.askedIDs, len(docs.Entries))
	if ix.ties, err = entryTies(bl); err != nil {
		return nil, err
	}
	if len(docs.Entries) <= TwoPassAbove {
		ix.fieldTerms = buildFieldTerms(docs, an)
		// A base that cannot be read here is searched through bleve's readers, which report
		// the fault where it is met.
		ix.frozen, _ = freezeRanks(context.Background(), bl)
	}
	ix.towns = map[string]bool{}
	for _, k := range base.Kommuner {
		for _, t := range append(append([]string{k.Name}, k.Towns...), k.Spellings...) {
			for _, w := range knowledge.Words(t) {
				if w != "kommune" && w != "kommunen" {
					ix.towns[w] = true
				}
			}
		}
	}
	// Waited for last: what is built above does not read the learned model, and building it
	// while the model learns took 30–50 ms off a cold `vejviser ask` (three runs, 2026-12-06).
	ix.learned = learn()
	return ix, nil
}

// forceMerge merges an on-disk index into one segment, so searches look each term up once.
func forceMerge(ctx context.Context, bl bleve.Index) error {
	adv, err := bl.Advanced()
	if err != nil {
		return err
	}
	if s, ok := adv.(*scorch.Scorch); ok {
		return s.ForceMerge(ctx, &mergeplan.SingleSegmentMergePlanOptions)
	}
	return nil
}

func displayDir(dir string) string {
	if dir == "" {
		return "in memory"
	}
	return dir
}

// Len returns the number of indexed entries.
func (ix *Index) Len() int { return len(ix.base.Entries) }

// Close closes the index after the searches under way have finished. Later searches return
// ErrClosed. Closing twice is harmless.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return nil
	}
	ix.closed = true
	return ix.bl.Close()
}

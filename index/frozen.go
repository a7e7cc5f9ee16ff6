package index

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	bleveidx "github.com/blevesearch/bleve_index_api"
)

// frozenRanks is what rank reads from bleve, read once from one snapshot of a small base's
// index (up to TwoPassAbove entries): every term's postings in every field with their
// frequencies and norms, the entry count, each field's term count, and the entries' numbers.
// The index never changes once built, so rank gives the same entries and the same scores from
// these as from bleve's readers (TestRankAsBleve), without opening a reader per
// term: bleve's term readers and the entry-name reader were two thirds of rank and a quarter
// of an answer on the starter base (BenchmarkAnswer profile, 2026-12-05).
type frozenRanks struct {
	docs     uint64
	cards    map[string]int                   // field → its term count (BM25's average length)
	postings map[string]map[string]frozenTerm // field → stem → its postings
	ids      []string                         // entry number → entry id
	nums     map[string]uint64                // entry id → entry number
}

// frozenTerm is a term's postings in a field, in bleve's order, and bleve's count of them.
type frozenTerm struct {
	count    uint64
	postings []frozenPosting
}

// frozenPosting is one entry's posting of a term in a field, as bleve's term reader gives it.
type frozenPosting struct {
	doc  uint64
	freq uint64
	norm float64
}

// freezeRanks reads bl's postings, counts and entry numbers from one reader. It returns an
// error, and the index keeps asking bleve, when anything cannot be read.
func freezeRanks(ctx context.Context, bl bleve.Index) (fr *frozenRanks, err error) {
	defer func() {
		if r := recover(); r != nil {
			fr, err = nil, fmt.Errorf("index: freeze ranks: %v", r)
		}
	}()
	r, err := reader(bl)
	if err != nil {
		return nil, fmt.Errorf("index: freeze ranks: %w", err)
	}
	defer r.Close()
	fr = &frozenRanks{cards: map[string]int{}, postings: map[string]map[string]frozenTerm{}, nums: map[string]uint64{}}
	if fr.docs, err = r.DocCount(); err != nil {
		return nil, fmt.Errorf("index: freeze ranks: %w", err)
	}
	br, _ := r.(bleveidx.BM25Reader)
	for _, f := range fields {
		if br != nil {
			if fr.cards[f.name], err = br.FieldCardinality(f.name); err != nil {
				return nil, fmt.Errorf("index: freeze ranks: %s: %w", f.name, err)
			}
		}
		if fr.postings[f.name], err = freezeField(ctx, r, f.name); err != nil {
			return nil, err
		}
	}
	all, err := r.DocIDReaderAll()
	if err != nil {
		return nil, fmt.Errorf("index: freeze ranks: %w", err)
	}
	defer all.Close()
	id, err := all.Next()
	for ; id != nil && err == nil; id, err = all.Next() {
		ext, err := r.ExternalID(id)
		if err != nil {
			return nil, fmt.Errorf("index: freeze ranks: %w", err)
		}
		num := id.Value()
		if num >= uint64(len(fr.ids)) {
			fr.ids = append(fr.ids, make([]string, int(num)+1-len(fr.ids))...)
		}
		fr.ids[num] = ext
		fr.nums[ext] = num
	}
	if err != nil {
		return nil, fmt.Errorf("index: freeze ranks: %w", err)
	}
	return fr, nil
}

// freezeField reads the postings of every term of one field.
func freezeField(ctx context.Context, r bleveidx.IndexReader, field string) (map[string]frozenTerm, error) {
	dict, err := r.FieldDict(field)
	if err != nil {
		return nil, fmt.Errorf("index: freeze ranks: %s: %w", field, err)
	}
	defer dict.Close()
	out := map[string]frozenTerm{}
	de, err := dict.Next()
	for ; de != nil && err == nil; de, err = dict.Next() {
		tr, err := r.TermFieldReader(ctx, []byte(de.Term), field, true, true, false)
		if err != nil {
			return nil, fmt.Errorf("index: freeze ranks: %s:%s: %w", field, de.Term, err)
		}
		ps := make([]frozenPosting, 0, de.Count)
		d, err := tr.Next(nil)
		for ; d != nil && err == nil; d, err = tr.Next(d) {
			ps = append(ps, frozenPosting{doc: d.ID.Value(), freq: d.Freq, norm: d.Norm})
		}
		_ = tr.Close()
		if err != nil {
			return nil, fmt.Errorf("index: freeze ranks: %s:%s: %w", field, de.Term, err)
		}
		out[de.Term] = frozenTerm{count: tr.Count(), postings: ps}
	}
	if err != nil {
		return nil, fmt.Errorf("index: freeze ranks: %s: %w", field, err)
	}
	return out, nil
}

// reader opens a reader on bl's current snapshot; the caller closes it.
func reader(bl bleve.Index) (bleveidx.IndexReader, error) {
	adv, err := bl.Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}

// entryTies returns, by entry number in bl, the entry's place among bl's entry ids in byte
// order: how rank breaks a tie. Bleve numbers a batch's entries in the order its analysis
// workers finish them, so the same files got other numbers in another process, and a tie
// broken by number put another entry third for the same question in one run of six (blind
// Discord-style set 63, 2026-12-06).
func entryTies(bl bleve.Index) ([]uint32, error) {
	r, err := reader(bl)
	if err != nil {
		return nil, fmt.Errorf("index: number entries: %w", err)
	}
	defer r.Close()
	all, err := r.DocIDReaderAll()
	if err != nil {
		return nil, fmt.Errorf("index: number entries: %w", err)
	}
	defer all.Close()
	type numbered struct {
		num uint64
		id  string
	}
	var docs []numbered
	id, err := all.Next()
	for ; id != nil && err == nil; id, err = all.Next() {
		ext, err := r.ExternalID(id)
		if err != nil {
			return nil, fmt.Errorf("index: number entries: %w", err)
		}
		docs = append(docs, numbered{id.Value(), ext})
	}
	if err != nil {
		return nil, fmt.Errorf("index: number entries: %w", err)
	}
	slices.SortFunc(docs, func(a, b numbered) int { return strings.Compare(a.id, b.id) })
	var ties []uint32
	for place, d := range docs {
		if d.num >= uint64(len(ties)) {
			ties = append(ties, make([]uint32, int(d.num)+1-len(ties))...)
		}
		ties[d.num] = uint32(place)
	}
	return ties, nil
}

// namedNums returns the entry numbers of the named entries that are in the index, in order and
// once each, as bleve's entry-name reader gives them.
func (fr *frozenRanks) namedNums(named []string) []uint64 {
	out := make([]uint64, 0, len(named))
	for _, id := range named {
		if n, ok := fr.nums[id]; ok {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

package index

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "modernc.org/sqlite" // the FTS5 peer: a test-only dependency

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/knowledge"
)

// fts5 is SQLite's full-text search over the same entry files: one row per entry holding all
// its text (title, keywords, aliases, example questions, summary, body, in both languages),
// the unicode61 tokenizer without diacritics, and BM25 ranking. It is the plain full-text
// search that Vejviser's matching is measured against.
type fts5 struct {
	db   *sql.DB
	stmt *sql.Stmt
}

func newFTS5(t testing.TB, base *knowledge.Base) *fts5 {
	t.Helper()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	db.SetMaxOpenConns(1) // one in-memory database
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE VIRTUAL TABLE entries USING fts5(id UNINDEXED, body, tokenize = 'unicode61 remove_diacritics 2')`); err != nil {
		t.Fatalf("create fts5 table: %v", err)
	}
	for _, e := range base.Entries {
		text := strings.Join([]string{e.Title, strings.Join(e.Keywords, " "), strings.Join(e.Aliases, " "),
			strings.Join(e.Questions, " "), e.Summary, e.Body, e.EN.Title, strings.Join(e.EN.Keywords, " "),
			strings.Join(e.EN.Questions, " "), e.EN.Summary, e.EN.Body}, "\n")
		if _, err := db.Exec(`INSERT INTO entries (id, body) VALUES (?, ?)`, e.ID, text); err != nil {
			t.Fatalf("insert %s: %v", e.ID, err)
		}
	}
	stmt, err := db.Prepare(`SELECT id FROM entries WHERE entries MATCH ? ORDER BY bm25(entries) LIMIT 3`)
	if err != nil {
		t.Fatalf("prepare: %v", err)
	}
	return &fts5{db: db, stmt: stmt}
}

// query turns a question into an FTS5 query: each word quoted (so no word is read as syntax),
// joined by OR.
func ftsQuery(q string) string {
	var parts []string
	for _, w := range knowledge.Words(q) {
		parts = append(parts, `"`+w+`"`)
	}
	return strings.Join(parts, " OR ")
}

func (f *fts5) search(q string) ([]string, error) {
	fq := ftsQuery(q)
	if fq == "" {
		return nil, nil
	}
	rows, err := f.stmt.Query(fq)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

var fts5Eval = flag.String("fts5-eval", "", "comma-separated question files to score with the FTS5 peer (prints Recall@3)")

// TestFTS5Peer checks that the FTS5 peer answers, and with -fts5-eval prints its Recall@1 and
// Recall@3 over question files beside Vejviser's, for the README's comparison:
//
//	go test ./index -run FTS5Peer -v -fts5-eval ../cmd/vejviser/testdata/blind1-real-questions.toml
func TestFTS5Peer(t *testing.T) {
	base := loadBase(t)
	f := newFTS5(t, base)
	ids, err := f.search("hvad er fgu")
	if err != nil || len(ids) == 0 || !slices.Contains(ids, "fgu") {
		t.Fatalf("fts5 search(hvad er fgu) = %v, %v; want fgu among them", ids, err)
	}
	if *fts5Eval == "" {
		return
	}
	eng := bot.New(base, build(t, base), bot.Options{})
	for _, file := range strings.Split(*fts5Eval, ",") {
		qs, _, err := knowledge.LoadQuestions(os.DirFS(filepath.Dir(file)), filepath.Base(file))
		if err != nil {
			t.Fatalf("load %s: %v", file, err)
		}
		var n, f1, f3, v1, v3, v3sure int
		for _, q := range qs {
			if len(q.Want) == 0 || q.Offtopic || q.Crisis {
				continue
			}
			n++
			got, err := f.search(q.Text)
			if err != nil {
				t.Fatalf("fts5 %q: %v", q.Text, err)
			}
			r := rank(got, q.Want)
			f1 += b2i(r == 1)
			f3 += b2i(r >= 1 && r <= 3)
			a, err := eng.Answer(context.Background(), bot.Question{Text: q.Text, Lang: q.Lang})
			if err != nil {
				t.Fatal(err)
			}
			var ours []string
			for _, e := range a.Entries {
				ours = append(ours, e.ID)
			}
			r = rank(ours, q.Want)
			v1 += b2i(r == 1)
			v3 += b2i(r >= 1 && r <= 3)
			v3sure += b2i(r >= 1 && r <= 3 && a.Confidence == bot.ConfidenceSure)
		}
		fmt.Printf("%s: %d questions  Recall@1 vejviser %.3f fts5 %.3f  Recall@3 vejviser %.3f (sure %.3f) fts5 %.3f\n",
			file, n, frac(v1, n), frac(f1, n), frac(v3, n), frac(v3sure, n), frac(f3, n))
	}
}

func rank(got, want []string) int {
	for i, id := range got {
		if slices.Contains(want, id) {
			return i + 1
		}
	}
	return 0
}

func frac(a, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(a) / float64(n)
}

// BenchmarkAnswerVsFTS5 measures, side by side in one run, a whole Vejviser answer (crisis
// check, language, kommune, search, confidence, services) and an SQLite FTS5 BM25 top-3 query
// over the same entries, on the same questions:
//
//	go test ./index -run '^$' -bench AnswerVsFTS5 -benchtime 3000x
func BenchmarkAnswerVsFTS5(b *testing.B) {
	base := loadBase(b)
	ix := build(b, base)
	eng := bot.New(base, ix, bot.Options{})
	f := newFTS5(b, base)
	ctx := context.Background()
	b.Run("vejviser-answer", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, err := eng.Answer(ctx, bot.Question{Text: benchQuestions[i%len(benchQuestions)]}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("vejviser-search", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, err := ix.Search(ctx, benchQuestions[i%len(benchQuestions)], "da", 6); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("fts5-top3", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, err := f.search(benchQuestions[i%len(benchQuestions)]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

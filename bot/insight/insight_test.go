package insight

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)} }

func TestScrub(t *testing.T) {
	tests := []struct{ in, want string }{
		{"min mail er anna.b@gmail.com hjælp", "min mail er [e-mail] hjælp"},
		{"ring til mig på 22 33 44 55", "ring til mig på [nummer]"},
		{"mit nummer +45 22334455 tak", "mit nummer [nummer] tak"},
		{"cpr 010203-1234 kan jeg få su", "cpr [nummer] kan jeg få su"},
		{"cpr 0102031234", "cpr [nummer]"},
		{"se https://example.com/a?b=c og www.x.dk", "se [link] og [link]"},
		{"<@123456789012345678> ved du det? spørg @mikkel_92", "[omtale] ved du det? spørg [omtale]"},
		{"jeg er 19 år og har 2 børn, fik 12 i dansk i 2024", "jeg er 19 år og har 2 børn, fik 12 i dansk i 2024"},
		{"hvad er FGU?", "hvad er FGU?"},
	}
	for _, tt := range tests {
		if got := Scrub(tt.in); got != tt.want {
			t.Errorf("Scrub(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestKeepReportDeleteExpire(t *testing.T) {
	c := newClock()
	dir := t.TempDir()
	s, err := Open(dir, c.now)
	if err != nil {
		t.Fatal(err)
	}
	id1, err := s.Keep("kan jeg få su når jeg bor i udlandet? skriv til a@b.dk", "da", "aarhus", "none", nil)
	if err != nil {
		t.Fatal(err)
	}
	c.add(20 * 24 * time.Hour)
	id2, err := s.Keep("kan jeg få su hvis jeg bor i udlandet", "da", "", "maybe", []string{"su"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Keep("hvordan bliver jeg tømrer", "da", "", "none", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Keep("  ", "da", "", "none", nil); err == nil {
		t.Error("Keep of an empty question: no error")
	}
	r, err := s.Report()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(r.Groups), 2; got != want {
		t.Fatalf("groups = %d, want %d: %+v", got, want, r.Groups)
	}
	if got, want := len(r.Groups[0].Questions), 2; got != want {
		t.Fatalf("first group has %d questions, want %d", got, want)
	}
	if got := r.Groups[0].Questions[1].Text; strings.Contains(got, "a@b.dk") {
		t.Errorf("stored text not scrubbed: %q", got)
	}
	// Day 31 after the first question: it is gone, the second stays.
	c.add(11 * 24 * time.Hour)
	r, err = s.Report()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, g := range r.Groups {
		for _, q := range g.Questions {
			ids = append(ids, q.ID)
		}
	}
	if strings.Contains(strings.Join(ids, " "), id1) {
		t.Errorf("question of 31 days ago still stored: %v", ids)
	}
	if !strings.Contains(strings.Join(ids, " "), id2) {
		t.Errorf("question of 11 days ago missing: %v", ids)
	}
	if err := s.Delete(id2); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(id2); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Delete: err = %v, want ErrNotFound", err)
	}
	n, err := s.Purge()
	if err != nil || n != 1 {
		t.Errorf("Purge = %d, %v; want 1, nil", n, err)
	}
	if r, _ := s.Report(); len(r.Groups) != 0 {
		t.Errorf("after Purge: %d groups", len(r.Groups))
	}
}

func TestCountsAndFeedbackPersist(t *testing.T) {
	c := newClock()
	dir := t.TempDir()
	s, err := Open(dir, c.now)
	if err != nil {
		t.Fatal(err)
	}
	for _, conf := range []string{"none", "none", "maybe"} {
		if err := s.Unanswered("da", "aarhus", conf, ""); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Feedback([]string{"su", "fgu"}, true); err != nil {
		t.Fatal(err)
	}
	if err := s.Feedback([]string{"su"}, false); err != nil {
		t.Fatal(err)
	}
	// A new Store on the same folder after Close (a restart) sees the same numbers.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(dir, c.now)
	if err != nil {
		t.Fatal(err)
	}
	r, err := s2.Report()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, d := range r.Days {
		got[d.Day+" "+d.Lang+" "+d.Kommune+" "+d.Confidence] = d.N
	}
	if got["2026-11-30 da aarhus none"] != 2 || got["2026-11-30 da aarhus maybe"] != 1 || len(got) != 2 {
		t.Errorf("day counts = %v", got)
	}
	fb := map[string]EntryFeedback{}
	for _, f := range r.Feedback {
		fb[f.Entry] = f
	}
	if fb["su"].Helped != 1 || fb["su"].NotIt != 1 || fb["fgu"].Helped != 1 || fb["fgu"].NotIt != 0 {
		t.Errorf("feedback = %+v", r.Feedback)
	}
	if r.Feedback[0].Entry != "su" {
		t.Errorf("entry with most 'did not help' not first: %+v", r.Feedback)
	}
}

func TestDamagedOrForeignStore(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte("this is not a bbolt file, it is garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, nil); err == nil {
		t.Error("Open of a damaged database: no error")
	}
	// The damaged file is left for the editors to look at, not overwritten.
	if b, _ := os.ReadFile(filepath.Join(dir, FileName)); !strings.HasPrefix(string(b), "this is not") {
		t.Error("damaged database was changed")
	}
	// A folder that cannot be created.
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o600)
	if _, err := Open(filepath.Join(file, "sub"), nil); err == nil {
		t.Error("Open under a regular file: no error")
	}
}

// TestTwoProcesses keeps questions from two operating-system processes at the same time on one
// folder, as two shards of the bot would, and expects every question stored.
func TestTwoProcesses(t *testing.T) {
	if os.Getenv("INSIGHT_CHILD") != "" {
		s, err := Open(os.Getenv("INSIGHT_CHILD"), nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 20; i++ {
			if _, err := s.Keep("spørgsmål fra en anden proces", "da", "", "none", nil); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	dir := t.TempDir()
	if _, err := Open(dir, nil); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	outs := make([][]byte, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := exec.Command(exe, "-test.run=^TestTwoProcesses$")
			cmd.Env = append(os.Environ(), "INSIGHT_CHILD="+dir)
			outs[i], errs[i] = cmd.CombinedOutput()
		}()
	}
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil {
			t.Fatalf("process %d: %v\n%s", i, errs[i], outs[i])
		}
	}
	s, _ := Open(dir, nil)
	r, err := s.Report()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, g := range r.Groups {
		n += len(g.Questions)
	}
	if n != 40 {
		t.Errorf("stored %d questions from two processes, want 40", n)
	}
}

func TestGroup(t *testing.T) {
	base := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	texts := []string{
		"hvad er FGU",
		"hvad er EGU",
		"hvad er fgu for noget",
		"hvor meget er SU på en ungdomsuddannelse",
		"hvor meget får man i su på ungdomsuddannelse",
	}
	var qs []Question
	for i, s := range texts {
		qs = append(qs, Question{ID: s, Text: s, Stored: base.Add(time.Duration(i) * time.Hour)})
	}
	var got []string
	for _, g := range group(qs) {
		var ids []string
		for _, q := range g.Questions {
			ids = append(ids, q.ID)
		}
		got = append(got, strings.Join(ids, "|"))
	}
	// Equal sizes: the group with the newest question first.
	want := []string{"hvor meget får man i su på ungdomsuddannelse|hvor meget er SU på en ungdomsuddannelse", "hvad er fgu for noget|hvad er FGU", "hvad er EGU"}
	if strings.Join(got, " / ") != strings.Join(want, " / ") {
		t.Errorf("groups = %q\nwant     %q", got, want)
	}
}

func TestClaimWeekly(t *testing.T) {
	c := newClock()
	s, err := Open(t.TempDir(), c.now)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		after time.Duration
		want  bool
	}{{0, true}, {0, false}, {6 * 24 * time.Hour, false}, {24 * time.Hour, true}, {time.Hour, false}}
	for i, st := range steps {
		c.add(st.after)
		got, err := s.ClaimWeekly()
		if err != nil || got != st.want {
			t.Errorf("step %d: ClaimWeekly = %v, %v; want %v", i, got, err, st.want)
		}
	}
}

// TestCountsTouchOnlyMemory: counting an unanswered question writes nothing until a flush (the
// answer path never waits for the disk or another process's lock), and a failed flush keeps
// the counts for the next one.
func TestCountsTouchOnlyMemory(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(filepath.Join(dir, FileName))
	for range 1000 {
		s.Unanswered("da", "", "none", "")
	}
	after, _ := os.Stat(filepath.Join(dir, FileName))
	if !after.ModTime().Equal(before.ModTime()) {
		t.Error("counting wrote to the database")
	}
	// The database vanishes: the flush fails and the counts wait.
	os.Rename(filepath.Join(dir, FileName), filepath.Join(dir, "moved"))
	os.Mkdir(filepath.Join(dir, FileName), 0o700)
	if err := s.flush(); err == nil {
		t.Fatal("flush into a folder: no error")
	}
	os.Remove(filepath.Join(dir, FileName))
	os.Rename(filepath.Join(dir, "moved"), filepath.Join(dir, FileName))
	r, err := s.Report()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Days) != 1 || r.Days[0].N != 1000 {
		t.Errorf("after a failed flush: %+v; want 1000 counted once", r.Days)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestCountsKeptBeforeOutsideTopics checks that counts written before the outside topic became
// part of the key (four parts) are still read, with no topic, beside new ones.
func TestCountsKeptBeforeOutsideTopics(t *testing.T) {
	c := newClock()
	s, err := Open(t.TempDir(), c.now)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketCounts).Put([]byte("2026-11-29\x00da\x00\x00none"), []byte("3"))
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Unanswered("en", "", "maybe", "skat"); err != nil {
		t.Fatal(err)
	}
	r, err := s.Report()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, d := range r.Days {
		got[d.Day+" "+d.Lang+" "+d.Confidence+" "+d.Outside] = d.N
	}
	want := map[string]int{"2026-11-29 da none ": 3, "2026-11-30 en maybe skat": 1}
	if len(got) != len(want) || got["2026-11-29 da none "] != 3 || got["2026-11-30 en maybe skat"] != 1 {
		t.Errorf("day counts = %v; want %v", got, want)
	}
}

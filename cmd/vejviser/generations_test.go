package main

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/knowledge"
)

// leanKnowledge returns the embedded knowledge folder without the asked questions and the crisis
// examples, for the tests of reloads and index folders, which load and index a base again and
// again: those files are 41 of its 42 MB, and reading and learning from them was most of a
// reload (about 5 s under the race detector; TestTwoEnginesShareIndexDir reloads ten times and
// took 48 s, 2026-12-05). Without examples the crisis detector reads the rules alone, as it does
// for a folder that has none.
func leanKnowledge(t testing.TB) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	emb := knowledge.Embedded()
	err := fs.WalkDir(emb, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(p, knowledge.AskedDir+"/") ||
			strings.HasPrefix(p, knowledge.CrisisExamplesDir+"/") {
			return err
		}
		data, err := fs.ReadFile(emb, p)
		m[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// variant returns the lean embedded knowledge base (leanKnowledge) with a made-up keyword added
// to the fgu entry, so every n gives another version.
func variant(t testing.TB, n int) fstest.MapFS {
	t.Helper()
	m := leanKnowledge(t)
	src := string(m["entries/fgu.md"].Data)
	src = strings.Replace(src, `"produktionsskole",`, fmt.Sprintf(`"produktionsskole", "variant%d",`, n), 1)
	m["entries/fgu.md"] = &fstest.MapFile{Data: []byte(src)}
	return m
}

// TestTwoEnginesShareIndexDir runs two engines – two shards – on one index folder and reloads
// both at once, again and again: no reload may fail because the other removed what it was
// building, and both keep answering from an index that exists.
func TestTwoEnginesShareIndexDir(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	var engines [2]*bot.Engine
	for i := range engines {
		e, err := newEngine(ctx, variant(t, 0), "embedded", dir, nil, discardLogger(), os.Stderr)
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		engines[i] = e
	}
	const rounds = 4
	var wg sync.WaitGroup
	errs := make(chan error, 2*rounds)
	for i, e := range engines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 1; r <= rounds; r++ {
				if _, err := e.Reload(ctx, variant(t, r*2+i)); err != nil {
					errs <- fmt.Errorf("engine %d, reload %d: %w", i, r, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for i, e := range engines {
		want := fmt.Sprintf("variant%d", rounds*2+i)
		a, err := e.Answer(ctx, bot.Question{Text: want})
		if err != nil || len(a.Entries) == 0 || a.Entries[0].ID != "fgu" {
			t.Errorf("engine %d: %q finds %v, %v; want fgu", i, want, a.Entries, err)
		}
	}
	if _, err := readCurrent(dir); err != nil {
		t.Errorf("CURRENT after the reloads: %v", err)
	}
	// Once both are closed, at most CURRENT and one fallback are left.
	for _, e := range engines {
		e.Close()
	}
	gens, _ := filepath.Glob(filepath.Join(dir, "gen-*"))
	if len(gens) > 2 {
		t.Errorf("%d generations left after both engines closed; want at most 2", len(gens))
	}
}

// TestIndexDirNotWritable: an index folder that cannot be created or written (here a file in
// its place, as a full or read-only disk would refuse it) does not stop start-up: the index is
// built in memory, with a warning.
func TestIndexDirNotWritable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	blocked := filepath.Join(t.TempDir(), "index")
	if err := os.WriteFile(blocked, []byte("a file where the folder should be"), 0o644); err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	e, err := newEngine(ctx, knowledge.Embedded(), "embedded", blocked, nil, newTestLogger(&logs), os.Stderr)
	if err != nil {
		t.Fatalf("start-up with an unwritable index folder: %v", err)
	}
	defer e.Close()
	if a, _ := e.Answer(ctx, bot.Question{Text: "hvad er fgu"}); len(a.Entries) == 0 || a.Entries[0].ID != "fgu" {
		t.Errorf("answers %v; want fgu", a.Entries)
	}
	if !strings.Contains(logs.String(), "building the index in memory instead") {
		t.Errorf("no warning in the log:\n%s", logs.String())
	}
	// A reload tries the folder again, and falls back again.
	if _, err := e.Reload(ctx, variant(t, 1)); err != nil {
		t.Errorf("reload with an unwritable index folder: %v", err)
	}
}

// TestReadOnlyIndexDir: a read-only folder with a valid generation is served.
func TestReadOnlyIndexDir(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores file permissions")
	}
	ctx := context.Background()
	base, _ := loadKnowledge(knowledge.Embedded(), time.Now())
	dir := t.TempDir()
	gen := committedGeneration(t, dir, base)
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error { return os.Chmod(p, 0o555) })
	defer filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error { return os.Chmod(p, 0o755) })
	var logs strings.Builder
	s, err := openOrBuild(ctx, dir, base, newTestLogger(&logs))
	if err != nil {
		t.Fatal(err)
	}
	defer closeSearcher(s)
	if !strings.Contains(logs.String(), gen) {
		t.Errorf("the valid generation was not served:\n%s", logs.String())
	}
}

// TestJunkCurrent: a 256 MiB CURRENT full of junk is refused after reading 256 bytes; the
// index is rebuilt, and the junk never reaches the log.
func TestJunkCurrent(t *testing.T) {
	ctx := context.Background()
	base, _ := loadKnowledge(knowledge.Embedded(), time.Now())
	dir := t.TempDir()
	committedGeneration(t, dir, base)
	junk := strings.Repeat("SECRET-JUNK ", 1<<20) // 12 MiB written, then extended sparsely
	if err := os.WriteFile(filepath.Join(dir, currentFile), []byte(junk), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(filepath.Join(dir, currentFile), 256<<20); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := readCurrent(dir)
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Error("a junk CURRENT was accepted")
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<10 {
		t.Errorf("reading CURRENT allocated %d KB; it must be read with a small bound", grew>>10)
	}
	var logs strings.Builder
	s, err := openOrBuild(ctx, dir, base, newTestLogger(&logs))
	if err != nil {
		t.Fatal(err)
	}
	defer closeSearcher(s)
	if strings.Contains(logs.String(), "SECRET") {
		t.Error("the junk reached the log")
	}
	if name, err := readCurrent(dir); err != nil || !genName.MatchString(name) {
		t.Errorf("CURRENT after the rebuild: %q, %v", name, err)
	}
}

// TestCorruptSegmentIsRebuilt flips random bytes inside the generation's segment files: every
// time, start-up rebuilds and answers, never serving the damaged index (issue 10: 40 of 40
// were served before the checksums).
func TestCorruptSegmentIsRebuilt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	base, _ := loadKnowledge(knowledge.Embedded(), time.Now())
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 3 {
		dir := t.TempDir()
		gen := committedGeneration(t, dir, base)
		zaps, _ := filepath.Glob(filepath.Join(dir, gen, "store", "*.zap"))
		if len(zaps) == 0 {
			t.Fatal("no segment")
		}
		z := zaps[r.IntN(len(zaps))]
		data, _ := os.ReadFile(z)
		data[r.IntN(len(data))] ^= 0xFF
		os.WriteFile(z, data, 0o644)
		var logs strings.Builder
		s, err := openOrBuild(ctx, dir, base, newTestLogger(&logs))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(logs.String(), "index opened") {
			t.Errorf("run %d: the damaged generation was opened", i)
		}
		hits, _ := s.Search(ctx, "hvad er fgu", "da", 3)
		if len(hits) == 0 || hits[0].ID != "fgu" {
			t.Errorf("run %d: after the rebuild, search finds %v", i, hits)
		}
		closeSearcher(s)
	}
}

// TestCheckStopsOnSignal: check on a folder that takes seconds to read returns as soon as its
// context ends (what Ctrl-C and SIGTERM do through main's signal context).
func TestCheckStopsOnSignal(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, knowledge.Embedded()); err != nil {
		t.Fatal(err)
	}
	// Slow but legal files: examples nested as deep as allowed, 8 × ~1 MB.
	var line strings.Builder
	line.WriteString("x = ")
	for range knowledge.MaxNesting - 1 {
		line.WriteString("{a = ")
	}
	line.WriteString(`"` + strings.Repeat("z", 200) + `"` + strings.Repeat("}", knowledge.MaxNesting-1))
	var file strings.Builder
	for i := 0; file.Len() < knowledge.MaxFileSize-1024; i++ {
		fmt.Fprintf(&file, "[[example]]\ntext = \"t\"\ntier = \"none\"\nkind = \"ordinary\"\n%s\n", line.String())
	}
	for i := range 8 {
		os.WriteFile(filepath.Join(dir, "crisis-examples", fmt.Sprintf("slow-%d.toml", i)), []byte(file.String()), 0o644)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	var out, errb strings.Builder
	start := time.Now()
	err := run(ctx, []string{"check", dir}, noenv, strings.NewReader(""), &out, &errb)
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("check returned %s after the signal", d-100*time.Millisecond)
	}
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Errorf("check = %v; want interrupted", err)
	}
}

// TestOldGenerationsAreCleanedUp: folders in the naming of before 2026-11-30 (no pid, no
// checksums) are never served and are removed by the next cleanup.
func TestOldGenerationsAreCleanedUp(t *testing.T) {
	base, _ := loadKnowledge(knowledge.Embedded(), time.Now())
	dir := t.TempDir()
	old := filepath.Join(dir, "gen-"+base.Version+"-1700000000000000000")
	os.MkdirAll(old, 0o755)
	os.WriteFile(filepath.Join(old, "vejviser.json"), []byte(`{}`), 0o644)
	os.WriteFile(filepath.Join(dir, currentFile), []byte(filepath.Base(old)+"\n"), 0o644)
	s, err := openOrBuild(context.Background(), dir, base, discardLogger())
	if err != nil {
		t.Fatal(err)
	}
	defer closeSearcher(s)
	if cur, _ := readCurrent(dir); cur == filepath.Base(old) {
		t.Error("an unsealed old generation is still current")
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("the old generation is still there: %v", err)
	}
}

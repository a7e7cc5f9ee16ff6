package bot

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vejviser/vejviser/bot/crisis"
	"github.com/vejviser/vejviser/knowledge"
)

// TestCrisisDetectorTrainedOnce asks for the detector of one (new) base from several goroutines
// at once, as the CLI's PrepareCrisis and bot.New do at start-up: it must be trained once and
// shared.
func TestCrisisDetectorTrainedOnce(t *testing.T) {
	base := smallCrisisBase(t)
	b := *base // a base no other test – nor an earlier run of this one (-count) – has built a detector for
	b.Crisis.Examples = append(slices.Clone(base.Crisis.Examples), knowledge.CrisisExample{
		Text: fmt.Sprintf("en besked kun denne test kender %d", time.Now().UnixNano()),
		Tier: knowledge.TierNone, Kind: "ordinary", Lang: "da"})
	before := detectorBuilds.Load()
	const n = 4
	got := make([]any, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { got[i] = crisisDetectorFor(&b) })
	}
	wg.Wait()
	if builds := detectorBuilds.Load() - before; builds != 1 {
		t.Errorf("detectors trained = %d; want 1", builds)
	}
	for i := 1; i < n; i++ {
		if got[i] != got[0] {
			t.Errorf("caller %d got another detector than caller 0", i)
		}
	}
}

// TestCrisisModelStore checks the store of trained classifiers: the first build trains and
// stores, the next reads the same classifier back without training, a damaged file is trained
// again and replaced, another program (salt) never reads it, and old files are pruned.
func TestCrisisModelStore(t *testing.T) {
	base := smallCrisisBase(t)
	dir := t.TempDir()
	for i := range keepStoredModels + 2 { // stale files of other versions, oldest first
		name := filepath.Join(dir, fmt.Sprintf("crisis-old%d.model", i))
		if err := os.WriteFile(name, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-time.Duration(100-i) * time.Hour)
		_ = os.Chtimes(name, old, old)
	}
	salt := "program-a"
	StoreCrisisModels(dir, func() string { return salt })
	t.Cleanup(useTestStore)
	opts := crisis.OptionsFor(base)
	fp := crisisFingerprint(base.Crisis, opts)
	stored := func() []string {
		var out []string
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			if strings.HasSuffix(e.Name(), ".model") && !strings.Contains(e.Name(), "old") {
				out = append(out, e.Name())
			}
		}
		return out
	}
	msgs := []string{"jeg vil ikke leve mere", "hvad er fgu?", "ok tak"}

	builds := detectorBuilds.Load()
	first := storedOrTrained(base.Crisis, opts, fp)
	if got, want := detectorBuilds.Load()-builds, int64(1); got != want {
		t.Fatalf("first build trained %d times; want %d", got, want)
	}
	files := stored()
	if len(files) != 1 {
		t.Fatalf("stored files after the first build = %v; want one", files)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) > keepStoredModels {
		t.Errorf("%d files in the store after pruning; want at most %d", len(ents), keepStoredModels)
	}

	builds = detectorBuilds.Load()
	second := storedOrTrained(base.Crisis, opts, fp)
	if got := detectorBuilds.Load() - builds; got != 0 {
		t.Errorf("second build trained %d times; want 0 (read from the store)", got)
	}
	for _, m := range msgs {
		if a, b := first.Detect(m), second.Detect(m); a.Tier != b.Tier || a.Score != b.Score {
			t.Errorf("Detect(%q): trained %s %.6f, stored %s %.6f", m, a.Tier, a.Score, b.Tier, b.Score)
		}
	}

	path := filepath.Join(dir, files[0])
	if err := os.WriteFile(path, []byte("damaged"), 0o600); err != nil {
		t.Fatal(err)
	}
	builds = detectorBuilds.Load()
	third := storedOrTrained(base.Crisis, opts, fp)
	if got := detectorBuilds.Load() - builds; got != 1 {
		t.Errorf("build over a damaged file trained %d times; want 1", got)
	}
	if data, _ := os.ReadFile(path); !bytes.Equal(data, third.EncodeModel()) {
		t.Errorf("the damaged file was not replaced by the trained classifier")
	}

	salt = "program-b" // the salt is read once per StoreCrisisModels
	StoreCrisisModels(dir, func() string { return salt })
	builds = detectorBuilds.Load()
	storedOrTrained(base.Crisis, opts, fp)
	if got := detectorBuilds.Load() - builds; got != 1 {
		t.Errorf("another program trained %d times; want 1 (it must not read program-a's classifier)", got)
	}
	if files := stored(); len(files) != 2 {
		t.Errorf("stored files for two programs = %v; want two", files)
	}
}

// smallCrisisBase is the embedded base with only its first smallCrisisExamples crisis examples
// and the first smallCrisisQuestions example questions of each entry in each language (the
// classifier learns those as ordinary questions). The tests of the detector cache and the model
// store check how detectors are trained, shared, stored and read back, not how well they
// detect; training on all the examples takes about two seconds (2026-12-01, 20,800 messages)
// and several times that under -race, where these tests had grown to a large share of CI.
// Trimming the entries' 2,000 example questions and the lexicon's atom map (bot/crisis) together
// took the three tests from 122 s to 58 s under -race (2026-12-05, both runs beside other
// work); the trimming was not measured apart, and without the race detector it changed nothing
// measurable (TestShippedCrisisModel 5.6 s against 5.8 s).
func smallCrisisBase(t *testing.T) *knowledge.Base {
	t.Helper()
	// A fixed day on or after every entry's reviewed date (the newest: ungestoette, 2026-12-05).
	base, err := knowledge.Load(knowledge.Embedded(), time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatalf("load embedded knowledge: %v", err)
	}
	b := *base
	b.Crisis.Examples = slices.Clone(base.Crisis.Examples[:min(smallCrisisExamples, len(base.Crisis.Examples))])
	b.Entries = slices.Clone(base.Entries)
	for i, e := range b.Entries {
		small := *e
		small.Questions = slices.Clone(e.Questions[:min(smallCrisisQuestions, len(e.Questions))])
		small.EN.Questions = slices.Clone(e.EN.Questions[:min(smallCrisisQuestions, len(e.EN.Questions))])
		b.Entries[i] = &small
	}
	return &b
}

// smallCrisisQuestions is how many example questions per entry and language the small base
// keeps: enough ordinary questions beside the examples' own harmless ones.
const smallCrisisQuestions = 3

// smallCrisisExamples is enough examples of every tier for a classifier that scores messages.
const smallCrisisExamples = 400

// TestShippedCrisisModel checks a knowledge folder's crisis.model: a start-up on the examples it
// was trained from reads it without training and detects exactly as the trained detector does;
// a file trained from other examples, a damaged one or none at all is not read, and the
// detector is trained as without it.
func TestShippedCrisisModel(t *testing.T) {
	base := smallCrisisBase(t)
	b := *base // examples no other test has trained on, so the process-wide cache is cold
	b.Crisis.Examples = append(slices.Clone(base.Crisis.Examples), knowledge.CrisisExample{
		Text: fmt.Sprintf("en besked kun den gemte klassifikator kender %d", time.Now().UnixNano()),
		Tier: knowledge.TierNone, Kind: "ordinary", Lang: "da"})
	StoreCrisisModels("", nil) // no store: only crisis.model can spare the training
	t.Cleanup(useTestStore)

	if CrisisModelFresh(&b) {
		t.Fatal("CrisisModelFresh = true for a base without crisis.model")
	}
	file := CrisisModelFile(&b)
	if !bytes.HasPrefix(file, []byte(knowledge.CrisisModelHeader)) {
		t.Fatalf("CrisisModelFile starts %q; want the header %q", file[:min(len(file), 60)], knowledge.CrisisModelHeader)
	}
	trained := crisisDetectorFor(&b)
	opts := crisis.OptionsFor(&b)
	fp := crisisFingerprint(b.Crisis, opts)

	withFile := b
	withFile.Crisis.Model = file
	if !CrisisModelFresh(&withFile) {
		t.Fatal("CrisisModelFresh = false for the file trained from the same examples")
	}
	builds := detectorBuilds.Load()
	shipped := storedOrTrained(withFile.Crisis, opts, fp)
	if got := detectorBuilds.Load() - builds; got != 0 {
		t.Errorf("start-up with a fresh crisis.model trained %d times; want 0", got)
	}
	for _, m := range []string{"jeg vil ikke leve mere", "har skåret mig igen i nat", "hvad er fgu?", "ok tak"} {
		if a, b := trained.Detect(m), shipped.Detect(m); a.Tier != b.Tier || a.Score != b.Score {
			t.Errorf("Detect(%q): trained %s %.6f, from crisis.model %s %.6f", m, a.Tier, a.Score, b.Tier, b.Score)
		}
	}

	damaged := slices.Clone(file)
	damaged[len(damaged)-1] ^= 0xff // the classifier's checksum no longer holds
	other := b
	other.Crisis.Examples = append(slices.Clone(b.Crisis.Examples), knowledge.CrisisExample{
		Text: "en besked mere", Tier: knowledge.TierNone, Kind: "ordinary", Lang: "da"})
	for _, tc := range []struct {
		name  string
		c     knowledge.Crisis
		model []byte
	}{
		{"damaged", b.Crisis, damaged},
		{"cut short", b.Crisis, file[:len(file)/2]},
		{"trained from other examples", other.Crisis, file},
		{"without header", b.Crisis, file[len(knowledge.CrisisModelHeader):]},
	} {
		c := tc.c
		c.Model = tc.model
		o := opts
		if tc.name == "trained from other examples" {
			o = crisis.OptionsFor(&other)
		}
		builds := detectorBuilds.Load()
		storedOrTrained(c, o, crisisFingerprint(c, o))
		if got := detectorBuilds.Load() - builds; got != 1 {
			t.Errorf("%s crisis.model: trained %d times; want 1 (the file must not be read)", tc.name, got)
		}
	}
}

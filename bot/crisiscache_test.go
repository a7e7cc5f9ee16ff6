package bot

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/vejviser/vejviser/knowledge"
)

// TestCrisisDetectorTrainedOnce asks for the detector of one (new) base from several goroutines
// at once, as the CLI's PrepareCrisis and bot.New do at start-up: it must be trained once and
// shared.
func TestCrisisDetectorTrainedOnce(t *testing.T) {
	base, err := knowledge.Load(knowledge.Embedded(), time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatalf("load embedded knowledge: %v", err)
	}
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

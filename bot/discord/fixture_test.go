package discord

import (
	"os"
	"testing"
	"time"

	"github.com/vejviser/vejviser/knowledge"
)

// TestFixtureLoads keeps the fallback knowledge folder in testdata valid.
func TestFixtureLoads(t *testing.T) {
	t.Parallel()
	base, err := knowledge.Load(os.DirFS("testdata/knowledge"), time.Now())
	if err != nil {
		if _, eerr := knowledge.Load(knowledge.Embedded(), time.Now()); eerr == nil {
			t.Skipf("testdata/knowledge is stale (the tests use the embedded base, which loads); refresh or delete it: %v", firstLine(err.Error()))
		}
		t.Fatalf("testdata/knowledge does not load: %v", err)
	}
	if _, ok := base.Entry("fgu"); !ok {
		t.Error("testdata/knowledge lacks the entry fgu")
	}
}

package bot

import (
	"os"
	"testing"

	"github.com/vejviser/vejviser/bot/crisis"
	"github.com/vejviser/vejviser/bot/crisis/crisistest"
)

// TestMain points the crisis classifier store at the module's shared test store, so this
// package reads the classifier for the embedded knowledge base that another test binary (or an
// earlier run) trained instead of training it again under the race detector.
func TestMain(m *testing.M) {
	useTestStore()
	os.Exit(m.Run())
}

// useTestStore points the crisis classifier store at crisistest's shared store.
func useTestStore() { StoreCrisisModels(crisistest.Dir(), crisis.CodeFingerprint) }

// Package crisistest gives this module's test binaries one store of trained crisis
// classifiers, shared between packages and between runs.
//
// Every package whose tests build an engine on the embedded knowledge base trains the crisis
// classifier on all its examples. Under the race detector that training dominated CI: the race
// run of bot, bot/discord and cmd/vejviser took 392 s of a 660 s CI run with 114,560 examples
// (2026-12-02), each package training the same classifier. With the store – keyed, as the
// program's own, by crisis.CodeFingerprint and the data – the first test binary trains and
// stores it and the others read it back (the same classifier to the bit: see bot's
// TestCrisisModelStore).
package crisistest

import (
	"os"
	"path/filepath"
)

// EnvDir names the environment variable that overrides Dir; "off" turns the store off.
const EnvDir = "VEJVISER_TEST_CACHE_DIR"

// Dir returns the folder of the shared store: $VEJVISER_TEST_CACHE_DIR, "" when that is "off",
// else vejviser-test-models in the system's temporary folder.
func Dir() string {
	switch d := os.Getenv(EnvDir); d {
	case "off":
		return ""
	case "":
		return filepath.Join(os.TempDir(), "vejviser-test-models")
	default:
		return d
	}
}

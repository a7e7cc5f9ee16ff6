package main

import (
	"path/filepath"

	"github.com/vejviser/vejviser/bot"
	"github.com/vejviser/vejviser/bot/crisis"
)

// crisisStoreDir returns where trained crisis classifiers are kept between runs:
// $VEJVISER_CACHE_DIR ("off" for nowhere), else $XDG_CACHE_HOME/vejviser, else
// $HOME/.cache/vejviser, else nowhere.
func crisisStoreDir(getenv func(string) string) string {
	switch d := getenv("VEJVISER_CACHE_DIR"); {
	case d == "off":
		return ""
	case d != "":
		return d
	}
	if d := getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "vejviser")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".cache", "vejviser")
	}
	return ""
}

// crisisStoreDirFor is crisisStoreDir; the tests point it at the module's shared test store.
var crisisStoreDirFor = crisisStoreDir

// useCrisisStore points the crisis classifier store at crisisStoreDirFor's folder, keyed by the
// trainer's code (crisis.CodeFingerprint): a rebuild that leaves the trainer alone reads the
// classifier the last build stored.
func useCrisisStore(getenv func(string) string) {
	bot.StoreCrisisModels(crisisStoreDirFor(getenv), crisis.CodeFingerprint)
}

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"

	"github.com/vejviser/vejviser/bot"
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

// programFingerprint hashes this program's executable, so a changed program never reads a
// classifier an older one stored; "" (no store) when the executable cannot be read.
func programFingerprint() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

// crisisStore returns where run keeps trained crisis classifiers and the fingerprint of the
// program that keys them. The tests replace it with the module's shared test store, since a
// test binary's own fingerprint changes with every build.
var crisisStore = func(getenv func(string) string) (dir string, salt func() string) {
	return crisisStoreDir(getenv), programFingerprint
}

// useCrisisStore points the crisis classifier store at crisisStore's folder.
func useCrisisStore(getenv func(string) string) {
	bot.StoreCrisisModels(crisisStore(getenv))
}

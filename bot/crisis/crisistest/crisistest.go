// Package crisistest gives this module's test binaries one store of trained crisis
// classifiers, shared between packages and between runs.
//
// Every package whose tests build an engine on the embedded knowledge base trains the crisis
// classifier on all its examples. Under the race detector that training dominated CI: the race
// run of bot, bot/discord and cmd/vejviser took 392 s of a 660 s CI run with 114,560 examples
// (2026-12-02), each package training the same classifier. With the store, the first test
// binary trains and stores it and the others read it back (the same classifier to the bit:
// see bot's TestCrisisModelStore).
//
// The program's own store (bot.StoreCrisisModels, keyed by the executable's hash) cannot be
// shared here, since every test binary is a different executable. Salt therefore keys the
// store by the source of the code a classifier is trained by – the bot/crisis and knowledge
// packages – and by the Go toolchain, so a change to that code never reads a classifier the old
// code trained.
package crisistest

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
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

// trainerDirs are the module's folders whose Go code decides what a classifier trained on given
// examples looks like: bot/crisis trains it, knowledge reads and normalises the examples.
var trainerDirs = []string{"bot/crisis", "knowledge"}

// Salt returns a fingerprint of the Go toolchain and of the Go source under trainerDirs except
// tests and test data, found from the working directory up to go.mod; "" (no store) when the
// module's source cannot be read. It is computed once per process. The knowledge files need not
// be in it: everything a classifier is trained from is in bot's own fingerprint of the base, so
// an edit to the editors' guide or an entry does not throw the store away.
var Salt = sync.OnceValue(func() string {
	root, err := moduleRoot()
	if err != nil {
		return ""
	}
	s, err := sourceSalt(root)
	if err != nil {
		return ""
	}
	return s
})

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("crisistest: no go.mod above the working directory")
		}
		dir = parent
	}
}

// sourceSalt hashes the toolchain and the trainer's Go files under root, in a fixed order.
func sourceSalt(root string) (string, error) {
	var files []string
	for _, d := range trainerDirs {
		err := filepath.WalkDir(filepath.Join(root, d), func(path string, e fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := e.Name()
			if e.IsDir() {
				if name == "testdata" || name == "crisistest" {
					return filepath.SkipDir
				}
				return nil
			}
			if !e.Type().IsRegular() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
				return nil
			}
			files = append(files, path)
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	slices.Sort(files)
	h := sha256.New()
	h.Write([]byte(runtime.Version() + "\x00" + runtime.GOARCH + "\x00"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		rel, _ := filepath.Rel(root, f)
		h.Write([]byte(filepath.ToSlash(rel) + "\x00"))
		h.Write(data)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

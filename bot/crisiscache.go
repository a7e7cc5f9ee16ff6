package bot

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vejviser/vejviser/bot/crisis"
	"github.com/vejviser/vejviser/knowledge"
)

// detectorCacheSize is how many crisis detectors detectorCache keeps: the live one, the one
// being built by a reload, and a little room.
const detectorCacheSize = 4

// detectorCache memoises crisis detectors by the fingerprint of everything they are built from.
// Building one trains a classifier (25–35 s on two cores for the 115,000–129,000 examples of
// 2026-12-02, four averaged models; see crisis.defaultTraining); a process that builds engines
// from the same crisis data again – a reload that edits only an entry's facts, the CLI's tests –
// reuses it. Detectors are immutable after crisis.New, so sharing one between engines is safe.
// The cache is safe for concurrent use.
var detectorCache = struct {
	sync.Mutex
	keys     []string
	vals     map[string]*crisis.Detector
	building map[string]chan struct{} // closed when the detector for the key is in vals
}{vals: map[string]*crisis.Detector{}, building: map[string]chan struct{}{}}

// detectorBuilds counts the detectors this process has trained (the tests check that
// concurrent requests for one base train it once).
var detectorBuilds atomic.Int64

// PrepareCrisis trains the crisis detector for base into the process-wide cache, so that New
// finds it ready. The CLI calls it in a goroutine while the index is built: the two are
// independent, and on two cores a cold start-up takes the longer of them instead of the sum.
// A New that asks for the same detector meanwhile waits for this one rather than training twice.
func PrepareCrisis(base *knowledge.Base) { crisisDetectorFor(base) }

// CrisisDetector returns the crisis detector the engine builds for base: from the process-wide
// cache, else from the classifier store (StoreCrisisModels), else trained. The crisis package's
// tests use it to share the classifier the other test binaries store.
func CrisisDetector(base *knowledge.Base) *crisis.Detector { return crisisDetectorFor(base) }

// crisisDetectorFor returns the detector for base, from the cache when its inputs are unchanged.
func crisisDetectorFor(base *knowledge.Base) *crisis.Detector {
	opts := crisis.OptionsFor(base)
	fp := crisisFingerprint(base.Crisis, opts)
	detectorCache.Lock()
	for {
		if d, ok := detectorCache.vals[fp]; ok {
			detectorCache.Unlock()
			return d
		}
		ch, busy := detectorCache.building[fp]
		if !busy {
			break
		}
		detectorCache.Unlock()
		<-ch
		detectorCache.Lock()
	}
	ch := make(chan struct{})
	detectorCache.building[fp] = ch
	detectorCache.Unlock()

	d := storedOrTrained(base.Crisis, opts, fp) // outside the lock: other bases' lookups go on

	detectorCache.Lock()
	defer detectorCache.Unlock()
	delete(detectorCache.building, fp)
	close(ch)
	detectorCache.keys = append(detectorCache.keys, fp)
	detectorCache.vals[fp] = d
	if len(detectorCache.keys) > detectorCacheSize {
		delete(detectorCache.vals, detectorCache.keys[0])
		detectorCache.keys = detectorCache.keys[1:]
	}
	return d
}

// crisisFingerprint hashes everything the crisis detector is built from. The examples count by
// the digest of the files they were read from when they are still those (a loaded base, whose
// examples may not even be decoded yet: knowledge.LoadForServing), else by their texts and labels.
func crisisFingerprint(c knowledge.Crisis, opts crisis.Options) string {
	h := sha256.New()
	fmt.Fprintf(h, "%v\x00%v\x00%v\x00", c.Concepts, c.Rules, c.Excepts)
	if digest, ok := c.ExamplesDigest(); ok {
		fmt.Fprintf(h, "example files %s\x00", digest)
	} else {
		hashExamples(h, c.Examples)
	}
	for _, list := range [][]string{opts.Ordinary, opts.Known} {
		for _, t := range list {
			h.Write([]byte(t))
			h.Write([]byte{0})
		}
		h.Write([]byte{1})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// hashExamples writes the texts and labels of exs to h.
func hashExamples(h io.Writer, exs []knowledge.CrisisExample) {
	buf := make([]byte, 0, 64<<10)
	for _, ex := range exs { // appended, not Fprintf: a tenth of a cached start-up went to it
		buf = append(append(append(append(append(append(buf, ex.Text...), 0), ex.Tier...), 0), ex.Kind...), 0)
		if len(buf) >= 60<<10 {
			h.Write(buf)
			buf = buf[:0]
		}
	}
	h.Write(buf)
}

// modelStore is where trained crisis classifiers are kept between runs of the program.
var modelStore struct {
	sync.Mutex
	dir  string
	salt func() string
}

// StoreCrisisModels makes this process keep the crisis classifiers it trains in dir and read
// them back instead of training again, keyed by the fingerprint of everything a classifier is
// trained from and by salt – the fingerprint of the code that trains it (crisis.CodeFingerprint),
// so a changed trainer never reads a classifier another one trained. salt is called once, when a
// classifier is first looked up. An empty dir, a nil salt or an empty salt turns the store off.
//
// Training takes about 55–65 s on two cores for the 153,760 examples of 2026-12-03, building a
// detector from a stored classifier 0.14 s (BenchmarkNewStored; 0.67 s before the known words
// were stored with the classifier). A stored classifier is built only from the knowledge
// base's labelled examples and questions, never from anything a user wrote. A missing, damaged
// or unwritable store is not an error: the classifier is trained as without one.
func StoreCrisisModels(dir string, salt func() string) {
	modelStore.Lock()
	defer modelStore.Unlock()
	modelStore.dir, modelStore.salt = dir, nil
	if salt != nil {
		modelStore.salt = sync.OnceValue(salt)
	}
}

// maxStoredModel bounds how much of a stored classifier file is read: the same bound as a
// knowledge folder's crisis.model, which holds the same encoding.
const maxStoredModel = knowledge.MaxCrisisModelSize

// keepStoredModels is how many stored classifiers the store keeps: one per knowledge version
// and program, the newest first.
const keepStoredModels = 6

// storedOrTrained reads the classifier for fingerprint fp from the store, or trains it and
// stores it.
func storedOrTrained(c knowledge.Crisis, opts crisis.Options, fp string) *crisis.Detector {
	modelStore.Lock()
	dir, salt := modelStore.dir, modelStore.salt
	modelStore.Unlock()
	if d := fromShipped(c, opts, fp); d != nil {
		return d
	}
	prog := ""
	if dir != "" && salt != nil {
		prog = salt()
	}
	if prog == "" {
		detectorBuilds.Add(1)
		return crisis.New(c, opts)
	}
	sum := sha256.Sum256([]byte(fp + "\x00" + prog))
	path := filepath.Join(dir, "crisis-"+hex.EncodeToString(sum[:12])+".model")
	if data, err := readStoredModel(path); err == nil {
		if d, err := crisis.NewStored(c, opts, data); err == nil {
			now := time.Now()
			_ = os.Chtimes(path, now, now) // in use: the newest
			return d
		}
	}
	d := crisis.New(c, opts)
	detectorBuilds.Add(1)
	if data := d.EncodeModel(); data != nil && writeStoredModel(dir, path, data, 0o600) == nil {
		pruneStoredModels(dir)
	}
	return d
}

// shippedKey names what a shipped classifier was trained from: the fingerprint fp of the crisis
// data and options, and the fingerprint of the training code (crisis.CodeFingerprint), so a
// classifier trained by other code or from other examples is never used.
func shippedKey(fp string) string {
	code := crisis.CodeFingerprint()
	if code == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(fp + "\x00" + code))
	return hex.EncodeToString(sum[:])
}

// fromShipped builds the detector from the classifier in the knowledge folder's crisis.model
// (knowledge.Crisis.Model) when that file was trained from exactly these inputs by this code;
// otherwise it returns nil.
func fromShipped(c knowledge.Crisis, opts crisis.Options, fp string) *crisis.Detector {
	data, ok := shippedModel(c.Model, fp)
	if !ok {
		return nil
	}
	d, err := crisis.NewStored(c, opts, data)
	if err != nil {
		return nil
	}
	return d
}

// shippedModel returns the classifier in file when file is a crisis.model trained for the
// crisis data with fingerprint fp by this program's training code. The file begins with
// knowledge.CrisisModelHeader and the digest of the example files (which the knowledge loader
// reads), then shippedKey on a line of its own, then the classifier.
func shippedModel(file []byte, fp string) ([]byte, bool) {
	_, rest, ok := knowledge.CrisisModelExamples(file)
	if !ok {
		return nil, false
	}
	key, data, ok := bytes.Cut(rest, []byte("\n"))
	want := shippedKey(fp)
	return data, ok && want != "" && string(key) == want
}

// CrisisModelFresh reports whether base's crisis.model fits its crisis data and this program's
// training code, so that a start-up reads it instead of training (about a minute).
func CrisisModelFresh(base *knowledge.Base) bool {
	_, ok := shippedModel(base.Crisis.Model, crisisFingerprint(base.Crisis, crisis.OptionsFor(base)))
	return ok
}

// CrisisModelFile returns the content of a crisis.model for base: its crisis classifier –
// from the process-wide cache or the store when there, else trained – headed by the key that
// lets a start-up on the same data and code read it (see CrisisModelFresh). It returns nil
// when the detector has no classifier.
func CrisisModelFile(base *knowledge.Base) []byte {
	opts := crisis.OptionsFor(base)
	data := crisisDetectorFor(base).EncodeModel()
	key := shippedKey(crisisFingerprint(base.Crisis, opts))
	if data == nil || key == "" {
		return nil
	}
	digest, ok := base.Crisis.ExamplesDigest()
	if !ok {
		digest = "-" // examples not read from files: no loader may skip decoding them
	}
	return slices.Concat([]byte(knowledge.CrisisModelHeader), []byte("examples "+digest+"\n"+key+"\n"), data)
}

func readStoredModel(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() || fi.Size() > maxStoredModel {
		return nil, fmt.Errorf("stored crisis model %s: not a file of at most %d bytes", path, maxStoredModel)
	}
	return os.ReadFile(path)
}

// WriteCrisisModelFile writes a CrisisModelFile to path through a temporary file beside it, so
// a reader – a bot starting up – never sees half a file.
func WriteCrisisModelFile(path string, data []byte) error {
	return writeStoredModel(filepath.Dir(path), path, data, 0o644)
}

// writeStoredModel writes data to path through a temporary file in dir, so a reader never
// sees half a file; the file gets permissions perm.
func writeStoredModel(dir, path string, data []byte, perm os.FileMode) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".crisis-*.tmp")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), perm)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		_ = os.Remove(f.Name())
	}
	return err
}

// pruneStoredModels removes all but the keepStoredModels most recently used classifiers.
func pruneStoredModels(dir string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type file struct {
		name string
		mod  time.Time
	}
	var files []file
	for _, e := range ents {
		if !strings.HasPrefix(e.Name(), "crisis-") || !strings.HasSuffix(e.Name(), ".model") {
			continue
		}
		if fi, err := e.Info(); err == nil {
			files = append(files, file{e.Name(), fi.ModTime()})
		}
	}
	slices.SortFunc(files, func(a, b file) int { return b.mod.Compare(a.mod) })
	for _, f := range files[min(len(files), keepStoredModels):] {
		_ = os.Remove(filepath.Join(dir, f.name))
	}
}

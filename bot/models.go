package bot

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"sync"
	"sync/atomic"

	"github.com/vejviser/vejviser/bot/crisis"
	"github.com/vejviser/vejviser/bot/intent"
	"github.com/vejviser/vejviser/knowledge"
)

// modelCacheSize is how many trained models of one kind a memo keeps: the live one, the one
// being built by a reload, and a little room.
const modelCacheSize = 4

// memo memoises trained models by the fingerprint of everything they are built from. Training
// the crisis detector takes about 0.6 s and the intent model about 0.17 s; a process that builds
// engines from the same data again – a reload that edits only an entry's facts, the CLI's
// tests – reuses them. Models are immutable once trained, so sharing one between engines is
// safe. A memo is safe for concurrent use, and a caller that asks for a model being trained
// waits for it rather than training it twice.
type memo[T any] struct {
	mu       sync.Mutex
	keys     []string
	vals     map[string]T
	building map[string]chan struct{} // closed when the model for the key is in vals
	builds   atomic.Int64             // models trained by this process (the tests count them)
}

func newMemo[T any]() *memo[T] {
	return &memo[T]{vals: map[string]T{}, building: map[string]chan struct{}{}}
}

// get returns the model for key, training it with build when no one has.
func (m *memo[T]) get(key string, build func() T) T {
	m.mu.Lock()
	for {
		if v, ok := m.vals[key]; ok {
			m.mu.Unlock()
			return v
		}
		ch, busy := m.building[key]
		if !busy {
			break
		}
		m.mu.Unlock()
		<-ch
		m.mu.Lock()
	}
	ch := make(chan struct{})
	m.building[key] = ch
	m.mu.Unlock()

	v := build() // outside the lock: other keys' lookups go on
	m.builds.Add(1)

	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.building, key)
	close(ch)
	m.keys = append(m.keys, key)
	m.vals[key] = v
	if len(m.keys) > modelCacheSize {
		delete(m.vals, m.keys[0])
		m.keys = m.keys[1:]
	}
	return v
}

var (
	detectorCache = newMemo[*crisis.Detector]()
	intentCache   = newMemo[*intent.Model]()
)

// PrepareModels trains the crisis detector and the intent model for base into the process-wide
// caches, side by side, so that New finds them ready. The CLI calls it in a goroutine while
// the index is built: the three are independent, and on two cores a cold start-up takes about
// the longest of them instead of the sum.
func PrepareModels(base *knowledge.Base) {
	var wg sync.WaitGroup
	wg.Go(func() { intentModelFor(base) })
	crisisDetectorFor(base)
	wg.Wait()
}

// crisisDetectorFor returns the detector for base, from the cache when its inputs are unchanged.
func crisisDetectorFor(base *knowledge.Base) *crisis.Detector {
	opts := crisis.OptionsFor(base)
	return detectorCache.get(crisisFingerprint(base.Crisis, opts), func() *crisis.Detector {
		return crisis.New(base.Crisis, opts)
	})
}

// intentModelFor returns the intent model for base, from the cache when the entries' titles,
// example questions, aliases and keywords are unchanged.
func intentModelFor(base *knowledge.Base) *intent.Model {
	return intentCache.get(intentFingerprint(base), func() *intent.Model { return intent.Train(base) })
}

// crisisFingerprint hashes everything the crisis detector is built from.
func crisisFingerprint(c knowledge.Crisis, opts crisis.Options) string {
	h := sha256.New()
	fmt.Fprintf(h, "%v\x00%v\x00%v\x00", c.Concepts, c.Rules, c.Excepts)
	for _, ex := range c.Examples {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00", ex.Text, ex.Tier, ex.Kind)
	}
	for _, list := range [][]string{opts.Ordinary, opts.Known} {
		writeList(h, list)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// intentFingerprint hashes everything the intent model is built from.
func intentFingerprint(base *knowledge.Base) string {
	h := sha256.New()
	for _, e := range base.Entries {
		writeList(h, []string{e.ID, e.Title, e.EN.Title})
		for _, list := range [][]string{e.Questions, e.EN.Questions, e.Aliases, e.Keywords, e.EN.Keywords} {
			writeList(h, list)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// writeList writes each string and a separator, then an end mark.
func writeList(h hash.Hash, list []string) {
	for _, t := range list {
		h.Write([]byte(t))
		h.Write([]byte{0})
	}
	h.Write([]byte{1})
}

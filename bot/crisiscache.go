package bot

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/vejviser/vejviser/bot/crisis"
	"github.com/vejviser/vejviser/knowledge"
)

// detectorCacheSize is how many crisis detectors detectorCache keeps: the live one, the one
// being built by a reload, and a little room.
const detectorCacheSize = 4

// detectorCache memoises crisis detectors by the fingerprint of everything they are built from.
// Building one trains a classifier (about 0.6 s; a little more under the race detector); a process
// that builds engines from the same crisis data again – a reload that edits only an entry's
// facts, the CLI's tests – reuses it. Detectors are immutable after crisis.New, so sharing one
// between engines is safe. The cache is safe for concurrent use.
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

	d := crisis.New(base.Crisis, opts) // outside the lock: other bases' lookups go on
	detectorBuilds.Add(1)

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

// crisisFingerprint hashes everything the crisis detector is built from.
func crisisFingerprint(c knowledge.Crisis, opts crisis.Options) string {
	h := sha256.New()
	fmt.Fprintf(h, "%v\x00%v\x00%v\x00", c.Concepts, c.Rules, c.Excepts)
	for _, ex := range c.Examples {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00", ex.Text, ex.Tier, ex.Kind)
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

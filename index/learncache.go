package index

import (
	"crypto/sha256"
	"encoding/json"
	"sync"

	"github.com/vejviser/vejviser/knowledge"
)

// learnedCache keeps the learned model of the last base an index learned from, by learnedKey,
// so an index built again for the same entries and questions does not learn them again: a
// reload after an edit that only touched the kommuner or the crisis texts, `index` after
// `check`, and the tests' many indexes of the starter base. Learning takes 0.4–0.6 s on two
// CPUs (BenchmarkNewLearned, with the entry model), the key 13–16 ms (BenchmarkLearnedKey).
// The model is never changed after it is learned, so indexes share it.
type learnedCache struct {
	mu  sync.Mutex
	key [sha256.Size]byte
	m   *learned
}

// lastLearned is the process's learnedCache, which every index build reads (learnAsync).
var lastLearned learnedCache

// get returns the learned model of base (newLearned), the kept one when base's key is the last
// one learned.
func (c *learnedCache) get(base *knowledge.Base) *learned {
	key, ok := learnedKey(base)
	if ok {
		c.mu.Lock()
		m := c.m
		hit := m != nil && c.key == key
		c.mu.Unlock()
		if hit {
			return m
		}
	}
	m := newLearned(base)
	if ok {
		c.mu.Lock()
		c.key, c.m = key, m
		c.mu.Unlock()
	}
	return m
}

// learnedKey hashes everything the learned model reads – the entries, the outside topics and
// the labelled questions, every exported field of them, more than the learning reads, so no
// field it comes to read can be missed; false if they cannot be encoded.
func learnedKey(base *knowledge.Base) ([sha256.Size]byte, bool) {
	h := sha256.New()
	enc := json.NewEncoder(h)
	// One value at a time: the encoder buffers what it encodes, and a 20,000-entry base encoded
	// whole raised the build's peak by about 300 MiB (BenchmarkSearch20k).
	encode := func(v any) bool { return enc.Encode(v) == nil }
	ok := true
	for _, e := range base.Entries {
		ok = ok && encode(e)
	}
	for _, v := range []any{base.Outside, base.Questions, base.Asked} {
		ok = ok && encode(v)
	}
	if !ok {
		return [sha256.Size]byte{}, false
	}
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return key, true
}

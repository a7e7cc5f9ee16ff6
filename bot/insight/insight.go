// Package insight keeps what editors need to see where the knowledge base falls short, and
// nothing else: questions that got no sure answer – stored only when the young person said yes
// for that one question, scrubbed of e-mail addresses, phone and CPR numbers, links and Discord
// mentions, without any user id, and deleted after Retention; daily counts of unanswered
// questions by language and kommune (no text); and feedback counts per entry (no user ids).
//
// It is the only importer of bbolt. A Store opens its database file for each operation and
// closes it again, with a lock timeout, so several processes (shards) can share one folder; a
// missing, locked or damaged database makes the operation fail with an error and never stops
// the bot. A Store is safe for concurrent use.
package insight

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Retention is how long a consented question is kept: 30 days, as promised to the young people.
const Retention = 30 * 24 * time.Hour

// SchemaVersion is the layout of the database. A database of another version is never
// changed: Open fails, and the bot answers without the store.
const SchemaVersion = "1"

// FileName is the database file inside the store's folder.
const FileName = "insight.db"

// LockTimeout is how long an operation waits for another process holding the database.
const LockTimeout = 2 * time.Second

var (
	bucketMeta      = []byte("meta")
	bucketQuestions = []byte("questions")
	bucketCounts    = []byte("counts")
	bucketFeedback  = []byte("feedback")
)

// ErrNotFound is returned by Delete for an id that is not stored.
var ErrNotFound = errors.New("insight: no such question")

// Store is the editors' insight database in one folder.
type Store struct {
	path string
	now  func() time.Time

	// pending holds the counts of unanswered questions not yet written: counting happens on
	// the answer path, so it only touches memory; a background flush (every FlushEvery), a
	// Report and Close write them.
	mu      sync.Mutex
	pending map[string]uint64
	stop    chan struct{}
	done    chan struct{}
	closed  bool
}

// FlushEvery is how often counted unanswered questions are written to the database. A crash
// loses at most this much of the counts (never a consented question: Keep writes at once).
const FlushEvery = time.Minute

// Open opens (and if needed creates) the store in dir, checks its schema version and deletes
// questions older than Retention. now is the clock (time.Now when nil).
func Open(dir string, now func() time.Time) (*Store, error) {
	if now == nil {
		now = time.Now
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("insight: open %s: %w", dir, err)
	}
	s := &Store{path: filepath.Join(dir, FileName), now: now, pending: map[string]uint64{},
		stop: make(chan struct{}), done: make(chan struct{})}
	err := s.update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		switch v := meta.Get([]byte("schema")); {
		case v == nil:
			if err := meta.Put([]byte("schema"), []byte(SchemaVersion)); err != nil {
				return err
			}
		case string(v) != SchemaVersion:
			return fmt.Errorf("schema version %q, this build knows %q", v, SchemaVersion)
		}
		for _, b := range [][]byte{bucketQuestions, bucketCounts, bucketFeedback} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("insight: open %s: %w", s.path, err)
	}
	if _, err := s.Expire(); err != nil {
		return nil, err
	}
	go s.flushLoop()
	return s, nil
}

func (s *Store) flushLoop() {
	defer close(s.done)
	t := time.NewTicker(FlushEvery)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			_ = s.flush() // a failed flush keeps the counts for the next one
		}
	}
}

// flush writes the pending counts in one transaction; on failure they stay pending.
func (s *Store) flush() error {
	s.mu.Lock()
	batch := s.pending
	s.pending = map[string]uint64{}
	s.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	err := s.update(func(tx *bolt.Tx) error {
		for k, n := range batch {
			if err := add(tx.Bucket(bucketCounts), []byte(k), n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.mu.Lock()
		for k, n := range batch {
			s.pending[k] += n
		}
		s.mu.Unlock()
		return fmt.Errorf("insight: count: %w", err)
	}
	return nil
}

// Close writes the pending counts and stops the background flush. The Store must not be
// used afterwards.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	close(s.stop)
	<-s.done
	return s.flush()
}

func (s *Store) db(readOnly bool) (*bolt.DB, error) {
	return bolt.Open(s.path, 0o600, &bolt.Options{Timeout: LockTimeout, ReadOnly: readOnly})
}

func (s *Store) update(fn func(*bolt.Tx) error) error {
	db, err := s.db(false)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Update(fn)
}

func (s *Store) view(fn func(*bolt.Tx) error) error {
	db, err := s.db(false) // read-only needs an existing file and shared locks; writers are brief
	if err != nil {
		return err
	}
	defer db.Close()
	return db.View(fn)
}

// Question is a consented question as stored: its scrubbed text and what the bot knew.
type Question struct {
	ID         string    `json:"id"`
	Text       string    `json:"text"`
	Lang       string    `json:"lang"`
	Kommune    string    `json:"kommune,omitempty"`
	Confidence string    `json:"confidence"`
	Entries    []string  `json:"entries,omitempty"`
	Stored     time.Time `json:"stored"`
}

// Keep stores a question the young person agreed to send to the editors. The text is scrubbed
// first (Scrub); nothing identifies the asker. It returns the question's id.
func (s *Store) Keep(text, lang, kommune, confidence string, entries []string) (string, error) {
	clean := Scrub(text)
	if strings.TrimSpace(clean) == "" {
		return "", errors.New("insight: keep: the question is empty after scrubbing")
	}
	var idb [8]byte
	if _, err := rand.Read(idb[:]); err != nil {
		return "", fmt.Errorf("insight: keep: %w", err)
	}
	now := s.now().UTC()
	q := Question{ID: hex.EncodeToString(idb[:]), Text: clean, Lang: lang, Kommune: kommune, Confidence: confidence,
		Entries: entries, Stored: now}
	data, err := json.Marshal(q)
	if err != nil {
		return "", fmt.Errorf("insight: keep: %w", err)
	}
	key := []byte(now.Format(time.RFC3339Nano) + " " + q.ID) // time order, for expiry
	err = s.update(func(tx *bolt.Tx) error { return tx.Bucket(bucketQuestions).Put(key, data) })
	if err != nil {
		return "", fmt.Errorf("insight: keep: %w", err)
	}
	return q.ID, nil
}

// Unanswered counts one question that got no sure answer today, by language, kommune ("" when
// unknown), confidence ("maybe" or "none") and the outside topic it was read as (the id of a
// knowledge.OutsideTopic, or ""). Nothing of the question is kept. It touches only memory; the
// count is written within FlushEvery, by Report or by Close.
func (s *Store) Unanswered(lang, kommune, confidence, outside string) error {
	key := strings.Join([]string{s.now().UTC().Format(time.DateOnly), lang, kommune, confidence, outside}, "\x00")
	s.mu.Lock()
	s.pending[key]++
	s.mu.Unlock()
	return nil
}

// Feedback counts one "helped" or "did not help" for each entry.
func (s *Store) Feedback(entries []string, helped bool) error {
	suffix := "\x00n"
	if helped {
		suffix = "\x00y"
	}
	err := s.update(func(tx *bolt.Tx) error {
		for _, id := range entries {
			if err := increment(tx.Bucket(bucketFeedback), []byte(id+suffix)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("insight: feedback: %w", err)
	}
	return nil
}

func increment(b *bolt.Bucket, key []byte) error { return add(b, key, 1) }

// add adds n to the counter stored at key.
func add(b *bolt.Bucket, key []byte, by uint64) error {
	var n uint64
	if v := b.Get(key); len(v) > 0 {
		fmt.Sscan(string(v), &n)
	}
	return b.Put(key, []byte(fmt.Sprint(n+by)))
}

// Expire deletes the questions stored more than Retention ago and returns how many.
func (s *Store) Expire() (int, error) {
	cutoff := []byte(s.now().UTC().Add(-Retention).Format(time.RFC3339Nano))
	n := 0
	err := s.update(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketQuestions).Cursor()
		for k, _ := c.First(); k != nil && bytes.Compare(k, cutoff) < 0; k, _ = c.First() {
			if err := c.Delete(); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("insight: expire: %w", err)
	}
	return n, nil
}

// Delete removes one stored question.
func (s *Store) Delete(id string) error {
	found := false
	err := s.update(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketQuestions).Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			if strings.HasSuffix(string(k), " "+id) {
				found = true
				return c.Delete()
			}
		}
		return nil
	})
	switch {
	case err != nil:
		return fmt.Errorf("insight: delete: %w", err)
	case !found:
		return ErrNotFound
	}
	return nil
}

// Purge removes every stored question (counts and feedback stay: they hold no text).
func (s *Store) Purge() (int, error) {
	n := 0
	err := s.update(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketQuestions).Stats().KeyN
		if err := tx.DeleteBucket(bucketQuestions); err != nil {
			return err
		}
		_, err := tx.CreateBucket(bucketQuestions)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("insight: purge: %w", err)
	}
	return n, nil
}

// Report is what the editors see: the consented questions of the last Retention, grouped by
// similar wording; daily counts of unanswered questions; and feedback per entry.
type Report struct {
	Groups   []Group
	Days     []DayCount
	Feedback []EntryFeedback
}

// Group is consented questions with similar wording, the largest groups first.
type Group struct {
	Questions []Question
}

// DayCount is the number of questions without a sure answer on one day, by language, kommune,
// confidence and outside topic ("" for none, and for counts kept before topics were counted).
type DayCount struct {
	Day, Lang, Kommune, Confidence, Outside string
	N                                       int
}

// EntryFeedback is how often an entry helped and did not help.
type EntryFeedback struct {
	Entry         string
	Helped, NotIt int
}

// Report reads the store (after deleting expired questions).
func (s *Store) Report() (Report, error) {
	if err := s.flush(); err != nil {
		return Report{}, err
	}
	if _, err := s.Expire(); err != nil {
		return Report{}, err
	}
	var r Report
	var qs []Question
	err := s.view(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketQuestions).ForEach(func(_, v []byte) error {
			var q Question
			if err := json.Unmarshal(v, &q); err != nil {
				return nil // a damaged record is skipped, not fatal
			}
			qs = append(qs, q)
			return nil
		}); err != nil {
			return err
		}
		if err := tx.Bucket(bucketCounts).ForEach(func(k, v []byte) error {
			parts := strings.Split(string(k), "\x00")
			if len(parts) == 4 { // counted before outside topics were
				parts = append(parts, "")
			}
			if len(parts) != 5 {
				return nil
			}
			var n int
			fmt.Sscan(string(v), &n)
			r.Days = append(r.Days, DayCount{Day: parts[0], Lang: parts[1], Kommune: parts[2], Confidence: parts[3], Outside: parts[4], N: n})
			return nil
		}); err != nil {
			return err
		}
		fb := map[string]*EntryFeedback{}
		err := tx.Bucket(bucketFeedback).ForEach(func(k, v []byte) error {
			id, yn, ok := strings.Cut(string(k), "\x00")
			if !ok {
				return nil
			}
			if fb[id] == nil {
				fb[id] = &EntryFeedback{Entry: id}
			}
			var n int
			fmt.Sscan(string(v), &n)
			if yn == "y" {
				fb[id].Helped += n
			} else {
				fb[id].NotIt += n
			}
			return nil
		})
		for _, f := range fb {
			r.Feedback = append(r.Feedback, *f)
		}
		return err
	})
	if err != nil {
		return Report{}, fmt.Errorf("insight: report: %w", err)
	}
	sort.Slice(r.Feedback, func(i, j int) bool {
		a, b := r.Feedback[i], r.Feedback[j]
		if a.NotIt != b.NotIt {
			return a.NotIt > b.NotIt
		}
		return a.Entry < b.Entry
	})
	r.Groups = group(qs)
	return r, nil
}

// WeeklyEvery is how often the weekly summary goes to the editors' channel.
const WeeklyEvery = 7 * 24 * time.Hour

// ClaimWeekly reports whether the weekly summary is due, and if so marks it sent, in one
// transaction: of several processes sharing the store, exactly one gets true each week.
func (s *Store) ClaimWeekly() (bool, error) {
	now := s.now().UTC()
	claimed := false
	err := s.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get([]byte("weekly")); v != nil {
			if last, err := time.Parse(time.RFC3339, string(v)); err == nil && now.Sub(last) < WeeklyEvery {
				return nil
			}
		}
		claimed = true
		return meta.Put([]byte("weekly"), []byte(now.Format(time.RFC3339)))
	})
	if err != nil {
		return false, fmt.Errorf("insight: weekly: %w", err)
	}
	return claimed, nil
}

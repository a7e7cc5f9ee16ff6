package index

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// sumsFile lists the SHA-256 of every file of a sealed on-disk index. It is written after the
// index has been built, merged and closed, so the files never change again: the index is
// served read-only.
const sumsFile = "checksums.json"

// MaxMetaBytes bounds the small JSON files of an index folder (vejviser.json, checksums.json)
// that are read whole: a junk file of any size costs at most this much.
const MaxMetaBytes = 1 << 20

// ErrDamaged is wrapped by Open when a sealed index's files do not match their checksums.
var ErrDamaged = errors.New("index files do not match their checksums")

// seal writes the checksums of every file under dir (but the checksum file itself).
func seal(dir string) error {
	sums, err := checksums(dir)
	if err != nil {
		return fmt.Errorf("index: seal %s: %w", dir, err)
	}
	data, _ := json.MarshalIndent(sums, "", " ")
	if err := WriteFileSynced(filepath.Join(dir, sumsFile), data); err != nil {
		return fmt.Errorf("index: seal %s: %w", dir, err)
	}
	return nil
}

// verify checks every file under dir against the checksums written by seal: a missing, extra
// or changed file is ErrDamaged.
func verify(dir string) error {
	data, err := readBounded(filepath.Join(dir, sumsFile), MaxMetaBytes)
	if err != nil {
		return fmt.Errorf("index: verify %s: %w", dir, err)
	}
	var want map[string]string
	if err := json.Unmarshal(data, &want); err != nil {
		return fmt.Errorf("index: verify %s: bad %s: %w", dir, sumsFile, ErrDamaged)
	}
	got, err := checksums(dir)
	if err != nil {
		return fmt.Errorf("index: verify %s: %w", dir, err)
	}
	var bad []string
	for name, sum := range want {
		if got[name] != sum {
			bad = append(bad, name)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			bad = append(bad, name)
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		return fmt.Errorf("index: verify %s: %w: %v", dir, ErrDamaged, bad)
	}
	return nil
}

// checksums returns the SHA-256 of every regular file under dir by its slash path.
func checksums(dir string) (map[string]string, error) {
	sums := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if rel == sumsFile {
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s is not a regular file", rel)
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return err
		}
		sums[rel] = hex.EncodeToString(h.Sum(nil))
		return nil
	})
	return sums, err
}

// readBounded reads a regular file of at most limit bytes.
func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", filepath.Base(path))
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("%s is %d bytes; the limit is %d", filepath.Base(path), st.Size(), limit)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is over %d bytes", filepath.Base(path), limit)
	}
	return data, nil
}

// WriteFileSynced writes data to path and flushes it to disk before returning, for the small
// files of an index folder that must survive a power cut whole (checksums, CURRENT).
func WriteFileSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Sealed reports whether dir holds a finished index (its checksums are written); a build in
// progress or one that crashed is not sealed.
func Sealed(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, sumsFile))
	return err == nil
}

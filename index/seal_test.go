package index

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDamagedIndexIsRefused corrupts one byte at a random place in each file of a sealed
// index (and removes or adds a file): Open must refuse every one, so a damaged generation is
// rebuilt rather than served.
func TestDamagedIndexIsRefused(t *testing.T) {
	base := loadBase(t)
	dir := filepath.Join(t.TempDir(), "gen")
	ix, err := Build(context.Background(), base, Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	if ix, err := Open(dir, base); err != nil {
		t.Fatalf("Open of an intact index: %v", err)
	} else {
		ix.Close()
	}
	sums, err := checksums(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for name := range sums {
		p := filepath.Join(dir, filepath.FromSlash(name))
		orig, _ := os.ReadFile(p)
		if len(orig) == 0 {
			continue
		}
		for range 5 {
			bad := append([]byte(nil), orig...)
			i := r.IntN(len(bad))
			bad[i] ^= byte(1 + r.IntN(255))
			os.WriteFile(p, bad, 0o644)
			if ix, err := Open(dir, base); !errors.Is(err, ErrDamaged) {
				if ix != nil {
					ix.Close()
				}
				t.Errorf("%s with byte %d changed: Open err = %v, want ErrDamaged", name, i, err)
			}
		}
		os.WriteFile(p, orig, 0o644)
	}
	// An extra file, a missing file, a junk checksum file.
	os.WriteFile(filepath.Join(dir, "extra.zap"), []byte("x"), 0o644)
	if _, err := Open(dir, base); !errors.Is(err, ErrDamaged) {
		t.Errorf("extra file: err = %v", err)
	}
	os.Remove(filepath.Join(dir, "extra.zap"))
	os.WriteFile(filepath.Join(dir, sumsFile), []byte("{not json"), 0o644)
	if _, err := Open(dir, base); !errors.Is(err, ErrDamaged) {
		t.Errorf("junk checksum file: err = %v", err)
	}
}

// TestHugeMetaFileIsBounded: a junk checksum file far beyond MaxMetaBytes is refused without
// being read.
func TestHugeMetaFileIsBounded(t *testing.T) {
	base := loadBase(t)
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, sumsFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1 << 30); err != nil { // sparse: 1 GiB that costs no disk
		t.Fatal(err)
	}
	f.Close()
	_, err = Open(dir, base)
	if err == nil || !strings.Contains(err.Error(), "the limit is") {
		t.Errorf("Open with a 1 GiB meta file: %v", err)
	}
}

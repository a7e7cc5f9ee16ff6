package knowledge

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"strings"
	"time"
)

// Fingerprint summarises the names, sizes and modification times of the knowledge files in
// fsys. It changes when an editor saves, adds, renames or deletes a file, and costs one
// stat per file, so a watcher can call it every few seconds.
func Fingerprint(fsys fs.FS) (string, error) {
	fp, _, err := FingerprintAt(fsys)
	return fp, err
}

// FingerprintAt is Fingerprint, also returning the newest modification time among the files,
// so a watcher can wait until nothing has been written for a while.
func FingerprintAt(fsys fs.FS) (string, time.Time, error) {
	h := sha256.New()
	var newest time.Time
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !(strings.HasSuffix(path, ".md") || strings.HasSuffix(path, ".toml")) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.ModTime().After(newest) {
			newest = info.ModTime()
		}
		fmt.Fprintf(h, "%s\x00%d\x00%d\n", path, info.Size(), info.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		return "", time.Time{}, fmt.Errorf("knowledge: fingerprint: %w", err)
	}
	return hex.EncodeToString(h.Sum(nil)), newest, nil
}

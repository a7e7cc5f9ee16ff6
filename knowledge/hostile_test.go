package knowledge

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// copyValid writes the valid fixture base into a temporary folder and returns it.
func copyValid(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	err := filepath.WalkDir("testdata/valid", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel("testdata/valid", p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755)
		return os.WriteFile(filepath.Join(dir, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// deepEntry is an entry whose front matter nests inline tables depth deep, on one line or
// spread over lines.
func deepEntry(depth int, multiline bool) string {
	sep := ""
	if multiline {
		sep = "\n"
	}
	var b strings.Builder
	b.WriteString("+++\nid = \"deep\"\nx = ")
	for range depth {
		b.WriteString("{a = " + sep)
	}
	b.WriteString("1")
	for range depth {
		b.WriteString("}" + sep)
	}
	b.WriteString("\n+++\nbody\n")
	return b.String()
}

// loadWithin loads dir and fails the test if that takes longer than d (a hang).
func loadWithin(t *testing.T, dir string, d time.Duration) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := Load(os.DirFS(dir), testNow)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		t.Fatalf("Load did not return within %s", d)
		return nil
	}
}

// TestHostileFiles adds one hostile file to a valid folder: each is refused with a clear
// error naming the file, quickly, and without the memory the issue measured (6 GB, 2.7 GB).
func TestHostileFiles(t *testing.T) {
	tests := []struct {
		name  string
		write func(t *testing.T, path string)
		want  string
	}{
		{"nesting 8,000 deep on one 40 KB line", func(t *testing.T, p string) {
			os.WriteFile(p, []byte(deepEntry(8000, false)), 0o644)
		}, "nest more than 16 deep"},
		{"nesting 8,000 deep over many lines", func(t *testing.T, p string) {
			os.WriteFile(p, []byte(deepEntry(8000, true)), 0o644)
		}, "nest more than 16 deep"},
		{"nesting 17 deep", func(t *testing.T, p string) {
			os.WriteFile(p, []byte(deepEntry(17, false)), 0o644)
		}, "nest more than 16 deep"},
		{"a 100 KB line", func(t *testing.T, p string) {
			os.WriteFile(p, []byte("+++\nid = \"long\"\ntitle = \""+strings.Repeat("x", 100<<10)+"\"\n+++\n"), 0o644)
		}, "bytes long; the limit is 16384"},
		{"a 3 GB file (sparse)", func(t *testing.T, p string) {
			f, _ := os.Create(p)
			f.Truncate(3 << 30)
			f.Close()
		}, "the file is 3221225472 bytes; the limit is"},
		{"a FIFO", func(t *testing.T, p string) {
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Skipf("mkfifo: %v", err)
			}
		}, "not a regular file"},
		{"a symlink to /dev/zero", func(t *testing.T, p string) {
			if _, err := os.Stat("/dev/zero"); err != nil {
				t.Skip("no /dev/zero")
			}
			os.Symlink("/dev/zero", p)
		}, "not a regular file"},
		{"a folder named .md", func(t *testing.T, p string) {
			os.Mkdir(p, 0o755)
		}, "not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyValid(t)
			path := filepath.Join(dir, "entries", "hostile.md")
			tt.write(t, path)
			var before runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			err := loadWithin(t, dir, 10*time.Second)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), "entries/hostile.md") || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load = %v\nwant an error on entries/hostile.md containing %q", err, tt.want)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
				t.Errorf("loading allocated %d MB; want under 64 MB", grew>>20)
			}
		})
	}
}

// TestFolderLimit: a folder holding more than MaxFolderBytes in many files is refused with
// one error, and the files beyond the limit are not read.
func TestFolderLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("writes more than MaxFolderBytes")
	}
	dir := copyValid(t)
	chunk := "# " + strings.Repeat("padding ", 100) + "\n"
	file := strings.Repeat(chunk, (MaxFileSize-1024)/len(chunk))
	for i := range MaxFolderBytes/len(file) + 8 {
		name := filepath.Join(dir, "crisis-examples", fmt.Sprintf("pad-%02d.toml", i))
		os.MkdirAll(filepath.Dir(name), 0o755)
		os.WriteFile(name, []byte(file), 0o644)
	}
	err := loadWithin(t, dir, 30*time.Second)
	if err == nil || strings.Count(err.Error(), fmt.Sprintf("more than %d bytes in all", MaxFolderBytes)) != 1 {
		t.Fatalf("Load = %v\nwant one error about the folder's size", err)
	}
}

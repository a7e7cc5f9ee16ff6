package knowledge

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// peakHeap runs f while sampling the live heap every millisecond and returns the highest
// sample above the heap before f.
func peakHeap(f func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	var peak atomic.Uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	f()
	close(stop)
	<-done
	if p := peak.Load(); p > base {
		return p - base
	}
	return 0
}

// hostileFolder fills a copy of the valid fixture with n crisis-example files of about
// MaxFileSize each, every line an example whose text is inside inline tables nested
// MaxNesting deep – the worst shape that passes the structure check.
func hostileFolder(b testing.TB, n int) (string, int) {
	return hostileFolderSized(b, n, MaxFileSize-1024)
}

// hostileFolderSized is hostileFolder with files of about size bytes.
func hostileFolderSized(b testing.TB, n, size int) (string, int) {
	dir := copyValid(b)
	var line strings.Builder
	line.WriteString("x = ")
	for range MaxNesting - 1 {
		line.WriteString("{a = ")
	}
	line.WriteString(`"` + strings.Repeat("z", 200) + `"`)
	for range MaxNesting - 1 {
		line.WriteString("}")
	}
	var file strings.Builder
	for i := 0; file.Len() < size; i++ {
		fmt.Fprintf(&file, "[[example]]\ntext = \"t\"\ntier = \"none\"\nkind = \"ordinary\"\nk%d = 1\n%s\n", i, line.String())
	}
	total := 0
	os.MkdirAll(filepath.Join(dir, "crisis-examples"), 0o755)
	for i := range n {
		os.WriteFile(filepath.Join(dir, "crisis-examples", fmt.Sprintf("h%03d.toml", i)), []byte(file.String()), 0o644)
		total += file.Len()
	}
	return dir, total
}

// BenchmarkLoadPeak measures the peak heap of one Load: of the real knowledge base, and of
// folders of hostile files up to the folder limit. It reports peak-MB and the peak per byte of
// the folder (peak/byte).
func BenchmarkLoadPeak(b *testing.B) {
	real, err := filepath.Abs(".")
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name string
		dir  func(b *testing.B) (string, int)
	}{
		{"embedded", func(b *testing.B) (string, int) { return real, knowledgeBytes(b, real) }},
		{"hostile-8MB", func(b *testing.B) (string, int) { return hostileFolder(b, 8) }},
		{"hostile-64MB", func(b *testing.B) (string, int) { return hostileFolder(b, 65) }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			dir, size := c.dir(b)
			fsys := os.DirFS(dir)
			var peak uint64
			for b.Loop() {
				p := peakHeap(func() { _, _ = Load(fsys, testNow) })
				peak = max(peak, p)
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
			b.ReportMetric(float64(peak)/float64(size), "peak/byte")
		})
	}
}

// knowledgeBytes returns the size of the knowledge files under dir that Load reads: the TOML
// and Markdown files outside testdata, except the editors' guide.
func knowledgeBytes(b testing.TB, dir string) int {
	total := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "testdata" {
				return filepath.SkipDir
			}
			return nil
		}
		if ext := filepath.Ext(p); (ext == ".toml" || ext == ".md") && d.Name() != "README.md" {
			info, err := d.Info()
			if err != nil {
				return err
			}
			total += int(info.Size())
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return total
}

package index

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vejviser/vejviser/knowledge"
)

// benchQuestions are questions of the kinds young people ask: plain, informal, typos,
// compounds, English, and off-topic.
var benchQuestions = []string{
	"hvad er fgu", "Hvor meget får man i skoleydelse på FGU?", "kan jeg få handicaptillæg til min su",
	"handicap tillæg", "enkelfag på hf", "headspce", "erhversmentor", "har angst og vil gerne i job",
	"jeg bor i Grenaa, hvem er min ungevejleder", "What is HF single subject education?",
	"free counselling for young people", "hvem vandt kampen i går", "ordblinde undervisning",
	"hej jeg er 19 og droppede ud af gym sidste år hvad kan jeg nu", "SPS ansøgning", "asdf",
}

// synthetic returns n entries made from the real ones: each copies a real entry's fields (so
// real questions still find something) and adds a title word, keywords and a 250-word body
// drawn from a made-up vocabulary of 60,000 words with a Zipf distribution, so the index holds
// a vocabulary of the size a 20,000-entry base would have, not the starter's reused.
func synthetic(base *knowledge.Base, n int) *knowledge.Base {
	r := rand.New(rand.NewPCG(42, 7))
	vocab := make([]string, 60000)
	syll := []string{"ka", "ro", "mi", "ten", "sul", "vad", "le", "bor", "ni", "fe", "dus", "ga", "po", "lin", "ser", "tø", "å", "mæ"}
	for i := range vocab {
		var w strings.Builder
		for j := 0; j < 2+i%3; j++ {
			w.WriteString(syll[r.IntN(len(syll))])
		}
		fmt.Fprintf(&w, "%d", i%97)
		vocab[i] = w.String()
	}
	zipf := rand.NewZipf(rand.New(rand.NewPCG(3, 9)), 1.1, 2, uint64(len(vocab)-1))
	word := func() string { return vocab[zipf.Uint64()] }
	out := &knowledge.Base{Synonyms: base.Synonyms, Kommuner: base.Kommuner, Version: "synthetic"}
	for i := range n {
		src := base.Entries[i%len(base.Entries)]
		e := *src
		e.ID = fmt.Sprintf("syn-%05d", i)
		mix := make([]string, 250)
		for j := range mix {
			mix[j] = word()
		}
		e.Title = src.Title + " " + word()
		e.Keywords = append(slices.Clone(src.Keywords), word(), word(), word())
		e.Body = strings.Join(mix, " ")
		e.EN.Body = ""
		out.Entries = append(out.Entries, &e)
	}
	return out
}

// latencies runs the questions through ix and reports p50 and p99 per query.
func latencies(b *testing.B, ix *Index) {
	ctx := context.Background()
	var ds []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if _, err := ix.Search(ctx, benchQuestions[i%len(benchQuestions)], "da", 3); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(ds)
	if len(ds) > 0 {
		b.ReportMetric(float64(ds[len(ds)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(ds[len(ds)*99/100].Microseconds()), "p99-µs")
	}
}

// BenchmarkSearchStarter measures one search on the starter knowledge base.
func BenchmarkSearchStarter(b *testing.B) {
	ix := build(b, loadBase(b))
	latencies(b, ix)
}

// BenchmarkSearch20k measures one search over 20,000 synthetic entries (in memory).
func BenchmarkSearch20k(b *testing.B) {
	base := synthetic(loadBase(b), 20000)
	if n, err := strconv.Atoi(os.Getenv("VV_MEMBATCH")); err == nil {
		MemBatchSize = n
	}
	heapBefore := heapInuse()
	peak := watchPeak()
	start := time.Now()
	ix := build(b, base)
	took := time.Since(start)
	peakMiB := float64(peak()-heapBefore) / (1 << 20)
	latencies(b, ix)
	// Measured after the searches: right after a build, scorch may still hold the batch it
	// has just introduced, which made a measurement there swing between 66 and 520 MiB.
	// Reported after the loop, because b.Loop resets the timer, which drops earlier metrics.
	b.ReportMetric(took.Seconds(), "build-s")
	b.ReportMetric(float64(heapInuse()-heapBefore)/(1<<20), "index-heap-MiB")
	b.ReportMetric(peakMiB, "build-peak-MiB")
}

// watchPeak samples the heap in use every 20 ms until the returned function is called, which
// reports the highest sample.
func watchPeak() func() uint64 {
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); return peak.Load() }
}

// heapInuse returns the bytes of heap in use after two garbage collections: bleve's segment
// builder keeps a pooled buffer (about 450 MiB for 20,000 entries) until the second.
func heapInuse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// BenchmarkBuild20kDisk measures building 20,000 synthetic entries on disk.
func BenchmarkBuild20kDisk(b *testing.B) {
	base := synthetic(loadBase(b), 20000)
	for b.Loop() {
		dir := b.TempDir() + "/gen"
		ix, err := Build(context.Background(), base, Options{Dir: dir})
		if err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
}
